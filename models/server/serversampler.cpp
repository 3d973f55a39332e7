// SPDX-License-Identifier: MIT
#include "serversampler.h"

#include "commandstatsmodel.h"
#include "servermetricsmodel.h"
#include "servertablemodels.h"
#include "bullmq/futurewatch.h"

#include <QDateTime>
#include <QThread>
#include <QTimer>

namespace bullpen {

ServerSampler::ServerSampler(QObject* parent)
    : QObject(parent)
    , m_timer(new QTimer(this))
    , m_metrics(new ServerMetricsModel(3600, this))
    , m_commands(new CommandStatsModel(this))
    , m_slowlog(new SlowlogModel(this))
    , m_clients(new ClientListModel(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &ServerSampler::poll);
}

ServerSampler::~ServerSampler() = default;

void ServerSampler::setClient(RedisClient* client)
{
    Q_ASSERT(QThread::currentThread() == thread());
    ++m_generation;
    m_client = client;
    m_timer->stop();
    m_inFlight = false;
    m_last.reset();
    m_latency.clear();
    m_metrics->clear();
    m_commands->clear();
    m_slowlog->clear();
    m_clients->clear();
    if (m_active && m_client)
        poll();
}

void ServerSampler::setInterval(int ms)
{
    m_intervalMs = std::max(10, ms);
    if (m_timer->isActive())
        schedule(); // the next sample comes at the new interval, not after the old one
}

void ServerSampler::start()
{
    m_active = true;
    if (!m_inFlight && !m_timer->isActive())
        poll();
}

void ServerSampler::stop()
{
    m_active = false;
    m_timer->stop();
}

void ServerSampler::poll()
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (!m_active || !m_client || m_inFlight)
        return;
    m_inFlight = true;
    ++m_requests;
    m_sentAtMs = QDateTime::currentMSecsSinceEpoch();
    const quint64 gen = m_generation;
    // "INFO all": everything but modules, with commandstats. INFO first: the commands after it
    // are counted in the next sample's total, and left out of its ops/s.
    QList<Command> commands { { "INFO", "all" }, { "LATENCY", "LATEST" } };
    if ((m_requests - 1) % m_tablesEvery == 0)
        commands.append({ { "SLOWLOG", "GET", "128" }, { "CLIENT", "LIST" } });
    m_sentCommands = int(commands.size());
    bullmq::whenReady(this, m_client->pipeline(commands),
        [this, gen](const QList<Reply>& replies) { onReplies(gen, replies); });
}

void ServerSampler::schedule()
{
    if (!m_active || !m_client)
        return;
    const qint64 elapsed = QDateTime::currentMSecsSinceEpoch() - m_sentAtMs;
    m_timer->start(int(std::clamp<qint64>(m_intervalMs - elapsed, 0, m_intervalMs)));
}

void ServerSampler::onReplies(quint64 generation, const QList<Reply>& replies)
{
    if (generation != m_generation)
        return; // a previous client's
    m_inFlight = false;
    const Reply info = replies.value(0);
    if (info.isError() || !info.isString()) {
        Q_EMIT failed(info.isError() ? info.errorMessage() : tr("unexpected INFO reply"));
        schedule();
        return;
    }
    // Rates are per wall-clock second between the moments the requests were sent.
    const ServerSample sample
        = ServerSample::fromInfo(ServerInfo::parse(info.bytes()), m_sentAtMs, m_last ? &*m_last : nullptr, m_ownCommands);
    m_ownCommands = m_sentCommands;
    if (replies.size() >= 4) {
        m_slowlog->setReply(replies.at(2));
        if (replies.at(3).isString())
            m_clients->setText(replies.at(3).bytes());
    }
    m_last = sample;
    const Reply latest = replies.value(1);
    m_latency.clear();
    if (latest.isArray()) {
        for (const Reply& e : latest.elements()) {
            if (e.size() < 4)
                continue;
            m_latency.append({ e.at(0).bytes(), e.at(1).toInteger(), e.at(2).toInteger(), e.at(3).toInteger() });
        }
    }
    m_metrics->appendSample(sample);
    m_commands->setStats(sample.commands);
    Q_EMIT sampled(sample);
    schedule();
}

} // namespace bullpen
