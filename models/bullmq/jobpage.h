// SPDX-License-Identifier: MIT
#pragma once

#include "queuesnapshot.h"

#include <QFuture>

#include <optional>

namespace bullpen {
class RedisClient;
}

namespace bullpen::bullmq {

/// One row of a job list: the small fields of the job hash, the size of `data` and, when it is
/// small, a preview. Never holds a large `data` field.
struct JobSummary {
    QByteArray id;
    QByteArray container; ///< the key it was listed from: "wait", "paused", "active", "delayed", …
    bool missing = false; ///< listed, but the job hash is gone (removed mid-read, or a stray id)
    QByteArray name;
    std::optional<qint64> timestamp, processedOn, finishedOn, delay, priority;
    qint64 attemptsMade = 0; ///< as the library reads it (attemptsMade, else atm)
    qint64 attemptsStarted = 0; ///< ats (BullMQ ≥ 5)
    std::optional<QByteArray> failedReason;
    QByteArray progress; ///< raw JSON; empty when absent (the libraries then report 0)
    QByteArray parentKey, repeatJobKey, processedBy;
    std::optional<double> score; ///< sorted-set score (delayed: runAt×4096+seq; finished: finishedOn)
    qint64 dataSize = 0; ///< HSTRLEN data
    QByteArray dataPreview; ///< the whole `data` when it is at most the requested preview size
    bool hasPreview = false;
};

struct PageRequest {
    QString state; ///< as the library names it: "waiting", "active", "failed", …
    qint64 start = 0;
    qint64 end = -1; ///< inclusive; -1: to the end (like getJobs)
    qint64 previewBytes = 0; ///< fetch `data` of jobs whose data is at most this long (0: never)
};

/// One page of a state, with the same ids in the same order as the library's
/// `getJobs([state], start, end)`: BullMQ 5/6 skip ids whose hash is gone and back-fill the page
/// (at most 5 extra reads, like their script); BullMQ 4 and Bull keep such ids as missing rows
/// (their getJobs returns undefined/null there).
struct JobPage {
    QueueRef ref;
    Generation generation = Generation::Unknown;
    PageRequest request;
    QList<JobSummary> jobs;
    QList<QByteArray> skipped; ///< ids skipped because their hash is gone (BullMQ 5/6)
    qint64 total = 0; ///< size of the state's container(s)
    int roundTrips = 0;
    QString error; ///< empty on success
    Reply::ErrorKind errorKind = Reply::ErrorKind::None;
};

/// The key suffixes the library reads for `state` ("waiting" → wait, plus paused before 6).
/// Empty when the generation has no such state.
QList<QByteArray> stateContainers(Generation generation, const QString& state);

/// Reads a page without Lua and without fetching large values: ids, then EXISTS + HMGET of the
/// small fields + HSTRLEN data per id (one pipeline), then optionally small `data` fields.
/// Continuations run on `client`'s thread; the future always finishes.
QFuture<JobPage> fetchJobPage(RedisClient* client, const QueueSnapshot& queue, PageRequest request);

} // namespace bullpen::bullmq
