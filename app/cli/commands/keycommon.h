// SPDX-License-Identifier: MIT
#pragma once

#include "commandargs.h"
#include "reply.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

namespace bullpen::cli {

class CliSession;

/// Arguments of the key commands (keys, tree, key).
using KeyArgs = CommandArgs;

/// Parses `args`: options in `valueOptions` take the next word (or "=value"). Returns a usage
/// error or an empty string.
QString parseKeyArgs(const char* command, const QList<QByteArray>& args, const QList<QByteArray>& valueOptions, KeyArgs* out);
/// A non-negative integer option; `error` is set when present but not a number.
qint64 intOption(const KeyArgs& args, const QByteArray& name, qint64 fallback, QString* error);


/// Adds a key name to a JSON object: "name" when it is UTF-8, else "name_base64".
void putName(QJsonObject& object, const QByteArray& name, const QString& field = QStringLiteral("name"));

} // namespace bullpen::cli
