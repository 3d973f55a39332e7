// SPDX-License-Identifier: MIT
#pragma once

#include "clicommand.h"
#include "queuecommon.h"

namespace bullpen::cli {

/// `flow QUEUE ID [--depth N] [--max-children N] [--prefix P]`: the job and its children, across
/// queues, as FlowProducer.getFlow() returns them (same depth and maxChildren defaults).
class FlowCommand final : public CliCommand
{
public:
    QString parse(const QList<QByteArray>& args) override;
    void run(CliSession& session) override;

private:
    QueueArgs m_args;
    int m_depth = 10;
    int m_maxChildren = 20;
};

} // namespace bullpen::cli
