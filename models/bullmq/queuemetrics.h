// SPDX-License-Identifier: MIT
#pragma once

#include "queueref.h"
#include "reply.h"
#include "server/timeseriesmodel.h"

#include <QFuture>
#include <QJsonObject>
#include <QPointer>

namespace bullpen {
class RedisClient;
}

namespace bullpen::bullmq {

/// What BullMQ's `queue.getMetrics(type, start, end)` returns for one type ("completed" or
/// "failed"): the `B+metrics:T` hash, the points `start..end` of the `B+metrics:T:data` list
/// (jobs per minute, newest first) and the list's length. Written only by workers started with
/// `metrics.maxDataPoints` (Bull ≥ 4.7: queues with `metrics`); absent otherwise (spec §5).
struct QueueMetrics
{
    QByteArray type;
    qint64 count = 0; ///< all-time total
    qint64 prevTS = 0; ///< ms of the job that opened the newest minute bucket
    qint64 prevCount = 0; ///< `count` when that bucket was opened
    QList<double> data; ///< data[i]: jobs in minute floor(prevTS / 60000) - 1 - (start + i)
    qint64 points = 0; ///< LLEN of the data list
    qint64 start = 0;
    QString error;
    Reply::ErrorKind errorKind = Reply::ErrorKind::None;

    bool isEmpty() const { return count == 0 && prevTS == 0 && points == 0; }
    /// Jobs in the still-open minute (not in the list yet).
    qint64 openMinuteCount() const { return prevTS > 0 ? count - prevCount : 0; }
    /// Start (ms since the epoch) of the minute of data point `i`.
    qint64 minuteOf(qsizetype i) const { return ((prevTS / 60000) - 1 - (start + i)) * 60000; }
    /// Shaped as getMetrics() returns it: {meta: {count, prevTS, prevCount}, data: [...], count}.
    QJsonObject toJson() const;
};

/// The most points one read asks for (two weeks of minutes, the size BullMQ's docs suggest).
constexpr qint64 kMaxMetricsPoints = 20160;

/// Reads metrics of `type` for a queue: HMGET count prevTS prevCount, LRANGE start end, LLEN, in
/// one pipeline. `start` and `end` are 0-based positions, newest first, 0 ≤ start ≤ end; at most
/// kMaxMetricsPoints points are read (a larger range is cut). The future always finishes.
QFuture<QueueMetrics> fetchMetrics(
    RedisClient* client, const QueueRef& queue, const QByteArray& type, qint64 start = 0, qint64 end = 59);

struct MetricsQueuesResult
{
    QList<QueueRef> queues; ///< queues with a completed or failed metrics hash, sorted
    QString error;
    Reply::ErrorKind errorKind = Reply::ErrorKind::None;
};

/// Discovers queues (SCAN) and keeps those whose `metrics:completed` or `metrics:failed` key exists.
QFuture<MetricsQueuesResult> fetchQueuesWithMetrics(RedisClient* client);

/// Completed and failed jobs per minute of one queue as a time series for a chart: one row per
/// minute that either list has a point for (oldest first), NaN where a type has none, so each
/// column holds exactly the points the library stored. Loads one request at a time; a newer
/// load() drops the reply of an older one.
class QueueMetricsModel : public TimeSeriesModel
{
    Q_OBJECT
public:
    enum Columns { TimeColumn, CompletedColumn, FailedColumn, ColumnCount };

    explicit QueueMetricsModel(QObject* parent = nullptr);
    ~QueueMetricsModel() override;

    /// Reads the newest `points` minutes of both types for `queue` and replaces the rows.
    void load(RedisClient* client, const QueueRef& queue, int points = 60);
    /// Replaces the rows with these two reads (used by load()).
    void setMetrics(const QueueMetrics& completed, const QueueMetrics& failed);
    void clearMetrics();

    const QueueRef& queue() const { return m_queue; }
    const QueueMetrics& completed() const { return m_completed; }
    const QueueMetrics& failed() const { return m_failed; }
    bool isLoading() const { return m_loading; }

Q_SIGNALS:
    void loaded();
    void loadFailed(const QString& message);

private:
    QueueRef m_queue;
    QueueMetrics m_completed;
    QueueMetrics m_failed;
    quint64 m_generation = 0;
    bool m_loading = false;
};

} // namespace bullpen::bullmq
