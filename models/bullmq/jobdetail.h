// SPDX-License-Identifier: MIT
#pragma once

#include "queuesnapshot.h"

#include <QFuture>

#include <optional>

namespace bullpen {
class RedisClient;
}

namespace bullpen::bullmq {

/// Everything stored about one job, read in one pipelined round trip: the whole hash (unknown
/// fields kept, in stored order), the state as the library's getState() names it, logs, lock,
/// the delayed score and the flow bookkeeping of a parent.
struct JobDetail {
    QueueRef ref;
    Generation generation = Generation::Unknown;
    QByteArray id;
    bool exists = false; ///< the job hash exists
    QList<std::pair<QByteArray, QByteArray>> fields;
    QString state; ///< "completed", "failed", "delayed", "prioritized", "active", "waiting", …
    QList<QByteArray> logs; ///< oldest first, at most DetailOptions::logLimit
    qint64 logCount = 0;
    QByteArray lockToken; ///< empty: no lock (no live worker owns the job)
    qint64 lockTtlMs = -2; ///< PTTL of the lock
    bool inStalledSet = false;
    std::optional<double> delayedScore; ///< runAt×4096+seq while delayed
    std::optional<double> prioritizedScore; ///< priority×2^32+counter while prioritized

    struct Children {
        QList<QByteArray> pending; ///< ":dependencies" (full job keys)
        qint64 pendingCount = 0;
        QList<std::pair<QByteArray, QByteArray>> processed; ///< ":processed" key → returnvalue
        qint64 processedCount = 0;
        QList<std::pair<QByteArray, QByteArray>> ignored; ///< ":failed" key → failedReason
        qint64 ignoredCount = 0;
        QList<std::pair<QByteArray, double>> failed; ///< ":unsuccessful" key → time
        qint64 failedCount = 0;
    } children;

    QString error; ///< empty on success (a missing job is not an error: exists is false)
    Reply::ErrorKind errorKind = Reply::ErrorKind::None;

    bool has(const QByteArray& field) const;
    QByteArray field(const QByteArray& field) const;
    /// runAt in ms from the delayed score, when delayed.
    std::optional<qint64> runAt() const;
};

struct DetailOptions {
    qint64 logLimit = 1000; ///< newest entries beyond this are not read (logCount tells)
    qint64 childLimit = 1000; ///< per child collection
};

/// Reads one job. Continuations run on `client`'s thread; the future always finishes.
QFuture<JobDetail> fetchJobDetail(RedisClient* client, const QueueSnapshot& queue, const QByteArray& id,
    DetailOptions options = {});

/// The state name the library's getState() returns, from the membership probes (in the
/// library's own order). Bull says "paused" for the paused list and "stuck" for none.
QString stateFromProbes(Generation generation, bool completed, bool failed, bool delayed, bool prioritized,
    bool active, bool wait, bool paused, bool waitingChildren);

} // namespace bullpen::bullmq
