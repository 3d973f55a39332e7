// SPDX-License-Identifier: MIT
#include "keychainsecretstore.h"

#include <qt6keychain/keychain.h>

namespace bullpen::connections {

namespace {

    SecretResult resultOf(const QKeychain::Job* job)
    {
        SecretResult r;
        switch (job->error()) {
        case QKeychain::NoError:
            return r;
        case QKeychain::EntryNotFound:
            r.error = SecretResult::Error::NotFound;
            break;
        case QKeychain::AccessDeniedByUser:
        case QKeychain::AccessDenied:
            r.error = SecretResult::Error::AccessDenied;
            break;
        case QKeychain::NoBackendAvailable:
        case QKeychain::NotImplemented:
        case QKeychain::OtherError:
            // 0.13.2 on Linux: no D-Bus session or no Secret Service gives OtherError at once.
            r.error = SecretResult::Error::Unavailable;
            break;
        case QKeychain::CouldNotDeleteEntry:
            r.error = SecretResult::Error::Other;
            break;
        }
        r.message = job->errorString();
        return r;
    }

    template <typename Job> Job* startJob(Job* job, const QString& key, QObject* context, SecretStore::Callback done)
    {
        job->setAutoDelete(true);
        job->setKey(key);
        QObject::connect(job, &QKeychain::Job::finished, context, [done = std::move(done)](QKeychain::Job* finished) {
            SecretResult r = resultOf(finished);
            if (r.ok()) {
                if (auto* read = qobject_cast<QKeychain::ReadPasswordJob*>(finished))
                    r.password = read->textData();
            }
            done(r);
        });
        return job;
    }

} // namespace

KeychainSecretStore::KeychainSecretStore(const QString& service, QObject* parent)
    : SecretStore(parent)
    , m_service(service)
{
}

KeychainSecretStore::~KeychainSecretStore() = default;

void KeychainSecretStore::readPassword(const QString& profileId, QObject* context, Callback done)
{
    startJob(new QKeychain::ReadPasswordJob(m_service, this), profileId, context, std::move(done))->start();
}

void KeychainSecretStore::writePassword(
    const QString& profileId, const QString& password, QObject* context, Callback done)
{
    auto* job = startJob(new QKeychain::WritePasswordJob(m_service, this), profileId, context, std::move(done));
    job->setTextData(password);
    job->start();
}

void KeychainSecretStore::removePassword(const QString& profileId, QObject* context, Callback done)
{
    startJob(new QKeychain::DeletePasswordJob(m_service, this), profileId, context, std::move(done))->start();
}

} // namespace bullpen::connections
