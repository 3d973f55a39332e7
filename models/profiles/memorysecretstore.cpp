// SPDX-License-Identifier: MIT
#include "memorysecretstore.h"

namespace bullpen::connections {

MemorySecretStore::~MemorySecretStore() = default;

void MemorySecretStore::finish(QObject* context, Callback done, SecretResult result)
{
    // Queued, as the real keychain answers later: callers must not rely on a synchronous call.
    QMetaObject::invokeMethod(
        context, [done = std::move(done), result] { done(result); }, Qt::QueuedConnection);
}

void MemorySecretStore::readPassword(const QString& profileId, QObject* context, Callback done)
{
    SecretResult r;
    if (!m_available)
        r = { SecretResult::Error::Unavailable, {}, tr("No keychain is available") };
    else if (!m_secrets.contains(profileId))
        r = { SecretResult::Error::NotFound, {}, tr("No password saved") };
    else
        r.password = m_secrets.value(profileId);
    finish(context, std::move(done), r);
}

void MemorySecretStore::writePassword(
    const QString& profileId, const QString& password, QObject* context, Callback done)
{
    SecretResult r;
    if (!m_available)
        r = { SecretResult::Error::Unavailable, {}, tr("No keychain is available") };
    else
        m_secrets.insert(profileId, password);
    finish(context, std::move(done), r);
}

void MemorySecretStore::removePassword(const QString& profileId, QObject* context, Callback done)
{
    SecretResult r;
    if (!m_available)
        r = { SecretResult::Error::Unavailable, {}, tr("No keychain is available") };
    else if (m_secrets.remove(profileId) == 0)
        r = { SecretResult::Error::NotFound, {}, tr("No password saved") };
    finish(context, std::move(done), r);
}

} // namespace bullpen::connections
