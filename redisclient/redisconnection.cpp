// SPDX-License-Identifier: MIT
#include "redisconnection.h"

#include "pushdecoder.h"
#include "respcodec.h"
#include "sentinellink.h"
#include "tlsconfig.h"

#include <QDateTime>
#include <QHash>
#include <QLocalSocket>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QScopedValueRollback>
#include <QSslSocket>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <poll.h>
#include <thread>
#include <utility>

Q_LOGGING_CATEGORY(lcConnection, "bullpen.redisclient", QtWarningMsg)

namespace bullpen {

QString stateName(ConnectionState state)
{
    switch (state) {
    case ConnectionState::Disconnected:
        return QStringLiteral("disconnected");
    case ConnectionState::Connecting:
        return QStringLiteral("connecting");
    case ConnectionState::Ready:
        return QStringLiteral("ready");
    case ConnectionState::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

namespace {
constexpr int kTimeoutTick = 50; // ms between deadline checks while requests are pending
constexpr qsizetype kReadChunk = 64 * 1024;
constexpr int kFlushIntervalMs = 10; // pub/sub batches reach the owner at most this late
// A subscriber socket buffers at most this much in Qt: while the connection holds (its owner fell
// behind), the rest waits in the kernel and in Redis, not in our memory.
constexpr qint64 kSubscriberReadBuffer = 2 * 1024 * 1024;
constexpr int kSentinelAskMaxMs = 2000; // per sentinel, when asking for the master's address
constexpr int kWatchRetryMs = 1000; // a failover watcher that went down is reopened this often
constexpr int kFailoverHoldMaxMs = 15000; // a failover that started and did not finish: ask again

QString hostPortText(const QString& host, quint16 port)
{
    ConnectionOptions o;
    o.host = host;
    o.port = port;
    return o.displayAddress();
}
} // namespace

RedisConnection::RedisConnection(ConnectionOptions options, Mode mode, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_mode(mode)
{
}

RedisConnection::~RedisConnection()
{
    m_stopping = true;
    delete std::exchange(m_resolver, nullptr);
    for (SentinelLink*& w : m_watchers) {
        delete w;
        w = nullptr;
    }
    failAll(Reply::ErrorKind::Cancelled, describe(QStringLiteral("the client was closed")));
    failWaiting(Reply::ErrorKind::Cancelled, describe(QStringLiteral("the client was closed")));
    if (m_socket)
        m_socket->disconnect(this);
}

QString RedisConnection::describe(const QString& what) const
{
    if (m_options.isSentinel() && !m_options.host.isEmpty())
        return QStringLiteral("%1%2 at %3: %4")
            .arg(m_options.sentinelMaster, m_onReplica ? QStringLiteral(" replica") : QString(),
                hostPortText(m_options.host, m_options.port), what);
    return QStringLiteral("%1: %2").arg(m_options.displayAddress(), what);
}

QString RedisConnection::sentinelReason(const QString& what) const
{
    return QStringLiteral("sentinel: ") + what;
}

void RedisConnection::start()
{
    Q_ASSERT(QThread::currentThread() == thread());
    m_clock.start();
    m_timeoutTimer = new QTimer(this);
    m_timeoutTimer->setInterval(kTimeoutTick);
    connect(m_timeoutTimer, &QTimer::timeout, this, &RedisConnection::checkTimeouts);
    m_connectTimer = new QTimer(this);
    m_connectTimer->setSingleShot(true);
    connect(m_connectTimer, &QTimer::timeout, this, [this] {
        onSocketError(QStringLiteral("no connection within %1 ms").arg(m_options.connectTimeoutMs));
    });
    m_reconnectTimer = new QTimer(this);
    m_reconnectTimer->setSingleShot(true);
    connect(m_reconnectTimer, &QTimer::timeout, this, &RedisConnection::connectSocket);
    m_flushTimer = new QTimer(this);
    m_flushTimer->setSingleShot(true);
    m_flushTimer->setInterval(kFlushIntervalMs);
    connect(m_flushTimer, &QTimer::timeout, this, &RedisConnection::flushMessages);
    if (m_options.isSentinel()) {
        m_holdTimer = new QTimer(this);
        m_holdTimer->setSingleShot(true);
        connect(m_holdTimer, &QTimer::timeout, this, [this] {
            endFailoverHold(sentinelReason(QStringLiteral("the failover of %1 did not finish within %2 ms; asking the "
                                                          "sentinels again")
                                               .arg(m_options.sentinelMaster)
                                               .arg(kFailoverHoldMaxMs)));
        });
        // Without reconnects (the CLI) one answer is enough: a failover ends the connection anyway.
        if (m_options.reconnect) {
            m_watchTimer = new QTimer(this);
            m_watchTimer->setInterval(kWatchRetryMs);
            connect(m_watchTimer, &QTimer::timeout, this, &RedisConnection::openWatchers);
            m_watchTimer->start();
            openWatchers();
        }
    }
    // Requests submitted before the thread started wait for the first attempt; their clock starts now.
    for (InFlight& w : m_waiting) {
        if (w.deadlineMs < 0)
            w.deadlineMs = now() + w.request.timeoutMs;
    }
    connectSocket();
    if (!m_waiting.empty() && !m_timeoutTimer->isActive())
        m_timeoutTimer->start();
}

void RedisConnection::connectSocket()
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    if (m_mode == Mode::Subscriber)
        m_push = std::make_unique<PushDecoder>();
    else
        m_decoder = std::make_unique<RespDecoder>();
    m_handshaking = false;
    m_tlsError.clear();
    if (m_options.isSentinel() && !m_switchHost.isEmpty()) {
        // The announcement is newer than what any sentinel might still say.
        m_options.host = std::exchange(m_switchHost, QString());
        m_options.port = std::exchange(m_switchPort, 0);
        m_masterHost = m_options.host;
        m_masterPort = m_options.port;
        m_onReplica = false;
        m_resolved = true;
    }
    if (m_options.isSentinel() && !m_resolved) {
        // Every attempt starts with the sentinels: the master may have moved since the last one.
        setState(ConnectionState::Connecting,
            sentinelReason(QStringLiteral("asking for the address of %1").arg(m_options.sentinelMaster)));
        m_resolveErrors.clear();
        resolveMaster(0);
        return;
    }
    m_resolved = false;
    setState(ConnectionState::Connecting);

    const auto& o = m_options;
    if (o.transport == ConnectionOptions::Transport::Unix) {
        auto* socket = new QLocalSocket(this);
        m_socket = socket;
        if (m_mode == Mode::Subscriber)
            socket->setReadBufferSize(kSubscriberReadBuffer);
        connect(socket, &QLocalSocket::connected, this, &RedisConnection::onConnected);
        connect(socket, &QLocalSocket::readyRead, this, &RedisConnection::onReadyRead);
        connect(socket, &QLocalSocket::disconnected, this, &RedisConnection::onDisconnected);
        connect(socket, &QLocalSocket::errorOccurred, this, [this, socket](QLocalSocket::LocalSocketError) {
            onSocketError(socket->errorString());
        });
        m_connectTimer->start(o.connectTimeoutMs);
        socket->connectToServer(o.socketPath);
        return;
    }

    QTcpSocket* socket = nullptr;
    if (o.transport == ConnectionOptions::Transport::Tls) {
        auto* ssl = new QSslSocket(this);
        QString configError;
        const auto config = tlsConfiguration(o, &configError);
        if (!config) {
            delete ssl;
            m_fatal = true;
            onSocketError(configError);
            return;
        }
        ssl->setSslConfiguration(*config);
        connect(ssl, &QSslSocket::encrypted, this, &RedisConnection::onConnected);
        connect(ssl, &QSslSocket::sslErrors, this, [this](const QList<QSslError>& errors) {
            // Not ignored, so the handshake is aborted next. Trying again cannot change a
            // certificate: the connection fails for good with the reason.
            QStringList texts;
            for (const auto& e : errors)
                texts << e.errorString();
            m_tlsError = QStringLiteral("TLS: certificate verification failed: ") + texts.join(QStringLiteral("; "));
            m_fatal = true;
        });
        socket = ssl;
    } else {
        socket = new QTcpSocket(this);
        connect(socket, &QTcpSocket::connected, this, &RedisConnection::onConnected);
    }
    m_socket = socket;
    if (m_mode == Mode::Subscriber)
        socket->setReadBufferSize(kSubscriberReadBuffer); // QSslSocket: before connecting, for its plain socket too
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(socket, &QTcpSocket::readyRead, this, &RedisConnection::onReadyRead);
    connect(socket, &QTcpSocket::disconnected, this, &RedisConnection::onDisconnected);
    connect(socket, &QTcpSocket::errorOccurred, this, [this, socket](QAbstractSocket::SocketError) {
        onSocketError(socket->errorString());
    });
    m_connectTimer->start(o.connectTimeoutMs);
    if (auto* ssl = qobject_cast<QSslSocket*>(socket))
        ssl->connectToHostEncrypted(o.host, o.port, o.serverName.isEmpty() ? o.host : o.serverName);
    else
        socket->connectToHost(o.host, o.port);
}

void RedisConnection::onConnected()
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (auto* tcp = qobject_cast<QTcpSocket*>(m_socket))
        tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_lastError.clear();
    handshake();
}

void RedisConnection::handshake()
{
    m_handshaking = true;
    Request hello;
    const auto& o = m_options;
    // Replies are checked in this order below; keep both in step.
    const bool auth = !o.password.isEmpty();
    if (auth) {
        if (o.user.isEmpty())
            hello.commands.append({ "AUTH", o.password.toUtf8() });
        else
            hello.commands.append({ "AUTH", o.user.toUtf8(), o.password.toUtf8() });
    }
    if (o.db != 0)
        hello.commands.append({ "SELECT", QByteArray::number(o.db) });
    hello.commands.append({ "CLIENT", "SETNAME", "bullpen:" + o.role.toUtf8() });
    const bool wantTable = m_mode == Mode::Commands;
    if (wantTable)
        hello.commands.append({ "COMMAND", "LIST", "FILTERBY", "ACLCAT", "write" });
    // A cluster replica answers reads for its master's slots only after READONLY (else MOVED);
    // a reconnect forgets it, so every handshake says it.
    const bool readOnlyReplica = o.clusterReplica;
    if (readOnlyReplica)
        hello.commands.append({ "READONLY" });
    // Through sentinels the answer may be stale (a failover in progress, a sentinel that has not
    // heard of it yet): nothing is sent before the node itself says it is the master.
    const bool checkRole = o.isSentinel();
    if (checkRole)
        hello.commands.append({ "ROLE" });
    hello.timeoutMs = o.connectTimeoutMs;
    hello.done = [this, auth, wantTable, readOnlyReplica, checkRole](QList<Reply> replies) {
        // A client-side failure means the connection is being reset by whoever failed us.
        for (const Reply& r : replies) {
            if (r.isError() && r.errorKind() != Reply::ErrorKind::Server)
                return;
        }
        m_connectTimer->stop();
        int i = 0;
        if (auth) {
            const Reply& r = replies.at(i++);
            if (r.isError()) {
                m_fatal = true;
                const QString why = QStringLiteral("authentication failed: %1").arg(r.errorMessage());
                resetConnection(why, -1, Reply::ErrorKind::Connection, why);
                return;
            }
        }
        if (m_options.db != 0) {
            const Reply& r = replies.at(i++);
            if (r.isError()) {
                m_fatal = true;
                const QString why = QStringLiteral("cannot select database %1: %2").arg(m_options.db).arg(r.errorMessage());
                resetConnection(why, -1, Reply::ErrorKind::Connection, why);
                return;
            }
        }
        const Reply& setName = replies.at(i++);
        if (setName.isError() && setName.bytes().startsWith("NOAUTH")) {
            m_fatal = true;
            const QString why = QStringLiteral("authentication required: the server needs a password");
            resetConnection(why, -1, Reply::ErrorKind::Connection, why);
            return;
        }
        // CLIENT SETNAME may be denied to a restricted ACL user: that is no reason to fail.
        if (wantTable) {
            const Reply& table = replies.at(i++);
            if (table.isArray()) {
                QSet<QByteArray> names;
                names.reserve(table.size());
                for (const Reply& n : table.elements())
                    names.insert(n.bytes().toLower());
                Q_EMIT serverWriteCommands(names);
            }
        }
        if (readOnlyReplica) {
            const Reply& r = replies.at(i++);
            if (r.isError()) {
                const QString why = QStringLiteral("READONLY failed: %1").arg(r.errorMessage());
                resetConnection(why, -1, Reply::ErrorKind::Connection, describe(why));
                return;
            }
        }
        if (checkRole) {
            const Reply& role = replies.at(i++);
            const QString node = hostPortText(m_options.host, m_options.port);
            if (m_onReplica) {
                // A replica serves our reads only while it copies this very master. A user whom
                // ACL denies ROLE cannot check; the sentinels' word has to do then.
                if (role.isError() && role.bytes().startsWith("NOPERM")) {
                    becomeReady();
                    return;
                }
                const bool ok = !role.isError() && role.at(0).bytes() == "slave"
                    && QString::fromUtf8(role.at(1).bytes()) == m_masterHost
                    && role.at(2).toInteger() == m_masterPort && role.at(3).bytes() == "connected";
                if (!ok) {
                    replicaUnusable(sentinelReason(
                        QStringLiteral("%1 is not a connected replica of %2 at %3 (ROLE says %4); using the master")
                            .arg(node, m_options.sentinelMaster, hostPortText(m_masterHost, m_masterPort),
                                role.isError() ? role.errorMessage() : role.toDisplayString().left(120))));
                    return;
                }
                becomeReady();
                return;
            }
            // A user whom ACL denies ROLE cannot check; the sentinels' answer has to do then.
            if (role.isError() && !role.bytes().startsWith("NOPERM")) {
                const QString why = sentinelReason(QStringLiteral("%1 cannot serve as master of %2 yet (%3); asking the "
                                                                  "sentinels again")
                                                       .arg(node, m_options.sentinelMaster, role.errorMessage()));
                resetConnection(why, -1, Reply::ErrorKind::Connection, describe(why));
                return;
            }
            if (!role.isError() && role.at(0).bytes() != "master") {
                const QString why = sentinelReason(
                    QStringLiteral("%1 is not the master of %2 (ROLE says %3); asking the sentinels again")
                        .arg(node, m_options.sentinelMaster, QString::fromUtf8(role.at(0).bytes())));
                resetConnection(why, -1, Reply::ErrorKind::Connection, describe(why));
                return;
            }
        }
        becomeReady();
    };
    send(std::move(hello));
}

void RedisConnection::becomeReady()
{
    m_handshaking = false;
    m_attempt = 0;
    m_failoverHold = false;
    if (m_holdTimer)
        m_holdTimer->stop();
    if (m_onReplica)
        setState(ConnectionState::Ready,
            sentinelReason(QStringLiteral("connected to replica %1 of %2 (master at %3) for reads")
                               .arg(hostPortText(m_options.host, m_options.port), m_options.sentinelMaster,
                                   hostPortText(m_masterHost, m_masterPort))));
    else if (m_options.isSentinel())
        setState(ConnectionState::Ready,
            sentinelReason(QStringLiteral("connected to master %1 at %2")
                               .arg(m_options.sentinelMaster, hostPortText(m_options.host, m_options.port))));
    else
        setState(ConnectionState::Ready);
    Q_EMIT connectedTo(m_options.host, m_options.port);
    // The next attempt (after this connection ends) may try the replicas again.
    m_avoidReplicas = false;
    if (m_mode == Mode::Subscriber)
        sendSubscriptions();
    while (!m_waiting.empty()) {
        InFlight w = std::move(m_waiting.front());
        m_waiting.pop_front();
        send(std::move(w.request));
    }
}

void RedisConnection::submit(Request request)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (request.timeoutMs <= 0)
        request.timeoutMs = m_options.requestTimeoutMs;
    if (m_mode == Mode::Subscriber) {
        // Replies on a subscribed connection are pushes: a command's reply could not be told
        // apart from a message, and the server refuses most commands in this mode anyway.
        const QString why = describe(QStringLiteral("%1 is refused: this is a subscriber connection, use a command "
                                                    "connection")
                                         .arg(QString::fromUtf8(request.commands.value(0).value(0))));
        request.done(QList<Reply>(request.commands.size(), Reply::failure(Reply::ErrorKind::Refused, why)));
        return;
    }
    if (!m_timeoutTimer) {
        // Submitted before start() ran (open() queues it behind earlier requests).
        m_waiting.push_back({ std::move(request), {}, -1 });
        return;
    }
    if (m_state == ConnectionState::Ready && !m_handshaking && !m_failoverHold) {
        send(std::move(request));
        return;
    }
    if (m_state == ConnectionState::Connecting || m_failoverHold) {
        // Wait for the handshake; the deadline still runs.
        m_waiting.push_back({ std::move(request), {}, now() + request.timeoutMs });
        if (!m_timeoutTimer->isActive())
            m_timeoutTimer->start();
        return;
    }
    QString why = m_lastError.isEmpty() ? QStringLiteral("not connected") : m_lastError;
    if (m_reconnectTimer && m_reconnectTimer->isActive())
        why += QStringLiteral(" (reconnecting in %1 ms)").arg(m_reconnectTimer->remainingTime());
    QList<Reply> failed(request.commands.size(), Reply::failure(Reply::ErrorKind::Connection, describe(why)));
    request.done(std::move(failed));
}

void RedisConnection::send(Request request)
{
    if (!m_socket) {
        // The connection was reset under us (a write error while flushing an earlier request).
        const QString why = describe(m_lastError.isEmpty() ? QStringLiteral("not connected") : m_lastError);
        request.done(QList<Reply>(request.commands.size(), Reply::failure(Reply::ErrorKind::Connection, why)));
        return;
    }
    m_writeBuffer.clear();
    for (const Command& c : std::as_const(request.commands))
        encodeCommand(c, m_writeBuffer);
    const qint64 deadline = now() + (request.timeoutMs > 0 ? request.timeoutMs : m_options.requestTimeoutMs);
    if (request.commands.isEmpty()) {
        request.done({});
        return;
    }
    m_lastSendNs = m_clock.nsecsElapsed();
    m_inflight.push_back({ std::move(request), {}, deadline });
    m_inflight.back().replies.reserve(m_inflight.back().request.commands.size());
    m_socket->write(m_writeBuffer);
    // Write now rather than on the next loop iteration: one poll less per round trip. A write
    // error here resets the connection synchronously (m_socket becomes null, the request fails).
    if (auto* tcp = qobject_cast<QAbstractSocket*>(m_socket))
        tcp->flush();
    else if (auto* local = qobject_cast<QLocalSocket*>(m_socket))
        local->flush();
    if (!m_timeoutTimer->isActive())
        m_timeoutTimer->start();
}

void RedisConnection::post(Request request)
{
    bool wake = false;
    {
        QMutexLocker lock(&m_inboxMutex);
        m_inbox.push_back(std::move(request));
        m_inboxNonEmpty.store(true, std::memory_order_release);
        if (!m_spinning && !m_drainPosted) {
            m_drainPosted = true;
            wake = true;
        }
    }
    if (wake)
        QMetaObject::invokeMethod(this, &RedisConnection::drainInbox, Qt::QueuedConnection);
}

void RedisConnection::drainInbox()
{
    if (m_lastAnswerNs > 0) {
        // How long the caller took to follow the last reply (this wake-up included).
        m_gapEwmaNs = (3 * m_gapEwmaNs + (m_clock.nsecsElapsed() - m_lastAnswerNs)) / 4;
        m_lastAnswerNs = 0;
    }
    for (Request& r : takeInbox(&m_drainPosted))
        submit(std::move(r));
}

std::deque<Request> RedisConnection::takeInbox(bool* clear)
{
    // In the same locked step as the take: a post() after it sees the flag down and wakes us.
    std::deque<Request> batch;
    QMutexLocker lock(&m_inboxMutex);
    *clear = false;
    batch.swap(m_inbox);
    m_inboxNonEmpty.store(false, std::memory_order_relaxed);
    return batch;
}

namespace {
// Waiting awake yields rather than pausing in place: the thread it waits for (the caller, woken
// with a reply) is often queued on this very CPU, and runs at once instead of after the spin.
// On a 2-vCPU machine this took 100 GETs pipelined from 1.02 M to 1.14 M requests/s, sequential
// PINGs unchanged (bench/redisclient).
inline void cpuRelax()
{
    std::this_thread::yield();
}

// How long the thread waits awake for the next request once every reply is out. A caller that
// answers a reply with a new request (sequential commands, paging, the action runner) usually
// does so within a few microseconds; sleeping in poll() instead costs a wake-up of this thread
// on top of the caller's. Bounded, and only when a reply has just been delivered, so an idle
// connection never spins.
constexpr qint64 kSpinForNextNs = 50'000;
// How long it then waits awake for the reply to what it sent (plain TCP and Unix sockets only).
constexpr qint64 kSpinForReplyNs = 250'000;
// Round trips in a row without returning to the event loop (timers and other events wait).
constexpr int kPumpRounds = 64;

bool readableNow(qintptr fd)
{
    pollfd p { int(fd), POLLIN, 0 };
    return ::poll(&p, 1, 0) == 1 && (p.revents & (POLLIN | POLLHUP | POLLERR)) != 0;
}
} // namespace

void RedisConnection::pump()
{
    QScopedValueRollback<bool> pumping(m_pumping, true);
    for (int round = 0; round < kPumpRounds; ++round) {
        spinForNext(kSpinForNextNs);
        QIODevice* const dev = m_socket;
        if (m_inflight.empty() || !dev)
            return; // nothing new: back to the event loop
        // TLS records need QSslSocket's own reading: leave those to the event loop.
        qintptr fd = -1;
        if (auto* tcp = qobject_cast<QTcpSocket*>(dev); tcp && !qobject_cast<QSslSocket*>(dev))
            fd = tcp->socketDescriptor();
        else if (auto* local = qobject_cast<QLocalSocket*>(dev))
            fd = local->socketDescriptor();
        if (fd < 0 || m_rttEwmaNs > kSpinForReplyNs)
            return; // TLS, or a server too far away to wait for awake
        m_pumpAnswered = false;
        QElapsedTimer t;
        t.start();
        while (!m_pumpAnswered && m_socket == dev && t.nsecsElapsed() < kSpinForReplyNs) {
            if (!readableNow(fd)) {
                cpuRelax();
                continue;
            }
            // Readable: the socket takes the bytes into its buffer now (no timeout error can come
            // of a ready socket). It does not emit readyRead again while we are inside its
            // readyRead, so we read them ourselves.
            if (auto* tcp = qobject_cast<QAbstractSocket*>(dev))
                tcp->waitForReadyRead(0);
            else if (auto* local = qobject_cast<QLocalSocket*>(dev))
                local->waitForReadyRead(0);
            if (m_socket == dev)
                onReadyRead();
            break;
        }
        if (!m_pumpAnswered || !m_inflight.empty() || m_socket != dev)
            return;
    }
}

void RedisConnection::spinForNext(qint64 budgetNs)
{
    // Only for a caller that has been following replies quickly; the others (a GUI refreshing
    // every few seconds) are woken the usual way, and their gaps keep this off.
    if (m_gapEwmaNs > budgetNs)
        return; // what was posted meanwhile has its drainInbox() queued
    {
        QMutexLocker lock(&m_inboxMutex);
        m_spinning = true;
    }
    QElapsedTimer t;
    t.start();
    while (!m_inboxNonEmpty.load(std::memory_order_acquire) && t.nsecsElapsed() < budgetNs)
        cpuRelax();
    // A miss counts double: a few of them in a row stop the spinning.
    m_gapEwmaNs = (3 * m_gapEwmaNs + (m_inboxNonEmpty.load(std::memory_order_acquire) ? t.nsecsElapsed() : 2 * budgetNs)) / 4;
    m_lastAnswerNs = 0;
    for (Request& r : takeInbox(&m_spinning))
        submit(std::move(r));
}

void RedisConnection::onReadyRead()
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (m_push) {
        onSubscriberReadyRead();
        return;
    }
    if (!m_socket || !m_decoder)
        return;
    QIODevice* const socket = m_socket;
    char buffer[kReadChunk];
    bool answered = false;
    for (;;) {
        const qint64 n = socket->read(buffer, sizeof buffer);
        if (n <= 0)
            break;
        m_decoder->feed(buffer, qsizetype(n));
        while (m_socket == socket) {
            auto reply = m_decoder->next();
            if (!reply)
                break;
            answered = answered || !m_inflight.empty();
            dispatch(std::move(*reply));
        }
        if (m_socket != socket)
            return; // a reply handler reset the connection: the rest of the stream is void
        if (m_decoder->hasError()) {
            const QString why = m_decoder->errorString();
            resetConnection(why, 0, Reply::ErrorKind::Protocol, describe(why));
            return;
        }
    }
    if (answered && m_mode == Mode::Commands && m_inflight.empty() && m_state == ConnectionState::Ready && !m_handshaking) {
        const qint64 t = m_clock.nsecsElapsed();
        m_rttEwmaNs = (3 * m_rttEwmaNs + (t - m_lastSendNs)) / 4;
        m_lastAnswerNs = t;
        if (m_pumping)
            m_pumpAnswered = true; // pump() goes on with the next request
        else
            pump();
    }
}

