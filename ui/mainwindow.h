// SPDX-License-Identifier: MIT
#pragma once

#include "profiles/connectionprofile.h"

#include <QMainWindow>

#include <memory>
#include <optional>

namespace Ui {
class MainWindow;
}
class QInputDialog;
class QMessageBox;

namespace bullpen {

class ClientPage;
class ConnectionBanner;
class ConnectionDialog;
class ConnectionSidebar;
class ConnectionWorkspace;
class RedisClient;
class ServerSummaryPage;
struct ConnectionOptions;
namespace connections {
    class ProfileStore;
    class SecretStore;
}

/// The main window: a sidebar of open connections and, for the selected one, its workspace
/// (banner and pages). Several connections can be open at once. The single-connection API
/// (connectToUrl, banner, summaryPage, client, addPage) acts on the current connection.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Saved profiles and their passwords (not owned; both may be null: nothing is saved then).
    void setProfileStores(connections::ProfileStore* profiles, connections::SecretStore* secrets);
    connections::ProfileStore* profileStore() const { return m_profiles; }

    /// Parses `url` and connects the current connection to it. A URL that cannot be parsed
    /// leaves it without a connection, shows why in the banner and returns false with `error` set.
    bool connectToUrl(const QString& url, QString* error = nullptr);
    /// Replaces the current connection (if any) by one to `options`.
    void connectTo(const ConnectionOptions& options);
    /// Opens `profile` as a new connection (the password from the keychain, or asked for,
    /// unless `password` is given; through Sentinel the same for `sentinelPassword`) and makes it
    /// current.
    void openProfile(const connections::ConnectionProfile& profile, const std::optional<QString>& password = {},
        const std::optional<QString>& sentinelPassword = {});
    /// Closes a connection (the current one by default) and removes it from the sidebar.
    void closeConnection(ConnectionWorkspace* workspace = nullptr);
    /// Deletes a saved profile and its keychain entry after a confirmation (non-modal). Open
    /// connections of it stay open, as unsaved ones. Returns the confirmation box.
    QMessageBox* forgetProfile(const QString& profileId);

    /// Adds a tab to the current connection only (tests, benchmarks). The pages every connection
    /// gets are listed in ConnectionWorkspace::createPages().
    void addPage(ClientPage* page, const QString& title);

    ConnectionWorkspace* currentWorkspace() const;
    QList<ConnectionWorkspace*> workspaces() const;
    ConnectionSidebar* sidebar() const;
    void setCurrentWorkspace(ConnectionWorkspace* workspace);

    ConnectionBanner* banner() const;
    ServerSummaryPage* summaryPage() const;
    RedisClient* client() const;
    QString url() const;

    /// Opens File › Connect to URL… (non-modal for the event loop; returns at once).
    QInputDialog* showConnectDialog();
    /// Opens the connection dialog for a new profile (empty id) or to edit one.
    ConnectionDialog* showConnectionDialog(const connections::ConnectionProfile& profile = {});
    void showAbout();

private:
    ConnectionWorkspace* addWorkspace();
    /// The current workspace if it never connected (reused), else a new one.
    ConnectionWorkspace* freshWorkspace();
    void updateTitle();
    void rebuildProfileMenu();
    /// Asks for the main password, or with `sentinel` for the sentinels' one (`password` is
    /// then the main password, already known), and opens the profile with it.
    void askPassword(const connections::ConnectionProfile& profile, const QString& why, bool sentinel = false,
        const std::optional<QString>& password = {});

    std::unique_ptr<Ui::MainWindow> m_ui;
    ConnectionSidebar* m_sidebar = nullptr;
    connections::ProfileStore* m_profiles = nullptr;
    connections::SecretStore* m_secrets = nullptr;
};

} // namespace bullpen
