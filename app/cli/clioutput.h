// SPDX-License-Identifier: MIT
#pragma once

#include "exitcode.h"
#include "reply.h"

#include <QJsonValue>

namespace bullpen::cli {

/// Writes to standard output / standard error, unbuffered by Qt (bytes as they are).
void writeOut(const QByteArray& bytes);
void writeErr(const QString& text);

/// A reply as JSON: nil → null, integer → number, status and UTF-8 bulk → string,
/// other bulk → {"base64": "…"}, array → array, error → {"error": "…", "kind": "server"|…}.
QJsonValue replyToJson(const Reply& reply);
/// One JSON value (any type, not only objects and arrays) as compact text, without a newline.
QByteArray toJsonText(const QJsonValue& value);

/// "server", "connection", "timeout", "protocol", "refused", "cancelled" ("" for None).
QString errorKindName(Reply::ErrorKind kind);
ExitCode exitCodeFor(const Reply& reply);

} // namespace bullpen::cli
