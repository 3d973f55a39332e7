// SPDX-License-Identifier: MIT
#pragma once

#include "clusterclient.h"
#include "redisclient.h"
#include "serversample.h"

#include <QObject>
#include <QHash>
#include <QPointer>
#include <QStringList>

#include <optional>

class QTimer;

namespace bullpen {

class ClientListModel;
class CommandStatsModel;
class ServerMetricsModel;
class SlowlogModel;

/// Samples INFO (and LATENCY LATEST) on one client into a ServerMetricsModel and a
/// CommandStatsModel. One request in flight: the next is scheduled `interval` after the
/// previous one was sent, and never before its reply (or error) arrived.
///
/// On a ClusterClient every sample asks every master (one pipeline each, at the same moment)
/// and the models show one view: the masters summed (ServerInfo::sum(), the default) or one
/// master (setNode()). Each view keeps its own series, so switching shows that view's history.
class ServerSampler : public QObject
{
    Q_OBJECT
public:
    struct LatencyEvent {
        QByteArray name;
        qint64 timeSeconds = 0;
        qint64 latestMs = 0;
        qint64 maxMs = 0;
    };

    explicit ServerSampler(QObject* parent = nullptr);
    ~ServerSampler() override;

    /// Samples `client` from now on (nullptr: stop). Clears the series of the previous client.
    void setClient(RedisClient* client);
    void setInterval(int ms);
    int interval() const { return m_intervalMs; }
    void start();
    void stop();
    bool isActive() const { return m_active; }

    ServerMetricsModel* metrics() const { return m_metrics; }
    CommandStatsModel* commandStats() const { return m_commands; }
    SlowlogModel* slowlog() const { return m_slowlog; }
    ClientListModel* clients() const { return m_clients; }
    /// SLOWLOG GET and CLIENT LIST go along with every Nth sample (default 5).
    void setTablesEvery(int samples) { m_tablesEvery = std::max(1, samples); }
    const std::optional<ServerSample>& last() const { return m_last; }
    const QList<LatencyEvent>& latencyEvents() const { return m_latency; }
    /// Requests sent so far (each is one INFO plus one LATENCY LATEST, pipelined).
    qint64 requestsSent() const { return m_requests; }

    /// On a cluster: the masters ("host:port", sorted) of the last sample; empty otherwise.
    QStringList nodes() const { return m_nodes; }
    /// The view on a cluster: empty for the sum of every master, or one master's "host:port".
    QString node() const { return m_node; }
    void setNode(const QString& node);
    /// On a cluster: each master's figures of the last sample, by "host:port".
    const QHash<QString, ServerSample>& nodeSamples() const { return m_nodeLast; }

Q_SIGNALS:
    void sampled(const bullpen::ServerSample& sample);
    void failed(const QString& message);
    /// The masters of a cluster changed (the first sample, a resharding, another client).
    void nodesChanged(const QStringList& nodes);

private:
    void poll();
    void onReplies(quint64 generation, const QList<Reply>& replies);
    void onClusterReplies(quint64 generation, const QList<ClusterClient::NodePipeline>& nodes);
    void publish(const ServerSample& sample, const QList<Reply>& replies);
    void schedule();

    QPointer<RedisClient> m_client;
    QTimer* m_timer = nullptr;
    ServerMetricsModel* m_metrics = nullptr;
    CommandStatsModel* m_commands = nullptr;
    SlowlogModel* m_slowlog = nullptr;
    ClientListModel* m_clients = nullptr;
    int m_tablesEvery = 5;
    int m_sentCommands = 2; // commands in the pipeline in flight
    int m_ownCommands = 2; // commands of the previous pipeline: counted in the next INFO
    std::optional<ServerSample> m_last;
    QList<LatencyEvent> m_latency;
    quint64 m_generation = 0;
    qint64 m_sentAtMs = 0;
    qint64 m_requests = 0;
    int m_intervalMs = 1000;
    bool m_active = false;
    bool m_inFlight = false;
    bool m_tablesSoon = false;
    QStringList m_nodes;
    QString m_node;
    QHash<QString, ServerSample> m_nodeLast; ///< per master; "" for the sum
    QHash<QString, ServerMetricsModel*> m_history; ///< each view's series; "" for the sum
};

} // namespace bullpen
