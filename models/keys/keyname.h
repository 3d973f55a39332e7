// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>

namespace bullpen::keys {

/// Key names (and values) are bytes: shown as UTF-8 where they are printable UTF-8, every other
/// byte escaped as \xHH, a backslash as "\\", so two different names never look the same.
QString displayBytes(const QByteArray& bytes);
/// True when `bytes` is valid UTF-8 without control characters (shown as is).
bool isPlainText(const QByteArray& bytes);
/// Escapes glob metacharacters so that `text` matches itself in SCAN MATCH.
QByteArray globEscape(const QByteArray& text);
/// "1h 02m", "45s", "3d 4h", "120ms"; for remaining times.
QString formatDuration(qint64 ms);
/// "512 B", "1.5 KiB", "12.0 MiB".
QString formatBytes(qint64 bytes);

} // namespace bullpen::keys
