// SPDX-License-Identifier: MIT
#pragma once

#include "redisconnection.h" // ConnectionState

#include <QDateTime>
#include <QPointer>
#include "clientpage.h"

#include <memory>

namespace Ui {
class ServerSummaryPage;
}

class QComboBox;

namespace bullpen {

class RedisClient;
class ServerInfo;
class ServerInfoPoller;
class ServerSummaryModel;

/// The server at a glance: version, mode, role, uptime, memory, clients, ops/s and keys per
/// database, from INFO every two seconds. When the connection drops, the last values stay on
/// screen, greyed and marked stale, until fresh ones arrive.
class ServerSummaryPage : public ClientPage
{
    Q_OBJECT
public:
    explicit ServerSummaryPage(QWidget* parent = nullptr);
    ~ServerSummaryPage() override;

    /// Shows `client`'s server from now on (nullptr: nothing). Clears what was shown before.
    void setClient(RedisClient* client) override;
    /// Asks for INFO now (F5), unless a request is already in flight.
    void refreshNow() override;

    ServerSummaryModel* model() const { return m_model; }
    ServerInfoPoller* poller() const { return m_poller; }
    /// On a cluster: "All nodes (sum)" and each master; hidden otherwise.
    QComboBox* nodeSelector() const { return m_node; }
    bool isStale() const;
    QString headline() const;
    QString statusText() const;

Q_SIGNALS:
    /// Fresh values are on screen.
    void updated();

private:
    void onState(ConnectionState state, const QString& reason);
    void onInfo(const ServerInfo& info, const QDateTime& when);
    void onFailed(const QString& message);
    void updateStatus();
    void onNodes(const QStringList& nodes);

    std::unique_ptr<Ui::ServerSummaryPage> m_ui;
    ServerSummaryModel* m_model = nullptr;
    ServerInfoPoller* m_poller = nullptr;
    QComboBox* m_node = nullptr;
    QPointer<RedisClient> m_client;
    ConnectionState m_state = ConnectionState::Disconnected;
    QString m_error; ///< last refresh error while connected
};

} // namespace bullpen
