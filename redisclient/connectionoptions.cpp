// SPDX-License-Identifier: MIT
#include "connectionoptions.h"

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

bool parseInt(const QString& text, int min, int max, int* out)
{
    bool ok = false;
    const int v = text.toInt(&ok);
    if (!ok || v < min || v > max)
        return false;
    *out = v;
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

// Applies `?a=b&c=d`; `offset` is where the query starts in the URL, for messages.
bool applyQuery(const QString& query, qsizetype offset, ConnectionOptions* o, QString* error)
{
    qsizetype pos = offset;
    for (const QString& item : query.split(QLatin1Char('&'))) {
        const qsizetype eq = item.indexOf(QLatin1Char('='));
        const QString key = (eq < 0 ? item : item.left(eq)).toLower();
        const QString value = QUrl::fromPercentEncoding(eq < 0 ? QByteArray() : item.mid(eq + 1).toUtf8());
        if (key.isEmpty()) {
            pos += item.size() + 1;
            continue;
        }
        if (key == QLatin1String("db")) {
            if (!parseInt(value, 0, 1 << 20, &o->db)) {
                *error = at(QStringLiteral("db must be a number ≥ 0, not '%1'").arg(value), pos);
                return false;
            }
        } else if (key == QLatin1String("timeout")) {
            if (!parseInt(value, 1, 3600 * 1000, &o->requestTimeoutMs)) {
                *error = at(QStringLiteral("timeout must be milliseconds ≥ 1, not '%1'").arg(value), pos);
                return false;
            }
        } else if (key == QLatin1String("connect_timeout")) {
            if (!parseInt(value, 1, 3600 * 1000, &o->connectTimeoutMs)) {
                *error = at(QStringLiteral("connect_timeout must be milliseconds ≥ 1, not '%1'").arg(value), pos);
                return false;
            }
        } else if (key == QLatin1String("ca")) {
            o->caFile = value;
        } else if (key == QLatin1String("cert")) {
            o->certFile = value;
        } else if (key == QLatin1String("key")) {
            o->keyFile = value;
        } else if (key == QLatin1String("sni")) {
            o->serverName = value;
        } else if (key == QLatin1String("insecure")) {
            if (!parseBool(value, &o->insecure)) {
                *error = at(QStringLiteral("insecure must be true or false, not '%1'").arg(value), pos);
                return false;
            }
        } else {
            *error = at(QStringLiteral("unknown option '%1' (known: db, timeout, connect_timeout, ca, cert, key, "
                                       "sni, insecure)")
                            .arg(key),
                pos);
            return false;
        }
        pos += item.size() + 1;
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
    const qsizetype lead = url.indexOf(trimmed.isEmpty() ? QString() : trimmed.left(1));
    if (trimmed.isEmpty()) {
        *error = QStringLiteral("the URL is empty; expected redis://host:port, rediss://… or unix:///path");
        return std::nullopt;
    }
    const qsizetype schemeEnd = trimmed.indexOf(QLatin1String("://"));
    if (schemeEnd <= 0) {
        *error = QStringLiteral("'%1' has no scheme; expected redis://, rediss:// or unix://").arg(trimmed);
        return std::nullopt;
    }
    const QString scheme = trimmed.left(schemeEnd).toLower();
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

    if (scheme == QLatin1String("unix")) {
        o.transport = Transport::Unix;
        if (!rest.startsWith(QLatin1Char('/'))) {
            *error = at(QStringLiteral("a Unix socket URL needs an absolute path, as in unix:///run/redis.sock"),
                lead + pos);
            return std::nullopt;
        }
        o.socketPath = QUrl::fromPercentEncoding(rest.toUtf8());
        if (o.socketPath.toUtf8().size() >= 108) {
            *error = QStringLiteral("the socket path is %1 bytes long; Unix sockets allow at most 107")
                         .arg(o.socketPath.toUtf8().size());
            return std::nullopt;
        }
        if (!query.isEmpty() && !applyQuery(query, queryOffset, &o, error))
            return std::nullopt;
        return o;
    }
    if (scheme == QLatin1String("rediss")) {
        o.transport = Transport::Tls;
    } else if (scheme != QLatin1String("redis")) {
        *error = at(QStringLiteral("unknown scheme '%1'; expected redis, rediss or unix").arg(scheme), lead);
        return std::nullopt;
    }

    // [user[:password]@]
    // The last '@': host and database never contain one, a password may.
    const qsizetype atSign = rest.lastIndexOf(QLatin1Char('@'));
    if (atSign >= 0) {
        const QString userinfo = rest.left(atSign);
        const qsizetype colon = userinfo.indexOf(QLatin1Char(':'));
        o.user = QUrl::fromPercentEncoding((colon < 0 ? userinfo : userinfo.left(colon)).toUtf8());
        if (colon >= 0)
            o.password = QUrl::fromPercentEncoding(userinfo.mid(colon + 1).toUtf8());
        else {
            // redis://secret@host is how many tools spell a password without a user.
            o.password = o.user;
            o.user.clear();
        }
        pos += atSign + 1;
        rest = rest.mid(atSign + 1);
    }

    // host[:port][/db]
    QString hostPort = rest;
    QString path;
    const qsizetype slash = rest.indexOf(QLatin1Char('/'));
    if (slash >= 0) {
        hostPort = rest.left(slash);
        path = rest.mid(slash + 1);
    }
    QString portText;
    if (hostPort.startsWith(QLatin1Char('['))) {
        const qsizetype close = hostPort.indexOf(QLatin1Char(']'));
        if (close < 0) {
            *error = at(QStringLiteral("IPv6 address is missing its closing ']'"), lead + pos);
            return std::nullopt;
        }
        o.host = hostPort.mid(1, close - 1);
        const QString after = hostPort.mid(close + 1);
        if (!after.isEmpty()) {
            if (!after.startsWith(QLatin1Char(':'))) {
                *error = at(QStringLiteral("unexpected '%1' after the IPv6 address").arg(after), lead + pos + close + 1);
                return std::nullopt;
            }
            portText = after.mid(1);
        }
    } else {
        const qsizetype colon = hostPort.lastIndexOf(QLatin1Char(':'));
        if (colon >= 0) {
            o.host = hostPort.left(colon);
            portText = hostPort.mid(colon + 1);
            if (o.host.contains(QLatin1Char(':'))) {
                *error = at(QStringLiteral("an IPv6 address must be written in brackets, as in redis://[::1]:6379"),
                    lead + pos);
                return std::nullopt;
            }
        } else {
            o.host = hostPort;
        }
    }
    if (o.host.isEmpty()) {
        *error = at(QStringLiteral("the host is missing"), lead + pos);
        return std::nullopt;
    }
    for (const QChar c : std::as_const(o.host)) {
        if (c.isSpace() || c == QLatin1Char('@') || c == QLatin1Char('#')) {
            *error = at(QStringLiteral("the host '%1' contains '%2'").arg(o.host, c), lead + pos);
            return std::nullopt;
        }
    }
    if (hostPort.contains(QLatin1Char(':')) || !portText.isEmpty()) {
        int port = 0;
        if (!parseInt(portText, 1, 65535, &port)) {
            const qsizetype portPos = lead + pos + hostPort.lastIndexOf(QLatin1Char(':')) + 1;
            *error = at(portText.isEmpty() ? QStringLiteral("the port after ':' is missing")
                                           : QStringLiteral("the port must be a number from 1 to 65535, not '%1'").arg(portText),
                portPos);
            return std::nullopt;
        }
        o.port = quint16(port);
    }
    if (!path.isEmpty() && !parseInt(path, 0, 1 << 20, &o.db)) {
        *error = at(QStringLiteral("the database after '/' must be a number ≥ 0, not '%1'").arg(path),
            lead + pos + slash + 1);
        return std::nullopt;
    }
    if (!query.isEmpty() && !applyQuery(query, queryOffset, &o, error))
        return std::nullopt;
    if (o.transport != Transport::Tls && (o.insecure || !o.caFile.isEmpty() || !o.certFile.isEmpty())) {
        *error = QStringLiteral("TLS options (ca, cert, insecure) need a rediss:// URL");
        return std::nullopt;
    }
    return o;
}

} // namespace bullpen
