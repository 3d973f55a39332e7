// SPDX-License-Identifier: MIT
#pragma once

#include "profiles/connectionprofile.h"
#include "redisconnection.h" // ConnectionState

#include <QStringList>
#include <QWidget>

class QTabWidget;
class QTimer;

namespace bullpen {

class ClientPage;
class ConnectionBanner;
class RedisClient;
class ServerSummaryPage;
struct ConnectionOptions;

/// One open connection in the main window: its banner and its tabs of pages, all sharing the
/// one client. Every workspace gets the same pages (createPages()); closing deletes the client
/// after every page has let go of it.
class ConnectionWorkspace : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectionWorkspace(QWidget* parent = nullptr);
    ~ConnectionWorkspace() override;

    /// Adds a tab; the page gets the client on every connect (see ClientPage).
    void addPage(ClientPage* page, const QString& title);

    /// Replaces the connection (if any) by one to `options`. `profile` names it (may be empty).
    void connectTo(const ConnectionOptions& options, const connections::ConnectionProfile& profile = {});
    /// Lets every page go of the client, then deletes it. The pages stay.
    void closeConnection();
    /// Shows a failure that is not the connection's (a URL that cannot be parsed, a missing password).
    void showFailure(const QString& message);

    RedisClient* client() const { return m_client; }
    ConnectionBanner* banner() const { return m_banner; }
    QTabWidget* tabs() const { return m_tabs; }
    ServerSummaryPage* summaryPage() const { return m_summary; }
    QList<ClientPage*> pages() const { return m_pages; }
    ClientPage* currentPage() const;

    /// The profile this connection was opened from; an empty id for a URL typed in.
    const connections::ConnectionProfile& profile() const { return m_profile; }
    void setProfile(const connections::ConnectionProfile& profile);
    QString url() const { return m_url; }
    void setUrl(const QString& url) { m_url = url; }
    /// "name" or the address; "Not connected" before the first connect.
    QString title() const;
    QString address() const { return m_address; }
    ConnectionState state() const;
    /// What the connection is made of, one line each, for the sidebar: for a cluster a summary,
    /// then its masters ("host:port · N slots, M ranges") each followed by its replicas, read when the connection
    /// becomes ready and again every 15 s; through Sentinel the master's name and current address
    /// (it changes after a failover). Empty for a standalone server.
    QStringList topology() const { return m_topology; }

Q_SIGNALS:
    /// Title, state, colour or topology changed: the sidebar repaints the entry.
    void changed();

private:
    void createPages();
    void setTopology(const QStringList& lines);
    void readClusterTopology();

    ConnectionBanner* m_banner = nullptr;
    QTabWidget* m_tabs = nullptr;
    ServerSummaryPage* m_summary = nullptr;
    QList<ClientPage*> m_pages;
    RedisClient* m_client = nullptr;
    connections::ConnectionProfile m_profile;
    QString m_url;
    QString m_address;
    QStringList m_topology;
    QTimer* m_topologyTimer = nullptr; ///< re-reads a cluster's slot map; re-armed after each read
    quint64 m_topologyGeneration = 0; ///< a read for a client that is gone is dropped
};

} // namespace bullpen
