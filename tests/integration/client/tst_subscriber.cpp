// SPDX-License-Identifier: MIT
// RedisSubscriber against a real server, with messages published by redis-cli.

#include "clienttest.h"
#include "redisclient.h"
#include "redisserver.h"
#include "respcodec.h"

#include <QElapsedTimer>
#include <QTest>

using namespace bullpen;
using namespace bullpen::test;

class TestSubscriber : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void subscribeReceivesBinaryPayloads();
    void psubscribeReceives();
    void messagesArriveInBatches();
    void boundedQueueCountsDrops();
    void holdLosesNothing_data();
    void holdLosesNothing();
    void dropWhileHoldingResumes_data();
    void dropWhileHoldingResumes();
    void resubscribesAfterServerRestart();
    void unsubscribe();
    void commandsAreRefused();
    void stateSignals();
};

namespace {

// Collects every batch a subscriber delivers.
class Inbox : public QObject
{
public:
    explicit Inbox(RedisSubscriber* sub)
        : m_sub(sub)
    {
        connect(sub, &RedisSubscriber::messages, this, [this](const QList<PubSubMessage>& batch) {
            batches.append(batch.size());
            messages.append(batch);
        });
    }
    /// Until `count` messages arrived, in a running event loop (QTRY_'s qWait sleeps between polls,
    /// which would pace a holding subscriber at one batch per sleep).
    bool waitFor(qsizetype count, int timeoutMs = 20000)
    {
        QSignalSpy spy(m_sub, &RedisSubscriber::messages);
        QElapsedTimer t;
        t.start();
        while (messages.size() < count && t.elapsed() < timeoutMs)
            spy.wait(int(std::max<qint64>(1, timeoutMs - t.elapsed())));
        return messages.size() >= count;
    }
    QList<qsizetype> batches;
    QList<PubSubMessage> messages;

private:
    RedisSubscriber* m_sub;
};

// PUBLISH through `redis-cli --pipe`: binary safe, all commands in one write.
QByteArray publishAll(const RedisServer& server, const QList<std::pair<QByteArray, QByteArray>>& messages)
{
    QByteArray input;
    for (const auto& [channel, payload] : messages)
        encodeCommand({ "PUBLISH", channel, payload }, input);
    return server.cli({ QStringLiteral("--pipe") }, input);
}

int subscribers(const RedisServer& server, const QString& channel)
{
    // "channel\nN"
    const QList<QByteArray> lines
        = server.cli({ QStringLiteral("PUBSUB"), QStringLiteral("NUMSUB"), channel }).split('\n');
    return lines.size() == 2 ? lines.at(1).trimmed().toInt() : -1;
}

int patterns(const RedisServer& server)
{
    return server.cli({ QStringLiteral("PUBSUB"), QStringLiteral("NUMPAT") }).toInt();
}

// One EVAL that publishes `count` messages "<6-digit number><padding>" to `channel`: the server
// pushes them all while redis-cli waits (and with it this thread, which takes nothing meanwhile).
QByteArray publishNumbered(const RedisServer& server, const QByteArray& channel, int count, int padding = 0)
{
    return server.cli({ QStringLiteral("EVAL"),
        QStringLiteral("local pad = string.rep('x', tonumber(ARGV[2])) "
                       "for i = 1, tonumber(ARGV[1]) do redis.call('PUBLISH', KEYS[1], string.format('%06d', i) .. pad) end "
                       "return ARGV[1]"),
        QStringLiteral("1"), QString::fromLatin1(channel), QString::number(count), QString::number(padding) });
}

ConnectionOptions fastReconnect(ConnectionOptions o)
{
    o.reconnectInitialMs = 50;
    o.reconnectMaxMs = 300;
    return o;
}

} // namespace

