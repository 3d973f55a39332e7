// SPDX-License-Identifier: MIT
#pragma once

#include <QMetaType>
#include <QString>

#include <optional>

namespace bullpen {

/// Everything needed to open one connection. A plain value, copied into the connection thread.
struct ConnectionOptions {
    enum class Transport { Tcp, Tls, Unix };

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

    bool reconnect = true;
    int reconnectInitialMs = 100;
    int reconnectMaxMs = 10000;

    /// "host:port", "unix:/path" — for messages.
    QString displayAddress() const;

    /// Parses `redis://[user[:password]@]host[:port][/db][?options]`, `rediss://…` (TLS)
    /// and `unix:///path/to/socket[?db=N]`. Options: db, timeout (ms), connect_timeout (ms),
    /// ca, cert, key, sni, insecure (1/true). Returns nothing and sets `error` to a message
    /// that says what is wrong and where when the URL is malformed.
    static std::optional<ConnectionOptions> fromUrl(const QString& url, QString* error);
};

} // namespace bullpen

Q_DECLARE_METATYPE(bullpen::ConnectionOptions)
