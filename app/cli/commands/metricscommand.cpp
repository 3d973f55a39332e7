// SPDX-License-Identifier: MIT
#include "metricscommand.h"

#include "bullmq/queuemetrics.h"
#include "clisession.h"

#include <QDateTime>
#include <QJsonObject>

#include <memory>

namespace bullpen::cli {

using namespace bullmq;

namespace {
    const QString kUsage
        = QStringLiteral("usage: metrics QUEUE [--type completed|failed] [--start N --end M] [--prefix P]");

    QString describe(const QueueMetrics& m)
    {
        QStringList lines;
        lines << QStringLiteral("%1: %2 job(s) in all, %3 in the current minute; %4 minute(s) stored")
                     .arg(QString::fromLatin1(m.type))
                     .arg(m.count)
                     .arg(m.openMinuteCount())
                     .arg(m.points);
        if (m.isEmpty()) {
            lines << QStringLiteral("  (no metrics: workers record them only with the metrics option)");
            return lines.join(QLatin1Char('\n'));
        }
        for (qsizetype i = 0; i < m.data.size(); ++i) {
            lines << QStringLiteral("  %1  %2")
                         .arg(
                             QDateTime::fromMSecsSinceEpoch(m.minuteOf(i)).toString(QStringLiteral("yyyy-MM-dd HH:mm")))
                         .arg(m.data.at(i), 8, 'g', 15);
        }
        return lines.join(QLatin1Char('\n'));
    }
} // namespace

QString MetricsCommand::parse(const QList<QByteArray>& args)
{
    const QString error = parseQueueArgs("metrics", args, { "--type", "--start", "--end" }, {}, &m_args);
    if (!error.isEmpty())
        return error;
    if (m_args.positional.size() != 1)
        return kUsage;
    if (m_args.values.contains("--type")) {
        const QByteArray type = m_args.values.value("--type");
        if (type != "completed" && type != "failed")
            return QStringLiteral("--type is completed or failed, not \"%1\"").arg(QString::fromUtf8(type));
        m_types = { type };
    } else {
        m_types = { "completed", "failed" };
    }
    for (const auto& [option, target] :
        { std::pair<const char*, qint64*> { "--start", &m_start }, { "--end", &m_end } }) {
        if (!m_args.values.contains(option))
            continue;
        bool ok = false;
        *target = m_args.values.value(option).toLongLong(&ok);
        if (!ok || *target < 0)
            return QStringLiteral("%1 needs a position ≥ 0 (0 is the newest minute)").arg(QLatin1String(option));
    }
    if (m_end < m_start)
        return QStringLiteral("--end must not be before --start");
    if (m_end - m_start >= kMaxMetricsPoints)
        return QStringLiteral("at most %1 points at a time (--end - --start < %1)").arg(kMaxMetricsPoints);
    return {};
}

void MetricsCommand::run(CliSession& session)
{
    const QList<QByteArray> types = m_types;
    const qint64 start = m_start, end = m_end;
    withQueue(
        session, m_args.positional.at(0), m_args.prefix, [&session, types, start, end](const QueueSnapshot& queue) {
            // One read per type, answered in order on the one connection; print when all are in.
            auto results = std::make_shared<QList<QueueMetrics>>();
            for (const QByteArray& type : types) {
                fetchMetrics(session.client(), queue.ref, type, start, end)
                    .then(&session, [&session, results, n = types.size()](const QueueMetrics& m) {
                        if (session.isFinished())
                            return;
                        if (!m.error.isEmpty()) {
                            failRead(session, m.errorKind, m.error);
                            return;
                        }
                        results->append(m);
                        if (results->size() < n)
                            return;
                        if (session.json()) {
                            if (n == 1) {
                                session.finishWithJson(results->first().toJson());
                                return;
                            }
                            QJsonObject both;
                            for (const QueueMetrics& r : std::as_const(*results))
                                both.insert(QString::fromLatin1(r.type), r.toJson());
                            session.finishWithJson(both);
                            return;
                        }
                        QStringList parts;
                        for (const QueueMetrics& r : std::as_const(*results))
                            parts << describe(r);
                        session.finishWithText(parts.join(QLatin1Char('\n')));
                    });
            }
        });
}

} // namespace bullpen::cli
