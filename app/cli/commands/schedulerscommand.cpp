// SPDX-License-Identifier: MIT
#include "schedulerscommand.h"

#include "clisession.h"
#include "queuecommon.h"

#include <QDateTime>
#include <QJsonObject>

namespace bullpen::cli {

using namespace bullmq;

QString SchedulersCommand::parse(const QList<QByteArray>& args)
{
    const QString error = parseQueueArgs("schedulers", args, {}, {}, &m_args);
    if (!error.isEmpty())
        return error;
    return m_args.positional.size() == 1 ? QString() : QStringLiteral("usage: schedulers QUEUE [--prefix P]");
}

void SchedulersCommand::run(CliSession& session)
{
    const auto fetch = [](RedisClient* client, const QueueSnapshot& queue) { return fetchSchedulers(client, queue); };
    printQueueRows(session, m_args, fetch, [](const QJsonArray& rows) {
        QStringList lines;
        for (const QJsonValue& s : rows) {
            const QJsonObject o = s.toObject();
            QString rule = o.value(QStringLiteral("pattern")).toString();
            if (rule.isEmpty())
                rule = o.value(QStringLiteral("cron")).toString();
            if (rule.isEmpty() && o.value(QStringLiteral("every")).isDouble())
                rule = QStringLiteral("every %1 ms").arg(qint64(o.value(QStringLiteral("every")).toDouble()));
            lines << QStringLiteral("%1  next %2  %3  job name %4")
                         .arg(o.value(QStringLiteral("key")).toString(),
                             QDateTime::fromMSecsSinceEpoch(qint64(o.value(QStringLiteral("next")).toDouble())).toString(Qt::ISODate),
                             rule, o.value(QStringLiteral("name")).toString());
        }
        lines << QStringLiteral("(%1 scheduler(s))").arg(rows.size());
        return lines;
    });
}

} // namespace bullpen::cli
