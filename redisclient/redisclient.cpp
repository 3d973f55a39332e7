// SPDX-License-Identifier: MIT
#include "redisclient.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QMutexLocker>
#include <QPromise>
#include <QThread>

#include <thread>
#include <type_traits>

namespace bullpen {

namespace {
// How long waitAwake() waits awake at most, and the calling thread's recent waits (a miss counts
// as twice the budget, so a few misses in a row stop the awake waiting).
constexpr qint64 kAwakeBudgetNs = 200'000;
thread_local qint64 t_recentWaitNs = 0;
} // namespace

void waitAwake(bool (*pending)(const void* context), const void* context)
{
    Q_ASSERT_X(!(QCoreApplication::instance() && QCoreApplication::instance()->inherits("QGuiApplication")
                   && QThread::currentThread() == QCoreApplication::instance()->thread()),
        "waitAwake", "the GUI thread must not wait on the network");
    if (!pending(context))
        return;
    if (t_recentWaitNs > kAwakeBudgetNs) {
        // Replies have been slow: sleep, and let the estimate decay so that a few calls later
        // it is tried again.
        t_recentWaitNs -= t_recentWaitNs / 8;
        return;
    }
    QElapsedTimer t;
    t.start();
    bool waiting = true;
    while ((waiting = pending(context)) && t.nsecsElapsed() < kAwakeBudgetNs)
        std::this_thread::yield();
    t_recentWaitNs = (3 * t_recentWaitNs + (waiting ? 2 * kAwakeBudgetNs : t.nsecsElapsed())) / 4;
}

namespace {
void registerTypes()
{
    static const bool done = [] {
        qRegisterMetaType<Reply>();
        qRegisterMetaType<ConnectionState>();
        qRegisterMetaType<PubSubMessage>();
        qRegisterMetaType<QList<PubSubMessage>>();
        return true;
    }();
    Q_UNUSED(done);
}

// The promise behind one request. Answered exactly once: by the connection thread, or, when the
// request is dropped unanswered (the client was destroyed before its thread took the request,
// or before open()), with `fallback` when the last reference goes away.
template<class T>
class PendingReply
{
public:
    /// `fallback` stands for every reply of `count` commands; the list is only built when needed.
    PendingReply(Reply fallback, qsizetype count)
        : m_fallback(std::move(fallback))
        , m_count(count)
    {
        m_promise.start();
    }
    ~PendingReply()
    {
        if constexpr (std::is_same_v<T, Reply>)
            finish(std::move(m_fallback));
        else
            finish(QList<Reply>(m_count, m_fallback));
    }
    PendingReply(const PendingReply&) = delete;
    PendingReply& operator=(const PendingReply&) = delete;

    QFuture<T> future() { return m_promise.future(); }
    void finish(T value)
    {
        if (m_done)
            return;
        m_done = true;
        m_promise.addResult(std::move(value));
        m_promise.finish();
    }

private:
    QPromise<T> m_promise;
    Reply m_fallback;
    qsizetype m_count;
    bool m_done = false; // only ever touched by whoever holds the request: one thread at a time
};

QString closedMessage(const ConnectionOptions& o)
{
    return QStringLiteral("%1: the client was closed before the request was sent").arg(o.displayAddress());
}
} // namespace

void prepareProcess()
{
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
}

RedisClient::RedisClient(ConnectionOptions options, QObject* parent)
    : RedisClient(std::move(options), RedisConnection::Mode::Commands, parent)
{
}

RedisClient::RedisClient(ConnectionOptions options, RedisConnection::Mode mode, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_mode(mode)
    , m_cancelled(Reply::failure(Reply::ErrorKind::Cancelled, closedMessage(m_options)))
{
    registerTypes();
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("bullpen:") + m_options.role);
    m_worker = new RedisConnection(m_options, m_mode);
    m_worker->moveToThread(m_thread);
    // The worker is deleted on its own thread once the loop has stopped.
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &RedisConnection::stateChanged, this, &RedisClient::onState);
    connect(m_worker, &RedisConnection::serverWriteCommands, this, [this](const QSet<QByteArray>& names) {
        QMutexLocker lock(&m_mutex);
        m_policy.setServerWriteCommands(names);
    });
    connect(m_worker, &RedisConnection::connectedTo, this, [this](const QString& host, quint16 port) {
        const QString address = (host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host)
            + QLatin1Char(':') + QString::number(port);
        {
            QMutexLocker lock(&m_mutex);
            if (address == m_serverAddress)
                return;
            m_serverAddress = address;
        }
        Q_EMIT serverAddressChanged(address);
    });
}

RedisClient::~RedisClient()
{
    if (m_thread->isRunning()) {
        m_thread->quit();
        // Bounded: the worker only has to close its socket and fail what is pending.
        m_thread->wait();
    } else {
        delete m_worker;
    }
}

void RedisClient::open()
{
    if (m_thread->isRunning())
        return;
    m_thread->start();
    QMetaObject::invokeMethod(m_worker, &RedisConnection::start, Qt::QueuedConnection);
}

QString RedisClient::checkAllowed(const Command& argv, bool allowDangerous) const
{
    QMutexLocker lock(&m_mutex);
    return m_policy.check(argv, m_options.readOnly, allowDangerous);
}

bool RedisClient::isReadCommand(const Command& argv) const
{
    QMutexLocker lock(&m_mutex);
    return !argv.isEmpty() && !m_policy.isWrite(argv);
}

void RedisClient::submit(Request request)
{
    m_worker->post(std::move(request));
}