// A subscriber's stream is mostly message frames: PushDecoder turns them into messages straight
// from the read buffer (no Reply tree, channel and pattern bytes shared), and hands anything
// else (handshake replies, confirmations, errors) to dispatch() in stream order.
//
// The owner's queue is bounded (SubscriberGate). When it is full, Drop goes on reading and counts
// what does not fit; Hold stops reading: the rest waits in QTcpSocket's buffer (bounded by
// kSubscriberReadBuffer, so Qt stops reading the OS socket), then in the kernel, then in Redis's
// output buffer for us, which client-output-buffer-limit pubsub bounds: past it Redis closes the
// connection, and the reconnect, resubscription and the owner's gap marker follow as for any
// lost connection. The owner wakes us through resumeReading() once it has taken half.
void RedisConnection::onSubscriberReadyRead()
{
    if (!m_socket || !m_push)
        return;
    QIODevice* const socket = m_socket;
    char buffer[kReadChunk];
    qint64 receivedMs = QDateTime::currentMSecsSinceEpoch();
    for (;;) {
        // First what the decoder still holds (after a hold), then what the socket has.
        if (!deliverDecoded(socket, receivedMs))
            return;
        const qint64 n = socket->read(buffer, sizeof buffer);
        if (n <= 0)
            break;
        m_push->feed(buffer, qsizetype(n));
        receivedMs = QDateTime::currentMSecsSinceEpoch(); // one clock read per chunk
    }
    // The owner learns of new messages, and of new drops even when nothing else arrives.
    if ((!m_batch.isEmpty() || m_dropped != m_reportedDropped) && !m_flushTimer->isActive())
        m_flushTimer->start();
}

