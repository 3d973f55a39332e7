// SPDX-License-Identifier: MIT
#pragma once

#include "clicommand.h"
#include "reply.h"

namespace bullpen::cli {

/// `exec -- CMD [ARG...]`: one raw command, its reply printed. The client's read-only mode and
/// safety guard still apply; --allow-dangerous opts in for this call.
class ExecCommand final : public CliCommand
{
public:
    QString parse(const QList<QByteArray>& args) override;
    void run(CliSession& session) override;

private:
    Command m_argv;
};

} // namespace bullpen::cli
