// SPDX-License-Identifier: MIT
#pragma once

#include "clicommand.h"
#include "queuecommon.h"

namespace bullpen::cli {

/// `job QUEUE ID [--prefix P]`: every field of one job, decoded (data/opts/returnvalue as JSON
/// when they are JSON), its state as the library's getState() names it, logs, lock and children.
class JobCommand final : public CliCommand
{
public:
    QString parse(const QList<QByteArray>& args) override;
    void run(CliSession& session) override;

private:
    QueueArgs m_args;
};

} // namespace bullpen::cli
