// SPDX-License-Identifier: MIT
#pragma once

#include "clicommand.h"
#include "queuecommon.h"

namespace bullpen::cli {

/// `workers QUEUE [--prefix P]`: the connections queue.getWorkers() reports (CLIENT LIST names of the queue's workers).
class WorkersCommand final : public CliCommand
{
public:
    QString parse(const QList<QByteArray>& args) override;
    void run(CliSession& session) override;

private:
    QueueArgs m_args;
    qint64 m_count = 20;
};

} // namespace bullpen::cli
