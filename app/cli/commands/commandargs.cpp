// SPDX-License-Identifier: MIT
#include "commandargs.h"

#include "clioutput.h"
#include "clisession.h"

#include <QJsonObject>

namespace bullpen::cli {

QString parseCommandArgs(const char* command, const QList<QByteArray>& args, const QList<QByteArray>& valueOptions,
    const QList<QByteArray>& flagOptions, CommandArgs* out, const QString& unknownHint)
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
            if (valueOptions.contains(name)) {
                if (!inlineValue) {
                    if (i + 1 >= args.size())
                        return QStringLiteral("%1 needs a value").arg(QString::fromLatin1(name));
                    value = args.at(++i);
                }
                out->values.insert(name, value);
                continue;
            }
            if (flagOptions.contains(name) && !inlineValue) {
                out->flags.append(name);
                continue;
            }
            return QStringLiteral("unknown option '%1' for %2").arg(QString::fromLocal8Bit(a), QString::fromLatin1(command))
                + unknownHint;
        }
        out->positional.append(a);
    }
    return {};
}

namespace {
void failWith(CliSession& session, const QString& message, const QString& kind, ExitCode code)
{
    if (session.isFinished())
        return;
    if (session.json())
        writeOut(toJsonText(QJsonObject { { QStringLiteral("error"), message }, { QStringLiteral("kind"), kind } }) + '\n');
    writeErr(QStringLiteral("bullpen-cli: ") + message + QLatin1Char('\n'));
    session.finish(code);
}
} // namespace

void failNotFound(CliSession& session, const QString& message)
{
    failWith(session, message, QStringLiteral("not-found"), ExitCode::RedisError);
}

void failUsage(CliSession& session, const QString& message)
{
    failWith(session, message, QStringLiteral("usage"), ExitCode::Usage);
}

void failRead(CliSession& session, Reply::ErrorKind kind, const QString& message)
{
    session.fail(kind == Reply::ErrorKind::Server ? Reply::error(message.toUtf8()) : Reply::failure(kind, message));
}

} // namespace bullpen::cli
