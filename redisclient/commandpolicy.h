// SPDX-License-Identifier: MIT
#pragma once

#include "reply.h"

#include <QSet>
#include <QString>

#include <memory>

namespace bullpen {

/// Decides, before a byte is sent, whether a command may go to the server.
///
/// Write commands are known from the server (`COMMAND LIST FILTERBY ACLCAT write`, Redis 7+)
/// once connected, and from a built-in table before that or on older servers. EVAL, EVALSHA
/// and FCALL count as writes (their _RO forms do not). Commands that can hurt a server or
/// break the connection's protocol state (FLUSHALL, KEYS, SHUTDOWN, DEBUG, MONITOR, …) are
/// refused in every mode unless the caller opts in for that one call.
class CommandPolicy
{
public:
    CommandPolicy();

    /// Replaces the built-in write table by the server's list of commands in @write
    /// ("set", "config|set", … lower case).
    void setServerWriteCommands(QSet<QByteArray> names);
    bool hasServerTable() const { return m_serverWrites != nullptr; }

    bool isWrite(const Command& argv) const;
    bool isDangerous(const Command& argv) const;

    /// An empty string when allowed, else the reason for refusing.
    QString check(const Command& argv, bool readOnly, bool allowDangerous) const;

    /// "config|set" for container commands, "get" otherwise.
    static QByteArray commandName(const Command& argv);

private:
    std::shared_ptr<const QSet<QByteArray>> m_serverWrites;
};

} // namespace bullpen
