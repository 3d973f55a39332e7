// SPDX-License-Identifier: MIT
#include "queuescommand.h"

#include "bullmq/jobjson.h"
#include "bullmq/queuediscovery.h"
#include "clisession.h"

#include <QJsonArray>

namespace bullpen::cli {

using namespace bullmq;

QString QueuesCommand::parse(const QList<QByteArray>& args)
{
    const QString error = parseQueueArgs("queues", args, {}, {}, &m_args);
    if (!error.isEmpty())
        return error;
    if (!m_args.positional.isEmpty())
        return QStringLiteral("queues takes no arguments (did you mean jobs QUEUE?)");
    return {};
}

void QueuesCommand::run(CliSession& session)
{
    RedisClient* client = session.client();
    DiscoveryOptions options;
    options.prefix = m_args.prefix;
    discoverQueues(client, options).then(&session, [&session, client](const DiscoveryResult& found) {
        if (!found.error.isEmpty()) {
            failRead(session, found.errorKind, found.error);
            return;
        }
        fetchSnapshots(client, found.queues).then(&session, [&session](const QList<QueueSnapshot>& snapshots) {
            for (const QueueSnapshot& s : snapshots) {
                if (!s.error.isEmpty()) {
                    failRead(session, s.errorKind, s.error);
                    return;
                }
            }
            if (session.json()) {
                QJsonArray out;
                for (const QueueSnapshot& s : snapshots)
                    out.append(toJson(s));
                session.finishWithJson(out);
                return;
            }
            QStringList lines;
            lines << QStringLiteral("%1 %2 %3 %4 %5 %6")
                         .arg(QStringLiteral("PREFIX"), -12)
                         .arg(QStringLiteral("QUEUE"), -20)
                         .arg(QStringLiteral("LIBRARY"), -8)
                         .arg(QStringLiteral("GEN"), -7)
                         .arg(QStringLiteral("PAUSED"), -6)
                         .arg(QStringLiteral("COUNTS"));
            for (const QueueSnapshot& s : snapshots) {
                QStringList counts;
                for (const auto& [state, n] : s.counts)
                    counts << QStringLiteral("%1=%2").arg(state).arg(n);
                lines << QStringLiteral("%1 %2 %3 %4 %5 %6")
                             .arg(cell(s.ref.prefix, 12), -12)
                             .arg(cell(s.ref.name, 20), -20)
                             .arg(toString(s.library), -8)
                             .arg(toString(s.generation), -7)
                             .arg(s.paused ? QStringLiteral("yes") : QStringLiteral("no"), -6)
                             .arg(counts.join(QLatin1Char(' ')));
            }
            if (snapshots.isEmpty())
                lines << QStringLiteral("(no queues)");
            session.finishWithText(lines.join(QLatin1Char('\n')));
        });
    });
}

} // namespace bullpen::cli
