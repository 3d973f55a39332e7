// SPDX-License-Identifier: MIT
#include "queuecommon.h"

#include "bullmq/queuediscovery.h"
#include "clioutput.h"
#include "clisession.h"

#include <QJsonObject>

namespace bullpen::cli {

using namespace bullmq;

QString parseQueueArgs(const char* command, const QList<QByteArray>& args, const QList<QByteArray>& valueOptions,
    const QList<QByteArray>& flagOptions, QueueArgs* out)
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
            if (name == "--prefix" || valueOptions.contains(name)) {
                if (!inlineValue) {
                    if (i + 1 >= args.size())
                        return QStringLiteral("%1 needs a value").arg(QString::fromLatin1(name));
                    value = args.at(++i);
                }
                if (name == "--prefix") {
                    if (value.isEmpty())
                        return QStringLiteral("--prefix needs a value");
                    out->prefix = value;
                } else {
                    out->values.insert(name, value);
                }
                continue;
            }
            if (flagOptions.contains(name) && !inlineValue) {
                out->flags.append(name);
                continue;
            }
            return QStringLiteral("unknown option '%1' for %2").arg(QString::fromLocal8Bit(a), QString::fromLatin1(command));
        }
        out->positional.append(a);
    }
    return {};
}

void failNotFound(CliSession& session, const QString& message)
{
    if (session.isFinished())
        return;
    if (session.json())
        writeOut(toJsonText(QJsonObject { { QStringLiteral("error"), message }, { QStringLiteral("kind"), QStringLiteral("not-found") } }) + '\n');
    writeErr(QStringLiteral("bullpen-cli: ") + message + QLatin1Char('\n'));
    session.finish(ExitCode::RedisError);
}

void failUsage(CliSession& session, const QString& message)
{
    if (session.isFinished())
        return;
    if (session.json())
        writeOut(toJsonText(QJsonObject { { QStringLiteral("error"), message }, { QStringLiteral("kind"), QStringLiteral("usage") } }) + '\n');
    writeErr(QStringLiteral("bullpen-cli: ") + message + QLatin1Char('\n'));
    session.finish(ExitCode::Usage);
}

void failRead(CliSession& session, Reply::ErrorKind kind, const QString& message)
{
    session.fail(kind == Reply::ErrorKind::Server ? Reply::error(message.toUtf8()) : Reply::failure(kind, message));
}

void withQueue(CliSession& session, const QByteArray& name, const QByteArray& prefix,
    std::function<void(const QueueSnapshot&)> then)
{
    RedisClient* client = session.client();
    auto snapshot = [&session, client, name, then](const QueueRef& ref) {
        fetchSnapshots(client, { ref }).then(&session, [&session, ref, then](const QList<QueueSnapshot>& list) {
            const QueueSnapshot s = list.value(0);
            if (!s.error.isEmpty()) {
                failRead(session, s.errorKind, s.error);
                return;
            }
            if (!s.exists) {
                failNotFound(session, QStringLiteral("no queue \"%1\" with prefix \"%2\"")
                                          .arg(QString::fromUtf8(ref.name), QString::fromUtf8(ref.prefix)));
                return;
            }
            then(s);
        });
    };
    if (!prefix.isEmpty()) {
        snapshot(QueueRef { prefix, name });
        return;
    }
    discoverQueues(client).then(&session, [&session, name, snapshot](const DiscoveryResult& found) {
        if (!found.error.isEmpty()) {
            failRead(session, found.errorKind, found.error);
            return;
        }
        QList<QueueRef> matches;
        for (const QueueRef& q : found.queues) {
            if (q.name == name)
                matches.append(q);
        }
        if (matches.isEmpty()) {
            failNotFound(session, QStringLiteral("no queue named \"%1\" (with a prefix other than the usual, or a "
                                                 "name containing ':', give --prefix)")
                                      .arg(QString::fromUtf8(name)));
            return;
        }
        QueueRef chosen = matches.first();
        if (matches.size() > 1) {
            QStringList prefixes;
            bool hasDefault = false;
            for (const QueueRef& q : std::as_const(matches)) {
                prefixes.append(QString::fromUtf8(q.prefix));
                if (q.prefix == "bull") {
                    hasDefault = true;
                    chosen = q;
                }
            }
            if (!hasDefault) {
                failUsage(session, QStringLiteral("queue \"%1\" exists under several prefixes (%2): give --prefix")
                                       .arg(QString::fromUtf8(name), prefixes.join(QStringLiteral(", "))));
                return;
            }
        }
        snapshot(chosen);
    });
}

QString cell(const QByteArray& bytes, int max)
{
    QString s = QString::fromUtf8(bytes);
    QString out;
    for (const QChar c : std::as_const(s)) {
        if (c == QLatin1Char('\n'))
            out += QStringLiteral("\\n");
        else if (c.category() == QChar::Other_Control)
            out += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
        else
            out += c;
    }
    if (out.size() > max)
        out = out.left(max - 1) + QChar(0x2026);
    return out;
}

} // namespace bullpen::cli