bool RedisConnection::deliverDecoded(QIODevice* socket, qint64 receivedMs)
{
    while (m_socket == socket && !m_push->hasError()) {
        const bool hold = m_gate->hold.load(std::memory_order_relaxed);
        qint64 dropped = 0;
        auto reply = m_push->next(m_batch, receivedMs, roomLeft(), dropped, hold);
        m_dropped += dropped;
        if (reply) {
            dispatch(std::move(*reply));
            continue;
        }
        if (m_push->hasError())
            break;
        // Not full: the rest of a frame is still to come. During the handshake no message can be
        // waiting (nothing is subscribed yet), and its replies must not wait for the owner.
        if (!hold || roomLeft() > 0 || !m_inflight.empty())
            return true;
        if (startHolding())
            return false;
    }
    if (m_socket != socket)
        return false; // a reply handler reset the connection: the rest of the stream is void
    const QString why = m_push->errorString();
    resetConnection(why, 0, Reply::ErrorKind::Protocol, describe(why));
    return false;
}

qint64 RedisConnection::roomLeft() const
{
    return m_gate->maxQueued - m_batch.size() - m_gate->undelivered.load(std::memory_order_relaxed);
}

bool RedisConnection::startHolding()
{
    flushMessages(); // the owner must have all we took, or it could never take enough to wake us
    // Sequentially consistent with the owner's decrement and check: either the owner sees the flag
    // and wakes us, or we see its decrement here.
    m_gate->holding.store(true);
    if (m_gate->undelivered.load() > m_gate->resumeMark())
        return true;
    // The owner took enough meanwhile: go on, unless it turned the flag off first (its
    // resumeReading() is then on the way).
    return !m_gate->holding.exchange(false);
}

