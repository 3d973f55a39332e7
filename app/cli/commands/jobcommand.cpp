// SPDX-License-Identifier: MIT
#include "jobcommand.h"

#include "bullmq/jobdetail.h"
#include "bullmq/jobjson.h"
#include "clisession.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace bullpen::cli {

using namespace bullmq;

QString JobCommand::parse(const QList<QByteArray>& args)
{
    const QString error = parseQueueArgs("job", args, {}, {}, &m_args);
    if (!error.isEmpty())
        return error;
    if (m_args.positional.size() != 2)
        return QStringLiteral("usage: job QUEUE ID [--prefix P]");
    return {};
}

void JobCommand::run(CliSession& session)
{
    const QByteArray id = m_args.positional.at(1);
    withQueue(session, m_args.positional.at(0), m_args.prefix, [&session, id](const QueueSnapshot& queue) {
        fetchJobDetail(session.client(), queue, id).then(&session, [&session](const JobDetail& job) {
            if (!job.error.isEmpty()) {
                failRead(session, job.errorKind, job.error);
                return;
            }
            if (!job.exists) {
                failNotFound(session, QStringLiteral("no job \"%1\" in queue %2 (state: %3)")
                                          .arg(cell(job.id, 80), job.ref.displayName(), job.state));
                return;
            }
            const QJsonObject o = toJson(job);
            if (session.json()) {
                session.finishWithJson(o);
                return;
            }
            QStringList lines;
            for (auto it = o.begin(); it != o.end(); ++it) {
                const QJsonValue v = it.value();
                QString text;
                if (v.isString())
                    text = v.toString();
                else if (v.isArray())
                    text = QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Indented)).trimmed();
                else if (v.isObject())
                    text = QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Indented)).trimmed();
                else if (v.isNull())
                    text = QStringLiteral("-");
                else if (v.isBool())
                    text = v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
                else
                    text = QString::number(v.toDouble(), 'g', 17);
                if (text.size() > 4000)
                    text = text.left(4000) + QStringLiteral("… (%1 characters)").arg(text.size());
                lines << QStringLiteral("%1: %2").arg(it.key(), text);
            }
            session.finishWithText(lines.join(QLatin1Char('\n')));
        });
    });
}

} // namespace bullpen::cli
