// SPDX-License-Identifier: MIT
#include "clioutput.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>

#include <cstdio>
#include <optional>

namespace bullpen::cli {

void writeOut(const QByteArray& bytes)
{
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

void writeErr(const QString& text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

namespace {

    // Exactly the bytes as a string when they are valid UTF-8 (a leading BOM is kept), else nothing.
    std::optional<QString> strictUtf8(const QByteArray& bytes)
    {
        QStringDecoder decoder(
            QStringDecoder::Utf8, QStringDecoder::Flag::Stateless | QStringDecoder::Flag::ConvertInitialBom);
        QString s = decoder.decode(bytes);
        if (decoder.hasError())
            return std::nullopt;
        return s;
    }

} // namespace

QJsonValue replyToJson(const Reply& reply)
{
    switch (reply.type()) {
    case Reply::Type::Nil:
        return QJsonValue(QJsonValue::Null);
    case Reply::Type::Integer:
        return QJsonValue(reply.integer());
    case Reply::Type::Status:
    case Reply::Type::Bulk:
        if (const auto s = strictUtf8(reply.bytes()))
            return *s;
        return QJsonObject { { QStringLiteral("base64"), QString::fromLatin1(reply.bytes().toBase64()) } };
    case Reply::Type::Error:
        return QJsonObject {
            { QStringLiteral("error"), reply.errorMessage() },
            { QStringLiteral("kind"), errorKindName(reply.errorKind()) },
        };
    case Reply::Type::Array: {
        QJsonArray array;
        for (const Reply& element : reply.elements())
            array.append(replyToJson(element));
        return array;
    }
    }
    return {};
}

QByteArray toJsonText(const QJsonValue& value)
{
    // QJsonDocument holds only objects and arrays: wrap the value and strip the brackets.
    const QByteArray wrapped = QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

QString errorKindName(Reply::ErrorKind kind)
{
    switch (kind) {
    case Reply::ErrorKind::None:
        return {};
    case Reply::ErrorKind::Server:
        return QStringLiteral("server");
    case Reply::ErrorKind::Connection:
        return QStringLiteral("connection");
    case Reply::ErrorKind::Timeout:
        return QStringLiteral("timeout");
    case Reply::ErrorKind::Protocol:
        return QStringLiteral("protocol");
    case Reply::ErrorKind::Refused:
        return QStringLiteral("refused");
    case Reply::ErrorKind::Cancelled:
        return QStringLiteral("cancelled");
    }
    return {};
}

ExitCode exitCodeFor(const Reply& reply)
{
    if (!reply.isError())
        return ExitCode::Ok;
    switch (reply.errorKind()) {
    case Reply::ErrorKind::Server:
        return ExitCode::RedisError;
    case Reply::ErrorKind::Refused:
        return ExitCode::Refused;
    case Reply::ErrorKind::None: // an error reply always has a kind; treat a missing one as the server's
        return ExitCode::RedisError;
    case Reply::ErrorKind::Connection:
    case Reply::ErrorKind::Timeout:
    case Reply::ErrorKind::Protocol:
    case Reply::ErrorKind::Cancelled:
        return ExitCode::Connection;
    }
    return ExitCode::Connection;
}

} // namespace bullpen::cli