void RedisConnection::resumeReading()
{
    Q_ASSERT(QThread::currentThread() == thread());
    onSubscriberReadyRead();
}

void RedisConnection::dispatch(Reply reply)
{
    if (m_inflight.empty()) {
        if (m_mode == Mode::Subscriber) {
            handlePush(reply);
            return;
        }
        // A reply nobody asked for means we no longer know which reply answers what.
        const QString why = QStringLiteral("protocol error: unexpected reply %1").arg(reply.toDisplayString().left(80));
        resetConnection(why, -1, Reply::ErrorKind::Protocol, describe(why));
        return;
    }
    InFlight& head = m_inflight.front();
    if (m_options.isSentinel() && reply.isError()
        && ((reply.bytes().startsWith("READONLY") && !m_onReplica) || reply.bytes().startsWith("LOADING")
            || reply.bytes().startsWith("MASTERDOWN"))) {
        m_wrongNode = true; // this node is no longer (or not yet) a usable master, or replica
        if (m_onReplica)
            m_avoidReplicas = true;
    }
    head.replies.append(std::move(reply));
    if (head.replies.size() < head.request.commands.size())
        return;
    InFlight done = std::move(head);
    m_inflight.pop_front();
    // The deadline timer is stopped by its next tick once nothing is pending, not here:
    // stopping and restarting it around every round trip costs more than one idle tick.
    done.request.done(std::move(done.replies));
    if (m_wrongNode && m_socket) {
        // The error reply went to its caller as what it is (never as a success); what follows
        // it goes to the master the sentinels name now.
        m_wrongNode = false;
        reconnectNow(sentinelReason(QStringLiteral("%1 refused as a replica or while loading; asking the sentinels "
                                                   "for the master of %2")
                                        .arg(hostPortText(m_options.host, m_options.port), m_options.sentinelMaster)));
    }
}

