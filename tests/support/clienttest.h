// SPDX-License-Identifier: MIT
#pragma once

// Helpers for tests that drive a RedisClient: waiting on futures and states without sleeping.

#include "redisclient.h"

#include <QFutureWatcher>
#include <QSignalSpy>
#include <QStringList>
#include <QTest>

#include <optional>

namespace bullpen::test {

/// Spins the event loop until `future` finishes. Nothing when it did not finish within
/// `timeoutMs`, or finished without a result (a promise dropped without an answer).
template <class T> std::optional<T> await(const QFuture<T>& future, int timeoutMs = 15000)
{
    if (!future.isFinished()) {
        QFutureWatcher<T> watcher;
        QSignalSpy spy(&watcher, &QFutureWatcherBase::finished);
        watcher.setFuture(future);
        if (!future.isFinished() && !spy.wait(timeoutMs) && !future.isFinished())
            return std::nullopt;
    }
    if (future.isCanceled() || future.resultCount() == 0)
        return std::nullopt;
    return future.result();
}

/// Records every state change of a client, in order, on the test's thread.
class StateRecorder : public QObject
{
public:
    explicit StateRecorder(RedisClient* client)
    {
        connect(client, &RedisClient::stateChanged, this, [this](ConnectionState s, const QString& reason) {
            states.append(s);
            reasons.append(reason);
        });
    }
    /// Index of the first `state` recorded at or after `from`, or -1.
    qsizetype indexOf(ConnectionState state, qsizetype from = 0) const
    {
        for (qsizetype i = from; i < states.size(); ++i) {
            if (states.at(i) == state)
                return i;
        }
        return -1;
    }
    bool waitFor(ConnectionState state, qsizetype from = 0, int timeoutMs = 10000)
    {
        return QTest::qWaitFor([&] { return indexOf(state, from) >= 0; }, timeoutMs);
    }
    /// "connecting ready disconnected …" for QCOMPARE.
    QString sequence() const
    {
        QStringList out;
        for (const ConnectionState s : states)
            out << stateName(s);
        return out.join(QLatin1Char(' '));
    }
    QString dump() const
    {
        QStringList out;
        for (qsizetype i = 0; i < states.size(); ++i)
            out << stateName(states.at(i))
                    + (reasons.at(i).isEmpty() ? QString() : QLatin1Char('(') + reasons.at(i) + QLatin1Char(')'));
        return out.join(QStringLiteral(" -> "));
    }

    QList<ConnectionState> states;
    QStringList reasons;
};

inline bool waitForState(const RedisClient& client, ConnectionState state, int timeoutMs = 10000)
{
    return QTest::qWaitFor([&] { return client.state() == state; }, timeoutMs);
}

} // namespace bullpen::test

namespace QTest {
template <> inline char* toString(const bullpen::Reply::ErrorKind& kind)
{
    using K = bullpen::Reply::ErrorKind;
    switch (kind) {
    case K::None:
        return qstrdup("None");
    case K::Server:
        return qstrdup("Server");
    case K::Connection:
        return qstrdup("Connection");
    case K::Timeout:
        return qstrdup("Timeout");
    case K::Protocol:
        return qstrdup("Protocol");
    case K::Refused:
        return qstrdup("Refused");
    case K::Cancelled:
        return qstrdup("Cancelled");
    }
    return qstrdup("?");
}
template <> inline char* toString(const bullpen::Reply& reply)
{
    return qstrdup(reply.toDisplayString().toUtf8().constData());
}
} // namespace QTest

/// `const auto& name = <result of future>`, failing the test when the future does not finish.
#define BP_AWAIT(name, future)                                                                                         \
    const auto name##Result = ::bullpen::test::await(future);                                                          \
    QVERIFY2(name##Result.has_value(), "the future did not finish in time (or finished without a result)");            \
    const auto& name = *name##Result

/// Opens `client` and fails the test unless it becomes Ready.
#define BP_OPEN_READY(client)                                                                                          \
    do {                                                                                                               \
        (client).open();                                                                                               \
        QVERIFY2(::bullpen::test::waitForState((client), ::bullpen::ConnectionState::Ready, 10000),                    \
            qPrintable(QStringLiteral("not ready: ") + (client).stateReason()));                                       \
    } while (false)

/// QCOMPARE for states, by name (readable failure messages).
#define BP_COMPARE_STATE(actual, expected) QCOMPARE(::bullpen::stateName(actual), ::bullpen::stateName(expected))

/// Starts a RedisServer and fails the test with its error when it does not start.
#define BP_START(server) QVERIFY2((server).start(), qPrintable((server).error()))
