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
    QList<QByteArray> withPrefix = valueOptions;
    withPrefix.append("--prefix");
    if (QString error = parseCommandArgs(command, args, withPrefix, flagOptions, out); !error.isEmpty())
        return error;
    if (out->values.contains("--prefix")) {
        out->prefix = out->values.take("--prefix");
        if (out->prefix.isEmpty())
            return QStringLiteral("--prefix needs a value");
    }
    return {};
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

void printQueueRows(CliSession& session, const QueueArgs& args,
    std::function<QFuture<ExtraResult>(RedisClient*, const QueueSnapshot&)> fetch,
    std::function<QStringList(const QJsonArray&)> format)
{
    withQueue(session, args.positional.at(0), args.prefix,
        [&session, fetch = std::move(fetch), format = std::move(format)](const QueueSnapshot& queue) {
            fetch(session.client(), queue).then(&session, [&session, format](const ExtraResult& r) {
                if (!r.error.isEmpty())
                    failRead(session, r.errorKind, r.error);
                else if (session.json())
                    session.finishWithJson(r.rows);
                else
                    session.finishWithText(format(r.rows).join(QLatin1Char('\n')));
            });
        });
}

} // namespace bullpen::cli
