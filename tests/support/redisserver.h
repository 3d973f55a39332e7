// SPDX-License-Identifier: MIT
#pragma once

#include "connectionoptions.h"

#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace bullpen::test {

/// A throwaway redis-server for one test: its own temp dir, a free port (or a Unix socket),
/// killed when the object dies. start() fails the calling test (QVERIFY) when the server
/// cannot be started; in CI nothing is skipped.
class RedisServer
{
public:
    struct Config {
        bool unixSocket = false; ///< listen on a socket in the temp dir, no TCP
        bool tls = false; ///< TLS only, certificates made with openssl in the temp dir
        bool tlsAuthClients = false; ///< require a client certificate
        QStringList extraArgs {}; ///< e.g. {"--requirepass", "secret"}
        quint16 port = 0; ///< TCP port to listen on; 0: a free one
        /// TLS: use the certificates already made in this directory (another server's dir(),
        /// so that replicas and sentinels share its CA) instead of making new ones.
        QString certDir {};
    };

    /// For a test's _data() slot: an int column "transport" with one row per socket class the
    /// client reads through (tcp, unix, tls). forTransport() turns the current row into a Config.
    static void addTransportRows();
    static Config forTransport();

    RedisServer();
    explicit RedisServer(Config config);
    ~RedisServer();
    RedisServer(const RedisServer&) = delete;
    RedisServer& operator=(const RedisServer&) = delete;

    /// Starts the server and waits until it answers PING. Returns false with `error()` set.
    bool start();
    /// Kills the server (SIGKILL) and waits for the process to end.
    void kill();
    /// Stops with SIGSTOP / resumes with SIGCONT.
    void pause();
    void resume();
    /// Starts the server again on the same port / socket.
    bool restart();

    quint16 port() const { return m_port; }
    QString socketPath() const;
    QString dir() const { return m_dir.path(); }
    /// Where the TLS certificates are: certDir, else dir().
    QString certDir() const { return m_config.certDir.isEmpty() ? dir() : m_config.certDir; }
    QString caFile() const { return certDir() + QStringLiteral("/ca.crt"); }
    QString clientCertFile() const { return certDir() + QStringLiteral("/client.crt"); }
    QString clientKeyFile() const { return certDir() + QStringLiteral("/client.key"); }
    QString error() const { return m_error; }

    /// Options that reach this server (TCP, TLS with our CA, or Unix socket).
    ConnectionOptions options() const;
    /// "redis://127.0.0.1:PORT" (or rediss://, unix://).
    QString url() const;

    /// Runs redis-cli against this server and returns its stdout (trimmed). For fixtures
    /// and assertions; the code under test never uses it.
    QByteArray cli(const QStringList& args) const;
    /// Same, with `input` on redis-cli's stdin (for `--pipe` and `-x`: binary safe).
    QByteArray cli(const QStringList& args, const QByteArray& input) const;
    /// One field of `INFO <section>` ("total_connections_received"), empty when absent.
    QByteArray info(const QString& section, const QByteArray& field) const;

    /// A free TCP port on 127.0.0.1, found by binding port 0.
    static quint16 freePort();

private:
    bool makeCertificates();
    bool launch();

    Config m_config;
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace bullpen::test
