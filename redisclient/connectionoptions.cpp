// SPDX-License-Identifier: MIT
#include "connectionoptions.h"

#include <QHostAddress>
#include <QUrl>

namespace bullpen {

namespace {

QString hostPort(const QString& host, quint16 port)
{
    const QString h = host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
    return h + QLatin1Char(':') + QString::number(port);
}

} // namespace

QString ConnectionOptions::displayAddress() const
{
    if (transport == Transport::Unix)
        return QStringLiteral("unix:") + socketPath;
    if (isSentinel()) {
        QStringList nodes;
        for (const SentinelNode& n : sentinels)
            nodes << hostPort(n.host, n.port);
        return QStringLiteral("%1 via sentinel %2").arg(sentinelMaster, nodes.join(QLatin1Char(',')));
    }
    if (cluster && clusterSeeds.size() > 1) {
        QStringList nodes;
        for (const ClusterSeed& n : clusterSeeds)
            nodes << hostPort(n.host, n.port);
        return QStringLiteral("cluster %1").arg(nodes.join(QLatin1Char(',')));
    }
    if (cluster)
        return QStringLiteral("cluster %1").arg(hostPort(host, port));
    return hostPort(host, port);
}

namespace {

QString at(const QString& what, qsizetype pos)
{
    return QStringLiteral("%1 (at character %2)").arg(what).arg(pos + 1);
}

// Decimal digits only: QString::toInt would also take " 80", "+80" and "٨٠".
bool parseNumber(QStringView text, int min, int max, int* out)
{
    if (text.isEmpty() || text.size() > 10)
        return false;
    qint64 v = 0;
    for (const QChar c : text) {
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return false;
        v = v * 10 + (c.unicode() - '0');
    }
    if (v < min || v > max)
        return false;
    *out = int(v);
    return true;
}

bool parseBool(const QString& text, bool* out)
{
    const QString t = text.toLower();
    if (t == QLatin1String("1") || t == QLatin1String("true") || t == QLatin1String("yes") || t.isEmpty()) {
        *out = true;
        return true;
    }
    if (t == QLatin1String("0") || t == QLatin1String("false") || t == QLatin1String("no")) {
        *out = false;
        return true;
    }
    return false;
}

QString percentDecoded(const QString& text)
{
    return QUrl::fromPercentEncoding(text.toUtf8());
}

// `user:password`, `:password` (no user) or `password` alone, as redis-cli reads it.
void applyUserInfo(const QString& userinfo, ConnectionOptions* o)
{
    const qsizetype colon = userinfo.indexOf(QLatin1Char(':'));
    if (colon < 0) {
        // redis://secret@host: redis-cli and most Redis tools take a lone word as the password.
        o->password = percentDecoded(userinfo);
        return;
    }
    o->user = percentDecoded(userinfo.left(colon));
    o->password = percentDecoded(userinfo.mid(colon + 1));
}

struct QueryResult {
    qsizetype tlsOptionPos = -1; // the first TLS-only option, for a non-TLS URL's message
    QString tlsOption;
    qsizetype sentinelOptionPos = -1; // the first sentinel-only option, for a plain URL's message
    QString sentinelOption;
    qsizetype replicasOptionPos = -1; // read_from_replicas, for a single server's message
};

// Applies `a=b&c=d`; `offset` is where the query starts in the URL, for messages.
bool applyQuery(const QString& query, qsizetype offset, ConnectionOptions* o, QueryResult* result, QString* error)
{
    qsizetype pos = offset;
    for (const QString& item : query.split(QLatin1Char('&'))) {
        const qsizetype itemPos = pos;
        pos += item.size() + 1;
        const qsizetype eq = item.indexOf(QLatin1Char('='));
        const QString key = (eq < 0 ? item : item.left(eq)).toLower();
        const QString value = eq < 0 ? QString() : percentDecoded(item.mid(eq + 1));
        const qsizetype valuePos = eq < 0 ? itemPos + item.size() : itemPos + eq + 1;
        if (key.isEmpty())
            continue;
        const auto bad = [&](const QString& what) {
            *error = at(QStringLiteral("%1, not '%2'").arg(what, value), valuePos);
            return false;
        };
        if (key == QLatin1String("db")) {
            if (!parseNumber(value, 0, 1 << 20, &o->db))
                return bad(QStringLiteral("db must be a number ≥ 0"));
        } else if (key == QLatin1String("timeout")) {
            if (!parseNumber(value, 1, 3600 * 1000, &o->requestTimeoutMs))
                return bad(QStringLiteral("timeout must be milliseconds from 1 to 3600000"));
        } else if (key == QLatin1String("connect_timeout")) {
            if (!parseNumber(value, 1, 3600 * 1000, &o->connectTimeoutMs))
                return bad(QStringLiteral("connect_timeout must be milliseconds from 1 to 3600000"));
        } else if (key == QLatin1String("ca") || key == QLatin1String("cert") || key == QLatin1String("key")
            || key == QLatin1String("sni") || key == QLatin1String("insecure")) {
            if (result->tlsOptionPos < 0) {
                result->tlsOptionPos = itemPos;
                result->tlsOption = key;
            }
            if (key == QLatin1String("insecure")) {
                if (!parseBool(value, &o->insecure))
                    return bad(QStringLiteral("insecure must be true or false"));
                continue;
            }
            if (value.isEmpty()) {
                *error = at(QStringLiteral("%1 needs a value").arg(key), valuePos);
                return false;
            }
            QString& target = key == QLatin1String("ca") ? o->caFile
                : key == QLatin1String("cert")           ? o->certFile
                : key == QLatin1String("key")            ? o->keyFile
                                                         : o->serverName;
            target = value;
        } else if (key == QLatin1String("sentinel_user") || key == QLatin1String("sentinel_password")
            || key == QLatin1String("sentineluser") || key == QLatin1String("sentinelpassword")) {
            // snake_case like the other options; sentinelPassword as ioredis and others spell it.
            if (result->sentinelOptionPos < 0) {
                result->sentinelOptionPos = itemPos;
                result->sentinelOption = key;
            }
            if (key.endsWith(QLatin1String("user")))
                o->sentinelUser = value;
            else
                o->sentinelPassword = value;
        } else if (key == QLatin1String("read_from_replicas")) {
            result->replicasOptionPos = itemPos;
            if (!parseBool(value, &o->readFromReplicas))
                return bad(QStringLiteral("read_from_replicas must be true or false"));
        } else {
            *error = at(QStringLiteral("unknown option '%1' (known: db, timeout, connect_timeout, ca, cert, key, "
                                       "sni, insecure, sentinel_user, sentinel_password, read_from_replicas)")
                            .arg(key),
                itemPos);
            return false;
        }
    }
    return true;
}

bool checkTlsOptions(const ConnectionOptions& o, const QueryResult& query, QString* error)
{
    if (!o.isSentinel() && query.sentinelOptionPos >= 0) {
        *error = at(QStringLiteral("'%1' is a sentinel option: it needs a redis-sentinel:// URL").arg(query.sentinelOption),
            query.sentinelOptionPos);
        return false;
    }
    if (!o.isSentinel() && !o.cluster && query.replicasOptionPos >= 0) {
        *error = at(QStringLiteral("'read_from_replicas' needs a redis-sentinel:// or redis-cluster:// URL (a single "
                                   "server has no replicas to choose)"),
            query.replicasOptionPos);
        return false;
    }
    if (o.transport == ConnectionOptions::Transport::Tls || query.tlsOptionPos < 0)
        return true;
    *error = at(QStringLiteral("'%1' is a TLS option: it needs a rediss:// URL").arg(query.tlsOption),
        query.tlsOptionPos);
    return false;
}

// `host[:port]` or `[ipv6][:port]`; `base` is where `text` starts in the URL, for messages.
bool parseHostPort(const QString& text, qsizetype base, QString* host, quint16* port, QString* error)
{
    qsizetype portColon = -1; // index in text of the ':' before the port
    if (text.startsWith(QLatin1Char('['))) {
        const qsizetype close = text.indexOf(QLatin1Char(']'));
        if (close < 0) {
            *error = at(QStringLiteral("the IPv6 address is missing its closing ']'"), base);
            return false;
        }
        *host = text.mid(1, close - 1);
        if (host->isEmpty()) {
            *error = at(QStringLiteral("the host is missing between '[' and ']'"), base);
            return false;
        }
        if (QHostAddress(*host).protocol() != QAbstractSocket::IPv6Protocol) {
            *error = at(QStringLiteral("'%1' in brackets is not an IPv6 address").arg(*host), base + 1);
            return false;
        }
        const QString after = text.mid(close + 1);
        if (!after.isEmpty()) {
            if (!after.startsWith(QLatin1Char(':'))) {
                *error = at(QStringLiteral("unexpected '%1' after the IPv6 address").arg(after), base + close + 1);
                return false;
            }
            portColon = close + 1;
        }
    } else {
        portColon = text.indexOf(QLatin1Char(':'));
        *host = portColon < 0 ? text : text.left(portColon);
        if (portColon >= 0 && text.indexOf(QLatin1Char(':'), portColon + 1) >= 0) {
            *error = at(QStringLiteral("an IPv6 address must be written in brackets, as in redis://[::1]:6379"), base);
            return false;
        }
        if (host->isEmpty()) {
            *error = at(QStringLiteral("the host is missing"), base);
            return false;
        }
        for (qsizetype i = 0; i < host->size(); ++i) {
            const QChar c = host->at(i);
            if (c.isSpace() || c == QLatin1Char('@') || c == QLatin1Char('#') || c == QLatin1Char('[')
                || c == QLatin1Char(']') || c == QLatin1Char('%') || c == QLatin1Char(',')) {
                *error = at(QStringLiteral("the host '%1' contains '%2'").arg(*host, c), base + i);
                return false;
            }
        }
    }
    if (portColon >= 0) {
        const QString portText = text.mid(portColon + 1);
        int value = 0;
        if (!parseNumber(portText, 1, 65535, &value)) {
            const qsizetype portPos = base + portColon + 1;
            *error = portText.isEmpty()
                ? at(QStringLiteral("the port after ':' is missing"), portPos)
                : at(QStringLiteral("the port must be a number from 1 to 65535, not '%1'").arg(portText), portPos);
            return false;
        }
        *port = quint16(value);
    }
    return true;
}

} // namespace

std::optional<ConnectionOptions> ConnectionOptions::fromUrl(const QString& url, QString* error)
{
    QString dummy;
    if (!error)
        error = &dummy;
    ConnectionOptions o;
    const QString trimmed = url.trimmed();
    if (trimmed.isEmpty()) {
        *error = QStringLiteral("the URL is empty; expected redis://host:port, rediss://… or unix:///path");
        return std::nullopt;
    }
    // Positions in messages count in `url`, leading spaces included; `pos` values below are
    // indexes in `trimmed`, so messages add `lead`.
    const qsizetype lead = url.indexOf(trimmed.front());
    const qsizetype schemeEnd = trimmed.indexOf(QLatin1String("://"));
    if (schemeEnd <= 0) {
        // Not quoted: without "://" we cannot tell a password from a host name.
        *error = at(QStringLiteral("the URL has no scheme; expected redis://, rediss:// or unix://"), lead);
        return std::nullopt;
    }
    const QString scheme = trimmed.left(schemeEnd).toLower();
    bool sentinel = false;
    if (scheme == QLatin1String("rediss")) {
        o.transport = Transport::Tls;
    } else if (scheme == QLatin1String("redis-cluster")) {
        o.cluster = true;
    } else if (scheme == QLatin1String("rediss-cluster")) {
        o.cluster = true;
        o.transport = Transport::Tls;
    } else if (scheme == QLatin1String("unix")) {
        o.transport = Transport::Unix;
    } else if (scheme == QLatin1String("redis-sentinel")) {
        sentinel = true;
    } else if (scheme == QLatin1String("rediss-sentinel")) {
        sentinel = true;
        o.transport = Transport::Tls;
    } else if (scheme != QLatin1String("redis")) {
        *error = at(
            QStringLiteral("unknown scheme '%1'; expected redis, rediss, unix, redis-sentinel, rediss-sentinel, "
                           "redis-cluster or rediss-cluster")
                .arg(scheme),
            lead);
        return std::nullopt;
    }
    qsizetype pos = schemeEnd + 3;
    QString rest = trimmed.mid(pos);

    // Query first: it may hold characters ('/', '@') that would confuse the parts before it.
    QString query;
    const qsizetype q = rest.indexOf(QLatin1Char('?'));
    if (q >= 0) {
        query = rest.mid(q + 1);
        rest.truncate(q);
    }
    const qsizetype queryOffset = lead + pos + rest.size() + 1;
    QueryResult queryResult;

    if (o.transport == Transport::Unix) {
        // unix://[user[:password]@]/path: the userinfo ends at the last '@' before a '/'.
        if (!rest.startsWith(QLatin1Char('/'))) {
            const qsizetype atSign = rest.lastIndexOf(QLatin1String("@/"));
            if (atSign >= 0) {
                applyUserInfo(rest.left(atSign), &o);
                pos += atSign + 1;
                rest = rest.mid(atSign + 1);
            }
        }
        if (!rest.startsWith(QLatin1Char('/'))) {
            *error = at(QStringLiteral("a Unix socket URL needs an absolute path, as in unix:///run/redis.sock"),
                lead + pos);
            return std::nullopt;
        }
        o.socketPath = percentDecoded(rest);
        const qsizetype length = o.socketPath.toUtf8().size();
        if (length >= 108) {
            *error = at(QStringLiteral("the socket path is %1 bytes long; Unix sockets allow at most 107").arg(length),
                lead + pos);
            return std::nullopt;
        }
        if (!query.isEmpty() && !applyQuery(query, queryOffset, &o, &queryResult, error))
            return std::nullopt;
        if (!checkTlsOptions(o, queryResult, error))
            return std::nullopt;
        return o;
    }

    // [user[:password]@]
    // The last '@': host and database never contain one, a password may.
    const qsizetype atSign = rest.lastIndexOf(QLatin1Char('@'));
    if (atSign >= 0) {
        applyUserInfo(rest.left(atSign), &o);
        pos += atSign + 1;
        rest = rest.mid(atSign + 1);
    }

    // host[:port][/db]; from here on `pos` is where the host starts.
    QString hostPortText = rest;
    QString path;
    const qsizetype slash = rest.indexOf(QLatin1Char('/'));
    if (slash >= 0) {
        hostPortText = rest.left(slash);
        path = rest.mid(slash + 1);
    }
    if (sentinel) {
        // host1[:port1],host2[:port2]/master[/db]
        qsizetype itemPos = lead + pos;
        for (const QString& item : hostPortText.split(QLatin1Char(','))) {
            ConnectionOptions::SentinelNode node;
            if (item.isEmpty()) {
                *error = at(QStringLiteral("a sentinel address is missing (empty item in the comma-separated list)"),
                    itemPos);
                return std::nullopt;
            }
            if (!parseHostPort(item, itemPos, &node.host, &node.port, error))
                return std::nullopt;
            o.sentinels.append(node);
            itemPos += item.size() + 1;
        }
        const qsizetype namePos = lead + pos + (slash < 0 ? rest.size() : slash + 1);
        const qsizetype nameSlash = path.indexOf(QLatin1Char('/'));
        const QString name = nameSlash < 0 ? path : path.left(nameSlash);
        if (name.isEmpty()) {
            *error = at(QStringLiteral("the master name is missing after the sentinels, as in "
                                       "redis-sentinel://host1:26379,host2:26379/mymaster"),
                namePos);
            return std::nullopt;
        }
        o.sentinelMaster = percentDecoded(name);
        const QString db = nameSlash < 0 ? QString() : path.mid(nameSlash + 1);
        if (!db.isEmpty() && !parseNumber(db, 0, 1 << 20, &o.db)) {
            *error = at(QStringLiteral("the database after the master name must be a number ≥ 0, not '%1'").arg(db),
                namePos + nameSlash + 1);
            return std::nullopt;
        }
        o.host.clear();
        o.port = 0;
        if (!query.isEmpty() && !applyQuery(query, queryOffset, &o, &queryResult, error))
            return std::nullopt;
        if (!checkTlsOptions(o, queryResult, error))
            return std::nullopt;
        return o;
    }
    if (o.cluster) {
        // host1[:port1],host2[:port2]: seed nodes; a cluster has database 0 only.
        qsizetype itemPos = lead + pos;
        for (const QString& item : hostPortText.split(QLatin1Char(','))) {
            ConnectionOptions::ClusterSeed node;
            if (item.isEmpty()) {
                *error = at(QStringLiteral("a cluster node address is missing (empty item in the comma-separated list)"),
                    itemPos);
                return std::nullopt;
            }
            if (!parseHostPort(item, itemPos, &node.host, &node.port, error))
                return std::nullopt;
            o.clusterSeeds.append(node);
            itemPos += item.size() + 1;
        }
        if (!path.isEmpty() && path != QLatin1String("0")) {
            *error = at(QStringLiteral("a cluster has database 0 only, not '%1'").arg(path), lead + pos + slash + 1);
            return std::nullopt;
        }
        o.host = o.clusterSeeds.first().host;
        o.port = o.clusterSeeds.first().port;
        if (!query.isEmpty() && !applyQuery(query, queryOffset, &o, &queryResult, error))
            return std::nullopt;
        if (o.db != 0) {
            *error = at(QStringLiteral("a cluster has database 0 only, not %1").arg(o.db), queryOffset);
            return std::nullopt;
        }
        if (!checkTlsOptions(o, queryResult, error))
            return std::nullopt;
        return o;
    }
    if (!parseHostPort(hostPortText, lead + pos, &o.host, &o.port, error))
        return std::nullopt;
    if (!path.isEmpty() && !parseNumber(path, 0, 1 << 20, &o.db)) {
        *error = at(QStringLiteral("the database after '/' must be a number ≥ 0, not '%1'").arg(path),
            lead + pos + slash + 1);
        return std::nullopt;
    }
    if (!query.isEmpty() && !applyQuery(query, queryOffset, &o, &queryResult, error))
        return std::nullopt;
    if (!checkTlsOptions(o, queryResult, error))
        return std::nullopt;
    return o;
}

} // namespace bullpen
