// SPDX-License-Identifier: MIT
#include "keycommon.h"

#include "clioutput.h"
#include "clisession.h"

#include <QStringDecoder>

namespace bullpen::cli {

QString parseKeyArgs(const char* command, const QList<QByteArray>& args, const QList<QByteArray>& valueOptions, KeyArgs* out)
{
    bool afterDashes = false;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QByteArray& a = args.at(i);
        if (!afterDashes && a == "--") {
            afterDashes = true;
            continue;
        }
        if (!afterDashes && a.startsWith("--")) {
            QByteArray name = a;
            QByteArray value;
            bool inlineValue = false;
            if (const qsizetype eq = a.indexOf('='); eq > 0) {
                name = a.left(eq);
                value = a.mid(eq + 1);
                inlineValue = true;
            }
            if (!valueOptions.contains(name))
                return QStringLiteral("unknown option '%1' for %2 (put \"--\" before names that start with '-')")
                    .arg(QString::fromLocal8Bit(a), QString::fromLatin1(command));
            if (!inlineValue) {
                if (i + 1 >= args.size())
                    return QStringLiteral("%1 needs a value").arg(QString::fromLatin1(name));
                value = args.at(++i);
            }
            out->values.insert(name, value);
            continue;
        }
        out->positional.append(a);
    }
    return {};
}

qint64 intOption(const KeyArgs& args, const QByteArray& name, qint64 fallback, QString* error)
{
    if (!args.values.contains(name))
        return fallback;
    bool ok = false;
    const qint64 v = args.values.value(name).toLongLong(&ok);
    if (!ok || v < 0) {
        *error = QStringLiteral("%1 needs a number ≥ 0").arg(QString::fromLatin1(name));
        return fallback;
    }
    return v;
}

void failKeyRead(CliSession& session, Reply::ErrorKind kind, const QString& message)
{
    session.fail(kind == Reply::ErrorKind::Server ? Reply::error(message.toUtf8()) : Reply::failure(kind, message));
}

void failKeyNotFound(CliSession& session, const QString& message)
{
    if (session.isFinished())
        return;
    if (session.json())
        writeOut(toJsonText(QJsonObject { { QStringLiteral("error"), message }, { QStringLiteral("kind"), QStringLiteral("not-found") } }) + '\n');
    writeErr(QStringLiteral("bullpen-cli: ") + message + QLatin1Char('\n'));
    session.finish(ExitCode::RedisError);
}

void putName(QJsonObject& object, const QByteArray& name, const QString& field)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(name);
    if (!decoder.hasError())
        object.insert(field, text);
    else
        object.insert(field + QStringLiteral("_base64"), QString::fromLatin1(name.toBase64()));
}

} // namespace bullpen::cli
