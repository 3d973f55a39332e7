// SPDX-License-Identifier: MIT
#include "schedulerscommand.h"

#include "bullmq/queueextras.h"
#include "clisession.h"

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
    withQueue(session, m_args.positional.at(0), m_args.prefix, [&session](const QueueSnapshot& queue) {
        fetchSchedulers(session.client(), queue).then(&session, [&session](const ExtraResult& r) {
            if (!r.error.isEmpty()) {
                failRead(session, r.errorKind, r.error);
                return;
            }
            if (session.json()) {
                session.finishWithJson(r.rows);
                return;
            }
            QStringList lines;
            for (const QJsonValue& s : r.rows) {
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
            lines << QStringLiteral("(%1 scheduler(s))").arg(r.rows.size());
            session.finishWithText(lines.join(QLatin1Char('\n')));
        });
    });
}

} // namespace bullpen::cli
