// SPDX-License-Identifier: MIT
#pragma once

#include "clicommand.h"
#include "queuecommon.h"

namespace bullpen::cli {

/// `events QUEUE [--count N] [--follow] [--prefix P]`: the last N entries of the BullMQ events stream, oldest first; --follow keeps printing new ones (one JSON object per line with --json).
class EventsCommand final : public CliCommand
{
public:
    QString parse(const QList<QByteArray>& args) override;
    void run(CliSession& session) override;

private:
    QueueArgs m_args;
    qint64 m_count = 20;
};

} // namespace bullpen::cli
