// SPDX-License-Identifier: MIT
#pragma once

#include "connectionoptions.h"

#include <QList>
#include <QString>

#include <optional>

namespace bullpen::connections {

/// Colour tag of a profile, shown in the sidebar so production stands out.
enum class ColourTag { None, Red, Orange, Yellow, Green, Blue, Purple };

/// Where the password of a profile lives. Never in the profile itself, never on disk in clear.
enum class PasswordStorage {
    None, ///< the server needs no password
    Keychain, ///< in the system keychain, keyed by the profile id
    AskOnConnect, ///< not saved: asked for on every connect
};

/// What a profile connects to: one server, a master found through Redis Sentinel, or a Redis Cluster.
enum class Topology { Standalone, Sentinel, Cluster };

/// One node address of a sentinel or cluster list.
struct NodeAddress
{
    QString host;
    quint16 port = 0;

    /// "host:port", "[::1]:port" for an IPv6 host.
    QString toString() const;
    friend bool operator==(const NodeAddress&, const NodeAddress&) = default;
};

/// Parses a list of "host[:port]" separated by commas or spaces ("[::1]:26379" for IPv6);
/// `defaultPort` where none is given. Nothing, with `error` set to a message that names the
/// item, when an item is malformed or the port is not 1–65535. An empty text gives an empty list.
std::optional<QList<NodeAddress>> parseNodeList(const QString& text, quint16 defaultPort, QString* error);
/// The list as parseNodeList() reads it: "h1:p1, h2:p2".
QString nodeListText(const QList<NodeAddress>& nodes);

/// The key under which a profile's sentinel password lives in the SecretStore (the main password
/// is keyed by the profile id itself).
QString sentinelSecretId(const QString& profileId);

/// A saved connection: everything but the passwords. A plain value.
struct ConnectionProfile
{
    QString id; ///< stable key in the settings and the keychain (a UUID without braces)
    QString name;

    ConnectionOptions::Transport transport = ConnectionOptions::Transport::Tcp;
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 6379;
    QString socketPath;
    int db = 0;
    QString user;

    QString caFile;
    QString certFile;
    QString keyFile;
    bool insecure = false;

    bool readOnly = false;
    /// Sentinel or cluster: reads may go to replicas (ConnectionOptions::readFromReplicas; through
    /// Sentinel only on a read-only connection).
    bool readFromReplicas = false;
    /// Production profiles are read-only unless the user unticks it explicitly.
    bool production = false;
    ColourTag colour = ColourTag::None;
    PasswordStorage passwordStorage = PasswordStorage::None;

    Topology topology = Topology::Standalone;
    // Sentinel: the sentinels asked (in order) for the address of `sentinelMaster`; host and
    // port are then unused, user/password/db are the master's. TCP only.
    QList<NodeAddress> sentinels;
    QString sentinelMaster;
    QString sentinelUser; ///< for sentinels that require AUTH; empty: none or default user
    /// Where the sentinels' password lives (SecretStore key sentinelSecretId(id)).
    PasswordStorage sentinelPasswordStorage = PasswordStorage::None;
    // Cluster: the seed nodes the slot map is read from, first one first (TCP or TLS, db 0).
    QList<NodeAddress> clusterSeeds;

    /// Options for a RedisClient (a ClusterClient for a cluster); the passwords come from the
    /// keychain or the user.
    ConnectionOptions toOptions(const QString& password = {}, const QString& sentinelPassword = {}) const;
    /// The URL of the profile, never with a password (for display and the dialog's URL field).
    QString toUrl() const;
    QString displayAddress() const { return toOptions().displayAddress(); }

    /// A profile from a URL. The password, if the URL has one, goes to `password` (not into the
    /// profile) and passwordStorage becomes Keychain; the same for a redis-sentinel:// URL's
    /// sentinel_password and `sentinelPassword`. Nothing and `error` set when malformed.
    static std::optional<ConnectionProfile> fromUrl(
        const QString& url, QString* password, QString* error, QString* sentinelPassword = nullptr);
    /// Copies the connection fields (not name, id, flags, passwords) from parsed options,
    /// topology included.
    void setOptions(const ConnectionOptions& options);
    static QString newId();

    friend bool operator==(const ConnectionProfile&, const ConnectionProfile&) = default;
};

QString topologyName(Topology topology); ///< "standalone", "sentinel", "cluster": the settings value
Topology topologyFromName(const QString& name); ///< Standalone for anything unknown or empty
QString colourTagName(ColourTag tag); ///< "red", "" for None: the settings value
ColourTag colourTagFromName(const QString& name);
/// The colour to paint a tag in (sRGB hex, "#rrggbb"), empty for None.
QString colourTagHex(ColourTag tag);

} // namespace bullpen::connections
