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
    auto profile = ConnectionProfile::fromUrl(url, &password, error);
    if (!profile)
        return std::nullopt;
    profile->id = ConnectionProfile::newId();
    profile->name = name;
    if (!password.isEmpty() && !secrets)
        profile->passwordStorage = PasswordStorage::AskOnConnect;
    if (store->save(*profile, error).isEmpty())
        return std::nullopt;
    if (profile->passwordStorage == PasswordStorage::Keychain) {
        QPointer<ProfileStore> guard(store);
        const QString id = profile->id;
        secrets->writePassword(id, password, context, [guard, id, keychainFailed](const SecretResult& r) {
            if (r.ok() || !guard)
                return;
            if (auto p = guard->profile(id)) {
                p->passwordStorage = PasswordStorage::AskOnConnect;
                guard->save(*p);
            }
            if (keychainFailed)
                keychainFailed(r.message);
        });
    }
    return profile;
}

} // namespace bullpen::connections