void TestSubscriber::subscribeReceivesBinaryPayloads()
{
    RedisServer server;
    BP_START(server);
    RedisSubscriber sub(server.options());
    Inbox inbox(&sub);
    BP_OPEN_READY(sub);
    sub.subscribe({ "news", QByteArray("bin\0chan", 8) });
    QTRY_COMPARE_WITH_TIMEOUT(subscribers(server, QStringLiteral("news")), 1, 10000);
    QVERIFY(server.cli({ QStringLiteral("CLIENT"), QStringLiteral("LIST") }).contains("name=bullpen:subscriber"));

    QByteArray all;
    for (int b = 0; b < 256; ++b)
        all.append(char(b));
    const QByteArray crlf = "\r\n*3\r\n$7\r\nmessage\r\n"; // looks like a push; is a payload
    QVERIFY(publishAll(server, { { "news", all }, { "news", crlf }, { QByteArray("bin\0chan", 8), all } })
                .contains("replies: 3"));
    QTRY_COMPARE_WITH_TIMEOUT(inbox.messages.size(), 3, 10000);
    QCOMPARE(inbox.messages.at(0).channel, QByteArray("news"));
    QVERIFY(inbox.messages.at(0).pattern.isEmpty());
    QCOMPARE(inbox.messages.at(0).payload, all);
    QCOMPARE(inbox.messages.at(1).payload, crlf);
    QCOMPARE(inbox.messages.at(2).channel, QByteArray("bin\0chan", 8));
    QCOMPARE(inbox.messages.at(2).payload, all);
    QVERIFY(inbox.messages.at(0).receivedMs > 0);
    QCOMPARE(sub.dropped(), qint64(0));
}

void TestSubscriber::psubscribeReceives()
{
    RedisServer server;
    BP_START(server);
    RedisSubscriber sub(server.options());
    Inbox inbox(&sub);
    BP_OPEN_READY(sub);
    sub.psubscribe({ "events:*" });
    QTRY_COMPARE_WITH_TIMEOUT(patterns(server), 1, 10000);
    QVERIFY(publishAll(
        server, { { "events:created", "one" }, { "other", "not for us" }, { "events:gone", QByteArray("t\0o", 3) } })
                .contains("replies: 3"));
    QTRY_COMPARE_WITH_TIMEOUT(inbox.messages.size(), 2, 10000);
    QCOMPARE(inbox.messages.at(0).pattern, QByteArray("events:*"));
    QCOMPARE(inbox.messages.at(0).channel, QByteArray("events:created"));
    QCOMPARE(inbox.messages.at(0).payload, QByteArray("one"));
    QCOMPARE(inbox.messages.at(1).channel, QByteArray("events:gone"));
    QCOMPARE(inbox.messages.at(1).payload, QByteArray("t\0o", 3));
}

void TestSubscriber::messagesArriveInBatches()
{
    RedisServer server;
    BP_START(server);
    RedisSubscriber sub(server.options());
    Inbox inbox(&sub);
    BP_OPEN_READY(sub);
    sub.subscribe({ "burst" });
    QTRY_COMPARE_WITH_TIMEOUT(subscribers(server, QStringLiteral("burst")), 1, 10000);
    constexpr int n = 500;
    QList<std::pair<QByteArray, QByteArray>> burst;
    for (int i = 0; i < n; ++i)
        burst.append({ "burst", QByteArray::number(i) });
    QVERIFY(publishAll(server, burst).contains("replies: 500"));
    QTRY_COMPARE_WITH_TIMEOUT(inbox.messages.size(), n, 10000);
    for (int i = 0; i < n; ++i)
        QCOMPARE(inbox.messages.at(i).payload, QByteArray::number(i));
    // Delivered in batches, not one signal per message.
    QVERIFY2(inbox.batches.size() < n, qPrintable(QString::number(inbox.batches.size())));
    QCOMPARE(sub.dropped(), qint64(0));
}

