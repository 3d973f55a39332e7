// SPDX-License-Identifier: MIT
#pragma once

#include "connectionoptions.h"
#include "reply.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QObject>
#include <QSet>
#include <QStringList>

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <utility>

class QIODevice;
class QTimer;

namespace bullpen {

class PushDecoder;
class RespDecoder;
class SentinelLink;

enum class ConnectionState { Disconnected, Connecting, Ready, Failed };
QString stateName(ConnectionState state);

struct PubSubMessage {
    QByteArray pattern; ///< empty for SUBSCRIBE deliveries
    QByteArray channel;
    QByteArray payload;
    qint64 receivedMs = 0; ///< ms since the epoch
};

/// What a subscriber connection does when its owner falls behind and `maxQueued` messages wait.
enum class SubscriberOverflow {
    Hold, ///< stop reading the socket until the owner has taken half of them: Redis buffers meanwhile
    Drop, ///< go on reading and count the messages that do not fit as dropped
};

/// Shared by a subscriber connection and its owner (RedisSubscriber), lock-free across the two
/// threads. `undelivered` counts messages the connection took off the socket that the owner has
/// not taken (acknowledged) yet; the connection never lets it exceed maxQueued.
struct SubscriberGate {
    qint64 maxQueued = 100000; ///< set before the connection thread starts, constant after
    std::atomic<qint64> undelivered { 0 };
    std::atomic<qint64> peak { 0 }; ///< the most `undelivered` ever was (written by the connection)
    std::atomic<bool> hold { true }; ///< SubscriberOverflow::Hold
    /// The connection stopped reading for want of room. Whoever turns it off (the connection when
    /// it finds room after all, else the owner) makes sure reading resumes: the owner by a queued
    /// resumeReading().
    std::atomic<bool> holding { false };
    qint64 resumeMark() const { return maxQueued / 2; }
};

/// One queued or in-flight request: N commands whose N replies go to `done` together.
struct Request {
    QList<Command> commands;
    int timeoutMs = 0;
    std::function<void(QList<Reply>)> done; ///< called on the connection thread
};

/// The worker behind RedisClient and RedisSubscriber. Lives in its own QThread: create it,
/// move it there, and call start() through the event loop. Every method and slot must run on
/// that thread; the socket and the decoder are created there and never leave it.
class RedisConnection : public QObject
{
    Q_OBJECT
public:
    enum class Mode { Commands, Subscriber };

    RedisConnection(ConnectionOptions options, Mode mode, QObject* parent = nullptr);
    ~RedisConnection() override;

    void start();
    void submit(Request request);
    /// Thread-safe: queues `request` for the connection thread, which submits it in order. A
    /// burst of posts costs one wake-up, and none while the thread is still spinning for the
    /// next request after a reply (see onReadyRead).
    void post(Request request);

    // Subscriber mode
    void setSubscriptions(QSet<QByteArray> channels, QSet<QByteArray> patterns);
    void setDeliveryGate(std::shared_ptr<SubscriberGate> gate);
    /// The owner took enough while we were holding (or the policy became Drop): read again,
    /// starting with what the socket and the decoder already hold.
    void resumeReading();

Q_SIGNALS:
    void stateChanged(bullpen::ConnectionState state, const QString& reason);
    void serverWriteCommands(const QSet<QByteArray>& names);
    /// Ready on this node (for a sentinel connection: the master the sentinels named).
    void connectedTo(const QString& host, quint16 port);
    void messagesReady(const QList<bullpen::PubSubMessage>& messages, qint64 droppedTotal);
    void subscriberError(const QString& message);

private:
    struct InFlight {
        Request request;
        QList<Reply> replies;
        qint64 deadlineMs = 0; ///< -1: submitted before start(), set when the clock starts
    };

    void connectSocket();
    void onConnected();
    void onReadyRead();
    void onSubscriberReadyRead();
    void drainInbox();
    /// Takes every posted request and lowers `*clear` (m_drainPosted or m_spinning) under the lock.
    std::deque<Request> takeInbox(bool* clear);
    /// After replies went out and nothing is in flight: wait up to `budgetNs` for the caller's
    /// next request without sleeping, then take what the inbox holds.
    void spinForNext(qint64 budgetNs);
    /// Sequential callers: take the next request, send it and read its reply without sleeping,
    /// for a bounded number of rounds (see kPumpRounds in the .cpp).
    void pump();
    void onSocketError(const QString& reason);
    void onDisconnected();
    void handshake();
    void becomeReady();
    void dispatch(Reply reply);
    /// Hands what the decoder holds to the batch, up to the room the owner left. False when
    /// reading must stop: holding, or the connection was reset.
    bool deliverDecoded(QIODevice* socket, qint64 receivedMs);
    qint64 roomLeft() const;
    /// No room left under the Hold policy: delivers the batch and stops reading, unless the owner
    /// took enough meanwhile (false: go on).
    bool startHolding();
    void handlePush(const Reply& reply);
    void flushMessages();
    void send(Request request);
    void checkTimeouts();
    /// Closes the socket and fails every in-flight request: the one at `culprit` (an index into
    /// the in-flight queue, -1 for none) with `kind`/`message`, the rest as collateral. Then
    /// either retries later or, after a fatal error, stays Failed.
    void resetConnection(const QString& reason, qsizetype culprit, Reply::ErrorKind kind, const QString& message);
    void failAll(Reply::ErrorKind kind, const QString& message);
    void failWaiting(Reply::ErrorKind kind, const QString& message);
    void scheduleReconnect();
    void setState(ConnectionState state, const QString& reason = {});
    void sendSubscriptions();
    qint64 now() const { return m_clock.elapsed(); }
    QString describe(const QString& what) const;

