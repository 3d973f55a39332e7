// SPDX-License-Identifier: MIT
#pragma once

#include "clicommand.h"
#include "keycommon.h"

namespace bullpen::cli {

/// `key NAME`: type, TTL, memory, encoding, length and a bounded preview of one key (the first
/// 256 bytes of a string, the first 10 elements of a collection, the first 5 stream entries).
class KeyCommand final : public CliCommand
{
public:
    QString parse(const QList<QByteArray>& args) override;
    void run(CliSession& session) override;

private:
    void preview(CliSession& session, const QByteArray& type, QJsonObject info);
    QByteArray m_name;
};

} // namespace bullpen::cli
