// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace bullpen::test {

/// A throwaway Redis Sentinel (`redis-server CONF --sentinel`) for one test: its own temp dir
/// with the writable config file Sentinel needs, a free port, killed when the object dies.
/// It monitors one master at 127.0.0.1:`masterPort`, with short timings so that failovers in
/// tests take about a second; optionally over TLS only (Config::tlsDir).
class RedisSentinel
{
public:
    struct Config
    {
        QString masterName = QStringLiteral("mymaster");
        int quorum = 2;
        int downAfterMs = 1000;
        int failoverTimeoutMs = 5000;
        /// TLS only (tls-port, no plain port), with the certificates in this directory (a
        /// RedisServer's certDir()): clients and the sentinel's own links to the master, the
        /// replicas and the other sentinels (tls-replication) all use TLS. Empty: plain TCP.
        QString tlsDir {};
    };

    explicit RedisSentinel(quint16 masterPort);
    RedisSentinel(quint16 masterPort, Config config);
    ~RedisSentinel();
    RedisSentinel(const RedisSentinel&) = delete;
    RedisSentinel& operator=(const RedisSentinel&) = delete;

    /// Starts the sentinel and waits until it answers PING. Returns false with `error()` set.
    bool start();
    /// Kills it (SIGKILL) and waits for the process to end.
    void kill();

    quint16 port() const { return m_port; }
    QString dir() const { return m_dir.path(); }
    QString error() const { return m_error; }
    /// "127.0.0.1:PORT", as a sentinel URL lists it.
    QString address() const;

    /// Runs redis-cli against this sentinel and returns its stdout (trimmed).
    QByteArray cli(const QStringList& args) const;
    /// The fields of this sentinel's entry for one replica of the master (SENTINEL REPLICAS),
    /// as "name value" pairs; empty when it does not know the replica.
    QList<QPair<QByteArray, QByteArray>> replicaFields(quint16 replicaPort) const;
    /// One field of SENTINEL MASTER <name> ("num-other-sentinels"), empty when absent.
    QByteArray masterField(const QByteArray& field) const;

private:
    bool launch();

    quint16 m_masterPort;
    Config m_config;
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace bullpen::test