void TestSubscriber::boundedQueueCountsDrops()
{
    RedisServer server;
    BP_START(server);
    constexpr qint64 maxQueued = 10;
    RedisSubscriber sub(server.options(), maxQueued);
    sub.setOverflow(RedisSubscriber::Overflow::Drop);
    Inbox inbox(&sub);
    QSignalSpy drops(&sub, &RedisSubscriber::dropsChanged);
    BP_OPEN_READY(sub);
    sub.subscribe({ "flood" });
    QTRY_COMPARE_WITH_TIMEOUT(subscribers(server, QStringLiteral("flood")), 1, 10000);

    // This thread does not process events while redis-cli publishes (cli() blocks): nothing is
    // taken off the subscriber's queue, so at most maxQueued wait and the rest are counted.
    // Two runs of redis-cli: the first fills the queue (and is usually flushed before the second
    // starts), the second is dropped entirely, after the last delivery: its drops must still be
    // reported.
    QList<std::pair<QByteArray, QByteArray>> flood;
    for (int i = 0; i < 100; ++i)
        flood.append({ "flood", QByteArray::number(i) });
    QVERIFY(publishAll(server, flood.mid(0, maxQueued)).contains("replies: 10"));
    QVERIFY(publishAll(server, flood.mid(maxQueued)).contains("replies: 90"));
    QVERIFY(inbox.messages.isEmpty());

    QTRY_COMPARE_WITH_TIMEOUT(inbox.messages.size() + sub.dropped(), qint64(100), 10000);
    QVERIFY2(sub.dropped() > 0, "nothing was dropped");
    QVERIFY2(inbox.messages.size() >= maxQueued, qPrintable(QString::number(inbox.messages.size())));
    QVERIFY(!drops.isEmpty());
    QCOMPARE(drops.last().at(0).toLongLong(), sub.dropped());
    for (const qsizetype b : std::as_const(inbox.batches))
        QVERIFY2(b > 0, "an empty batch was delivered");
    // What did arrive is in order.
    for (qsizetype i = 1; i < inbox.messages.size(); ++i)
        QVERIFY(inbox.messages.at(i - 1).payload.toInt() < inbox.messages.at(i).payload.toInt());

    // Once the owner has caught up, messages flow again.
    const qsizetype before = inbox.messages.size();
    QVERIFY(publishAll(server, { { "flood", "after" } }).contains("replies: 1"));
    QTRY_COMPARE_WITH_TIMEOUT(inbox.messages.size(), before + 1, 10000);
    QCOMPARE(inbox.messages.last().payload, QByteArray("after"));
}

void TestSubscriber::holdLosesNothing_data()
{
    RedisServer::addTransportRows();
}

void TestSubscriber::holdLosesNothing()
{
    RedisServer server(RedisServer::forTransport());
    BP_START(server);
    constexpr qint64 maxQueued = 50;
    RedisSubscriber sub(server.options(), maxQueued);
    QCOMPARE(sub.overflow(), RedisSubscriber::Overflow::Hold); // the default
    Inbox inbox(&sub);
    QSignalSpy drops(&sub, &RedisSubscriber::dropsChanged);
    StateRecorder rec(&sub);
    BP_OPEN_READY(sub);
    sub.subscribe({ "flood" });
    QTRY_COMPARE_WITH_TIMEOUT(subscribers(server, QStringLiteral("flood")), 1, 10000);

    // This thread takes nothing while the server pushes 20,000 messages (4 MB, more than the
    // socket's read buffer): the connection fills its queue, then stops reading until we catch up.
    constexpr int n = 20000;
    QCOMPARE(publishNumbered(server, "flood", n, 200), QByteArray::number(n));
    QVERIFY(inbox.messages.isEmpty());
    QVERIFY2(sub.queued() <= maxQueued, qPrintable(QString::number(sub.queued())));

    QVERIFY2(inbox.waitFor(n), qPrintable(QString::number(inbox.messages.size())));
    QCOMPARE(inbox.messages.size(), n);
    for (int i = 0; i < n; ++i) {
        if (inbox.messages.at(i).payload.left(6).toInt() != i + 1)
            QFAIL(qPrintable(QStringLiteral("message %1 is %2").arg(i + 1).arg(QString::fromLatin1(inbox.messages.at(i).payload.left(6)))));
    }
    QCOMPARE(sub.dropped(), qint64(0));
    QVERIFY(drops.isEmpty());
    QVERIFY2(sub.peakQueued() > 0 && sub.peakQueued() <= maxQueued, qPrintable(QString::number(sub.peakQueued())));
    for (const qsizetype b : std::as_const(inbox.batches))
        QVERIFY2(b > 0 && b <= maxQueued, qPrintable(QString::number(b)));
    QCOMPARE(sub.queued(), qint64(0));
    BP_COMPARE_STATE(sub.state(), ConnectionState::Ready);
    QCOMPARE(rec.sequence(), QStringLiteral("connecting ready")); // never cut off: the server's buffer had no limit
}

