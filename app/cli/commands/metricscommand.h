// SPDX-License-Identifier: MIT
#pragma once

#include "clicommand.h"
#include "queuecommon.h"

namespace bullpen::cli {

/// `metrics QUEUE [--type completed|failed] [--start N --end M] [--prefix P]`: jobs per minute that
/// workers with the `metrics` option record, as queue.getMetrics(type, start, end) returns them.
/// Without --type both types, as {"completed": …, "failed": …}.
class MetricsCommand final : public CliCommand
{
public:
    QString parse(const QList<QByteArray>& args) override;
    void run(CliSession& session) override;

private:
    QueueArgs m_args;
    QList<QByteArray> m_types;
    qint64 m_start = 0;
    qint64 m_end = 59;
};

} // namespace bullpen::cli