void RedisConnection::handlePush(const Reply& reply)
{
    const QByteArray kind = reply.at(0).bytes();
    if (reply.isError()) {
        Q_EMIT subscriberError(reply.errorMessage());
        return;
    }
    PubSubMessage m;
    if (kind == "message" && reply.size() == 3) {
        m.channel = reply.at(1).bytes();
        m.payload = reply.at(2).bytes();
    } else if (kind == "pmessage" && reply.size() == 4) {
        m.pattern = reply.at(1).bytes();
        m.channel = reply.at(2).bytes();
        m.payload = reply.at(3).bytes();
    } else {
        return; // subscribe/unsubscribe confirmations, pong
    }
    // Bounded: while the owner has not caught up with what we delivered, count instead of queueing.
    // Under Hold the decoder stops at the next message frame once full, so this rare frame (a
    // message of another shape) is kept: it may exceed the bound by one.
    if (roomLeft() <= 0 && !m_gate->hold.load(std::memory_order_relaxed)) {
        ++m_dropped;
        if (!m_flushTimer->isActive())
            m_flushTimer->start(); // the owner learns the new drop count even when nothing else arrives
        return;
    }
    m.receivedMs = QDateTime::currentMSecsSinceEpoch();
    m_batch.append(std::move(m));
    if (!m_flushTimer->isActive())
        m_flushTimer->start();
}

void RedisConnection::flushMessages()
{
    if (m_batch.isEmpty() && m_dropped == m_reportedDropped)
        return;
    const qint64 undelivered = m_gate->undelivered.fetch_add(m_batch.size()) + m_batch.size();
    if (undelivered > m_gate->peak.load(std::memory_order_relaxed))
        m_gate->peak.store(undelivered, std::memory_order_relaxed);
    m_reportedDropped = m_dropped;
    Q_EMIT messagesReady(m_batch, m_dropped);
    m_batch.clear();
}

void RedisConnection::setSubscriptions(QSet<QByteArray> channels, QSet<QByteArray> patterns)
{
    Q_ASSERT(QThread::currentThread() == thread());
    const bool live = m_state == ConnectionState::Ready && !m_handshaking && m_socket;
    if (live) {
        QByteArray out;
        const auto diff = [&out](const QSet<QByteArray>& now, const QSet<QByteArray>& before, const char* on,
                              const char* off) {
            Command add { on }, remove { off };
            for (const auto& c : now)
                if (!before.contains(c))
                    add.append(c);
            for (const auto& c : before)
                if (!now.contains(c))
                    remove.append(c);
            if (add.size() > 1)
                encodeCommand(add, out);
            if (remove.size() > 1)
                encodeCommand(remove, out);
        };
        diff(channels, m_channels, "SUBSCRIBE", "UNSUBSCRIBE");
        diff(patterns, m_patterns, "PSUBSCRIBE", "PUNSUBSCRIBE");
        if (!out.isEmpty())
            m_socket->write(out);
    }
    m_channels = std::move(channels);
    m_patterns = std::move(patterns);
}

