// SPDX-License-Identifier: MIT
#pragma once

#include "queuesnapshot.h"

#include <QFuture>
#include <QJsonArray>
#include <QJsonObject>

namespace bullpen {
class RedisClient;
}

namespace bullpen::bullmq {

/// A list read around a queue: workers, schedulers or events, already as JSON rows.
struct ExtraResult {
    QJsonArray rows;
    QByteArray lastEventId; ///< events: the id to continue from ("$"-like tailing)
    QString error;
    Reply::ErrorKind errorKind = Reply::ErrorKind::None;
};

/// The connections `queue.getWorkers()` reports: CLIENT LIST entries named after the queue
/// (`P:<base64 name>`, and `…:w:<worker name>` for BullMQ ≥ 5; any name starting with it for Bull).
/// Rows: every CLIENT LIST field, `rawname` the connection name, `name` the queue name.
QFuture<ExtraResult> fetchWorkers(RedisClient* client, const QueueSnapshot& queue);
/// Whether a CLIENT LIST name belongs to a worker of `queue`, as the library's getWorkers() decides.
bool isWorkerName(const QueueSnapshot& queue, const QByteArray& connectionName);

/// Job schedulers (BullMQ ≥ 5: `repeat` members with a `repeat:<id>` hash, shaped like
/// getJobSchedulers()) and legacy repeatable jobs (a key only, shaped like getRepeatableJobs()),
/// next run first-last as the libraries list them (ZREVRANGE). At most `limit` entries.
QFuture<ExtraResult> fetchSchedulers(RedisClient* client, const QueueSnapshot& queue, qint64 limit = 1000);

/// The last `count` entries of the BullMQ events stream, oldest first (`after` empty), or the
/// entries after id `after` (tailing; `blockMs` > 0 waits that long for new ones with XREAD
/// BLOCK — use a connection of its own). Bull has no stream: an error says so.
QFuture<ExtraResult> fetchEvents(RedisClient* client, const QueueSnapshot& queue, qint64 count,
    const QByteArray& after = {}, int blockMs = 0);

/// Bull publishes its events with Pub/Sub on channels named like its keys ("P:q:completed",
/// "P:q:waiting@<token>"). The PSUBSCRIBE pattern that matches every event channel of `queue`
/// (glob characters in the prefix or name escaped).
QByteArray bullEventPattern(const QueueRef& queue);
/// One Bull Pub/Sub message as an event row: `event` (the channel after the queue's base, without
/// "@token"), `token` when present, `channel`, `data` (JSON when the payload is JSON, else text)
/// and `time` (ms when received). Empty when the channel is not one of `queue`'s.
QJsonObject bullEvent(const QueueRef& queue, const QByteArray& channel, const QByteArray& payload, qint64 receivedMs);

} // namespace bullpen::bullmq
