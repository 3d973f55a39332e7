// SPDX-License-Identifier: MIT
#pragma once

#include <QMainWindow>

#include <memory>

namespace Ui {
class MainWindow;
}
class QInputDialog;

namespace bullpen {

class ClientPage;
class ConnectionBanner;
class RedisClient;
class ServerSummaryPage;
struct ConnectionOptions;

/// The main window: composes the connection banner and the pages, owns the connection.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Parses `url` and connects to it. A URL that cannot be parsed leaves the window
    /// without a connection, shows why in the banner and returns false with `error` set.
    bool connectToUrl(const QString& url, QString* error = nullptr);
    /// Replaces the current connection (if any) by one to `options`.
    void connectTo(const ConnectionOptions& options);

    /// Adds a tab; the page gets the client on every connect (see ClientPage).
    void addPage(ClientPage* page, const QString& title);

    ConnectionBanner* banner() const;
    ServerSummaryPage* summaryPage() const;
    RedisClient* client() const { return m_client; }
    QString url() const { return m_url; }

    /// Opens File › Connect to URL… (non-modal for the event loop; returns at once).
    QInputDialog* showConnectDialog();
    void showAbout();

private:
    void closeConnection();

    std::unique_ptr<Ui::MainWindow> m_ui;
    QList<ClientPage*> m_pages;
    RedisClient* m_client = nullptr;
    QString m_url;
};

} // namespace bullpen
