// SPDX-License-Identifier: MIT
#pragma once

#include "clicommand.h"
#include "keycommon.h"
#include "keys/keyscanner.h"

#include <memory>

namespace bullpen::keys {
class KeyTree;
}

namespace bullpen::cli {

/// `tree [--delimiter D] [--depth N] [--match P] [--type T]`: the folders of the keyspace (names
/// split on the delimiter, default ':') with the number of keys below each, from a full SCAN.
class TreeCommand final : public CliCommand
{
public:
    TreeCommand();
    ~TreeCommand() override;
    QString parse(const QList<QByteArray>& args) override;
    void run(CliSession& session) override;

private:
    void print(CliSession& session);

    keys::ScanOptions m_scan;
    QByteArray m_delimiter = QByteArrayLiteral(":");
    int m_depth = 2;
    std::unique_ptr<keys::KeyTree> m_tree;
};

} // namespace bullpen::cli
