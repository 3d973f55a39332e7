// SPDX-License-Identifier: MIT
#pragma once

#include "reply.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

namespace bullpen::cli {

class CliSession;

/// A command's own words, split by parseCommandArgs().
struct CommandArgs {
    QList<QByteArray> positional;
    QMap<QByteArray, QByteArray> values; ///< "--state" → "failed", …
    QList<QByteArray> flags; ///< "--follow", …
};

/// Parses `args`: options in `valueOptions` take the next word (or "=value"), `flagOptions`
/// take none, "--" ends the options. Returns a usage error or an empty string; `unknownHint`
/// is appended to the message about an unknown option.
QString parseCommandArgs(const char* command, const QList<QByteArray>& args, const QList<QByteArray>& valueOptions,
    const QList<QByteArray>& flagOptions, CommandArgs* out, const QString& unknownHint = {});

/// Ends the session with exit code 1 and `message` (and `{"error": message, "kind": "not-found"}`
/// on stdout with --json).
void failNotFound(CliSession& session, const QString& message);
/// Ends the session with exit code 2 (usage) and `message`.
void failUsage(CliSession& session, const QString& message);
/// Ends the session with the exit code that fits `kind` (server error 1, connection 3, …).
void failRead(CliSession& session, Reply::ErrorKind kind, const QString& message);

} // namespace bullpen::cli