    // Sentinel (m_options.isSentinel()): see the comments in redisconnection.cpp.
    void resolveMaster(int index);
    void stopResolving();
    /// A healthy replica of the master from a SENTINEL REPLICAS reply; nothing (and why) when none.
    static std::optional<std::pair<QString, quint16>> pickReplica(
        const Reply& replicas, const QString& masterHost, quint16 masterPort, QString* why);
    void openWatchers();
    void onSentinelEvent(const Reply& reply);
    void onFailoverStarted();
    void onMasterSwitched(const QString& host, quint16 port);
    void endFailoverHold(const QString& reason);
    /// Drops the current connection (or attempt) and connects again at once, keeping the
    /// requests that wait: after a failover, or when the node is no longer the master.
    void reconnectNow(const QString& reason);
    QString sentinelReason(const QString& what) const;
    /// Sentinel, read-only, readFromReplicas: reads may be served by a replica.
    bool replicaMode() const { return m_options.isSentinel() && m_options.readOnly && m_options.readFromReplicas; }
    /// The replica we connect to (or are connected to) cannot serve: go to the master at once.
    void replicaUnusable(const QString& reason);

    ConnectionOptions m_options;
    Mode m_mode;
    ConnectionState m_state = ConnectionState::Disconnected;
    QIODevice* m_socket = nullptr;
    std::unique_ptr<RespDecoder> m_decoder; ///< command connections
    std::unique_ptr<PushDecoder> m_push; ///< subscriber connections
    std::deque<InFlight> m_inflight;
    std::deque<InFlight> m_waiting; ///< submitted before the connection was ready
    QTimer* m_timeoutTimer = nullptr;
    QTimer* m_connectTimer = nullptr;
    QTimer* m_reconnectTimer = nullptr;
    QTimer* m_flushTimer = nullptr;
    QElapsedTimer m_clock;
    int m_attempt = 0;
    bool m_handshaking = false;
    bool m_fatal = false; ///< authentication or configuration failure: do not retry
    bool m_stopping = false;
    bool m_resetting = false; ///< inside resetConnection(): nested calls are no-ops
    QString m_lastError; ///< why the last connection ended, for requests refused meanwhile
    QString m_tlsError; ///< certificate errors of the current attempt
    qint64 m_reportedDropped = 0; ///< drop count last sent with messagesReady
    QByteArray m_writeBuffer;

    // Requests from other threads (post()): guarded by m_inboxMutex.
    QMutex m_inboxMutex;
    std::deque<Request> m_inbox;
    bool m_drainPosted = false; ///< a drainInbox() call is queued on the thread's event loop
    bool m_spinning = false; ///< the thread is in spinForNext(): it will see new requests itself
    bool m_pumping = false; ///< inside pump(): onReadyRead reports instead of pumping again
    bool m_pumpAnswered = false;
    // For pump()'s choice to stay awake (m_clock, ns): when the last request went out, when the
    // last reply was delivered, and moving averages of the round trip and of the caller's gap
    // between a reply and its next request.
    qint64 m_lastSendNs = 0;
    qint64 m_lastAnswerNs = 0;
    qint64 m_rttEwmaNs = 0;
    qint64 m_gapEwmaNs = 0;
    std::atomic<bool> m_inboxNonEmpty { false }; ///< read without the lock while spinning

    SentinelLink* m_resolver = nullptr; ///< asking one sentinel for the master's address
    QStringList m_resolveErrors; ///< what each sentinel said during this resolution
    bool m_resolved = false; ///< m_options.host/port were just set by the sentinels
    QString m_switchHost; ///< announced by +switch-master: the next attempt goes there directly
    quint16 m_switchPort = 0;
    QList<SentinelLink*> m_watchers; ///< one per sentinel (null while down), listening to failovers
    QTimer* m_watchTimer = nullptr; ///< reopens watchers that went down
    QTimer* m_holdTimer = nullptr; ///< bounds a failover hold
    bool m_failoverHold = false; ///< a failover of our master started: requests wait, none is sent
    bool m_reconnectNow = false; ///< the next scheduleReconnect() connects at once, waiting requests kept
    bool m_wrongNode = false; ///< the server said READONLY/LOADING: re-resolve after this reply
    QString m_masterHost; ///< the master the sentinels named last (m_options.host unless on a replica)
    quint16 m_masterPort = 0;
    bool m_onReplica = false; ///< replicaMode(): this attempt or connection is to a replica
    bool m_avoidReplicas = false; ///< a replica just failed: the next attempt goes to the master

    QSet<QByteArray> m_channels;
    QSet<QByteArray> m_patterns;
    QList<PubSubMessage> m_batch;
    std::shared_ptr<SubscriberGate> m_gate = std::make_shared<SubscriberGate>();
    qint64 m_dropped = 0;
};

} // namespace bullpen

Q_DECLARE_METATYPE(bullpen::ConnectionState)
Q_DECLARE_METATYPE(bullpen::PubSubMessage)
