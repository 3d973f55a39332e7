// SPDX-License-Identifier: MIT
#pragma once

#include "bullmq/queueextras.h"
#include "bullmq/queuesnapshot.h"
#include "commandargs.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace bullpen::cli {

class CliSession;

/// Options shared by the queue commands: `--prefix P` and the option words each command takes.
struct QueueArgs : CommandArgs {
    QByteArray prefix;
};

/// Parses `args`: options in `valueOptions` take the next word, `flagOptions` take none,
/// `--prefix` is always known. Returns a usage error or an empty string.
QString parseQueueArgs(const char* command, const QList<QByteArray>& args, const QList<QByteArray>& valueOptions,
    const QList<QByteArray>& flagOptions, QueueArgs* out);

/// Finds queue `name` (with `prefix`, or by discovery when empty: the only queue of that name, or
/// the one under "bull"), reads its snapshot and calls `then`. On an unknown queue the session
/// fails with exit code 1 and a clear message; on Redis errors with the error's code.
void withQueue(CliSession& session, const QByteArray& name, const QByteArray& prefix,
    std::function<void(const bullmq::QueueSnapshot&)> then);

/// The commands that list rows read for one queue (workers, schedulers): finds the queue named by
/// the one positional argument, fetches its rows, and prints them as JSON or as the text lines
/// `format` makes of them.
void printQueueRows(CliSession& session, const QueueArgs& args,
    std::function<QFuture<bullmq::ExtraResult>(RedisClient*, const bullmq::QueueSnapshot&)> fetch,
    std::function<QStringList(const QJsonArray&)> format);

/// Text for a table cell: bytes as UTF-8, control characters escaped.
QString cell(const QByteArray& bytes, int max = 40);

} // namespace bullpen::cli
