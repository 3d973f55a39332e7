// SPDX-License-Identifier: MIT
#pragma once

#include "clusterclient.h"
#include "redisclient.h"
#include "serverinfo.h"

#include <QDateTime>
#include <QObject>
#include <QHash>
#include <QPointer>
#include <QStringList>

class QTimer;

namespace bullpen {

/// Polls INFO on one client: at most one request in flight, the next one scheduled only
/// after the previous reply (or error) arrived, replies of a previous client dropped.
/// On a ClusterClient it asks every master and reports the sum of their INFO
/// (ServerInfo::sum(), the default) or one master's (setNode()).
class ServerInfoPoller : public QObject
{
    Q_OBJECT
public:
    explicit ServerInfoPoller(QObject* parent = nullptr);
    ~ServerInfoPoller() override;

    /// Polls `client` from now on (nullptr: stop). A reply still pending for the previous
    /// client is ignored when it arrives.
    void setClient(RedisClient* client);
    RedisClient* client() const { return m_client; }

    /// Pause between a reply and the next request (default 2000 ms).
    void setInterval(int ms);
    int interval() const { return m_intervalMs; }

    /// Starts polling (first request at once).
    void start();
    void stop();
    bool isActive() const { return m_active; }

    /// Asks now, unless a request is already in flight (its reply is just as fresh).
    void refreshNow();
    /// True while a request is in flight.
    bool isBusy() const { return m_inFlight; }

    /// On a cluster: the masters ("host:port", sorted) of the last reply; empty otherwise.
    QStringList nodes() const { return m_nodes; }
    /// On a cluster: "" for the sum of every master (the default), or one master's "host:port".
    /// Reports that view's last INFO at once when there is one.
    QString node() const { return m_node; }
    void setNode(const QString& node);

Q_SIGNALS:
    void infoReceived(const bullpen::ServerInfo& info, const QDateTime& when);
    void failed(const QString& message);
    void busyChanged(bool busy);
    /// The masters of a cluster changed.
    void nodesChanged(const QStringList& nodes);

private:
    void poll();
    void onReply(quint64 generation, const Reply& reply);
    void onClusterReply(quint64 generation, const QList<ClusterClient::NodeReply>& replies);
    void setBusy(bool busy);

    QPointer<RedisClient> m_client;
    QTimer* m_timer = nullptr;
    quint64 m_generation = 0;
    int m_intervalMs = 2000;
    bool m_active = false;
    bool m_inFlight = false;
    QStringList m_nodes;
    QString m_node;
    QHash<QString, ServerInfo> m_nodeInfo; ///< the last reply per master; "" for the sum
    QDateTime m_nodeInfoAt;
};

} // namespace bullpen
