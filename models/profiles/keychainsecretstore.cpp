// SPDX-License-Identifier: MIT
#include "keychainsecretstore.h"

#include <QCoreApplication>
#include <QTimer>

#include <qt6keychain/keychain.h>

#include <memory>
#include <utility>

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

    // A keychain that never answers (a locked prompt nobody sees, no glib loop on the main thread)
    // must not leave the caller waiting forever.
    constexpr int kJobTimeoutMs = 15000;

    template <typename Job> Job* startJob(Job* job, const QString& key, QObject* context, SecretStore::Callback done)
    {
        job->setAutoDelete(true);
        job->setKey(key);
        // Exactly one answer: the job's or the timeout's, whichever comes first.
        auto pending = std::make_shared<SecretStore::Callback>(std::move(done));
        QObject::connect(job, &QKeychain::Job::finished, context, [pending](QKeychain::Job* finished) {
            if (!*pending)
                return;
            SecretResult r = resultOf(finished);
            if (r.ok()) {
                if (auto* read = qobject_cast<QKeychain::ReadPasswordJob*>(finished))
                    r.password = read->textData();
            }
            std::exchange(*pending, nullptr)(r);
        });
        QTimer::singleShot(kJobTimeoutMs, context, [pending] {
            if (!*pending)
                return;
            SecretResult r;
            r.error = SecretResult::Error::Unavailable;
            r.message = QCoreApplication::translate(
                "bullpen::connections::KeychainSecretStore", "the system keychain did not answer within %1 s")
                            .arg(kJobTimeoutMs / 1000);
            std::exchange(*pending, nullptr)(r);
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