void TestSubscriber::dropWhileHoldingResumes_data()
{
    QTest::addColumn<bool>("manualAck");
    QTest::newRow("taken on delivery") << false;
    QTest::newRow("manual acknowledge") << true;
}

void TestSubscriber::dropWhileHoldingResumes()
{
    QFETCH(bool, manualAck);
    RedisServer server;
    BP_START(server);
    constexpr qint64 maxQueued = 10;
    RedisSubscriber sub(server.options(), maxQueued);
    sub.setManualAcknowledge(manualAck);
    Inbox inbox(&sub);
    BP_OPEN_READY(sub);
    sub.subscribe({ "flood" });
    QTRY_COMPARE_WITH_TIMEOUT(subscribers(server, QStringLiteral("flood")), 1, 10000);

    // Holding with a full queue (this thread takes nothing), then told to drop instead: the
    // connection reads again and drops everything that does not fit. What was queued while holding
    // (messages 1..maxQueued) arrives first.
    QCOMPARE(publishNumbered(server, "flood", 1000), QByteArray("1000"));
    sub.setOverflow(RedisSubscriber::Overflow::Drop);
    QCOMPARE(sub.overflow(), RedisSubscriber::Overflow::Drop);
    QCOMPARE(publishNumbered(server, "flood", 1000), QByteArray("1000"));
    QTRY_COMPARE_WITH_TIMEOUT(inbox.messages.size() + sub.dropped(), qint64(2000), 10000);
    const qsizetype delivered = inbox.messages.size();
    for (int i = 0; i < maxQueued; ++i)
        QCOMPARE(inbox.messages.at(i).payload, QStringLiteral("%1").arg(i + 1, 6, 10, QLatin1Char('0')).toLatin1());
    for (const qsizetype b : std::as_const(inbox.batches))
        QVERIFY2(b > 0 && b <= maxQueued, qPrintable(QString::number(b)));
    if (manualAck) {
        // Nothing is taken until acknowledged, so the queue stays full however often this
        // thread's event loop runs: exactly maxQueued arrive.
        QCOMPARE(delivered, maxQueued);
        QCOMPARE(sub.dropped(), 2000 - maxQueued);
        QCOMPARE(sub.queued(), maxQueued);
        sub.acknowledge(maxQueued);
        QCOMPARE(sub.queued(), qint64(0));
        return;
    }
    // Taken on delivery: the connection may still be dropping when this thread first runs its
    // event loop and empties the queue, so a few more batches can follow. Held would deliver all
    // 2000; dropping leaves room for a handful of refills at most.
    QVERIFY2(delivered >= maxQueued, qPrintable(QString::number(delivered)));
    QVERIFY2(sub.dropped() >= 1000, qPrintable(QString::number(sub.dropped())));
    // Whatever came later kept its order: numbers rise within each flood and restart once at most.
    int restarts = 0;
    for (qsizetype i = 1; i < delivered; ++i) {
        if (inbox.messages.at(i).payload.toInt() <= inbox.messages.at(i - 1).payload.toInt())
            ++restarts;
    }
    QVERIFY2(restarts <= 1, qPrintable(QString::number(restarts)));
}

