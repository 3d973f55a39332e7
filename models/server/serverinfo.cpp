// SPDX-License-Identifier: MIT
#include "serverinfo.h"

namespace bullpen {

ServerInfo ServerInfo::parse(const QByteArray& infoText)
{
    ServerInfo info;
    for (QByteArray line : infoText.split('\n')) {
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty())
            continue;
        if (line.startsWith("# ")) {
            info.m_sections.append({ QString::fromUtf8(line.mid(2)), {} });
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        if (info.m_sections.isEmpty())
            info.m_sections.append({ QString(), {} });
        const QByteArray key = line.left(colon);
        const QByteArray value = line.mid(colon + 1);
        info.m_sections.last().fields.append({ key, value });
        if (!info.m_index.contains(key))
            info.m_index.insert(key, value);
    }
    return info;
}

QByteArray ServerInfo::value(const QByteArray& field, const QByteArray& fallback) const
{
    return m_index.value(field, fallback);
}

qint64 ServerInfo::integer(const QByteArray& field, qint64 fallback) const
{
    bool ok = false;
    const qint64 v = m_index.value(field).toLongLong(&ok);
    return ok ? v : fallback;
}

qint64 ServerInfo::totalKeys() const
{
    qint64 total = 0;
    for (auto it = m_index.cbegin(); it != m_index.cend(); ++it) {
        if (!it.key().startsWith("db"))
            continue;
        // db0:keys=42,expires=0,avg_ttl=0
        for (const QByteArray& part : it.value().split(',')) {
            if (part.startsWith("keys="))
                total += part.mid(5).toLongLong();
        }
    }
    return total;
}

QString formatBytes(qint64 bytes)
{
    static const char* const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
    double v = double(bytes);
    int u = 0;
    while (v >= 1024.0 && u < 4) {
        v /= 1024.0;
        ++u;
    }
    return u == 0 ? QStringLiteral("%1 B").arg(bytes)
                  : QStringLiteral("%1 %2").arg(v, 0, 'f', 1).arg(QLatin1String(units[u]));
}

} // namespace bullpen
