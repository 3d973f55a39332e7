// SPDX-License-Identifier: MIT
#include "urlimport.h"

#include "profilestore.h"
#include "secretstore.h"

#include <QPointer>

namespace bullpen::connections {

std::optional<ConnectionProfile> importUrl(ProfileStore* store, SecretStore* secrets, const QString& name,
    const QString& url, QObject* context, std::function<void(const QString& reason)> keychainFailed, QString* error)
{
    QString password;
    QString sentinelPassword;
    auto profile = ConnectionProfile::fromUrl(url, &password, error, &sentinelPassword);
    if (!profile)
        return std::nullopt;
    profile->id = ConnectionProfile::newId();
    profile->name = name;
    if (!password.isEmpty() && !secrets)
        profile->passwordStorage = PasswordStorage::AskOnConnect;
    if (!sentinelPassword.isEmpty() && !secrets)
        profile->sentinelPasswordStorage = PasswordStorage::AskOnConnect;
    if (store->save(*profile, error).isEmpty())
        return std::nullopt;
    // Each password to its own keychain entry; one the keychain refuses is asked for on connect.
    const auto keep = [&](const QString& secretId, const QString& secret, PasswordStorage ConnectionProfile::*storage) {
        QPointer<ProfileStore> guard(store);
        const QString id = profile->id;
        secrets->writePassword(secretId, secret, context, [guard, id, storage, keychainFailed](const SecretResult& r) {
            if (r.ok() || !guard)
                return;
            if (auto p = guard->profile(id)) {
                (*p).*storage = PasswordStorage::AskOnConnect;
                guard->save(*p);
            }
            if (keychainFailed)
                keychainFailed(r.message);
        });
    };
    if (profile->passwordStorage == PasswordStorage::Keychain)
        keep(profile->id, password, &ConnectionProfile::passwordStorage);
    if (profile->sentinelPasswordStorage == PasswordStorage::Keychain)
        keep(sentinelSecretId(profile->id), sentinelPassword, &ConnectionProfile::sentinelPasswordStorage);
    return profile;
}

} // namespace bullpen::connections
