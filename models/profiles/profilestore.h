// SPDX-License-Identifier: MIT
#pragma once

#include "connectionprofile.h"

#include <QList>
#include <QObject>

#include <optional>

class QSettings;

namespace bullpen::connections {

/// The saved connection profiles, kept in QSettings (group "connections"). Holds no secret:
/// passwords live in a SecretStore, keyed by the profile id. Without settings the profiles
/// live in memory only (tests, a window without persistence).
class ProfileStore : public QObject
{
    Q_OBJECT
public:
    /// `settings` (may be null) is not owned and must outlive the store.
    explicit ProfileStore(QSettings* settings, QObject* parent = nullptr);
    ~ProfileStore() override;

    QList<ConnectionProfile> profiles() const { return m_profiles; }
    std::optional<ConnectionProfile> profile(const QString& id) const;
    bool isEmpty() const { return m_profiles.isEmpty(); }

    /// Adds or replaces (by id) a profile; an empty id gets a new one. Returns the id, or an
    /// empty string with `error` set when the settings cannot be written.
    QString save(ConnectionProfile profile, QString* error = nullptr);
    bool remove(const QString& id, QString* error = nullptr);

Q_SIGNALS:
    void changed();

private:
    void load();
    bool write(QString* error);

    QSettings* m_settings = nullptr;
    QList<ConnectionProfile> m_profiles;
};

} // namespace bullpen::connections
