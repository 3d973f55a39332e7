// SPDX-License-Identifier: MIT
#pragma once

#include "connectionoptions.h"

#include <QElapsedTimer>
#include <QObject>

class QTimer;

namespace bullpen {

class LatencyModel;
class RedisClient;

/// Measures round trips on a connection of its own (role "latency"), so the app's own SCANs
/// and pipelines never queue in front of a probe: PING every `interval` (250 ms), one in
/// flight, and per window (default 1 s) the min, median, p99 and max go into a LatencyModel.
/// A PING stuck behind a slow command is measured when it finally returns.
class LatencyProbe : public QObject
{
    Q_OBJECT
public:
    struct Window {
        qint64 endMs = 0;
        double minMs = 0, medianMs = 0, p99Ms = 0, maxMs = 0;
        int samples = 0;
    };

    explicit LatencyProbe(QObject* parent = nullptr);
    ~LatencyProbe() override;

    /// Opens the probe's own connection to `options` (role replaced by "latency", read-only).
    void start(const ConnectionOptions& options);
    void stop();
    bool isActive() const { return m_client != nullptr; }
    /// The probed server as "host:port" (or the socket path), set by start().
    QString target() const { return m_target; }

    void setInterval(int ms) { m_intervalMs = std::max(1, ms); }
    void setWindow(int ms) { m_windowMs = std::max(1, ms); }
    int interval() const { return m_intervalMs; }
    int window() const { return m_windowMs; }

    LatencyModel* model() const { return m_model; }
    qint64 pingsSent() const { return m_pings; }

    /// Min, median, p99 and max of `rttMs` (nearest rank).
    static Window summarize(QList<double> rttMs);

Q_SIGNALS:
    void windowClosed(const bullpen::LatencyProbe::Window& window);
    void failed(const QString& message);

private:
    void ping();
    void closeWindow();

    RedisClient* m_client = nullptr;
    QString m_target;
    QTimer* m_timer = nullptr;
    LatencyModel* m_model = nullptr;
    QElapsedTimer m_clock;
    QElapsedTimer m_windowClock;
    QList<double> m_rtts;
    quint64 m_generation = 0;
    qint64 m_pings = 0;
    int m_intervalMs = 250;
    int m_windowMs = 1000;
    bool m_inFlight = false;
};

} // namespace bullpen

Q_DECLARE_METATYPE(bullpen::LatencyProbe::Window)
