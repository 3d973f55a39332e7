// SPDX-License-Identifier: MIT
#include "reply.h"

namespace bullpen {

Reply Reply::status(QByteArray text)
{
    Reply r;
    r.m_type = Type::Status;
    r.m_bytes = std::move(text);
    return r;
}

Reply Reply::error(QByteArray message)
{
    Reply r;
    r.m_type = Type::Error;
    r.m_kind = ErrorKind::Server;
    r.m_bytes = std::move(message);
    return r;
}

Reply Reply::integer(qint64 value)
{
    Reply r;
    r.m_type = Type::Integer;
    r.m_integer = value;
    return r;
}

Reply Reply::bulk(QByteArray bytes)
{
    Reply r;
    r.m_type = Type::Bulk;
    r.m_bytes = std::move(bytes);
    return r;
}

Reply Reply::array(QList<Reply> elements)
{
    Reply r;
    r.m_type = Type::Array;
    r.m_array = std::make_shared<const QList<Reply>>(std::move(elements));
    return r;
}

Reply Reply::failure(ErrorKind kind, const QString& message)
{
    Reply r;
    r.m_type = Type::Error;
    r.m_kind = kind;
    r.m_bytes = message.toUtf8();
    return r;
}

QString Reply::errorMessage() const
{
    return isError() ? QString::fromUtf8(m_bytes) : QString();
}

qint64 Reply::toInteger(bool* ok) const
{
    if (m_type == Type::Integer) {
        if (ok)
            *ok = true;
        return m_integer;
    }
    if (m_type == Type::Bulk || m_type == Type::Status)
        return m_bytes.toLongLong(ok);
    if (ok)
        *ok = false;
    return 0;
}

const Reply& Reply::at(qsizetype i) const
{
    static const Reply nilReply;
    if (!m_array || i < 0 || i >= m_array->size())
        return nilReply;
    return m_array->at(i);
}

const QList<Reply>& Reply::elements() const
{
    static const QList<Reply> empty;
    return m_array ? *m_array : empty;
}

static QString quoted(const QByteArray& bytes)
{
    // Printable ASCII as is, everything else escaped, so binary values never garble a terminal.
    QString out;
    out.reserve(bytes.size() + 2);
    out += QLatin1Char('"');
    for (const char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += QLatin1Char('\\');
            out += QLatin1Char(c);
        } else if (c == '\n') {
            out += QLatin1String("\\n");
        } else if (c == '\r') {
            out += QLatin1String("\\r");
        } else if (c == '\t') {
            out += QLatin1String("\\t");
        } else if (u < 0x20 || u >= 0x7f) {
            out += QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'));
        } else {
            out += QLatin1Char(c);
        }
    }
    out += QLatin1Char('"');
    return out;
}

QString Reply::toDisplayString(int indent) const
{
    switch (m_type) {
    case Type::Nil:
        return QStringLiteral("(nil)");
    case Type::Status:
        return QString::fromUtf8(m_bytes);
    case Type::Error:
        return QStringLiteral("(error) ") + errorMessage();
    case Type::Integer:
        return QStringLiteral("(integer) ") + QString::number(m_integer);
    case Type::Bulk:
        return quoted(m_bytes);
    case Type::Array: {
        if (!m_array || m_array->isEmpty())
            return QStringLiteral("(empty array)");
        QString out;
        const QString pad(indent, QLatin1Char(' '));
        for (qsizetype i = 0; i < m_array->size(); ++i) {
            const QString label = QString::number(i + 1) + QStringLiteral(") ");
            if (i > 0)
                out += QLatin1Char('\n') + pad;
            out += label + m_array->at(i).toDisplayString(indent + int(label.size()));
        }
        return out;
    }
    }
    return {};
}

Command command(const char* words)
{
    Command argv;
    for (const QByteArray& w : QByteArray(words).split(' ')) {
        if (!w.isEmpty())
            argv.append(w);
    }
    return argv;
}

} // namespace bullpen
