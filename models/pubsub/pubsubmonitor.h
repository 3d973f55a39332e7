// SPDX-License-Identifier: MIT
#pragma once

#include "connectionoptions.h"
#include "redisconnection.h" // ConnectionState, PubSubMessage

#include <QObject>
#include <QPointer>
#include <QSet>

class QTimer;

namespace bullpen {

class ChannelTrafficModel;
class MessageLogModel;
class RedisClient;
class RedisSubscriber;

/// A dedicated subscriber connection (role "pubsub") feeding a ChannelTrafficModel and a
/// MessageLogModel. When the connection is lost (Redis closes a subscriber that exceeds
/// client-output-buffer-limit pubsub, or the server restarts) it says so in `status()`,
/// resubscribes, and puts a gap marker into the log. When the app falls behind, the overflow
/// policy decides: Hold (default) leaves the messages in Redis until it catches up, nothing lost
/// here (Redis may then close the connection at its client-output-buffer-limit: a gap as above);
/// Drop counts and marks what did not fit. Either way at most `maxQueued` messages wait in memory,
/// its own queue of batches not yet taken into the models included.
class PubSubMonitor : public QObject
{
    Q_OBJECT
public:
    explicit PubSubMonitor(QObject* parent = nullptr);
    ~PubSubMonitor() override;

    /// Opens the subscriber connection. `maxQueued` bounds what waits for the models.
    void start(const ConnectionOptions& options, qint64 maxQueued = 200000);
    /// Takes effect at once, also on a running connection.
    void setOverflow(SubscriberOverflow policy);
    SubscriberOverflow overflow() const { return m_overflow; }
    void stop();
    bool isActive() const { return m_subscriber != nullptr; }

    /// Each entry: PSUBSCRIBE when it has glob characters (* ? [), else SUBSCRIBE.
    void subscribe(const QList<QByteArray>& patternsOrChannels);
    void unsubscribe(const QList<QByteArray>& patternsOrChannels);
    QList<QByteArray> subscriptions() const;
    static bool isPattern(const QByteArray& text);

    /// Asks PUBSUB CHANNELS / NUMSUB / NUMPAT on `client` (a command connection).
    void refreshOverview(RedisClient* client);
    qint64 patternCount() const { return m_numpat; }
    /// Channels with at least one subscriber on the server (PUBSUB CHANNELS; patterns not counted).
    qint64 serverChannelCount() const { return m_numChannels; }

    ChannelTrafficModel* channels() const { return m_channels; }
    MessageLogModel* log() const { return m_log; }
    RedisSubscriber* subscriber() const { return m_subscriber; }

    /// Messages taken into the models so far (those still waiting for a slice not yet).
    qint64 received() const { return m_received; }
    qint64 pending() const { return m_pendingCount; }
    qint64 dropped() const { return m_dropped; }
    int gaps() const { return m_gaps; }
    ConnectionState state() const { return m_state; }
    QString status() const { return m_status; }

Q_SIGNALS:
    void statusChanged(const QString& status);
    /// The subscriber is down; `message` says why in plain words.
    void connectionLost(const QString& message);
    void resubscribed();
    void overviewUpdated();
    void messagesReceived(qint64 total);
    /// The channel rates were recomputed (once a second while started).
    void ticked();

private:
    void onMessages(const QList<PubSubMessage>& batch);
    void drain();
    void drainSlice();
    void onState(ConnectionState state, const QString& reason);
    void onDrops(qint64 droppedTotal, qint64 delta);
    void addGap(qint64 ms, const QString& text);
    void setStatus(const QString& status);

    RedisSubscriber* m_subscriber = nullptr;
    ChannelTrafficModel* m_channels = nullptr;
    MessageLogModel* m_log = nullptr;
    QTimer* m_tick = nullptr;
    // Batches wait here and are taken in slices, for at most a few ms per event-loop pass, so a
    // flood never holds the GUI thread for long. Each slice taken is acknowledged to the subscriber,
    // whose bound (maxQueued) so covers this queue too.
    QTimer* m_drain = nullptr;
    // A gap marker waits in line too, so that the log shows it after the messages that came before
    // the loss and before those after it.
    struct Pending {
        QList<PubSubMessage> batch;
        QString gap; ///< not empty: a marker row instead of messages
        qint64 gapMs = 0;
    };
    QList<Pending> m_pending;
    qsizetype m_pendingOffset = 0; // messages of m_pending.first() already taken
    qint64 m_pendingCount = 0;
    SubscriberOverflow m_overflow = SubscriberOverflow::Hold;
    QSet<QByteArray> m_patterns;
    QSet<QByteArray> m_exact;
    ConnectionState m_state = ConnectionState::Disconnected;
    bool m_wasReady = false;
    qint64 m_lostAtMs = 0;
    QString m_lostReason;
    qint64 m_received = 0;
    qint64 m_dropped = 0;
    qint64 m_numpat = 0;
    qint64 m_numChannels = 0;
    int m_gaps = 0;
    quint64 m_overviewGeneration = 0;
    QString m_status;
};

} // namespace bullpen
