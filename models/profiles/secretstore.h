// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace bullpen::connections {

/// The outcome of a keychain operation.
struct SecretResult
{
    enum class Error {
        None,
        NotFound, ///< no password saved for this profile
        Unavailable, ///< no keychain (no D-Bus session, no Secret Service, locked): don't save passwords
        AccessDenied, ///< the user or the keychain refused
        Other,
    };
    Error error = Error::None;
    QString password; ///< read results only
    QString message; ///< from the backend, for the user; never contains the password

    bool ok() const { return error == Error::None; }
};

/// Where passwords live: the system keychain, keyed by profile id. Every call returns at once
/// and calls `done` later (never from inside the call) on `context`'s thread, unless `context`
/// died first. No nested event loop.
class SecretStore : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const SecretResult&)>;

    using QObject::QObject;
    ~SecretStore() override;

    virtual void readPassword(const QString& profileId, QObject* context, Callback done) = 0;
    virtual void writePassword(const QString& profileId, const QString& password, QObject* context, Callback done) = 0;
    virtual void removePassword(const QString& profileId, QObject* context, Callback done) = 0;
};

} // namespace bullpen::connections
