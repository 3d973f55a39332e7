// SPDX-License-Identifier: MIT
#pragma once

#include "bullmq/actions.h"
#include "clicommand.h"
#include "queuecommon.h"

namespace bullpen::cli {

/// `add QUEUE NAME [--data JSON] [--delay MS] [--priority N] [--attempts N]`: one new job, as
/// queue.add() stores it (Bullpen's add.lua for the queue's library and generation).
/// `duplicate QUEUE ID [--data JSON]`: a new job with the name, data, attempts and priority of an
/// existing one (its data replaced when --data is given), so a fixed job can run again.
class AddCommand final : public CliCommand
{
public:
    explicit AddCommand(bool duplicate);
    QString parse(const QList<QByteArray>& args) override;
    void run(CliSession& session) override;

    static std::unique_ptr<CliCommand> add();
    static std::unique_ptr<CliCommand> duplicate();

private:
    void execute(CliSession& session, const bullmq::QueueSnapshot& queue, bullmq::ActionRequest request);

    bool m_duplicate;
    QueueArgs m_args;
    bullmq::ActionRequest m_request;
    bool m_dataGiven = false;
    bool m_dryRun = false;
};

} // namespace bullpen::cli
