// SPDX-License-Identifier: MIT
#include "pubsubmonitor.h"

#include "channeltrafficmodel.h"
#include "messagelogmodel.h"
#include "bullmq/futurewatch.h"
#include "redisclient.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QSet>
#include <QTimer>

namespace bullpen {

namespace {
    QString clock(qint64 ms)
    {
        return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("HH:mm:ss"));
    }
    constexpr qsizetype kMaxNumsub = 1000; // NUMSUB for at most this many channels per refresh
    constexpr qsizetype kSlice = 2048; // messages taken at once
    constexpr qint64 kPassBudgetMs = 4; // slices per event-loop pass stop after this long
}

PubSubMonitor::PubSubMonitor(QObject* parent)
    : QObject(parent)
    , m_channels(new ChannelTrafficModel(this))
    , m_log(new MessageLogModel(100000, this))
    , m_tick(new QTimer(this))
    , m_drain(new QTimer(this))
{
    m_drain->setInterval(0);
    connect(m_drain, &QTimer::timeout, this, &PubSubMonitor::drain);
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, [this] {
        m_channels->tick(QDateTime::currentMSecsSinceEpoch());
        Q_EMIT ticked();
    });
}

PubSubMonitor::~PubSubMonitor()
{
    stop();
}

bool PubSubMonitor::isPattern(const QByteArray& text)
{
    return text.contains('*') || text.contains('?') || text.contains('[');
}

void PubSubMonitor::start(const ConnectionOptions& options, qint64 maxQueued)
{
    stop();
    ConnectionOptions o = options;
    o.role = QStringLiteral("pubsub");
    m_subscriber = new RedisSubscriber(o, maxQueued, this);
    m_subscriber->setManualAcknowledge(true); // drainSlice() acknowledges what the models took
    m_subscriber->setOverflow(m_overflow);
    connect(m_subscriber, &RedisSubscriber::messages, this, &PubSubMonitor::onMessages);
    connect(m_subscriber, &RedisClient::stateChanged, this, &PubSubMonitor::onState);
    connect(m_subscriber, &RedisSubscriber::dropsChanged, this,
        [this](qint64 droppedTotal) { onDrops(droppedTotal, droppedTotal - m_dropped); });
    connect(m_subscriber, &RedisSubscriber::subscriberError, this,
        [this](const QString& message) { setStatus(tr("Subscriber error: %1").arg(message)); });
    m_wasReady = false;
    m_dropped = 0;
    m_subscriber->open();
    if (!m_patterns.isEmpty())
        m_subscriber->psubscribe(QList<QByteArray>(m_patterns.begin(), m_patterns.end()));
    if (!m_exact.isEmpty())
        m_subscriber->subscribe(QList<QByteArray>(m_exact.begin(), m_exact.end()));
    m_channels->tick(QDateTime::currentMSecsSinceEpoch());
    m_tick->start();
}

void PubSubMonitor::setOverflow(SubscriberOverflow policy)
{
    m_overflow = policy;
    if (m_subscriber)
        m_subscriber->setOverflow(policy);
}

void PubSubMonitor::stop()
{
    m_tick->stop();
    m_drain->stop();
    m_pending.clear();
    m_pendingOffset = 0;
    m_pendingCount = 0;
    ++m_overviewGeneration;
    delete m_subscriber; // bounded: the connection thread only closes a socket
    m_subscriber = nullptr;
    m_state = ConnectionState::Disconnected;
}

void PubSubMonitor::subscribe(const QList<QByteArray>& entries)
{
    QList<QByteArray> patterns, exact;
    for (const QByteArray& e : entries) {
        if (e.isEmpty())
            continue;
        if (isPattern(e)) {
            if (!m_patterns.contains(e)) {
                m_patterns.insert(e);
                patterns.append(e);
            }
        } else if (!m_exact.contains(e)) {
            m_exact.insert(e);
            exact.append(e);
        }
    }
    if (!m_subscriber)
        return;
    if (!patterns.isEmpty())
        m_subscriber->psubscribe(patterns);
    if (!exact.isEmpty())
        m_subscriber->subscribe(exact);
}

void PubSubMonitor::unsubscribe(const QList<QByteArray>& entries)
{
    QList<QByteArray> patterns, exact;
    for (const QByteArray& e : entries) {
        if (m_patterns.remove(e))
            patterns.append(e);
        if (m_exact.remove(e))
            exact.append(e);
    }
    if (!m_subscriber)
        return;
    if (!patterns.isEmpty())
        m_subscriber->punsubscribe(patterns);
    if (!exact.isEmpty())
        m_subscriber->unsubscribe(exact);
}

QList<QByteArray> PubSubMonitor::subscriptions() const
{
    QList<QByteArray> all(m_patterns.begin(), m_patterns.end());
    all.append(QList<QByteArray>(m_exact.begin(), m_exact.end()));
    std::sort(all.begin(), all.end());
    return all;
}

void PubSubMonitor::onMessages(const QList<PubSubMessage>& batch)
{
    // Bounded by the subscriber: it delivers no more than maxQueued unacknowledged messages.
    m_pending.append({ batch, {}, 0 });
    m_pendingCount += batch.size();
    if (!m_drain->isActive())
        m_drain->start();
}

