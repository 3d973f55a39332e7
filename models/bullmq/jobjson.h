// SPDX-License-Identifier: MIT
#pragma once

#include "queueref.h"

#include <QJsonObject>
#include <QJsonValue>

namespace bullpen::bullmq {

struct QueueSnapshot;
struct JobSummary;
struct JobDetail;

/// Parses any JSON value (also scalars at the top level); `ok` tells whether `text` was JSON.
QJsonValue parseJsonValue(const QByteArray& text, bool* ok = nullptr);
/// Text as a JSON string when it is valid UTF-8, else `{"base64": …, "size": n}`.
QJsonValue textValue(const QByteArray& bytes);
/// Parsed JSON when `bytes` is JSON, else textValue(): how data/returnvalue are shown.
QJsonValue jsonOrText(const QByteArray& bytes);

/// Job options as the library's optsFromJSON() returns them: compressed keys expanded
/// ("kl" → "keepLogs", …) for the generation. Non-JSON options come back as text.
QJsonValue decodeOpts(Generation generation, const QByteArray& raw);

/// `{"name","prefix","library","generation","paused","counts":{…}}`.
QJsonObject toJson(const QueueSnapshot& queue);
/// One row of `jobs`: id, name, timestamp, processedOn, finishedOn, attemptsMade, failedReason,
/// progress, dataSize; `{"id", "missing": true}` when the hash is gone.
QJsonObject toJson(const JobSummary& job);
/// Every field of a job, decoded like the library's getJob() plus state, logs, lock, children,
/// run-at and the fields no library version defines ("unknownFields").
QJsonObject toJson(const JobDetail& job);

} // namespace bullpen::bullmq
