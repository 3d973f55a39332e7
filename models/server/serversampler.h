// SPDX-License-Identifier: MIT
#pragma once

#include "redisclient.h"
#include "serversample.h"

#include <QObject>
#include <QPointer>

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

Q_SIGNALS:
    void sampled(const bullpen::ServerSample& sample);
    void failed(const QString& message);

private:
    void poll();
    void onReplies(quint64 generation, const QList<Reply>& replies);
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
};

} // namespace bullpen
