// SPDX-License-Identifier: MIT
#include "cliapp.h"

#include "clicommand.h"
#include "clioptions.h"
#include "clioutput.h"
#include "clisession.h"

#include <QCoreApplication>
#include <QProcessEnvironment>

#include <iostream>
#include <string>

namespace bullpen::cli {

namespace {

    std::optional<QByteArray> readStdinLine()
    {
        std::string line;
        if (!std::getline(std::cin, line))
            return std::nullopt;
        QByteArray bytes = QByteArray::fromStdString(line);
        if (bytes.endsWith('\r'))
            bytes.chop(1);
        return bytes;
    }

    int usageError(const QString& message)
    {
        writeErr(QStringLiteral("bullpen-cli: ") + message + QLatin1Char('\n'));
        return int(ExitCode::Usage);
    }

} // namespace

int runCli(const QList<QByteArray>& args, const QProcessEnvironment& env)
{
    ParseResult parsed = parseArguments(args, env, &readStdinLine);
    switch (parsed.action) {
    case ParseResult::Action::Help:
        writeOut(helpText().toUtf8());
        return int(ExitCode::Ok);
    case ParseResult::Action::Version:
        writeOut(QByteArrayLiteral("bullpen-cli " BULLPEN_VERSION "\n"));
        return int(ExitCode::Ok);
    case ParseResult::Action::UsageError:
        return usageError(parsed.error);
    case ParseResult::Action::Run:
        break;
    }
    for (const QString& warning : std::as_const(parsed.warnings))
        writeErr(QStringLiteral("bullpen-cli: warning: ") + warning + QLatin1Char('\n'));

    const CommandInfo* info = findCommand(parsed.options.command);
    Q_ASSERT(info); // parseArguments() refuses unknown commands
    std::unique_ptr<CliCommand> command = info->create();
    if (const QString error = command->parse(parsed.options.commandArgs); !error.isEmpty())
        return usageError(error);

    CliSession session(std::move(parsed.options), std::move(command));
    // Inside the loop, so everything the session does happens with the loop running.
    QMetaObject::invokeMethod(&session, &CliSession::start, Qt::QueuedConnection);
    return QCoreApplication::exec();
}

} // namespace bullpen::cli