QFuture<Reply> RedisClient::command(Command argv, CallOptions call)
{
    if (const QString refusal = checkAllowed(argv, call.allowDangerous); !refusal.isEmpty())
        return QtFuture::makeReadyFuture(Reply::failure(Reply::ErrorKind::Refused, refusal));
    auto pending = std::make_shared<PendingReply<Reply>>(m_cancelled, 1);
    QFuture<Reply> future = pending->future();
    Request r;
    r.commands.append(std::move(argv));
    r.timeoutMs = call.timeoutMs;
    r.done = [pending](QList<Reply> replies) {
        pending->finish(replies.isEmpty() ? Reply() : std::move(replies.first()));
    };
    submit(std::move(r));
    return future;
}

QFuture<QList<Reply>> RedisClient::pipeline(QList<Command> commands, CallOptions call)
{
    QString refusal;
    {
        QMutexLocker lock(&m_mutex); // once for the whole pipeline
        for (const Command& c : std::as_const(commands)) {
            refusal = m_policy.check(c, m_options.readOnly, call.allowDangerous);
            if (!refusal.isEmpty())
                break;
        }
    }
    if (!refusal.isEmpty()) {
        // All or nothing: a pipeline with one refused command sends none of them.
        QList<Reply> replies(commands.size(), Reply::failure(Reply::ErrorKind::Refused, refusal));
        return QtFuture::makeReadyFuture(std::move(replies));
    }
    auto pending = std::make_shared<PendingReply<QList<Reply>>>(m_cancelled, commands.size());
    QFuture<QList<Reply>> future = pending->future();
    Request r;
    r.commands = std::move(commands);
    r.timeoutMs = call.timeoutMs;
    r.done = [pending](QList<Reply> replies) { pending->finish(std::move(replies)); };
    submit(std::move(r));
    return future;
}

ConnectionState RedisClient::state() const
{
    QMutexLocker lock(&m_mutex);
    return m_state;
}

QString RedisClient::stateReason() const
{
    QMutexLocker lock(&m_mutex);
    return m_reason;
}

QString RedisClient::serverAddress() const
{
    QMutexLocker lock(&m_mutex);
    return m_serverAddress;
}

void RedisClient::onState(ConnectionState state, const QString& reason)
{
    {
        QMutexLocker lock(&m_mutex);
        m_state = state;
        m_reason = reason;
    }
    Q_EMIT stateChanged(state, reason);
}

RedisSubscriber::RedisSubscriber(ConnectionOptions options, qint64 maxQueued, QObject* parent)
    : RedisClient(
        [&options] {
            if (options.role == QLatin1String("main"))
                options.role = QStringLiteral("subscriber");
            return std::move(options);
        }(),
        RedisConnection::Mode::Subscriber, parent)
    , m_gate(std::make_shared<SubscriberGate>())
{
    m_gate->maxQueued = std::max<qint64>(1, maxQueued);
    worker()->setDeliveryGate(m_gate);
    connect(worker(), &RedisConnection::messagesReady, this,
        [this](const QList<PubSubMessage>& batch, qint64 droppedTotal) {
            if (!m_manualAck)
                taken(batch.size());
            if (droppedTotal != m_dropped) {
                m_dropped = droppedTotal;
                Q_EMIT dropsChanged(m_dropped);
            }
            if (!batch.isEmpty()) // a delivery may only carry a new drop count
                Q_EMIT messages(batch);
        });
    connect(worker(), &RedisConnection::subscriberError, this, &RedisSubscriber::subscriberError);
}

RedisSubscriber::~RedisSubscriber() = default;

void RedisSubscriber::setOverflow(Overflow policy)
{
    m_gate->hold.store(policy == Overflow::Hold);
    if (policy == Overflow::Drop && m_gate->holding.exchange(false))
        QMetaObject::invokeMethod(worker(), &RedisConnection::resumeReading, Qt::QueuedConnection);
}

RedisSubscriber::Overflow RedisSubscriber::overflow() const
{
    return m_gate->hold.load() ? Overflow::Hold : Overflow::Drop;
}

void RedisSubscriber::acknowledge(qint64 count)
{
    if (m_manualAck && count > 0)
        taken(count);
}

void RedisSubscriber::taken(qint64 count)
{
    // Sequentially consistent with RedisConnection::startHolding(): either it sees this decrement,
    // or this sees its flag. Only one side turns the flag off, so one wake-up at most.
    const qint64 left = m_gate->undelivered.fetch_sub(count) - count;
    if (left <= m_gate->resumeMark() && m_gate->holding.load() && m_gate->holding.exchange(false))
        QMetaObject::invokeMethod(worker(), &RedisConnection::resumeReading, Qt::QueuedConnection);
}

void RedisSubscriber::push()
{
    RedisConnection* w = worker();
    QMetaObject::invokeMethod(
        w, [w, c = m_channels, p = m_patterns]() mutable { w->setSubscriptions(std::move(c), std::move(p)); },
        Qt::QueuedConnection);
}

void RedisSubscriber::subscribe(const QList<QByteArray>& channels)
{
    for (const auto& c : channels)
        m_channels.insert(c);
    push();
}

void RedisSubscriber::psubscribe(const QList<QByteArray>& patterns)
{
    for (const auto& p : patterns)
        m_patterns.insert(p);
    push();
}

void RedisSubscriber::unsubscribe(const QList<QByteArray>& channels)
{
    for (const auto& c : channels)
        m_channels.remove(c);
    push();
}

void RedisSubscriber::punsubscribe(const QList<QByteArray>& patterns)
{
    for (const auto& p : patterns)
        m_patterns.remove(p);
    push();
}

} // namespace bullpen
