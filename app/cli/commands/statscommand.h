// SPDX-License-Identifier: MIT
#pragma once

#include "clicommand.h"

namespace bullpen::cli {

/// `stats [--interval S] [--count N]`: samples INFO like the server page does and prints one
/// line (or, with --json, one JSON object) per sample: memory, ops/s, clients, hit ratio,
/// network and expired/evicted keys per second. Runs until killed unless --count is given.
/// With --cluster the figures are every master's summed (line prefix "all N masters", JSON
/// "node": "all", "nodes": N), or one master's with --node HOST:PORT.
class StatsCommand final : public CliCommand
{
public:
    QString parse(const QList<QByteArray>& args) override;
    void run(CliSession& session) override;

private:
    int m_intervalMs = 1000;
    qint64 m_count = -1;
    QString m_node; ///< --node: one master of a cluster
};

} // namespace bullpen::cli