void RedisConnection::sendSubscriptions()
{
    // After every (re)connect: the server forgot our subscriptions with the old connection.
    QByteArray out;
    if (!m_channels.isEmpty()) {
        Command c { "SUBSCRIBE" };
        c.append(QList<QByteArray>(m_channels.begin(), m_channels.end()));
        encodeCommand(c, out);
    }
    if (!m_patterns.isEmpty()) {
        Command c { "PSUBSCRIBE" };
        c.append(QList<QByteArray>(m_patterns.begin(), m_patterns.end()));
        encodeCommand(c, out);
    }
    if (!out.isEmpty())
        m_socket->write(out);
}

void RedisConnection::setDeliveryGate(std::shared_ptr<SubscriberGate> gate)
{
    m_gate = std::move(gate);
}

void RedisConnection::checkTimeouts()
{
    const qint64 t = now();
    for (auto it = m_waiting.begin(); it != m_waiting.end();) {
        if (it->deadlineMs <= t) {
            auto req = std::move(it->request);
            it = m_waiting.erase(it);
            const QString why = describe(QStringLiteral("no connection within %1 ms (%2)")
                                             .arg(req.timeoutMs)
                                             .arg(m_lastError.isEmpty() ? stateName(m_state) : m_lastError));
            req.done(QList<Reply>(req.commands.size(), Reply::failure(Reply::ErrorKind::Timeout, why)));
        } else {
            ++it;
        }
    }
    for (qsizetype i = 0; i < qsizetype(m_inflight.size()); ++i) {
        const InFlight& f = m_inflight[size_t(i)];
        if (f.deadlineMs <= t) {
            if (m_onReplica && m_handshaking) {
                replicaUnusable(sentinelReason(QStringLiteral("replica %1 of %2 did not answer the handshake within "
                                                              "%3 ms; using the master")
                                                   .arg(hostPortText(m_options.host, m_options.port),
                                                       m_options.sentinelMaster)
                                                   .arg(f.request.timeoutMs)));
                return;
            }
            // Replies come in order: once one is late we cannot tell which later reply is whose.
            const QString name = QString::fromUtf8(f.request.commands.first().first()).toUpper();
            const QString why = QStringLiteral("%1 got no reply within %2 ms").arg(name).arg(f.request.timeoutMs);
            resetConnection(QStringLiteral("%1 timed out").arg(name), i, Reply::ErrorKind::Timeout, describe(why));
            return;
        }
    }
    if (m_inflight.empty() && m_waiting.empty())
        m_timeoutTimer->stop();
}

void RedisConnection::resetConnection(
    const QString& reason, qsizetype culprit, Reply::ErrorKind kind, const QString& message)
{
    // Failing a request runs its callback, and closing the socket may emit more errors: one
    // reset at a time, the outer one finishes the job.
    if (m_resetting)
        return;
    const QScopedValueRollback guard(m_resetting, true);
    // After a failover the waiting requests go to the new master instead of failing.
    const bool attemptFailed = m_state == ConnectionState::Connecting && !m_reconnectNow && !m_failoverHold;
    stopResolving();
    m_wrongNode = false;
    m_lastError = reason;

    // Close first, so that nothing a callback does can write to the dead stream.
    if (m_socket) {
        QIODevice* s = m_socket;
        m_socket = nullptr;
        s->disconnect(this);
        if (auto* a = qobject_cast<QAbstractSocket*>(s))
            a->abort();
        else if (auto* l = qobject_cast<QLocalSocket*>(s))
            l->abort();
        s->deleteLater();
    }
    m_decoder.reset();
    m_push.reset();
    m_connectTimer->stop();
    m_handshaking = false;

    // The culprit gets the precise error, everything else in flight is collateral.
    auto pending = std::move(m_inflight);
    m_inflight.clear();
    const QString collateral = describe(QStringLiteral("connection reset: %1").arg(reason));
    for (qsizetype i = 0; i < qsizetype(pending.size()); ++i) {
        InFlight& f = pending[size_t(i)];
        QList<Reply> replies = std::move(f.replies);
        while (replies.size() < f.request.commands.size())
            replies.append(i == culprit ? Reply::failure(kind, message)
                                        : Reply::failure(Reply::ErrorKind::Connection, collateral));
        f.request.done(std::move(replies));
    }

    // What the old connection delivered reaches the owner before it learns of the loss, so that a
    // gap it marks falls after those messages.
    if (m_mode == Mode::Subscriber)
        flushMessages();
    if (m_fatal) {
        m_reconnectNow = false;
        setState(ConnectionState::Failed, reason);
        failWaiting(Reply::ErrorKind::Connection, describe(reason));
        return;
    }
    setState(ConnectionState::Disconnected, reason);
    // A connection attempt that fails answers whoever waits for it now, not at their timeout.
    if (attemptFailed)
        failWaiting(Reply::ErrorKind::Connection, describe(reason));
    scheduleReconnect();
}

void RedisConnection::onSocketError(const QString& socketReason)
{
    if (m_stopping || m_resetting)
        return;
    if (m_onReplica && !m_fatal && m_tlsError.isEmpty() && (m_state == ConnectionState::Connecting || m_handshaking)) {
        // A replica the sentinels still list may be gone: the master serves the reads instead.
        replicaUnusable(sentinelReason(QStringLiteral("replica %1 of %2 cannot be reached (%3); using the master")
                                           .arg(hostPortText(m_options.host, m_options.port), m_options.sentinelMaster,
                                               socketReason)));
        return;
    }
    QString reason = m_tlsError.isEmpty() ? socketReason : m_tlsError;
    if (m_options.transport == ConnectionOptions::Transport::Tls && m_tlsError.isEmpty()
        && (m_handshaking || m_state == ConnectionState::Connecting)
        && socketReason.contains(QLatin1String("certificate required"), Qt::CaseInsensitive)) {
        // TLS 1.3: the server checks our certificate after we consider the handshake done, and
        // says so with an alert on our first read. Without a certificate, retrying is futile.
        m_fatal = true;
        reason = QStringLiteral("TLS: the server requires a client certificate (%1)").arg(socketReason);
    } else if (m_handshaking && m_options.transport == ConnectionOptions::Transport::Tls && m_tlsError.isEmpty()) {
        reason += QStringLiteral(" (the server closed the TLS connection: client certificate required?)");
    }
    resetConnection(reason, 0, Reply::ErrorKind::Connection, describe(QStringLiteral("connection lost: %1").arg(reason)));
}

