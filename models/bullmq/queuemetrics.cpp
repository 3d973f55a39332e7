// SPDX-License-Identifier: MIT
#include "queuemetrics.h"

#include "futurewatch.h"
#include "queuediscovery.h"
#include "redisclient.h"

#include <QJsonArray>
#include <QPointer>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace bullpen::bullmq {

namespace {

    // parseInt(value || '0', 10) as getMetrics() reads the hash: leading digits, 0 when absent.
    qint64 parseLeadingInt(const QByteArray& raw)
    {
        const QByteArray s = raw.trimmed();
        qsizetype end = 0;
        if (end < s.size() && (s.at(end) == '-' || s.at(end) == '+'))
            ++end;
        while (end < s.size() && s.at(end) >= '0' && s.at(end) <= '9')
            ++end;
        return s.left(end).toLongLong();
    }

    // `+point || 0`: a number, 0 for anything that is not one.
    double parsePoint(const QByteArray& raw)
    {
        bool ok = false;
        const double v = raw.trimmed().toDouble(&ok);
        return ok && std::isfinite(v) ? v : 0.0;
    }

} // namespace

QJsonObject QueueMetrics::toJson() const
{
    QJsonArray points;
    for (const double v : data)
        points.append(v);
    return QJsonObject {
        { QStringLiteral("meta"),
            QJsonObject { { QStringLiteral("count"), double(count) }, { QStringLiteral("prevTS"), double(prevTS) },
                { QStringLiteral("prevCount"), double(prevCount) } } },
        { QStringLiteral("data"), points },
        { QStringLiteral("count"), double(this->points) },
    };
}

QFuture<QueueMetrics> fetchMetrics(
    RedisClient* client, const QueueRef& queue, const QByteArray& type, qint64 start, qint64 end)
{
    start = std::max<qint64>(0, start);
    end = std::clamp<qint64>(end, start, start + kMaxMetricsPoints - 1);
    const QByteArray meta = queue.key("metrics:" + type);
    const QByteArray list = meta + ":data";
    const QList<Command> cmds {
        Command { "HMGET", meta, "count", "prevTS", "prevCount" },
        Command { "LRANGE", list, QByteArray::number(start), QByteArray::number(end) },
        Command { "LLEN", list },
    };
    // No context object: the client may be gone (a closed connection) before the reply, and the
    // conversion needs nothing of it. The reply arrives on the client's thread.
    return client->pipeline(cmds).then([type, start](const QList<Reply>& replies) {
        QueueMetrics m;
        m.type = type;
        m.start = start;
        for (const Reply& r : replies) {
            if (r.isError()) {
                m.error = r.errorMessage();
                m.errorKind = r.errorKind();
                return m;
            }
        }
        const Reply& hash = replies.value(0);
        m.count = parseLeadingInt(hash.at(0).bytes());
        m.prevTS = parseLeadingInt(hash.at(1).bytes());
        m.prevCount = parseLeadingInt(hash.at(2).bytes());
        const Reply& range = replies.value(1);
        m.data.reserve(range.size());
        for (const Reply& p : range.elements())
            m.data.append(parsePoint(p.bytes()));
        m.points = replies.value(2).isInteger() ? replies.value(2).integer() : 0;
        return m;
    });
}

QFuture<MetricsQueuesResult> fetchQueuesWithMetrics(RedisClient* client)
{
    // No context object (Qt 6.4 asserts when it dies first, and a connection may be closed
    // while discovery runs): the guard tells whether the client is still there.
    const QPointer<RedisClient> guard(client);
    return discoverQueues(client)
        .then([guard](const DiscoveryResult& found) {
            if (!found.error.isEmpty()) {
                MetricsQueuesResult out;
                out.error = found.error;
                out.errorKind = found.errorKind;
                return QtFuture::makeReadyFuture(out);
            }
            if (found.queues.isEmpty())
                return QtFuture::makeReadyFuture(MetricsQueuesResult {});
            if (!guard) {
                MetricsQueuesResult out;
                out.error = QStringLiteral("the connection was closed");
                out.errorKind = Reply::ErrorKind::Connection;
                return QtFuture::makeReadyFuture(out);
            }
            QList<Command> cmds;
            // One key per EXISTS: without a hash tag in the prefix the two keys may live in
            // different cluster slots.
            for (const QueueRef& q : found.queues)
                cmds << Command { "EXISTS", q.key("metrics:completed") }
                     << Command { "EXISTS", q.key("metrics:failed") };
            const QList<QueueRef> queues = found.queues;
            return guard->pipeline(cmds).then([queues](const QList<Reply>& replies) {
                MetricsQueuesResult out;
                for (qsizetype i = 0; i < queues.size(); ++i) {
                    bool any = false;
                    for (const Reply& r : { replies.value(2 * i), replies.value(2 * i + 1) }) {
                        if (r.isError()) {
                            out.error = r.errorMessage();
                            out.errorKind = r.errorKind();
                            out.queues.clear();
                            return out;
                        }
                        any = any || (r.isInteger() && r.integer() > 0);
                    }
                    if (any)
                        out.queues.append(queues.at(i));
                }
                return out;
            });
        })
        .unwrap();
}

QueueMetricsModel::QueueMetricsModel(QObject* parent)
    : TimeSeriesModel({ tr("Completed"), tr("Failed") }, { Unit::Count, Unit::Count }, 120, parent)
{
}

QueueMetricsModel::~QueueMetricsModel() = default;

void QueueMetricsModel::load(RedisClient* client, const QueueRef& queue, int points)
{
    const quint64 gen = ++m_generation;
    m_queue = queue;
    if (!client) {
        m_loading = false;
        clearMetrics();
        return;
    }
    m_loading = true;
    const qint64 end = std::clamp<qint64>(points, 1, kMaxMetricsPoints) - 1;
    QFuture<QueueMetrics> completed = fetchMetrics(client, queue, "completed", 0, end);
    QFuture<QueueMetrics> failed = fetchMetrics(client, queue, "failed", 0, end);
    // Both pipelines are queued on the one connection and answered in order: wait for the second.
    whenReady(this, failed, [this, gen, completed](const QueueMetrics& f) {
        if (gen != m_generation)
            return;
        whenReady(this, completed, [this, gen, f](const QueueMetrics& c) {
            if (gen != m_generation)
                return;
            m_loading = false;
            const QString error = !c.error.isEmpty() ? c.error : f.error;
            if (!error.isEmpty()) {
                Q_EMIT loadFailed(error);
                return;
            }
            setMetrics(c, f);
            Q_EMIT loaded();
        });
    });
}

void QueueMetricsModel::clearMetrics()
{
    m_completed = {};
    m_failed = {};
    clear();
}

void QueueMetricsModel::setMetrics(const QueueMetrics& completed, const QueueMetrics& failed)
{
    m_completed = completed;
    m_failed = failed;
    clear();
    // Minute → (completed, failed); NaN where a type has no point for that minute.
    const double none = std::numeric_limits<double>::quiet_NaN();
    std::map<qint64, std::pair<double, double>> minutes;
    for (qsizetype i = 0; i < completed.data.size(); ++i)
        minutes.try_emplace(completed.minuteOf(i), none, none).first->second.first = completed.data.at(i);
    for (qsizetype i = 0; i < failed.data.size(); ++i)
        minutes.try_emplace(failed.minuteOf(i), none, none).first->second.second = failed.data.at(i);
    setCapacity(std::max<int>(1, int(minutes.size())));
    for (const auto& [minute, values] : minutes)
        append(minute, { values.first, values.second });
}

} // namespace bullpen::bullmq
