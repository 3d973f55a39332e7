// SPDX-License-Identifier: MIT
#pragma once

#include "clientpage.h"

#include <QPointer>

class QCheckBox;
class QComboBox;
class QLabel;
class QMessageBox;
class QPushButton;
class QTableView;

namespace bullpen {

class LatencyProbe;
class QueueMetricsChart;
class RedisClient;
class ServerChart;
class ServerSampler;
struct ServerSample;

/// Charts of the server over time: memory, ops/s, clients, latency (own probe connection),
/// network, hit ratio and keys expired/evicted, plus per-command statistics. The sampler and the
/// probe run while connected (3600 samples: an hour of history at the default 1 s, the interval
/// is chosen on the page); the charts only draw from their models.
class ServerChartsPage : public ClientPage
{
    Q_OBJECT
public:
    explicit ServerChartsPage(QWidget* parent = nullptr);
    ~ServerChartsPage() override;

    void setClient(RedisClient* client) override;
    void refreshNow() override;

    ServerSampler* sampler() const { return m_sampler; }
    LatencyProbe* probe() const { return m_probe; }
    QList<ServerChart*> charts() const { return m_charts; }
    /// The "Queue metrics" tab: jobs per minute of queues whose workers record metrics.
    QueueMetricsChart* queueMetrics() const { return m_queueMetrics; }
    /// On a cluster: "All nodes (sum)" and each master; hidden otherwise.
    QComboBox* nodeSelector() const { return m_node; }

    void setRangeSeconds(int seconds);
    /// How often the sampler reads INFO (default 1 s); the choice is kept in QSettings
    /// ("charts/sampleIntervalMs") and read by every new page.
    void setSampleInterval(int ms);
    int sampleInterval() const;
    void setPaused(bool paused);
    /// Writes the visible range of the INFO series to `path`, the latency series next to it
    /// (`<name>-latency.csv`). False with `error` set when a file cannot be written.
    bool exportCsv(const QString& path, QString* error = nullptr) const;
    bool exportPng(const QString& path) const;
    /// Messages of the page's own actions (export, kill) and errors.
    QString statusText() const;
    /// Server settings from the last sample (max memory, eviction policy, latency events).
    QString serverInfoText() const;
    /// Asks before CLIENT KILL ID `id` (read-write connections only; nullptr otherwise). The
    /// kill is sent when the box is accepted.
    QMessageBox* confirmKill(qint64 id, const QString& label);
    bool canKill() const;

Q_SIGNALS:
    void sampled();

protected:
    /// The latency probe (four PINGs a second on its own connection) runs only while the page
    /// is shown; the INFO sampler keeps the memory/ops history while it is hidden.
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void onSample(const ServerSample& sample);
    qint64 rangeStartMs() const;
    /// Starts the probe on the node on view (a cluster's seed for the sum of its masters).
    void startProbe();
    /// Shows the tables' Node column only where rows of several nodes mix.
    void showNodeColumns();

    ServerSampler* m_sampler = nullptr;
    LatencyProbe* m_probe = nullptr;
    QPointer<RedisClient> m_client;
    QList<ServerChart*> m_charts;
    ServerChart* m_latencyChart = nullptr; // one of m_charts
    QWidget* m_chartArea = nullptr;
    QComboBox* m_range = nullptr;
    QComboBox* m_node = nullptr;
    QComboBox* m_interval = nullptr;
    QCheckBox* m_pause = nullptr;
    QLabel* m_info = nullptr; // from each sample
    QLabel* m_status = nullptr; // from actions: a sample must not overwrite their outcome
    QString m_samplerError; // the sampler's failure shown in m_status, cleared by the next sample
    QTableView* m_commands = nullptr;
    QTableView* m_clientsView = nullptr;
    QTableView* m_slowlogView = nullptr;
    QPushButton* m_kill = nullptr;
    QueueMetricsChart* m_queueMetrics = nullptr;
    int m_rangeSeconds = 300;
};

} // namespace bullpen
