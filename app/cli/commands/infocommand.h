// SPDX-License-Identifier: MIT
#pragma once

#include "clicommand.h"

namespace bullpen::cli {

/// `info [--sum] [SECTION...]`: INFO, printed as the server's text or, with --json, as
/// {"section": {"field": "value"}}. On a cluster every master's INFO under "# Node HOST:PORT"
/// (an object per node in JSON), or with --sum one INFO of the masters summed (ServerInfo::sum()).
class InfoCommand final : public CliCommand
{
public:
    QString parse(const QList<QByteArray>& args) override;
    void run(CliSession& session) override;

private:
    QList<QByteArray> m_sections;
    bool m_sum = false;
};

} // namespace bullpen::cli
