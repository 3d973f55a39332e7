// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <span>

namespace bullpen::cli {

class CliSession;

/// One command of bullpen-cli ("ping", "info", …). A new object per run: parse() checks the
/// command's own arguments before any connection is opened, so a usage error never touches the
/// network; run() starts the work once the connection is ready.
///
/// To add a command: a class in commands/, a row in the table in clicommand.cpp.
class CliCommand
{
public:
    virtual ~CliCommand();

    /// The words after the command name (a literal "--" is kept, see positionalArguments()).
    /// Returns an empty string, or a usage error for people.
    virtual QString parse(const QList<QByteArray>& args) = 0;

    /// Runs on the session's (the main) thread once connected. Must end, now or later, with one
    /// of the session's finish…() calls.
    virtual void run(CliSession& session) = 0;

protected:
    /// For commands without options: every word, with one leading "--" dropped; a word that
    /// looks like an option before "--" is an error. Returns the error, or empty.
    static QString positionalArguments(
        const QByteArray& command, const QList<QByteArray>& args, QList<QByteArray>* positional);
};

struct CommandInfo
{
    const char* name;
    const char* synopsis; ///< "info [SECTION...]" for --help
    const char* summary; ///< one line for --help
    std::unique_ptr<CliCommand> (*create)();
};

/// Every command, in the order --help lists them.
std::span<const CommandInfo> commandTable();
const CommandInfo* findCommand(const QByteArray& name);
QStringList commandNames();

} // namespace bullpen::cli
