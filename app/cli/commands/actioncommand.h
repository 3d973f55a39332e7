// SPDX-License-Identifier: MIT
#pragma once

#include "bullmq/actions.h"
#include "clicommand.h"
#include "queuecommon.h"

namespace bullpen::cli {

/// The queue actions: `retry`, `remove`, `promote`, `pause`, `resume`, `clean`, `drain`, `obliterate`. Each runs our own
/// Lua (models/bullmq/actions) in batches and reports what was done and what was skipped and why.
/// Bulk forms (--all, clean) need --yes when standard input is not a terminal, and ask otherwise;
/// --dry-run only reads and says what would change.
class ActionCommand final : public CliCommand
{
public:
    explicit ActionCommand(bullmq::ActionKind kind);
    QString parse(const QList<QByteArray>& args) override;
    void run(CliSession& session) override;

    static std::unique_ptr<CliCommand> retry();
    static std::unique_ptr<CliCommand> remove();
    static std::unique_ptr<CliCommand> promote();
    static std::unique_ptr<CliCommand> pause();
    static std::unique_ptr<CliCommand> resume();
    static std::unique_ptr<CliCommand> clean();
    static std::unique_ptr<CliCommand> drain();
    static std::unique_ptr<CliCommand> obliterate();

private:
    bool isBulk() const;
    QString usage() const;
    void execute(CliSession& session, const bullmq::QueueSnapshot& queue);
    void dryRun(CliSession& session, const bullmq::QueueSnapshot& queue);

    bullmq::ActionKind m_kind;
    QueueArgs m_args;
    bullmq::ActionRequest m_request;
    bool m_yes = false;
    bool m_dryRun = false;
};

} // namespace bullpen::cli
