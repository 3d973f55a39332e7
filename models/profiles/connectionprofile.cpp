// SPDX-License-Identifier: MIT
#include "connectionprofile.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QUrl>
#include <QUuid>

namespace bullpen::connections {

namespace {

    struct TagInfo
    {
        ColourTag tag;
        const char* name;
        const char* hex;
    };

    constexpr TagInfo kTags[] = {
        { ColourTag::None, "", "" },
        { ColourTag::Red, "red", "#d32f2f" },
        { ColourTag::Orange, "orange", "#ef6c00" },
        { ColourTag::Yellow, "yellow", "#f9a825" },
        { ColourTag::Green, "green", "#2e7d32" },
        { ColourTag::Blue, "blue", "#1565c0" },
        { ColourTag::Purple, "purple", "#6a1b9a" },
    };

    QString encoded(const QString& text, const QByteArray& keep = {})
    {
        return QString::fromLatin1(QUrl::toPercentEncoding(text, keep));
    }

    QString hostText(const QString& host)
    {
        return host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
    }

    QString nodesUrlText(const QList<NodeAddress>& nodes)
    {
        QStringList items;
        for (const NodeAddress& n : nodes)
            items << hostText(n.host) + QLatin1Char(':') + QString::number(n.port);
        return items.join(QLatin1Char(','));
    }

} // namespace

QString NodeAddress::toString() const
{
    return hostText(host) + QLatin1Char(':') + QString::number(port);
}

std::optional<QList<NodeAddress>> parseNodeList(const QString& text, quint16 defaultPort, QString* error)
{
    QList<NodeAddress> nodes;
    const QStringList items = text.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts);
    for (const QString& item : items) {
        NodeAddress node;
        node.port = defaultPort;
        QString portText;
        bool hasPort = false;
        if (item.startsWith(QLatin1Char('['))) {
            const qsizetype close = item.indexOf(QLatin1Char(']'));
            if (close < 0) {
                if (error)
                    *error = QCoreApplication::translate("bullpen::connections", "'%1': the IPv6 address lacks its ']'").arg(item);
                return std::nullopt;
            }
            node.host = item.mid(1, close - 1);
            const QString rest = item.mid(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(QLatin1Char(':'))) {
                    if (error)
                        *error = QCoreApplication::translate("bullpen::connections", "'%1': expected ':port' after ']'").arg(item);
                    return std::nullopt;
                }
                hasPort = true;
                portText = rest.mid(1);
            }
        } else {
            const qsizetype colon = item.indexOf(QLatin1Char(':'));
            if (colon >= 0 && item.indexOf(QLatin1Char(':'), colon + 1) >= 0) {
                if (error)
                    *error = QCoreApplication::translate("bullpen::connections", "'%1': put an IPv6 address in brackets, as in [::1]:%2")
                                 .arg(item)
                                 .arg(defaultPort);
                return std::nullopt;
            }
            node.host = colon < 0 ? item : item.left(colon);
            if (colon >= 0) {
                hasPort = true;
                portText = item.mid(colon + 1);
            }
        }
        if (node.host.isEmpty()) {
            if (error)
                *error = QCoreApplication::translate("bullpen::connections", "'%1': the host is missing").arg(item);
            return std::nullopt;
        }
        if (hasPort) {
            bool ok = false;
            const uint port = portText.toUInt(&ok);
            if (!ok || port == 0 || port > 65535) {
                if (error)
                    *error = QCoreApplication::translate("bullpen::connections", "'%1': the port must be a number from 1 to 65535")
                                 .arg(item);
                return std::nullopt;
            }
            node.port = quint16(port);
        }
        nodes.append(node);
    }
    return nodes;
}

QString nodeListText(const QList<NodeAddress>& nodes)
{
    QStringList items;
    for (const NodeAddress& n : nodes)
        items << n.toString();
    return items.join(QStringLiteral(", "));
}

QString sentinelSecretId(const QString& profileId)
{
    return profileId + QStringLiteral("/sentinel");
}

QString topologyName(Topology topology)
{
    switch (topology) {
    case Topology::Sentinel:
        return QStringLiteral("sentinel");
    case Topology::Cluster:
        return QStringLiteral("cluster");
    case Topology::Standalone:
        break;
    }
    return QStringLiteral("standalone");
}

Topology topologyFromName(const QString& name)
{
    if (name == QLatin1String("sentinel"))
        return Topology::Sentinel;
    if (name == QLatin1String("cluster"))
        return Topology::Cluster;
    return Topology::Standalone;
}

QString colourTagName(ColourTag tag)
{
    for (const TagInfo& t : kTags) {
        if (t.tag == tag)
            return QString::fromLatin1(t.name);
    }
    return {};
}

ColourTag colourTagFromName(const QString& name)
{
    for (const TagInfo& t : kTags) {
        if (name == QLatin1String(t.name))
            return t.tag;
    }
    return ColourTag::None;
}

QString colourTagHex(ColourTag tag)
{
    for (const TagInfo& t : kTags) {
        if (t.tag == tag)
            return QString::fromLatin1(t.hex);
    }
    return {};
}

