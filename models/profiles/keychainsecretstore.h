// SPDX-License-Identifier: MIT
#pragma once

#include "secretstore.h"

namespace bullpen::connections {

/// The system keychain through QtKeychain (Secret Service on Linux). QtKeychain 0.13 has no
/// isAvailable(): a missing backend shows as an error of the first job (Unavailable).
class KeychainSecretStore : public SecretStore
{
    Q_OBJECT
public:
    /// `service` names our entries in the keychain ("Bullpen"; tests use their own).
    explicit KeychainSecretStore(const QString& service, QObject* parent = nullptr);
    ~KeychainSecretStore() override;

    void readPassword(const QString& profileId, QObject* context, Callback done) override;
    void writePassword(const QString& profileId, const QString& password, QObject* context, Callback done) override;
    void removePassword(const QString& profileId, QObject* context, Callback done) override;

private:
    QString m_service;
};

} // namespace bullpen::connections
