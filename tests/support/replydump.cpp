// SPDX-License-Identifier: MIT
#include "replydump.h"

#include <QCryptographicHash>
#include <QStringList>

namespace bullpen::test {

QString escaped(const QByteArray& bytes)
{
    QString out;
    for (const char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\' || c == '|')
            out += QLatin1Char('\\') + QLatin1Char(c);
        else if (u < 0x20 || u >= 0x7f)
            out += QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'));
        else
            out += QLatin1Char(c);
    }
    return out;
}

QString digest(const QByteArray& bytes)
{
    return QStringLiteral("$%1 bytes sha1=%2")
        .arg(bytes.size())
        .arg(QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha1).toHex()));
}

QString dumpReply(const Reply& r)
{
    switch (r.type()) {
    case Reply::Type::Nil:
        return QStringLiteral("nil");
    case Reply::Type::Status:
        return QLatin1Char('+') + escaped(r.bytes());
    case Reply::Type::Error:
        return QLatin1Char('-') + escaped(r.bytes());
    case Reply::Type::Integer:
        return QLatin1Char(':') + QString::number(r.integer());
    case Reply::Type::Bulk:
        if (r.bytes().size() > 64)
            return digest(r.bytes());
        return QLatin1Char('"') + escaped(r.bytes()) + QLatin1Char('"');
    case Reply::Type::Array: {
        QStringList items;
        for (const Reply& e : r.elements())
            items.append(dumpReply(e));
        return QLatin1Char('[') + items.join(QStringLiteral(", ")) + QLatin1Char(']');
    }
    }
    return QStringLiteral("?");
}

} // namespace bullpen::test
