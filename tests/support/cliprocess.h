// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace bullpen::test {

struct CliResult
{
    int exitCode = -1; ///< -1: did not start or finish in time, -2: crashed
    QByteArray out;
    QByteArray err;
    /// Everything, for a failure message.
    QByteArray describe() const
    {
        return "exit code " + QByteArray::number(exitCode) + "\nstdout: " + out + "\nstderr: " + err;
    }
};

/// Runs the real bullpen-cli at `program` with `args` and waits up to `waitMs` for it to end.
/// The caller's REDIS_URL and BULLPEN_*PASSWORD variables are removed, so only `args` decide
/// where it connects.
CliResult runCli(const QString& program, const QStringList& args, int waitMs = 60000);

} // namespace bullpen::test
