// SPDX-License-Identifier: MIT
#pragma once

#include "clicommand.h"

namespace bullpen::cli {

/// `info [SECTION...]`: INFO, printed as the server's text or, with --json, as
/// {"section": {"field": "value"}}.
class InfoCommand final : public CliCommand
{
public:
    QString parse(const QList<QByteArray>& args) override;
    void run(CliSession& session) override;

private:
    QList<QByteArray> m_sections;
};

} // namespace bullpen::cli
