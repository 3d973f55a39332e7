// SPDX-License-Identifier: MIT
#pragma once

#include "reply.h"

#include <QHash>
#include <QSet>
#include <QString>

#include <memory>

namespace bullpen {

/// Decides, before a byte is sent, whether a command may go to the server.
///
/// Write commands are known from the server (`COMMAND LIST FILTERBY ACLCAT write`, Redis 7+)
/// once connected, and from a built-in table before that or on older servers; until then a
/// command in neither the built-in write nor read table counts as a write. EVAL, EVALSHA and
/// FCALL count as writes (their _RO forms do not), and so do commands outside @write that
/// change what others see (PUBLISH, CONFIG SET, SHUTDOWN, MULTI/EXEC, DEBUG except SLEEP,
/// OBJECT, DIGEST, …) whatever the server's table says. Commands that can hurt a server or
/// break the connection's protocol state (FLUSHALL, KEYS, SHUTDOWN, DEBUG, MONITOR,
/// SUBSCRIBE, CLIENT REPLY, …) are refused in every mode unless the caller opts in for that
/// one call; opting in never lifts read-only mode.
///
/// A value with no thread affinity; no two calls may race (check() fills a cache; RedisClient
/// holds a mutex).
class CommandPolicy
{
public:
    CommandPolicy();

    /// Replaces the built-in write table (or the previous server table) by the server's list
    /// of commands in @write ("set", "config|set", … lower case). From then on a command not
    /// in the list, nor a script or other kind of write, is a read. An empty list is ignored:
    /// every server has @write commands, so it can only mean the table could not be read.
    void setServerWriteCommands(QSet<QByteArray> names);
    bool hasServerTable() const { return m_serverWrites != nullptr; }

    bool isWrite(const Command& argv) const;
    bool isDangerous(const Command& argv) const;

    /// An empty string when allowed, else the reason for refusing.
    QString check(const Command& argv, bool readOnly, bool allowDangerous) const;

    /// "config|set" for container commands, "get" otherwise.
    static QByteArray commandName(const Command& argv);

    enum class Access : quint8 { Read, Write, Unknown };

private:
    struct Verdict {
        bool container = false; ///< the name alone does not decide: see the subcommand
        bool dangerous = false;
        Access access = Access::Read;
    };
    Verdict classify(const Command& argv) const;

    std::shared_ptr<const QSet<QByteArray>> m_serverWrites;
    // Verdicts by command name as the caller spelled it ("GET", "get"): the hot path of every
    // request, so it must not lower-case and hash several tables each time.
    mutable QHash<QByteArray, Verdict> m_cache;
};

} // namespace bullpen