void RedisConnection::onDisconnected()
{
    onSocketError(QStringLiteral("the server closed the connection"));
}

void RedisConnection::failAll(Reply::ErrorKind kind, const QString& message)
{
    auto pending = std::move(m_inflight);
    m_inflight.clear();
    for (InFlight& f : pending) {
        QList<Reply> replies = std::move(f.replies);
        while (replies.size() < f.request.commands.size())
            replies.append(Reply::failure(kind, message));
        f.request.done(std::move(replies));
    }
}

void RedisConnection::failWaiting(Reply::ErrorKind kind, const QString& message)
{
    auto waiting = std::move(m_waiting);
    m_waiting.clear();
    for (InFlight& f : waiting)
        f.request.done(QList<Reply>(f.request.commands.size(), Reply::failure(kind, message)));
}

void RedisConnection::scheduleReconnect()
{
    if (!m_options.reconnect || m_stopping) {
        m_reconnectNow = false;
        failWaiting(Reply::ErrorKind::Connection, describe(m_lastError));
        return;
    }
    if (m_reconnectNow) {
        // Not a failure of the server: the master moved. Waiting requests stay queued.
        m_reconnectNow = false;
        m_attempt = 0;
        connectSocket();
        return;
    }
    // Capped exponential backoff with ±20 % jitter, so many clients do not return in step.
    const double base = double(m_options.reconnectInitialMs) * double(1LL << std::min(m_attempt, 20));
    const double capped = std::min(base, double(m_options.reconnectMaxMs));
    const double jitter = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
    ++m_attempt;
    m_reconnectTimer->start(int(capped * jitter));
}

void RedisConnection::setState(ConnectionState state, const QString& reason)
{
    if (state == m_state && reason.isEmpty())
        return;
    m_state = state;
    qCDebug(lcConnection) << m_options.displayAddress() << stateName(state) << reason;
    Q_EMIT stateChanged(state, reason);
}

// ---- Sentinel --------------------------------------------------------------------------------
//
// Before each attempt the sentinels are asked in order (SENTINEL get-master-addr-by-name, a short
// timeout each, the next one on any failure); the handshake then checks with ROLE that the node
// is the master. Failovers are followed through one watcher connection per sentinel (only the
// sentinel that leads a failover announces its start):
//   +try-failover for our master: hold. Requests already sent finish on the old master, new
//     ones wait, so nothing is written to the old master once the replica may be promoted.
//   +switch-master: drop the connection and connect to the new master at once (not through
//     the sentinels: one that has not heard of the switch would still name the old master,
//     and the old master keeps saying "master" for seconds). Waiting requests go there.
//   -failover-abort-*, or no switch within kFailoverHoldMaxMs: ask the sentinels again.
// A READONLY, LOADING or MASTERDOWN error reply also makes the connection ask again.

void RedisConnection::resolveMaster(int index)
{
    stopResolving();
    if (index >= m_options.sentinels.size()) {
        const QString why = sentinelReason(QStringLiteral("no sentinel gave the address of %1 (%2)")
                                               .arg(m_options.sentinelMaster, m_resolveErrors.join(QStringLiteral("; "))));
        resetConnection(why, -1, Reply::ErrorKind::Connection, describe(why));
        return;
    }
    auto* link = new SentinelLink(m_options.sentinels.at(index), m_options, QStringLiteral("sentinel-ask"), this);
    m_resolver = link;
    connect(link, &SentinelLink::failed, this, [this, link, index](const QString& reason) {
        m_resolveErrors << QStringLiteral("%1: %2").arg(link->address(), reason);
        resolveMaster(index + 1);
    });
    // With replicas wanted, the same link also asks for the replicas: two replies to collect.
    const bool askReplicas = replicaMode() && !m_avoidReplicas;
    auto replies = std::make_shared<QList<Reply>>();
    connect(link, &SentinelLink::replyReceived, this, [this, link, index, askReplicas, replies](const Reply& reply) {
        replies->append(reply);
        if (replies->size() < (askReplicas ? 2 : 1))
            return;
        const Reply master = replies->at(0);
        const QString from = link->address();
        if (master.isArray() && master.size() == 2) {
            bool ok = false;
            const uint port = master.at(1).bytes().toUInt(&ok);
            const QString host = QString::fromUtf8(master.at(0).bytes());
            if (ok && port > 0 && port <= 65535 && !host.isEmpty()) {
                stopResolving();
                m_masterHost = host;
                m_masterPort = quint16(port);
                m_options.host = host;
                m_options.port = quint16(port);
                m_onReplica = false;
                m_resolved = true;
                QString said = QStringLiteral("%1 says master %2 is at %3")
                                   .arg(from, m_options.sentinelMaster, hostPortText(host, quint16(port)));
                if (askReplicas) {
                    QString why;
                    if (const auto replica = pickReplica(replies->at(1), host, quint16(port), &why)) {
                        m_options.host = replica->first;
                        m_options.port = replica->second;
                        m_onReplica = true;
                        said += QStringLiteral("; reading from its replica %1")
                                    .arg(hostPortText(replica->first, replica->second));
                    } else {
                        said += QStringLiteral("; %1, reading from the master").arg(why);
                    }
                }
                setState(ConnectionState::Connecting, sentinelReason(said));
                connectSocket();
                return;
            }
        }
        if (master.isNil())
            m_resolveErrors << QStringLiteral("%1 knows no master named '%2'").arg(from, m_options.sentinelMaster);
        else if (master.isError())
            m_resolveErrors << QStringLiteral("%1: %2").arg(from, master.errorMessage());
        else
            m_resolveErrors << QStringLiteral("%1: unexpected answer %2").arg(from, master.toDisplayString().left(80));
        resolveMaster(index + 1);
    });
    QList<Command> ask { { "SENTINEL", "get-master-addr-by-name", m_options.sentinelMaster.toUtf8() } };
    if (askReplicas)
        ask.append({ "SENTINEL", "REPLICAS", m_options.sentinelMaster.toUtf8() });
    link->open(ask, std::min(m_options.connectTimeoutMs, kSentinelAskMaxMs));
}