void PubSubMonitor::drain()
{
    // Slices until the time budget is spent: on a slow or busy machine fewer messages per pass,
    // so the event loop keeps turning; what is left waits for the next pass.
    QElapsedTimer pass;
    pass.start();
    while (!m_pending.isEmpty() && pass.elapsed() < kPassBudgetMs)
        drainSlice();
    if (m_pending.isEmpty())
        m_drain->stop();
    Q_EMIT messagesReceived(m_received);
}

void PubSubMonitor::drainSlice()
{
    qsizetype budget = kSlice;
    while (budget > 0 && !m_pending.isEmpty()) {
        if (!m_pending.first().gap.isEmpty()) {
            const Pending marker = m_pending.takeFirst();
            m_log->appendGap(marker.gapMs, marker.gap);
            continue;
        }
        const QList<PubSubMessage>& front = m_pending.first().batch;
        const qsizetype take = std::min(budget, front.size() - m_pendingOffset);
        const QList<PubSubMessage> slice
            = (m_pendingOffset == 0 && take == front.size()) ? front : front.mid(m_pendingOffset, take);
        m_received += slice.size();
        m_channels->count(slice);
        m_log->append(slice);
        budget -= take;
        m_pendingCount -= take;
        if (m_subscriber)
            m_subscriber->acknowledge(take); // may let a holding connection read again
        m_pendingOffset += take;
        if (m_pendingOffset >= front.size()) {
            m_pending.removeFirst();
            m_pendingOffset = 0;
        }
    }
}

void PubSubMonitor::onDrops(qint64 droppedTotal, qint64 delta)
{
    m_dropped = droppedTotal;
    if (delta <= 0)
        return;
    addGap(QDateTime::currentMSecsSinceEpoch(),
        tr("%n message(s) dropped here: Bullpen fell behind and is set to drop rather than let Redis buffer", nullptr,
            int(delta)));
}

void PubSubMonitor::addGap(qint64 ms, const QString& text)
{
    if (m_pending.isEmpty()) {
        m_log->appendGap(ms, text);
        return;
    }
    m_pending.append({ {}, text, ms });
    if (!m_drain->isActive())
        m_drain->start();
}

void PubSubMonitor::onState(ConnectionState state, const QString& reason)
{
    m_state = state;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (state == ConnectionState::Ready) {
        if (m_lostAtMs > 0) {
            ++m_gaps;
            addGap(now,
                tr("Gap: subscriber connection lost at %1 (%2), resubscribed at %3; messages published in between "
                   "were not received")
                    .arg(clock(m_lostAtMs), m_lostReason, clock(now)));
            m_lostAtMs = 0;
            setStatus(tr("Resubscribed at %1 after the connection was lost.").arg(clock(now)));
            Q_EMIT resubscribed();
        } else {
            setStatus(tr("Subscribed."));
        }
        m_wasReady = true;
        return;
    }
    if (m_wasReady && m_lostAtMs == 0 && state != ConnectionState::Connecting) {
        m_lostAtMs = now;
        m_lostReason = reason.isEmpty() ? tr("connection closed") : reason;
        const QString message
            = tr("Redis dropped the subscriber connection at %1 (%2). A subscriber that reads too slowly is "
                 "disconnected by the server's client-output-buffer-limit for pubsub. Resubscribing…")
                  .arg(clock(now), m_lostReason);
        setStatus(message);
        Q_EMIT connectionLost(message);
    }
    if (state == ConnectionState::Failed)
        setStatus(tr("Subscriber connection failed: %1").arg(reason));
}

void PubSubMonitor::setStatus(const QString& status)
{
    if (status == m_status)
        return;
    m_status = status;
    Q_EMIT statusChanged(status);
}

void PubSubMonitor::refreshOverview(RedisClient* client)
{
    if (!client)
        return;
    const quint64 gen = ++m_overviewGeneration;
    QPointer<RedisClient> guard(client);
    bullmq::whenReady(this, client->pipeline({ { "PUBSUB", "CHANNELS" }, { "PUBSUB", "NUMPAT" } }), [this, gen, guard](const QList<Reply>& replies) {
            if (gen != m_overviewGeneration || !guard)
                return;
            m_numpat = replies.value(1).toInteger();
            Command numsub { "PUBSUB", "NUMSUB" };
            const Reply channels = replies.value(0);
            m_numChannels = channels.size();
            // Each channel once, at most kMaxNumsub of them.
            QSet<QByteArray> asked;
            const auto ask = [&numsub, &asked](const QByteArray& name) {
                if (!asked.contains(name)) {
                    asked.insert(name);
                    numsub.append(name);
                }
            };
            if (channels.isArray()) {
                for (qsizetype i = 0; i < channels.size() && asked.size() < kMaxNumsub; ++i)
                    ask(channels.at(i).bytes());
            }
            // Channels that reach us through a pattern are not in PUBSUB CHANNELS unless some
            // client subscribed to them by name: ask for them too, so their row says 0 rather
            // than nothing.
            for (int row = 0; row < m_channels->rowCount() && asked.size() < kMaxNumsub; ++row)
                ask(m_channels->index(row, 0).data(ChannelTrafficModel::ChannelRole).toByteArray());
            bullmq::whenReady(this, guard->command(numsub), [this, gen](const Reply& r) {
                if (gen != m_overviewGeneration)
                    return;
                QList<QPair<QByteArray, qint64>> counts;
                for (qsizetype i = 0; i + 1 < r.size(); i += 2)
                    counts.append({ r.at(i).bytes(), r.at(i + 1).toInteger() });
                m_channels->setSubscribers(counts);
                Q_EMIT overviewUpdated();
            });
        });
}

} // namespace bullpen
