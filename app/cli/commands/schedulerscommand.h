// SPDX-License-Identifier: MIT
#pragma once

#include "clicommand.h"
#include "queuecommon.h"

namespace bullpen::cli {

/// `schedulers QUEUE [--prefix P]`: job schedulers and legacy repeatable jobs, next run first.
class SchedulersCommand final : public CliCommand
{
public:
    QString parse(const QList<QByteArray>& args) override;
    void run(CliSession& session) override;

private:
    QueueArgs m_args;
    qint64 m_count = 20;
};

} // namespace bullpen::cli
