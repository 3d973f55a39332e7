// SPDX-License-Identifier: MIT
#pragma once

#include "clicommand.h"
#include "queuecommon.h"

namespace bullpen::cli {

/// `queues [--prefix P]`: every BullMQ/Bull queue found by SCAN, with the library, the data-model
/// generation, the paused flag and the counts of the library's own getJobCounts().
class QueuesCommand final : public CliCommand
{
public:
    QString parse(const QList<QByteArray>& args) override;
    void run(CliSession& session) override;

private:
    QueueArgs m_args;
};

} // namespace bullpen::cli
