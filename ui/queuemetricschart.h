// SPDX-License-Identifier: MIT
#pragma once

#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTimer;

namespace bullpen {

class RedisClient;
class ServerChart;
namespace bullmq {
    class QueueMetricsModel;
}

/// "Queue metrics" on the charts page: the queues whose workers record metrics (BullMQ's and
/// Bull's `metrics: { maxDataPoints }`), and for the chosen one its completed and failed jobs per
/// minute as the library stored them (one point per stored minute). Looks for the queues when first
/// shown, reads one request at a time and again every 30 s while shown; the chart draws from a
/// QueueMetricsModel.
class QueueMetricsChart : public QWidget
{
    Q_OBJECT
public:
    explicit QueueMetricsChart(QWidget* parent = nullptr);
    ~QueueMetricsChart() override;

    void setClient(RedisClient* client);
    /// Looks for queues with metrics again, then reloads the chosen one.
    void refresh();
    /// Minutes read per type (newest first).
    void setPoints(int points);
    int points() const { return m_points; }

    bullmq::QueueMetricsModel* model() const { return m_model; }
    ServerChart* chart() const { return m_chart; }
    QComboBox* queueBox() const { return m_queues; }
    QString statusText() const;

Q_SIGNALS:
    /// The list of queues with metrics was read.
    void queuesListed();
    /// The chosen queue's metrics are in the model.
    void loaded();

protected:
    void showEvent(QShowEvent* event) override;

private:
    void loadCurrent();
    void onLoaded();

    QPointer<RedisClient> m_client;
    bullmq::QueueMetricsModel* m_model = nullptr;
    ServerChart* m_chart = nullptr;
    QComboBox* m_queues = nullptr;
    QComboBox* m_pointsBox = nullptr;
    QPushButton* m_refresh = nullptr;
    QLabel* m_status = nullptr;
    QTimer* m_timer = nullptr;
    quint64 m_listGeneration = 0;
    int m_points = 60;
    bool m_listed = false; // queues with metrics looked for since the client was set
};

} // namespace bullpen
