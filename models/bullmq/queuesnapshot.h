// SPDX-License-Identifier: MIT
#pragma once

#include "queueref.h"
#include "reply.h"

#include <QFuture>
#include <QMap>

#include <utility>

namespace bullpen {
class RedisClient;
}

namespace bullpen::bullmq {

/// What one refresh knows about a queue: the library and generation that wrote it, the paused
/// flag, and the job counts exactly as that library's `getJobCounts()` reports them.
struct QueueSnapshot {
    QueueRef ref;
    bool exists = false; ///< any of the queue's keys exists
    Library library = Library::Unknown;
    Generation generation = Generation::Unknown;
    QByteArray version; ///< meta "version", e.g. "bullmq:6.7.0"; empty when absent
    QString evidence; ///< why this library/generation was chosen (for people)
    bool paused = false;
    /// The keys and values of the library's `getJobCounts()` (no arguments), in its order.
    QList<std::pair<QString, qint64>> counts;
    QMap<QByteArray, QByteArray> meta;

    /// Sizes of the containers as stored (before the library's own semantics).
    struct Raw {
        qint64 wait = 0, paused = 0, active = 0, prioritized = 0, delayed = 0, completed = 0, failed = 0,
               waitingChildren = 0, repeat = 0;
        bool waitTailMarker = false; ///< a legacy "0:…" marker at the tail of wait (BullMQ 4 writers)
        bool pausedTailMarker = false;
    } raw;

    QString error; ///< empty on success
    Reply::ErrorKind errorKind = Reply::ErrorKind::None;

    /// The count the library reports for `state`, or -1 when it reports none.
    qint64 count(const QString& state) const;
};

/// Commands reading one queue's detection facts and counts; always snapshotCommandCount() of
/// them, so many queues fit in one pipeline.
QList<Command> snapshotCommands(const QueueRef& ref);
qsizetype snapshotCommandCount();
/// Builds a snapshot from the replies to snapshotCommands(ref), starting at `offset`.
QueueSnapshot parseSnapshot(const QueueRef& ref, const QList<Reply>& replies, qsizetype offset);

/// Detection and counts for all `queues` in ONE pipelined round trip. Continuations run on
/// `client`'s thread; the future always finishes (errors are per snapshot).
QFuture<QList<QueueSnapshot>> fetchSnapshots(RedisClient* client, const QList<QueueRef>& queues);
/// The same for a periodic refresh: queues whose previous snapshot settled the generation are
/// read with only the commands that generation's counts need (re-detected when meta's version
/// changes). Still one round trip.
QFuture<QList<QueueSnapshot>> refreshSnapshots(RedisClient* client, const QList<QueueSnapshot>& previous);

} // namespace bullpen::bullmq
