// SPDX-License-Identifier: MIT
#pragma once

#include "commandpolicy.h"
#include "connectionoptions.h"
#include "redisconnection.h"
#include "reply.h"

#include <QFuture>
#include <QMutex>
#include <QObject>

class QThread;

namespace bullpen {

/// Call early in main(), before any connection thread exists. Makes Qt give threads created
/// afterwards (the connection threads among them) the plain poll() event dispatcher instead of
/// glib's: every request crosses threads twice, and glib's loop makes each wake-up slower
/// (sequential round trips measured ~40 % faster in bench/redisclient). Called before
/// QCoreApplication it applies to the main thread too (the CLI and benches); the GUI calls it
/// after QApplication, so its main thread keeps glib's loop, which QtKeychain's libsecret
/// backend answers through. QT_NO_GLIB set by the user is respected either way. Not
/// thread-safe: it sets an environment variable.
void prepareProcess();

/// Blocks the calling thread until `future` has finished and returns its result. For threads
/// that have nothing else to do meanwhile (scripted runs, benchmarks, worker threads) — never
/// the GUI thread, which attaches continuations instead.
///
/// Unlike QFuture::result() alone it first waits awake for a short while (yielding the CPU on
/// every turn): a reply over loopback or a LAN comes within tens of microseconds, and being
/// woken from sleep by the connection thread costs about as much again on a small VM
/// (sequential PINGs 26-28 k/s with QFuture::waitForFinished, 41-52 k/s with this;
/// bench/redisclient). The awake wait lasts at most 200 us, and a calling thread whose recent
/// waits outlasted it mostly sleeps at once (it tries awake again every few calls), so a distant
/// server costs little CPU.
template <typename T>
T waitForResult(const QFuture<T>& future);

/// Waits awake (see waitForResult) while `pending()` is true; returns when it is false or the
/// awake budget is spent. The caller then blocks the usual way.
void waitAwake(bool (*pending)(const void* context), const void* context);

template <typename T>
T waitForResult(const QFuture<T>& future)
{
    waitAwake([](const void* f) { return !static_cast<const QFuture<T>*>(f)->isFinished(); }, &future);
    return future.result();
}

/// Per-call options.
struct CallOptions {
    int timeoutMs = 0; ///< 0: the connection's default request timeout
    bool allowDangerous = false; ///< opt in to one command the safety guard refuses by default
};

/// Thread-safe facade of one Redis connection.
///
/// Owns a named QThread in which a RedisConnection does all network I/O. Every request
/// method may be called from any thread and returns at once with a future; attach
/// continuations with `.then(context, …)` to run them on the context's thread. No method
/// blocks on the network. Futures always finish: with the reply, or with an error Reply
/// (connection lost, timeout, refused, cancelled when the client is destroyed — also for
/// requests the connection thread had not taken yet).
///
/// While the connection is down between attempts, requests fail at once (ErrorKind::Connection);
/// during an attempt they wait for it and fail as soon as it fails. A request that times out
/// fails with ErrorKind::Timeout and resets the connection: the requests behind it fail with
/// ErrorKind::Connection (their replies could no longer be matched). Authentication, database
/// and certificate errors are final: state Failed with the reason, no further attempts.
///
/// Do not destroy the client from a continuation that runs on its connection thread.
///
/// Read-only mode and the safety guard are applied here, before anything is queued.
class RedisClient : public QObject
{
    Q_OBJECT
public:
    explicit RedisClient(ConnectionOptions options, QObject* parent = nullptr);
    ~RedisClient() override;

    /// Starts the connection thread and the first connection attempt. Requests made before
    /// open() wait for that attempt.
    void open();

    /// Virtual so that a ClusterClient can stand in where a RedisClient* is expected.
    virtual QFuture<Reply> command(Command argv, CallOptions call = {});
    /// Sends all commands in one write; the future holds one reply per command, in order.
    virtual QFuture<QList<Reply>> pipeline(QList<Command> commands, CallOptions call = {});

    /// Empty when `argv` would be sent, else why it would be refused.
    QString checkAllowed(const Command& argv, bool allowDangerous = false) const;
    /// True when the command policy knows `argv` as read-only (what read-only mode lets through):
    /// such commands may be served by a replica.
    bool isReadCommand(const Command& argv) const;

