// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QList>

class QProcessEnvironment;

namespace bullpen::cli {

/// Runs bullpen-cli with `args` (argv without the program name) inside the running
/// QCoreApplication: parses, connects, runs one command, prints. Returns the exit code.
int runCli(const QList<QByteArray>& args, const QProcessEnvironment& env);

} // namespace bullpen::cli