std::optional<std::pair<QString, quint16>> RedisConnection::pickReplica(
    const Reply& replicas, const QString& masterHost, quint16 masterPort, QString* why)
{
    if (!replicas.isArray()) {
        *why = replicas.isError() ? QStringLiteral("SENTINEL REPLICAS failed (%1)").arg(replicas.errorMessage())
                                  : QStringLiteral("no replica list");
        return std::nullopt;
    }
    // Each entry is a flat "name value" list. Healthy: not subjectively or objectively down,
    // connected to the sentinel, its link to the master up, and a replica of this master.
    QList<std::pair<QString, quint16>> healthy;
    for (const Reply& entry : replicas.elements()) {
        QHash<QByteArray, QByteArray> f;
        for (qsizetype i = 0; i + 1 < entry.size(); i += 2)
            f.insert(entry.at(i).bytes(), entry.at(i + 1).bytes());
        const QList<QByteArray> flags = f.value("flags").split(',');
        if (flags.contains("s_down") || flags.contains("o_down") || flags.contains("disconnected"))
            continue;
        if (f.value("master-link-status") != "ok")
            continue;
        if (f.contains("master-port") && f.value("master-port").toUInt() != masterPort)
            continue;
        if (f.contains("master-host") && QString::fromUtf8(f.value("master-host")) != masterHost)
            continue;
        bool ok = false;
        const uint port = f.value("port").toUInt(&ok);
        const QString host = QString::fromUtf8(f.value("ip"));
        if (ok && port > 0 && port <= 65535 && !host.isEmpty())
            healthy.append({ host, quint16(port) });
    }
    if (healthy.isEmpty()) {
        *why = replicas.size() == 0 ? QStringLiteral("it knows no replica") : QStringLiteral("no replica is healthy");
        return std::nullopt;
    }
    // Spread the readers of several Bullpen windows over the replicas.
    return healthy.at(qsizetype(QRandomGenerator::global()->bounded(quint32(healthy.size()))));
}

void RedisConnection::replicaUnusable(const QString& reason)
{
    m_avoidReplicas = true;
    m_resolved = false;
    reconnectNow(reason);
}

void RedisConnection::stopResolving()
{
    if (!m_resolver)
        return;
    SentinelLink* link = m_resolver;
    m_resolver = nullptr;
    link->disconnect(this);
    link->deleteLater(); // may be inside one of its signals
}

void RedisConnection::openWatchers()
{
    if (m_stopping)
        return;
    while (m_watchers.size() < m_options.sentinels.size())
        m_watchers.append(nullptr);
    for (qsizetype i = 0; i < m_options.sentinels.size(); ++i) {
        if (m_watchers.at(i))
            continue;
        auto* link = new SentinelLink(m_options.sentinels.at(i), m_options, QStringLiteral("sentinel-watch"), this);
        m_watchers[i] = link;
        connect(link, &SentinelLink::failed, this, [this, link, i](const QString& reason) {
            qCDebug(lcConnection) << "sentinel watcher" << link->address() << "down:" << reason;
            link->disconnect(this);
            link->deleteLater();
            if (m_watchers.value(i) == link)
                m_watchers[i] = nullptr; // reopened by m_watchTimer
        });
        connect(link, &SentinelLink::replyReceived, this, [this, link](const Reply& reply) {
            // Three confirmations, then messages: the link stays open for good.
            if (reply.at(0).bytes() == "psubscribe")
                link->disarm();
            onSentinelEvent(reply);
        });
        link->open({ { "SUBSCRIBE", "+switch-master", "+try-failover" }, { "PSUBSCRIBE", "-failover-abort-*" } },
            m_options.connectTimeoutMs);
    }
}

void RedisConnection::onSentinelEvent(const Reply& reply)
{
    QByteArray channel, payload;
    if (reply.at(0).bytes() == "message" && reply.size() == 3) {
        channel = reply.at(1).bytes();
        payload = reply.at(2).bytes();
    } else if (reply.at(0).bytes() == "pmessage" && reply.size() == 4) {
        channel = reply.at(2).bytes();
        payload = reply.at(3).bytes();
    } else {
        return;
    }
    const QList<QByteArray> words = payload.split(' ');
    const QByteArray master = m_options.sentinelMaster.toUtf8();
    if (channel == "+switch-master") {
        // "<name> <old ip> <old port> <new ip> <new port>"
        bool ok = false;
        const uint port = words.value(4).toUInt(&ok);
        if (words.size() == 5 && words.at(0) == master && ok && port > 0 && port <= 65535)
            onMasterSwitched(QString::fromUtf8(words.at(3)), quint16(port));
        return;
    }
    // "+try-failover" and "-failover-abort-…": "master <name> <ip> <port>"
    if (words.size() < 4 || words.at(0) != "master" || words.at(1) != master)
        return;
    if (channel == "+try-failover") {
        onFailoverStarted();
    } else if (channel.startsWith("-failover-abort") && m_failoverHold) {
        endFailoverHold(sentinelReason(QStringLiteral("the failover of %1 was aborted (%2); asking the sentinels again")
                                           .arg(m_options.sentinelMaster, QString::fromUtf8(channel.mid(1)))));
    }
}

void RedisConnection::onFailoverStarted()
{
    // Reads on a replica need no hold: the switch makes us ask the sentinels again.
    if (m_onReplica || m_failoverHold || m_state != ConnectionState::Ready || m_handshaking || !m_socket)
        return;
    m_failoverHold = true;
    m_holdTimer->start(kFailoverHoldMaxMs);
    m_lastError = sentinelReason(QStringLiteral("failover of %1 in progress").arg(m_options.sentinelMaster));
    // Connecting: new requests wait (the ones in flight still get their replies).
    setState(ConnectionState::Connecting,
        sentinelReason(QStringLiteral("failover of %1 started; requests wait for the new master")
                           .arg(m_options.sentinelMaster)));
}

void RedisConnection::onMasterSwitched(const QString& host, quint16 port)
{
    if (m_stopping)
        return;
    // Every sentinel announces the switch: the first one moves us, the others find us there
    // (connected, or on the way: resolving, connecting, in the handshake).
    const bool sameTarget = host == m_masterHost && port == m_masterPort;
    if (sameTarget && !m_failoverHold)
        return;
    const QString why = sentinelReason(QStringLiteral("master %1 moved to %2")
                                           .arg(m_options.sentinelMaster, hostPortText(host, port)));
    if (replicaMode()) {
        // A reader picks a replica of the new master: through the sentinels (the leader that
        // announced the switch knows the new layout).
        m_masterHost = host;
        m_masterPort = port;
        m_resolved = false;
        reconnectNow(why);
        return;
    }
    m_switchHost = host;
    m_switchPort = port;
    reconnectNow(why);
}

void RedisConnection::endFailoverHold(const QString& reason)
{
    if (!m_failoverHold)
        return;
    m_failoverHold = false;
    m_holdTimer->stop();
    m_resolved = false;
    reconnectNow(reason);
}

void RedisConnection::reconnectNow(const QString& reason)
{
    if (m_stopping)
        return;
    m_reconnectNow = true;
    resetConnection(reason, -1, Reply::ErrorKind::Connection,
        describe(QStringLiteral("failover: %1").arg(reason.startsWith(QLatin1String("sentinel: ")) ? reason.mid(10) : reason)));
    m_reconnectNow = false;
}

} // namespace bullpen
