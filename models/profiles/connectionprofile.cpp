// SPDX-License-Identifier: MIT
#include "connectionprofile.h"

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

} // namespace

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

ConnectionOptions ConnectionProfile::toOptions(const QString& password) const
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
}

QString ConnectionProfile::toUrl() const
{
    // A user alone is written "user:@": the parser reads a lone word as a password (redis-cli).
    const QString userinfo = user.isEmpty() ? QString() : encoded(user) + QStringLiteral(":@");
    QStringList query;
    QString url;
    if (transport == ConnectionOptions::Transport::Unix) {
        url = QStringLiteral("unix://") + userinfo + encoded(socketPath, "/");
        if (db != 0)
            query << QStringLiteral("db=%1").arg(db);
    } else {
        const QString h = host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
        url = (transport == ConnectionOptions::Transport::Tls ? QStringLiteral("rediss://")
                                                              : QStringLiteral("redis://"))
            + userinfo + h + QLatin1Char(':') + QString::number(port);
        if (db != 0)
            url += QLatin1Char('/') + QString::number(db);
        if (transport == ConnectionOptions::Transport::Tls) {
            if (!caFile.isEmpty())
                query << QStringLiteral("ca=") + encoded(caFile, "/");
            if (!certFile.isEmpty())
                query << QStringLiteral("cert=") + encoded(certFile, "/");
            if (!keyFile.isEmpty())
                query << QStringLiteral("key=") + encoded(keyFile, "/");
            if (insecure)
                query << QStringLiteral("insecure=true");
        }
    }
    if (!query.isEmpty())
        url += QLatin1Char('?') + query.join(QLatin1Char('&'));
    return url;
}

std::optional<ConnectionProfile> ConnectionProfile::fromUrl(const QString& url, QString* password, QString* error)
{
    const auto options = ConnectionOptions::fromUrl(url, error);
    if (!options)
        return std::nullopt;
    if (options->isSentinel()) {
        // A profile has no fields for sentinels (nor a keychain entry for their password) yet.
        if (error)
            *error = QStringLiteral("a Sentinel URL cannot be saved as a profile yet: open it with Connect to URL");
        return std::nullopt;
    }
    ConnectionProfile p;
    p.setOptions(*options);
    p.passwordStorage = options->password.isEmpty() ? PasswordStorage::None : PasswordStorage::Keychain;
    if (password)
        *password = options->password;
    return p;
}

QString ConnectionProfile::newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

} // namespace bullpen::connections
