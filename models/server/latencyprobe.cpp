// SPDX-License-Identifier: MIT
#include "latencyprobe.h"

#include "redisclient.h"
#include "servermetricsmodel.h"
#include "bullmq/futurewatch.h"

#include <QDateTime>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace bullpen {

LatencyProbe::LatencyProbe(QObject* parent)
    : QObject(parent)
    , m_timer(new QTimer(this))
    , m_model(new LatencyModel(3600, this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &LatencyProbe::ping);
}

LatencyProbe::~LatencyProbe()
{
    stop();
}

void LatencyProbe::start(const ConnectionOptions& options)
{
    stop();
    ConnectionOptions o = options;
    o.role = QStringLiteral("latency");
    o.readOnly = true;
    // A probe that waits 10 s for a PING is still a figure worth having; fail only much later.
    o.requestTimeoutMs = std::max(o.requestTimeoutMs, 30000);
    m_client = new RedisClient(o, this);
    m_target = o.displayAddress();
    m_client->open();
    m_model->clear();
    m_rtts.clear();
    m_windowClock.start();
    ping();
}

void LatencyProbe::stop()
{
    ++m_generation;
    m_timer->stop();
    m_inFlight = false;
    delete m_client; // bounded: the connection thread only closes a socket
    m_client = nullptr;
}

void LatencyProbe::ping()
{
    if (!m_client || m_inFlight)
        return;
    m_inFlight = true;
    ++m_pings;
    const quint64 gen = m_generation;
    m_clock.start();
    bullmq::whenReady(this, m_client->command({ "PING" }), [this, gen](const Reply& reply) {
        if (gen != m_generation)
            return;
        m_inFlight = false;
        const double rtt = double(m_clock.nsecsElapsed()) / 1e6;
        if (reply.isError())
            Q_EMIT failed(reply.errorMessage());
        else
            m_rtts.append(rtt);
        if (m_windowClock.elapsed() >= m_windowMs)
            closeWindow();
        m_timer->start(int(std::max<qint64>(0, m_intervalMs - qint64(rtt))));
    });
}

LatencyProbe::Window LatencyProbe::summarize(QList<double> rtt)
{
    Window w;
    w.samples = int(rtt.size());
    if (rtt.isEmpty())
        return w;
    std::sort(rtt.begin(), rtt.end());
    const auto rank = [&rtt](double p) {
        const qsizetype i = qsizetype(std::ceil(p * double(rtt.size()))) - 1;
        return rtt.at(std::clamp<qsizetype>(i, 0, rtt.size() - 1));
    };
    w.minMs = rtt.first();
    w.medianMs = rank(0.5);
    w.p99Ms = rank(0.99);
    w.maxMs = rtt.last();
    return w;
}

void LatencyProbe::closeWindow()
{
    m_windowClock.restart();
    if (m_rtts.isEmpty())
        return;
    Window w = summarize(m_rtts);
    m_rtts.clear();
    w.endMs = QDateTime::currentMSecsSinceEpoch();
    m_model->append(w.endMs, { w.minMs, w.medianMs, w.p99Ms, w.maxMs, double(w.samples) });
    Q_EMIT windowClosed(w);
}

} // namespace bullpen
