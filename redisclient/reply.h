// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>

#include <memory>

namespace bullpen {

/// An immutable RESP2 reply, or a client-side failure in place of one.
///
/// A value type: cheap to copy (payload bytes and arrays are shared), safe to pass between
/// threads. Server error replies have type Error and errorKind() Server; failures that never
/// reached or came back from the server (connection lost, timeout, refused by the read-only
/// guard, protocol violation) have type Error with another errorKind().
class Reply
{
public:
    enum class Type : quint8 { Nil, Status, Error, Integer, Bulk, Array };
    enum class ErrorKind : quint8 {
        None,       ///< not an error
        Server,     ///< the server answered with an error reply (-ERR …)
        Connection, ///< not connected, connection lost, authentication failed
        Timeout,    ///< no reply within the request's timeout
        Protocol,   ///< the peer sent bytes that are not valid RESP
        Refused,    ///< refused by the client before sending (read-only mode or safety guard)
        Cancelled,  ///< the client was shut down before a reply arrived
    };

    Reply() = default;

    static Reply nil() { return {}; }
    static Reply status(QByteArray text);
    static Reply error(QByteArray message); ///< server error reply
    static Reply integer(qint64 value);
    static Reply bulk(QByteArray bytes);
    static Reply array(QList<Reply> elements);
    static Reply failure(ErrorKind kind, const QString& message); ///< client-side error

    Type type() const { return m_type; }
    ErrorKind errorKind() const { return m_kind; }
    bool isNil() const { return m_type == Type::Nil; }
    bool isError() const { return m_type == Type::Error; }
    bool isArray() const { return m_type == Type::Array; }
    bool isInteger() const { return m_type == Type::Integer; }
    bool isString() const { return m_type == Type::Bulk || m_type == Type::Status; }

    /// Bytes of a bulk string, the text of a status or error; empty otherwise.
    const QByteArray& bytes() const { return m_bytes; }
    /// Error text as shown to people (server errors are decoded as UTF-8).
    QString errorMessage() const;
    qint64 integer() const { return m_integer; }
    /// Integer replies, and bulk strings that hold a decimal integer; `ok` tells which.
    qint64 toInteger(bool* ok = nullptr) const;

    qsizetype size() const { return m_array ? m_array->size() : 0; }
    const Reply& at(qsizetype i) const;
    const QList<Reply>& elements() const;

    /// A short human readable rendering, like redis-cli prints (for logs, the CLI, tests).
    QString toDisplayString(int indent = 0) const;

private:
    friend class ReplyBuilder; // the decoder fills arrays in place while parsing
    Type m_type = Type::Nil;
    ErrorKind m_kind = ErrorKind::None;
    qint64 m_integer = 0;
    QByteArray m_bytes;
    std::shared_ptr<const QList<Reply>> m_array;
};

using Command = QList<QByteArray>;

/// Splits "SET k v" on spaces into a command (for tests and simple callers; no quoting).
Command command(const char* words);

} // namespace bullpen

Q_DECLARE_METATYPE(bullpen::Reply)