ConnectionOptions ConnectionProfile::toOptions(const QString& password, const QString& sentinelPassword) const
{
    ConnectionOptions o;
    o.transport = transport;
    o.host = host;
    o.port = port;
    o.socketPath = socketPath;
    o.db = db;
    o.user = user;
    o.password = password;
    if (transport == ConnectionOptions::Transport::Tls) {
        o.caFile = caFile;
        o.certFile = certFile;
        o.keyFile = keyFile;
        o.insecure = insecure;
    }
    o.readOnly = readOnly;
    switch (topology) {
    case Topology::Standalone:
        break;
    case Topology::Sentinel:
        // Sentinels, master and replicas are reached over TCP, or all over TLS with the same files.
        if (o.transport == ConnectionOptions::Transport::Unix)
            o.transport = ConnectionOptions::Transport::Tcp;
        o.readFromReplicas = readFromReplicas;
        for (const NodeAddress& n : sentinels)
            o.sentinels.append({ n.host, n.port });
        o.sentinelMaster = sentinelMaster;
        o.sentinelUser = sentinelUser;
        o.sentinelPassword = sentinelPassword;
        break;
    case Topology::Cluster:
        o.cluster = true;
        o.readFromReplicas = readFromReplicas;
        for (const NodeAddress& n : clusterSeeds)
            o.clusterSeeds.append({ n.host, n.port });
        if (!clusterSeeds.isEmpty()) {
            o.host = clusterSeeds.first().host;
            o.port = clusterSeeds.first().port;
        }
        o.db = 0;
        break;
    }
    return o;
}

void ConnectionProfile::setOptions(const ConnectionOptions& o)
{
    transport = o.transport;
    host = o.host;
    port = o.port;
    socketPath = o.socketPath;
    db = o.db;
    user = o.user;
    caFile = o.caFile;
    certFile = o.certFile;
    keyFile = o.keyFile;
    insecure = o.insecure;
    sentinels.clear();
    clusterSeeds.clear();
    sentinelMaster.clear();
    sentinelUser.clear();
    readFromReplicas = o.readFromReplicas;
    if (o.isSentinel()) {
        topology = Topology::Sentinel;
        for (const ConnectionOptions::SentinelNode& n : o.sentinels)
            sentinels.append({ n.host, n.port });
        sentinelMaster = o.sentinelMaster;
        sentinelUser = o.sentinelUser;
    } else if (o.cluster) {
        topology = Topology::Cluster;
        for (const ConnectionOptions::ClusterSeed& n : o.clusterSeeds)
            clusterSeeds.append({ n.host, n.port });
        if (clusterSeeds.isEmpty())
            clusterSeeds.append({ o.host, o.port });
    } else {
        topology = Topology::Standalone;
    }
}

QString ConnectionProfile::toUrl() const
{
    // A user alone is written "user:@": the parser reads a lone word as a password (redis-cli).
    const QString userinfo = user.isEmpty() ? QString() : encoded(user) + QStringLiteral(":@");
    QStringList query;
    QString url;
    const bool tls = transport == ConnectionOptions::Transport::Tls;
    if (topology == Topology::Sentinel) {
        url = (tls ? QStringLiteral("rediss-sentinel://") : QStringLiteral("redis-sentinel://")) + userinfo
            + nodesUrlText(sentinels) + QLatin1Char('/') + encoded(sentinelMaster);
        if (db != 0)
            url += QLatin1Char('/') + QString::number(db);
        if (!sentinelUser.isEmpty())
            query << QStringLiteral("sentinel_user=") + encoded(sentinelUser);
    } else if (topology == Topology::Cluster) {
        url = (tls ? QStringLiteral("rediss-cluster://") : QStringLiteral("redis-cluster://")) + userinfo
            + nodesUrlText(clusterSeeds);
    } else if (transport == ConnectionOptions::Transport::Unix) {
        url = QStringLiteral("unix://") + userinfo + encoded(socketPath, "/");
        if (db != 0)
            query << QStringLiteral("db=%1").arg(db);
    } else {
        url = (tls ? QStringLiteral("rediss://") : QStringLiteral("redis://")) + userinfo + hostText(host)
            + QLatin1Char(':') + QString::number(port);
        if (db != 0)
            url += QLatin1Char('/') + QString::number(db);
    }
    if (readFromReplicas && topology != Topology::Standalone)
        query << QStringLiteral("read_from_replicas=1");
    if (tls) {
        if (!caFile.isEmpty())
            query << QStringLiteral("ca=") + encoded(caFile, "/");
        if (!certFile.isEmpty())
            query << QStringLiteral("cert=") + encoded(certFile, "/");
        if (!keyFile.isEmpty())
            query << QStringLiteral("key=") + encoded(keyFile, "/");
        if (insecure)
            query << QStringLiteral("insecure=true");
    }
    if (!query.isEmpty())
        url += QLatin1Char('?') + query.join(QLatin1Char('&'));
    return url;
}

std::optional<ConnectionProfile> ConnectionProfile::fromUrl(
    const QString& url, QString* password, QString* error, QString* sentinelPassword)
{
    const auto options = ConnectionOptions::fromUrl(url, error);
    if (!options)
        return std::nullopt;
    ConnectionProfile p;
    p.setOptions(*options);
    p.passwordStorage = options->password.isEmpty() ? PasswordStorage::None : PasswordStorage::Keychain;
    p.sentinelPasswordStorage
        = options->sentinelPassword.isEmpty() ? PasswordStorage::None : PasswordStorage::Keychain;
    if (password)
        *password = options->password;
    if (sentinelPassword)
        *sentinelPassword = options->sentinelPassword;
    return p;
}

QString ConnectionProfile::newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

} // namespace bullpen::connections
