// SPDX-License-Identifier: MIT
#include "connectionoptions.h"

#include <QHostAddress>
#include <QUrl>

namespace bullpen {

QString ConnectionOptions::displayAddress() const
{
    if (transport == Transport::Unix)
        return QStringLiteral("unix:") + socketPath;
    const QString h = host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
    return h + QLatin1Char(':') + QString::number(port);
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
        } else {
            *error = at(QStringLiteral("unknown option '%1' (known: db, timeout, connect_timeout, ca, cert, key, "
                                       "sni, insecure)")
                            .arg(key),
                itemPos);
            return false;
        }
    }
    return true;
}

bool checkTlsOptions(const ConnectionOptions& o, const QueryResult& query, QString* error)
{
    if (o.transport == ConnectionOptions::Transport::Tls || query.tlsOptionPos < 0)
        return true;
    *error = at(QStringLiteral("'%1' is a TLS option: it needs a rediss:// URL").arg(query.tlsOption),
        query.tlsOptionPos);
    return false;
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
    if (scheme == QLatin1String("rediss")) {
        o.transport = Transport::Tls;
    } else if (scheme == QLatin1String("unix")) {
        o.transport = Transport::Unix;
    } else if (scheme != QLatin1String("redis")) {
        *error = at(QStringLiteral("unknown scheme '%1'; expected redis, rediss or unix").arg(scheme), lead);
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
    QString hostPort = rest;
    QString path;
    const qsizetype slash = rest.indexOf(QLatin1Char('/'));
    if (slash >= 0) {
        hostPort = rest.left(slash);
        path = rest.mid(slash + 1);
    }
    QString portText;
    qsizetype portColon = -1; // index in hostPort of the ':' before the port
    if (hostPort.startsWith(QLatin1Char('['))) {
        const qsizetype close = hostPort.indexOf(QLatin1Char(']'));
        if (close < 0) {
            *error = at(QStringLiteral("the IPv6 address is missing its closing ']'"), lead + pos);
            return std::nullopt;
        }
        o.host = hostPort.mid(1, close - 1);
        if (o.host.isEmpty()) {
            *error = at(QStringLiteral("the host is missing between '[' and ']'"), lead + pos);
            return std::nullopt;
        }
        if (QHostAddress(o.host).protocol() != QAbstractSocket::IPv6Protocol) {
            *error = at(QStringLiteral("'%1' in brackets is not an IPv6 address").arg(o.host), lead + pos + 1);
            return std::nullopt;
        }
        const QString after = hostPort.mid(close + 1);
        if (!after.isEmpty()) {
            if (!after.startsWith(QLatin1Char(':'))) {
                *error = at(QStringLiteral("unexpected '%1' after the IPv6 address").arg(after), lead + pos + close + 1);
                return std::nullopt;
            }
            portColon = close + 1;
        }
    } else {
        portColon = hostPort.indexOf(QLatin1Char(':'));
        o.host = portColon < 0 ? hostPort : hostPort.left(portColon);
        if (portColon >= 0 && hostPort.indexOf(QLatin1Char(':'), portColon + 1) >= 0) {
            *error = at(QStringLiteral("an IPv6 address must be written in brackets, as in redis://[::1]:6379"),
                lead + pos);
            return std::nullopt;
        }
        if (o.host.isEmpty()) {
            *error = at(QStringLiteral("the host is missing"), lead + pos);
            return std::nullopt;
        }
        for (qsizetype i = 0; i < o.host.size(); ++i) {
            const QChar c = o.host.at(i);
            if (c.isSpace() || c == QLatin1Char('@') || c == QLatin1Char('#') || c == QLatin1Char('[')
                || c == QLatin1Char(']') || c == QLatin1Char('%')) {
                *error = at(QStringLiteral("the host '%1' contains '%2'").arg(o.host, c), lead + pos + i);
                return std::nullopt;
            }
        }
    }
    if (portColon >= 0) {
        portText = hostPort.mid(portColon + 1);
        int port = 0;
        if (!parseNumber(portText, 1, 65535, &port)) {
            const qsizetype portPos = lead + pos + portColon + 1;
            *error = portText.isEmpty()
                ? at(QStringLiteral("the port after ':' is missing"), portPos)
                : at(QStringLiteral("the port must be a number from 1 to 65535, not '%1'").arg(portText), portPos);
            return std::nullopt;
        }
        o.port = quint16(port);
    }
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