void TestSubscriber::resubscribesAfterServerRestart()
{
    RedisServer server;
    BP_START(server);
    RedisSubscriber sub(fastReconnect(server.options()));
    Inbox inbox(&sub);
    StateRecorder rec(&sub);
    BP_OPEN_READY(sub);
    sub.subscribe({ "ch" });
    sub.psubscribe({ "p:*" });
    QTRY_COMPARE_WITH_TIMEOUT(subscribers(server, QStringLiteral("ch")), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(patterns(server), 1, 10000);

    const qsizetype mark = rec.states.size();
    server.kill();
    QVERIFY2(rec.waitFor(ConnectionState::Disconnected, mark), qPrintable(rec.dump()));
    QVERIFY2(server.restart(), qPrintable(server.error()));
    QVERIFY2(rec.waitFor(ConnectionState::Ready, mark, 15000), qPrintable(rec.dump()));
    QTRY_COMPARE_WITH_TIMEOUT(subscribers(server, QStringLiteral("ch")), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(patterns(server), 1, 10000);

    QVERIFY(publishAll(server, { { "ch", "after restart" }, { "p:x", "pattern too" } }).contains("replies: 2"));
    QTRY_COMPARE_WITH_TIMEOUT(inbox.messages.size(), 2, 10000);
    QCOMPARE(inbox.messages.at(0).payload, QByteArray("after restart"));
    QCOMPARE(inbox.messages.at(1).pattern, QByteArray("p:*"));
    QCOMPARE(inbox.messages.at(1).payload, QByteArray("pattern too"));
}

void TestSubscriber::unsubscribe()
{
    RedisServer server;
    BP_START(server);
    RedisSubscriber sub(server.options());
    Inbox inbox(&sub);
    BP_OPEN_READY(sub);
    sub.subscribe({ "a", "b" });
    sub.psubscribe({ "x:*" });
    QTRY_COMPARE_WITH_TIMEOUT(subscribers(server, QStringLiteral("b")), 1, 10000);
    sub.unsubscribe({ "a" });
    sub.punsubscribe({ "x:*" });
    QTRY_COMPARE_WITH_TIMEOUT(subscribers(server, QStringLiteral("a")), 0, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(patterns(server), 0, 10000);
    QCOMPARE(subscribers(server, QStringLiteral("b")), 1);
    QVERIFY(publishAll(server, { { "a", "1" }, { "x:1", "2" }, { "b", "3" } }).contains("replies: 3"));
    QTRY_COMPARE_WITH_TIMEOUT(inbox.messages.size(), 1, 10000);
    QCOMPARE(inbox.messages.at(0).channel, QByteArray("b"));
}

void TestSubscriber::commandsAreRefused()
{
    RedisServer server;
    BP_START(server);
    RedisSubscriber sub(server.options());
    Inbox inbox(&sub);
    BP_OPEN_READY(sub);
    sub.subscribe({ "ch" });
    QTRY_COMPARE_WITH_TIMEOUT(subscribers(server, QStringLiteral("ch")), 1, 10000);

    BP_AWAIT(r, sub.command({ "GET", "k" }));
    QCOMPARE(r.errorKind(), Reply::ErrorKind::Refused);
    QVERIFY2(r.errorMessage().contains(QLatin1String("use a command connection")), qPrintable(r.errorMessage()));
    BP_AWAIT(p, sub.pipeline({ { "PING" }, { "GET", "k" } }));
    QCOMPARE(p.size(), 2);
    QCOMPARE(p.at(0).errorKind(), Reply::ErrorKind::Refused);
    QCOMPARE(p.at(1).errorKind(), Reply::ErrorKind::Refused);

    // The stream is intact: messages still arrive, and nothing went to the server.
    QVERIFY(publishAll(server, { { "ch", "still here" } }).contains("replies: 1"));
    QTRY_COMPARE_WITH_TIMEOUT(inbox.messages.size(), 1, 10000);
    QCOMPARE(inbox.messages.at(0).payload, QByteArray("still here"));
    QVERIFY(!server.cli({ QStringLiteral("INFO"), QStringLiteral("commandstats") }).contains("cmdstat_get"));
    BP_COMPARE_STATE(sub.state(), ConnectionState::Ready);
}

void TestSubscriber::stateSignals()
{
    RedisServer server;
    BP_START(server);
    RedisSubscriber sub(fastReconnect(server.options()));
    StateRecorder rec(&sub);
    BP_OPEN_READY(sub);
    QCOMPARE(rec.sequence(), QStringLiteral("connecting ready"));
    server.kill();
    QVERIFY2(rec.waitFor(ConnectionState::Disconnected), qPrintable(rec.dump()));
    QVERIFY2(!rec.reasons.at(2).isEmpty(), qPrintable(rec.dump()));
    QVERIFY2(server.restart(), qPrintable(server.error()));
    QVERIFY2(rec.waitFor(ConnectionState::Ready, 2, 15000), qPrintable(rec.dump()));
}

QTEST_GUILESS_MAIN(TestSubscriber)
#include "tst_subscriber.moc"
