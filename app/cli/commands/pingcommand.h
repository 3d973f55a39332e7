// SPDX-License-Identifier: MIT
#pragma once

#include "clicommand.h"

namespace bullpen::cli {

/// `ping`: PING, prints PONG.
class PingCommand final : public CliCommand
{
public:
    QString parse(const QList<QByteArray>& args) override;
    void run(CliSession& session) override;
};

} // namespace bullpen::cli
