// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace bullpen {

/// Everything needed to open one connection. A plain value, copied into the connection thread.
struct ConnectionOptions {
    enum class Transport { Tcp, Tls, Unix };

    /// One Redis Sentinel to ask for the master's address.
    struct SentinelNode {
        QString host;
        quint16 port = 26379;
    };

    Transport transport = Transport::Tcp;
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 6379;
    QString socketPath; ///< Unix transport
    int db = 0;
    QString user; ///< ACL user; empty means the default user
    QString password; ///< never logged

    // TLS
    QString caFile; ///< PEM bundle; empty means the system CAs
    QString certFile; ///< client certificate (PEM)
    QString keyFile; ///< client key (PEM, unencrypted)
    QString serverName; ///< SNI and verification name; empty means host
    bool insecure = false; ///< skip certificate verification: only when the user asks

    int connectTimeoutMs = 5000;
    int requestTimeoutMs = 10000;
    bool readOnly = false;
    QString role = QStringLiteral("main"); ///< CLIENT SETNAME bullpen:<role>

    // Sentinel: when `sentinels` is not empty, the connection asks them (in order) for the address
    // of `sentinelMaster` before every attempt, connects there, checks with ROLE that it is the
    // master, and follows failovers. `host`/`port` are then ignored; user, password and db apply
    // to the master, sentinelUser/sentinelPassword to the sentinels. With Transport::Tls the
    // sentinels, the master and the replicas are all reached over TLS with the same settings
    // (CA, client certificate, SNI, insecure).
    QList<SentinelNode> sentinels;
    QString sentinelMaster;
    QString sentinelUser;
    QString sentinelPassword; ///< never logged
    bool isSentinel() const { return !sentinels.isEmpty(); }

    /// Let replicas serve reads. Sentinel: a read-only connection (`readOnly`) asks the sentinels
    /// for the replicas of the master (SENTINEL REPLICAS), connects to a healthy one (not down,
    /// link to the master ok), checks with ROLE that it is a connected replica of that master,
    /// and falls back to the master when there is none; a read-write connection always goes to
    /// the master. Cluster: a connection per replica too (READONLY in its handshake); commands
    /// known to be read-only (CommandPolicy) that have a key go to a replica of the key's slot,
    /// everything else to the master, and to the master as well while no replica of the slot is
    /// connected. No effect on a single server.
    bool readFromReplicas = false;
    /// Internal (set by ClusterClient on a replica's connection): send READONLY in every handshake.
    bool clusterReplica = false;

    // Redis Cluster: `host`/`port` is the seed node that the slot map is read from first; the
    // other seeds are asked when it cannot be reached. A ClusterClient handles such options
    // (a plain RedisClient would only talk to the seed).
    struct ClusterSeed {
        QString host;
        quint16 port = 6379;
    };
    bool cluster = false;
    QList<ClusterSeed> clusterSeeds; ///< every seed of a redis-cluster:// URL, the first = host/port

    bool reconnect = true;
    int reconnectInitialMs = 100;
    int reconnectMaxMs = 10000;

    /// "host:port", "unix:/path", "mymaster via sentinel h1:26379,h2:26379" — for messages.
    QString displayAddress() const;

    /// Parses `redis://[user[:password]@]host[:port][/db][?options]`, `rediss://…` (TLS)
    /// and `unix://[user[:password]@]/path/to/socket[?db=N]`. Options: db, timeout (ms),
    /// connect_timeout (ms), and for rediss:// only ca, cert, key, sni, insecure (1/true).
    /// Sentinel: `redis-sentinel://[user[:password]@]host1[:port1][,host2[:port2]…]/master[/db][?options]`
    /// (sentinel port 26379 by default; user and password are the master's) with the extra
    /// options sentinel_user and sentinel_password (for sentinels that require AUTH);
    /// `rediss-sentinel://` reaches sentinels, master and replicas over TLS (TLS options as for
    /// rediss://).
    /// Cluster: `redis-cluster://[user[:password]@]host1[:port1][,host2[:port2]…][?options]`
    /// (`rediss-cluster://` with TLS): seed nodes, port 6379 by default, database 0 only.
    /// Sentinel and cluster URLs also take read_from_replicas (1/true, see readFromReplicas).
    /// As in redis-cli, `:secret@` and `secret@` both mean a password with the default user.
    /// User, password and option values may be percent-encoded (`%40` for '@', `%2F` for '/');
    /// an IPv6 host goes in brackets. Returns nothing and sets `error` (may be null) to a
    /// message that says what is wrong and where, "(at character N)" counting from 1, when the
    /// URL is malformed.
    static std::optional<ConnectionOptions> fromUrl(const QString& url, QString* error);
};

} // namespace bullpen

Q_DECLARE_METATYPE(bullpen::ConnectionOptions)
