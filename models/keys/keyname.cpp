// SPDX-License-Identifier: MIT
#include "keyname.h"

#include <QLocale>

namespace bullpen::keys {

namespace {

    // Length of the valid UTF-8 sequence at `i`, or 0.
    int utf8Sequence(const QByteArray& b, qsizetype i, char32_t* cp)
    {
        const auto c = static_cast<unsigned char>(b.at(i));
        int n = 0;
        char32_t v = 0;
        if (c < 0x80)
            n = 1, v = c;
        else if ((c & 0xe0) == 0xc0)
            n = 2, v = c & 0x1f;
        else if ((c & 0xf0) == 0xe0)
            n = 3, v = c & 0x0f;
        else if ((c & 0xf8) == 0xf0)
            n = 4, v = c & 0x07;
        else
            return 0;
        if (i + n > b.size())
            return 0;
        for (int k = 1; k < n; ++k) {
            const auto cc = static_cast<unsigned char>(b.at(i + k));
            if ((cc & 0xc0) != 0x80)
                return 0;
            v = (v << 6) | (cc & 0x3f);
        }
        // Overlong forms, surrogates and values past U+10FFFF are not valid UTF-8.
        static constexpr char32_t kMin[] = { 0, 0, 0x80, 0x800, 0x10000 };
        if (v < kMin[n] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
            return 0;
        *cp = v;
        return n;
    }

    bool printable(char32_t cp)
    {
        if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
            return false;
        return QChar::isPrint(cp);
    }

} // namespace

bool isPlainText(const QByteArray& bytes)
{
    for (qsizetype i = 0; i < bytes.size();) {
        char32_t cp = 0;
        const int n = utf8Sequence(bytes, i, &cp);
        if (n == 0 || !printable(cp))
            return false;
        i += n;
    }
    return true;
}

QString displayBytes(const QByteArray& bytes)
{
    QString out;
    out.reserve(bytes.size());
    for (qsizetype i = 0; i < bytes.size();) {
        char32_t cp = 0;
        const int n = utf8Sequence(bytes, i, &cp);
        if (n > 0 && printable(cp)) {
            if (cp == U'\\')
                out += QStringLiteral("\\\\");
            else
                out += QString::fromUcs4(&cp, 1);
            i += n;
            continue;
        }
        out += QStringLiteral("\\x%1").arg(static_cast<unsigned char>(bytes.at(i)), 2, 16, QLatin1Char('0'));
        ++i;
    }
    return out;
}

QByteArray globEscape(const QByteArray& text)
{
    QByteArray out;
    out.reserve(text.size());
    for (const char c : text) {
        if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\')
            out.append('\\');
        out.append(c);
    }
    return out;
}

QString formatDuration(qint64 ms)
{
    if (ms < 0)
        return {};
    if (ms < 1000)
        return QStringLiteral("%1ms").arg(ms);
    qint64 s = ms / 1000;
    const qint64 d = s / 86400;
    s %= 86400;
    const qint64 h = s / 3600;
    s %= 3600;
    const qint64 m = s / 60;
    s %= 60;
    if (d > 0)
        return QStringLiteral("%1d %2h").arg(d).arg(h);
    if (h > 0)
        return QStringLiteral("%1h %2m").arg(h).arg(m, 2, 10, QLatin1Char('0'));
    if (m > 0)
        return QStringLiteral("%1m %2s").arg(m).arg(s, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1s").arg(s);
}

QString formatBytes(qint64 bytes)
{
    if (bytes < 1024)
        return QStringLiteral("%1 B").arg(bytes);
    static const char* const kUnits[] = { "KiB", "MiB", "GiB", "TiB" };
    double v = static_cast<double>(bytes) / 1024.0;
    int u = 0;
    while (v >= 1024.0 && u < 3)
        v /= 1024.0, ++u;
    return QStringLiteral("%1 %2").arg(v, 0, 'f', 1).arg(QLatin1String(kUnits[u]));
}

} // namespace bullpen::keys
