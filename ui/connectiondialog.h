// SPDX-License-Identifier: MIT
#pragma once

#include "profiles/connectionprofile.h"

#include <QDialog>
#include <QPointer>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace bullpen {

class RedisClient;
namespace connections {
    class ProfileStore;
    class SecretStore;
}

/// Creates or edits a connection profile: a URL field and the same settings as fields, kept in
/// step both ways. The topology picks what the fields describe: one server, a master found
/// through Redis Sentinel (sentinel addresses, master name, the sentinels' user and password),
/// or a Redis Cluster (seed nodes); only the chosen one's fields are shown. "Test connection" opens a client, PINGs and shows the latency or the error
/// without blocking. Saving writes the profile to the ProfileStore and the password, only if the
/// user asks, to the SecretStore (the keychain); a password typed into the URL is split off the
/// same way. When no keychain exists the dialog says so and stays open: untick "Save password"
/// and the password is asked for on every connect instead.
class ConnectionDialog : public QDialog
{
    Q_OBJECT
public:
    /// `profile` with an empty id creates a new profile. `secrets` may be null (no keychain).
    ConnectionDialog(connections::ProfileStore* store, connections::SecretStore* secrets,
        const connections::ConnectionProfile& profile, QWidget* parent = nullptr);
    ~ConnectionDialog() override;

    /// The fields as a profile (id of the edited profile; empty for a new one until saved).
    connections::ConnectionProfile profile() const;
    /// The password typed in (in memory only), for connecting right after saving.
    QString password() const;
    /// The sentinels' password typed in (in memory only); saved like the main one.
    QString sentinelPassword() const;
    /// Empty when the fields describe a valid connection, else why not.
    QString validationError() const;
    QString testResult() const;
    QString errorText() const;

    QLineEdit* urlEdit() const { return m_url; }
    QPushButton* testButton() const { return m_test; }

    /// Save (the dialog's OK button): validates, writes the password (if asked), then the profile,
    /// then accepts. Returns at once; on failure the dialog stays open with the reason.
    void save();
    /// Opens a client with the fields and sends PING; the result shows in testResult().
    void testConnection();

Q_SIGNALS:
    /// Saved: the profile (with its id) and the passwords typed in, if any.
    void saved(const bullpen::connections::ConnectionProfile& profile, const QString& password,
        const QString& sentinelPassword);
    void testFinished(bool ok);

private:
    void buildForm();
    void fieldsChanged();
    void urlEdited(const QString& text);
    void setFields(const connections::ConnectionProfile& profile);
    void updateState();
    void showError(const QString& text);
    void finishSave(connections::ConnectionProfile profile);
    void saveSentinelPassword(connections::ConnectionProfile profile);
    void runTest(ConnectionOptions options);

    connections::ProfileStore* m_store = nullptr;
    QPointer<connections::SecretStore> m_secrets;
    connections::ConnectionProfile m_original;
    bool m_syncing = false;
    quint64 m_testGeneration = 0;
    QPointer<RedisClient> m_testClient;

    QLineEdit* m_name = nullptr;
    QLineEdit* m_url = nullptr;
    QComboBox* m_transport = nullptr;
    QComboBox* m_topology = nullptr;
    QFormLayout* m_form = nullptr;
    QWidget* m_hostRow = nullptr;
    QGroupBox* m_sentinelGroup = nullptr;
    QLineEdit* m_sentinels = nullptr;
    QLineEdit* m_sentinelMaster = nullptr;
    QLineEdit* m_sentinelUser = nullptr;
    QLineEdit* m_sentinelPassword = nullptr;
    QGroupBox* m_clusterGroup = nullptr;
    QLineEdit* m_seeds = nullptr;
    QLineEdit* m_host = nullptr;
    QSpinBox* m_port = nullptr;
    QLineEdit* m_socket = nullptr;
    QSpinBox* m_db = nullptr;
    QLineEdit* m_user = nullptr;
    QLineEdit* m_password = nullptr;
    QCheckBox* m_savePassword = nullptr;
    QLineEdit* m_ca = nullptr;
    QLineEdit* m_cert = nullptr;
    QLineEdit* m_key = nullptr;
    QCheckBox* m_insecure = nullptr;
    QCheckBox* m_readOnly = nullptr;
    QCheckBox* m_readFromReplicas = nullptr;
    QCheckBox* m_production = nullptr;
    QComboBox* m_colour = nullptr;
    QPushButton* m_test = nullptr;
    QLabel* m_testResult = nullptr;
    QLabel* m_error = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

} // namespace bullpen
