// SPDX-License-Identifier: MIT
#pragma once

#include "secretstore.h"

#include <QHash>

namespace bullpen::connections {

/// An in-memory keychain for unit tests; can pretend that no keychain exists.
class MemorySecretStore : public SecretStore
{
    Q_OBJECT
public:
    using SecretStore::SecretStore;
    ~MemorySecretStore() override;

    void setAvailable(bool available) { m_available = available; }
    QHash<QString, QString> secrets() const { return m_secrets; }

    void readPassword(const QString& profileId, QObject* context, Callback done) override;
    void writePassword(const QString& profileId, const QString& password, QObject* context, Callback done) override;
    void removePassword(const QString& profileId, QObject* context, Callback done) override;

private:
    void finish(QObject* context, Callback done, SecretResult result);

    QHash<QString, QString> m_secrets;
    bool m_available = true;
};

} // namespace bullpen::connections
