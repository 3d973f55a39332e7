// SPDX-License-Identifier: MIT
#pragma once

#include "clicommand.h"
#include "keycommon.h"
#include "keys/keyscanner.h"

namespace bullpen::cli {

/// `keys [--match P] [--type T] [--count N] [--limit N]`: key names by SCAN (never KEYS), printed
/// page by page as they arrive; with --json one object a line with the type and the TTL.
class KeysCommand final : public CliCommand
{
public:
    QString parse(const QList<QByteArray>& args) override;
    void run(CliSession& session) override;

private:
    void maybeFinish(CliSession& session);

    keys::ScanOptions m_scan;
    qint64 m_limit = 0;
    qint64 m_printed = 0;
    int m_pending = 0;
    bool m_scanDone = false;
};

} // namespace bullpen::cli
