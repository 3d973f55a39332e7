// SPDX-License-Identifier: MIT
#pragma once

#include "connectionoptions.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

class QProcessEnvironment;

namespace bullpen::cli {

/// Everything the command line asked for.
struct CliOptions
{
    ConnectionOptions connection; ///< role "cli", no reconnect
    bool json = false;
    bool allowDangerous = false;
    bool cluster = false; ///< --cluster: the server is a node of a Redis Cluster (the seed)
    QByteArray command; ///< "ping", "info", …
    QList<QByteArray> commandArgs; ///< the words after the command name; a literal "--" is kept
};

struct ParseResult
{
    enum class Action { Run, Help, Version, UsageError };
    Action action = Action::UsageError;
    CliOptions options;
    QString error; ///< for UsageError: what is wrong, for people
    QStringList warnings; ///< printed on stderr, the run goes on
};

/// Reads one line from standard input (without its line break); nothing at end of input.
using LineReader = std::function<std::optional<QByteArray>()>;

/// Parses the global options and the command name. Global options may stand before or after
/// the command name, up to a "--"; options the CLI does not know after the command name are
/// left to the command. The command's own arguments are checked by the command.
ParseResult parseArguments(const QList<QByteArray>& args, const QProcessEnvironment& env, const LineReader& readLine);

/// The complete --help text.
QString helpText();

} // namespace bullpen::cli
