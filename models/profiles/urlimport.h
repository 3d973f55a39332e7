// SPDX-License-Identifier: MIT
#pragma once

#include "connectionprofile.h"

#include <functional>
#include <optional>

class QObject;

namespace bullpen::connections {

class ProfileStore;
class SecretStore;

/// Saves `url` as a new profile named `name` (first start: $REDIS_URL); redis-sentinel:// and
/// redis-cluster:// URLs give sentinel and cluster profiles. The URL is split: its password (and
/// a sentinel_password, under sentinelSecretId()) goes to `secrets` (may be null), the rest to
/// `store`. Returns the saved profile, or
/// nothing with `error` set when the URL is malformed or cannot be saved. When the keychain
/// cannot take a password, the profile is saved again with it "ask on connect" and `keychainFailed`
/// (called on `context`'s thread) gets the reason.
std::optional<ConnectionProfile> importUrl(ProfileStore* store, SecretStore* secrets, const QString& name,
    const QString& url, QObject* context, std::function<void(const QString& reason)> keychainFailed, QString* error);

} // namespace bullpen::connections
