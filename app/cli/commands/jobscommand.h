// SPDX-License-Identifier: MIT
#pragma once

#include "clicommand.h"
#include "queuecommon.h"

namespace bullpen::cli {

/// `jobs QUEUE --state STATE [--start N --end M] [--prefix P]`: one page of a state with the same
/// ids in the same order as the library's getJobs([STATE], start, end); rows hold the small fields
/// and the size of `data`, never the data itself.
class JobsCommand final : public CliCommand
{
public:
    QString parse(const QList<QByteArray>& args) override;
    void run(CliSession& session) override;

private:
    QueueArgs m_args;
    QByteArray m_queue;
    QString m_state;
    qint64 m_start = 0;
    qint64 m_end = -1;
};

} // namespace bullpen::cli
