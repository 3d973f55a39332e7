// SPDX-License-Identifier: MIT
#pragma once

#include "connectionoptions.h"

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

/// A saved connection: everything but the password. A plain value.
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
    /// Production profiles are read-only unless the user unticks it explicitly.
    bool production = false;
    ColourTag colour = ColourTag::None;
    PasswordStorage passwordStorage = PasswordStorage::None;

    /// Options for a RedisClient; `password` comes from the keychain or the user.
    ConnectionOptions toOptions(const QString& password = {}) const;
    /// The URL of the profile, never with a password (for display and the dialog's URL field).
    QString toUrl() const;
    QString displayAddress() const { return toOptions().displayAddress(); }

    /// A profile from a URL. The password, if the URL has one, goes to `password` (not into the
    /// profile) and passwordStorage becomes Keychain. Nothing and `error` set when malformed.
    static std::optional<ConnectionProfile> fromUrl(const QString& url, QString* password, QString* error);
    /// Copies the connection fields (not name, id, flags) from parsed options.
    void setOptions(const ConnectionOptions& options);
    static QString newId();

    friend bool operator==(const ConnectionProfile&, const ConnectionProfile&) = default;
};

QString colourTagName(ColourTag tag); ///< "red", "" for None: the settings value
ColourTag colourTagFromName(const QString& name);
/// The colour to paint a tag in (sRGB hex, "#rrggbb"), empty for None.
QString colourTagHex(ColourTag tag);

} // namespace bullpen::connections
