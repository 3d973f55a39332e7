// SPDX-License-Identifier: MIT
#include "jobscommand.h"

#include "bullmq/jobjson.h"
#include "bullmq/jobpage.h"
#include "clioutput.h"
#include "clisession.h"

#include <QDateTime>
#include <QJsonArray>

namespace bullpen::cli {

using namespace bullmq;

QString JobsCommand::parse(const QList<QByteArray>& args)
{
    const QString error = parseQueueArgs("jobs", args, { "--state", "--start", "--end" }, {}, &m_args);
    if (!error.isEmpty())
        return error;
    if (m_args.positional.size() != 1)
        return QStringLiteral("usage: jobs QUEUE --state STATE [--start N --end M] [--prefix P]");
    m_queue = m_args.positional.first();
    if (!m_args.values.contains("--state"))
        return QStringLiteral("jobs needs --state (waiting, active, delayed, prioritized, waiting-children, completed, "
                              "failed, paused)");
    m_state = QString::fromUtf8(m_args.values.value("--state"));
    for (const auto& [option, target] : { std::pair<const char*, qint64*> { "--start", &m_start }, { "--end", &m_end } }) {
        if (!m_args.values.contains(option))
            continue;
        bool ok = false;
        *target = m_args.values.value(option).toLongLong(&ok);
        if (!ok)
            return QStringLiteral("%1 needs an integer").arg(QLatin1String(option));
    }
    return {};
}

void JobsCommand::run(CliSession& session)
{
    const QString state = m_state;
    const qint64 start = m_start, end = m_end;
    withQueue(session, m_queue, m_args.prefix, [&session, state, start, end](const QueueSnapshot& queue) {
        if (stateContainers(queue.generation, state).isEmpty()) {
            failUsage(session, QStringLiteral("%1 has no state \"%2\"; states of this queue: %3")
                                   .arg(queue.ref.displayName(), state,
                                       listableStates(queue.generation).join(QStringLiteral(", "))));
            return;
        }
        fetchJobPage(session.client(), queue, PageRequest { state, start, end, 0 })
            .then(&session, [&session](const JobPage& page) {
                if (!page.error.isEmpty()) {
                    failRead(session, page.errorKind, page.error);
                    return;
                }
                if (!page.skipped.isEmpty()) {
                    QStringList ids;
                    for (const QByteArray& id : page.skipped)
                        ids << cell(id);
                    writeErr(QStringLiteral("bullpen-cli: skipped listed ids whose job is gone: %1\n")
                                 .arg(ids.join(QStringLiteral(", "))));
                }
                if (session.json()) {
                    QJsonArray out;
                    for (const JobSummary& s : page.jobs)
                        out.append(toJson(s));
                    session.finishWithJson(out);
                    return;
                }
                const auto time = [](const std::optional<qint64>& ms) {
                    return ms ? QDateTime::fromMSecsSinceEpoch(*ms).toString(Qt::ISODate) : QStringLiteral("-");
                };
                QStringList lines;
                lines << QStringLiteral("%1 %2 %3 %4 %5 %6 %7")
                             .arg(QStringLiteral("ID"), -24)
                             .arg(QStringLiteral("NAME"), -16)
                             .arg(QStringLiteral("CREATED"), -20)
                             .arg(QStringLiteral("FINISHED"), -20)
                             .arg(QStringLiteral("ATT"), 3)
                             .arg(QStringLiteral("DATA"), 9)
                             .arg(QStringLiteral("REASON"));
                for (const JobSummary& s : page.jobs) {
                    if (s.missing) {
                        lines << QStringLiteral("%1 (job hash is gone)").arg(cell(s.id, 24), -24);
                        continue;
                    }
                    lines << QStringLiteral("%1 %2 %3 %4 %5 %6 %7")
                                 .arg(cell(s.id, 24), -24)
                                 .arg(cell(s.name, 16), -16)
                                 .arg(time(s.timestamp), -20)
                                 .arg(time(s.finishedOn), -20)
                                 .arg(s.attemptsMade, 3)
                                 .arg(s.dataSize, 9)
                                 .arg(s.failedReason ? cell(*s.failedReason, 60) : QString());
                }
                lines << QStringLiteral("(%1 of %2 in %3)").arg(page.jobs.size()).arg(page.total).arg(page.request.state);
                session.finishWithText(lines.join(QLatin1Char('\n')));
            });
    });
}

} // namespace bullpen::cli
