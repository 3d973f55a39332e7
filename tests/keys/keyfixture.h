// SPDX-License-Identifier: MIT
#pragma once

// Fixtures of the key tests: binary-safe bulk loading through redis-cli --pipe, and a standard
// keyspace with every type, binary names and names with and without the delimiter.

#include "redisserver.h"
#include "reply.h"

#include <QTest>

namespace bullpen::test {

/// Commands in RESP, as redis-cli --pipe reads them (any bytes in names and values).
inline QByteArray resp(const QList<Command>& commands)
{
    QByteArray out;
    for (const Command& c : commands) {
        out += '*' + QByteArray::number(c.size()) + "\r\n";
        for (const QByteArray& a : c)
            out += '$' + QByteArray::number(a.size()) + "\r\n" + a + "\r\n";
    }
    return out;
}

/// Sends `commands` with redis-cli --pipe; true when every reply arrived without an error.
inline bool pipe(const RedisServer& server, const QList<Command>& commands)
{
    const QByteArray out = server.cli({ QStringLiteral("--pipe") }, resp(commands));
    return out.contains(QByteArray("errors: 0, replies: " + QByteArray::number(commands.size())));
}

/// Every type, binary names (bytes 0x00–0xff under "bin:"), names with and without ':'.
inline QList<Command> standardKeys()
{
    QList<Command> c;
    c << Command { "SET", "plain", "no delimiter" };
    c << Command { "SET", "user:1", "{\"name\":\"Ada\"}" };
    c << Command { "HSET", "user:1:profile", "name", "Ada", "city", "London" };
    c << Command { "SET", "user:2", "Grace", "PX", "600000" };
    c << Command { "RPUSH", "list:jobs", "a", "b", "c" };
    c << Command { "SADD", "set:tags", "x", "y" };
    c << Command { "ZADD", "zset:board", "1.5", "ada", "3", "alan" };
    c << Command { "XADD", "stream:events", "1-1", "k", "v" };
    for (int b = 0; b < 256; ++b)
        c << Command { "SET", QByteArray(QByteArray("bin:") + char(b)), QByteArray(1, char(b)) };
    return c;
}

} // namespace bullpen::test
