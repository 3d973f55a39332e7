// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace bullpen::test {

/// tests/interop/fixture.js run by node for one test: the real npm library `lib` (bullmq6, bull, …
/// from tests/interop/node_modules) builds its queues in a redis-server, keeps a live worker, and
/// reports "READY <json>". dump.js tells what the library's own getters report. A missing node or
/// node_modules is an error (the test fails, never skips). The process is killed when the object dies.
class InteropFixture
{
public:
    InteropFixture() = default;
    ~InteropFixture();
    InteropFixture(const InteropFixture&) = delete;
    InteropFixture& operator=(const InteropFixture&) = delete;

    /// tests/interop in the source tree.
    static QString dir();

    /// Finds node, checks node_modules/`lib`, starts `fixture.js lib redisUrl` and waits for its
    /// READY line. Returns false with `error` set (node's stderr when the fixture fails).
    bool start(const QString& lib, const QString& redisUrl, QString* error);
    /// Starts `node ARGS…` in tests/interop (the script first) and waits for its READY line, as
    /// start() does for fixture.js (dump() then needs start()).
    bool startScript(const QStringList& args, QString* error);
    /// The READY line's JSON ({queues, special, …}).
    QJsonObject ready() const { return m_ready; }
    /// `dump.js lib redisUrl queues [extraIds]`'s "queues" array; empty with `error` set on failure.
    QJsonArray dump(const QJsonArray& queues, const QJsonObject& extraIds, QString* error) const;
    /// The node executable start() found.
    QString node() const { return m_node; }
    /// Kills the fixture (SIGKILL) and waits for it to end; no-op when it is not running.
    void kill();

private:
    QProcess m_process;
    QString m_node;
    QString m_lib;
    QString m_url;
    QJsonObject m_ready;
};

} // namespace bullpen::test