    ConnectionState state() const;
    QString stateReason() const;
    bool isReadOnly() const { return m_options.readOnly; }
    const ConnectionOptions& options() const { return m_options; }
    /// "host:port" of the node the connection last became ready on ("[::1]:port" for IPv6);
    /// empty before. Through Sentinel: the current master, which changes after a failover.
    QString serverAddress() const;

Q_SIGNALS:
    void stateChanged(bullpen::ConnectionState state, const QString& reason);
    /// The connection became ready on a node other than the one before (see serverAddress()).
    void serverAddressChanged(const QString& address);

protected:
    RedisClient(ConnectionOptions options, RedisConnection::Mode mode, QObject* parent);
    RedisConnection* worker() const { return m_worker; }

private:
    void submit(Request request);
    void onState(ConnectionState state, const QString& reason);

    ConnectionOptions m_options;
    RedisConnection::Mode m_mode;
    Reply m_cancelled; ///< what a request gets when the client goes away before sending it
    QThread* m_thread = nullptr;
    RedisConnection* m_worker = nullptr;
    mutable QMutex m_mutex; // guards m_policy, m_state, m_reason, m_serverAddress
    CommandPolicy m_policy;
    ConnectionState m_state = ConnectionState::Disconnected;
    QString m_reason;
    QString m_serverAddress;
};

/// A connection in subscribed mode (SUBSCRIBE / PSUBSCRIBE). Messages arrive in batches on
/// the owner's thread, in order. At most `maxQueued` messages wait for the owner; what happens
/// when it falls behind is the overflow policy (overflow()):
///   Hold (default)  the connection stops reading until the owner has taken half of them. Nothing
///                   is lost here: the messages wait in the kernel and in Redis's output buffer
///                   for this client. If that grows past the server's client-output-buffer-limit
///                   pubsub, Redis closes the connection: stateChanged() says so, the connection
///                   comes back and resubscribes (what was published meanwhile is lost).
///   Drop            the connection goes on reading and drops what does not fit, counted in
///                   dropped() (the count reaches the owner even when no message follows the drops).
///                   Spares the server's memory.
/// Subscriptions are restored after every reconnect. command() and pipeline() are refused
/// (ErrorKind::Refused): a subscribed connection cannot carry commands, use a RedisClient.
class RedisSubscriber : public RedisClient
{
    Q_OBJECT
public:
    using Overflow = SubscriberOverflow;

    explicit RedisSubscriber(ConnectionOptions options, qint64 maxQueued = 100000, QObject* parent = nullptr);
    ~RedisSubscriber() override;

    void subscribe(const QList<QByteArray>& channels);
    void psubscribe(const QList<QByteArray>& patterns);
    void unsubscribe(const QList<QByteArray>& channels);
    void punsubscribe(const QList<QByteArray>& patterns);

    /// May change at any time; a connection holding for Hold resumes (and drops) under Drop.
    void setOverflow(Overflow policy);
    Overflow overflow() const;
    /// Off (default): a message is taken once messages() delivered it. On: it counts against
    /// maxQueued until the owner calls acknowledge(), for an owner that queues batches itself
    /// (PubSubMonitor), so that the bound and the Hold policy cover its queue too. Set before open().
    void setManualAcknowledge(bool on) { m_manualAck = on; }
    /// The owner has taken `count` more of the delivered messages (manual acknowledge only).
    void acknowledge(qint64 count);

    qint64 maxQueued() const { return m_gate->maxQueued; }
    /// Messages taken off the socket that the owner has not taken yet (delivered or not).
    qint64 queued() const { return m_gate->undelivered.load(std::memory_order_relaxed); }
    /// The most queued() ever was at a delivery: at most maxQueued().
    qint64 peakQueued() const { return m_gate->peak.load(std::memory_order_relaxed); }
    qint64 dropped() const { return m_dropped; }

Q_SIGNALS:
    void messages(const QList<bullpen::PubSubMessage>& batch);
    void dropsChanged(qint64 droppedTotal);
    void subscriberError(const QString& message);

private:
    void push();
    void taken(qint64 count);

    QSet<QByteArray> m_channels;
    QSet<QByteArray> m_patterns;
    std::shared_ptr<SubscriberGate> m_gate;
    bool m_manualAck = false;
    qint64 m_dropped = 0;
};

} // namespace bullpen
