// SPDX-License-Identifier: MIT
// PubSubMonitor, the channel traffic and message log models against a real redis-server.

#include "clienttest.h"
#include "pubsub/channeltrafficmodel.h"
#include "pubsub/messagelogmodel.h"
#include "pubsub/pubsubmonitor.h"
#include "redisserver.h"
#include "respcodec.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTimer>
#include <QTest>

using namespace bullpen;
using namespace bullpen::test;

class TestPubSubMonitor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void logIsBoundedRing();
    void pausedLogKeepsCounting();
    void payloadRendering();
    void binaryMessagesIntact();
    void overview();
    void survivesServerRestart();
    void survivesOutputBufferKill();
    void dropsAreCountedAndMarked();
    void holdLosesNothing();
    void gapFallsAfterWhatCameBefore();
    void holdUntilRedisCutsUs_data();
    void holdUntilRedisCutsUs();
};

namespace {

QByteArray publishAll(const RedisServer& server, const QList<std::pair<QByteArray, QByteArray>>& messages)
{
    QByteArray input;
    for (const auto& [channel, payload] : messages)
        encodeCommand({ "PUBLISH", channel, payload }, input);
    return server.cli({ QStringLiteral("--pipe") }, input);
}

int numpat(const RedisServer& server)
{
    return server.cli({ QStringLiteral("PUBSUB"), QStringLiteral("NUMPAT") }).toInt();
}

int numsub(const RedisServer& server, const QString& channel)
{
    const QList<QByteArray> lines
        = server.cli({ QStringLiteral("PUBSUB"), QStringLiteral("NUMSUB"), channel }).split('\n');
    return lines.size() == 2 ? lines.at(1).trimmed().toInt() : -1;
}

PubSubMessage message(const QByteArray& channel, const QByteArray& payload, qint64 ms = 1000)
{
    PubSubMessage m;
    m.channel = channel;
    m.payload = payload;
    m.receivedMs = ms;
    return m;
}

QStringList payloads(const MessageLogModel& log)
{
    QStringList out;
    for (int r = 0; r < log.rowCount(); ++r)
        out << log.index(r, MessageLogModel::PayloadColumn).data().toString();
    return out;
}

// One EVAL that publishes `count` messages "<6-digit number><padding>" to `channel`; this thread
// waits for redis-cli meanwhile and so takes nothing off the subscriber.
QByteArray publishNumbered(const RedisServer& server, const QByteArray& channel, int count, int padding = 0)
{
    return server.cli({ QStringLiteral("EVAL"),
        QStringLiteral("local pad = string.rep('x', tonumber(ARGV[2])) "
                       "for i = 1, tonumber(ARGV[1]) do redis.call('PUBLISH', KEYS[1], string.format('%06d', i) .. pad) end "
                       "return ARGV[1]"),
        QStringLiteral("1"), QString::fromLatin1(channel), QString::number(count), QString::number(padding) });
}

// Runs the event loop until `done` (checked every ms) or the timeout. Not QTRY_: its qWait sleeps
// between polls, without taking events, which would pace a holding subscriber.
template <class F> bool waitUntil(F done, int timeoutMs = 20000)
{
    QEventLoop loop;
    QTimer check;
    QElapsedTimer t;
    t.start();
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (done() || t.elapsed() > timeoutMs)
            loop.quit();
    });
    check.start(1);
    if (!done())
        loop.exec();
    return done();
}

QString serverLog(const RedisServer& server)
{
    QFile f(server.dir() + QStringLiteral("/redis.log"));
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

ConnectionOptions fastReconnect(ConnectionOptions o)
{
    o.reconnectInitialMs = 50;
    o.reconnectMaxMs = 300;
    return o;
}

} // namespace

void TestPubSubMonitor::logIsBoundedRing()
{
    MessageLogModel log(4);
    QAbstractItemModelTester tester(&log, QAbstractItemModelTester::FailureReportingMode::QtTest);
    log.append({ message("a", "1"), message("a", "2"), message("a", "3") });
    log.append({ message("a", "4"), message("a", "5") });
    QCOMPARE(payloads(log), (QStringList { QStringLiteral("2"), QStringLiteral("3"), QStringLiteral("4"), QStringLiteral("5") }));
    // A batch larger than the buffer keeps its newest messages.
    QList<PubSubMessage> big;
    for (int i = 0; i < 10; ++i)
        big.append(message("b", QByteArray::number(100 + i)));
    log.append(big);
    QCOMPARE(payloads(log),
        (QStringList { QStringLiteral("106"), QStringLiteral("107"), QStringLiteral("108"), QStringLiteral("109") }));
    QCOMPARE(log.evicted(), qint64(1 + 6 + 4));
    log.appendGap(2000, QStringLiteral("gap"));
    QCOMPARE(log.rowCount(), 4);
    QVERIFY(log.index(3, 0).data(MessageLogModel::IsGapRole).toBool());
    QCOMPARE(log.index(3, MessageLogModel::PayloadColumn).data().toString(), QStringLiteral("gap"));
}

void TestPubSubMonitor::pausedLogKeepsCounting()
{
    MessageLogModel log(3);
    QAbstractItemModelTester tester(&log, QAbstractItemModelTester::FailureReportingMode::QtTest);
    log.append({ message("a", "1") });
    log.setPaused(true);
    log.append({ message("a", "2"), message("a", "3") });
    log.append({ message("a", "4"), message("a", "5") });
    QCOMPARE(payloads(log), QStringList { QStringLiteral("1") });
    log.setPaused(false);
    QCOMPARE(payloads(log), (QStringList { QStringLiteral("3"), QStringLiteral("4"), QStringLiteral("5") }));
}

void TestPubSubMonitor::payloadRendering()
{
    QCOMPARE(MessageLogModel::previewText("hello"), QStringLiteral("hello"));
    QCOMPARE(MessageLogModel::previewText(QByteArray("\x00\xff", 2)), QStringLiteral("0x00ff"));
    QCOMPARE(MessageLogModel::detailText(R"({"a":[1,2]})"), QStringLiteral("{\n    \"a\": [\n        1,\n        2\n    ]\n}"));
    QCOMPARE(MessageLogModel::detailText(QByteArray("\x01\x02", 2)), QStringLiteral("00000000  01 02"));
    QVERIFY(!MessageLogModel::isPrintableUtf8(QByteArray("\xc3", 1)));
    QVERIFY(MessageLogModel::isPrintableUtf8("grüße\n"));
}

void TestPubSubMonitor::binaryMessagesIntact()
{
    RedisServer server;
    BP_START(server);
    PubSubMonitor monitor;
    QAbstractItemModelTester t1(monitor.channels(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t2(monitor.log(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    monitor.subscribe({ "bin:*", "plain" });
    monitor.start(server.options());
    QTRY_COMPARE_WITH_TIMEOUT(numpat(server), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(numsub(server, QStringLiteral("plain")), 1, 10000);
    QVERIFY(server.cli({ QStringLiteral("CLIENT"), QStringLiteral("LIST") }).contains("name=bullpen:pubsub"));

    QByteArray all;
    for (int b = 0; b < 256; ++b)
        all.append(char(b));
    const QByteArray json = R"({"job":"42","ok":true})";
    QVERIFY(publishAll(server, { { "bin:x", all }, { "plain", json }, { "other", "no" }, { "bin:x", "" } })
                .contains("replies: 4"));
    QTRY_COMPARE_WITH_TIMEOUT(monitor.received(), qint64(3), 10000);
    const MessageLogModel* log = monitor.log();
    QCOMPARE(log->rowCount(), 3);
    QCOMPARE(log->index(0, 0).data(MessageLogModel::PayloadRole).toByteArray(), all);
    QCOMPARE(log->index(0, MessageLogModel::PatternColumn).data().toString(), QStringLiteral("bin:*"));
    QVERIFY(log->index(0, MessageLogModel::PayloadColumn).data().toString().startsWith(QStringLiteral("0x000102")));
    QCOMPARE(log->index(1, MessageLogModel::PayloadColumn).data().toString(), QString::fromUtf8(json));
    QVERIFY(log->index(1, 0).data(MessageLogModel::DetailRole).toString().contains(QStringLiteral("\n    \"ok\": true")));
    QCOMPARE(log->index(2, MessageLogModel::SizeColumn).data().toString(), QStringLiteral("0"));

    ChannelTrafficModel* ch = monitor.channels();
    QCOMPARE(ch->rowCount(), 2);
    QCOMPARE(ch->total("bin:x"), qint64(2));
    QCOMPARE(ch->totalBytes("bin:x"), qint64(256));
    QCOMPARE(ch->total("plain"), qint64(1));
    QCOMPARE(ch->index(ch->rowOf("plain"), ChannelTrafficModel::LastMessageColumn).data().toString(), QString::fromUtf8(json));
    ch->tick(QDateTime::currentMSecsSinceEpoch());
    QVERIFY(ch->totalMessages() == 3);

    // Unsubscribing stops the flow.
    monitor.unsubscribe({ "bin:*" });
    QTRY_COMPARE_WITH_TIMEOUT(numpat(server), 0, 10000);
    QCOMPARE(monitor.subscriptions(), QList<QByteArray> { "plain" });
}

void TestPubSubMonitor::overview()
{
    RedisServer server;
    BP_START(server);
    RedisClient client(server.options());
    BP_OPEN_READY(client);
    PubSubMonitor monitor;
    QAbstractItemModelTester tester(monitor.channels(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    monitor.subscribe({ "jobs:*", "alpha", "beta" });
    monitor.start(server.options());
    QTRY_COMPARE_WITH_TIMEOUT(numsub(server, QStringLiteral("beta")), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(numpat(server), 1, 10000);
    // A channel that only the pattern brings: not in PUBSUB CHANNELS, yet its row gets a count.
    const ChannelTrafficModel* ch = monitor.channels();
    QCOMPARE(server.cli({ QStringLiteral("PUBLISH"), QStringLiteral("jobs:done"), QStringLiteral("1") }), QByteArray("1"));
    QTRY_VERIFY_WITH_TIMEOUT(ch->rowOf("jobs:done") >= 0, 10000);
    QSignalSpy updated(&monitor, &PubSubMonitor::overviewUpdated);
    monitor.refreshOverview(&client);
    QVERIFY(updated.wait(10000));
    QCOMPARE(monitor.patternCount(), qint64(1));
    QCOMPARE(ch->rowCount(), 3);
    const auto subscribers = [ch](const QByteArray& channel) {
        return ch->index(ch->rowOf(channel), ChannelTrafficModel::SubscribersColumn).data();
    };
    QCOMPARE(subscribers("alpha").toString(), QStringLiteral("1"));
    QCOMPARE(subscribers("jobs:done").toString(), QStringLiteral("0")); // by name: nobody
}

void TestPubSubMonitor::survivesServerRestart()
{
    RedisServer server;
    BP_START(server);
    PubSubMonitor monitor;
    QAbstractItemModelTester tester(monitor.log(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy lost(&monitor, &PubSubMonitor::connectionLost);
    QSignalSpy back(&monitor, &PubSubMonitor::resubscribed);
    monitor.subscribe({ "ch", "p:*" });
    monitor.start(fastReconnect(server.options()));
    QTRY_COMPARE_WITH_TIMEOUT(numpat(server), 1, 10000);
    QVERIFY(publishAll(server, { { "ch", "before" } }).contains("replies: 1"));
    QTRY_COMPARE_WITH_TIMEOUT(monitor.received(), qint64(1), 10000);

    server.kill();
    QTRY_COMPARE_WITH_TIMEOUT(lost.size(), 1, 10000);
    QVERIFY(server.restart());
    QVERIFY(back.wait(10000));
    QTRY_COMPARE_WITH_TIMEOUT(numpat(server), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(numsub(server, QStringLiteral("ch")), 1, 10000);
    QVERIFY(publishAll(server, { { "ch", "after" }, { "p:1", "pattern after" } }).contains("replies: 2"));
    QTRY_COMPARE_WITH_TIMEOUT(monitor.received(), qint64(3), 10000);
    QCOMPARE(monitor.gaps(), 1);
    const MessageLogModel* log = monitor.log();
    QCOMPARE(log->rowCount(), 4);
    QVERIFY(log->index(1, 0).data(MessageLogModel::IsGapRole).toBool());
    QVERIFY(log->index(1, MessageLogModel::PayloadColumn).data().toString().startsWith(QStringLiteral("Gap:")));
    QCOMPARE(log->index(2, MessageLogModel::PayloadColumn).data().toString(), QStringLiteral("after"));
    QVERIFY(monitor.status().startsWith(QStringLiteral("Resubscribed")));
}

void TestPubSubMonitor::survivesOutputBufferKill()
{
    RedisServer server;
    BP_START(server);
    PubSubMonitor monitor;
    QSignalSpy lost(&monitor, &PubSubMonitor::connectionLost);
    QSignalSpy back(&monitor, &PubSubMonitor::resubscribed);
    monitor.subscribe({ "big" });
    monitor.start(fastReconnect(server.options()));
    QTRY_COMPARE_WITH_TIMEOUT(numsub(server, QStringLiteral("big")), 1, 10000);

    // A 64 KiB message exceeds a 1 KiB hard limit at once: Redis closes the subscriber.
    QCOMPARE(server.cli({ QStringLiteral("CONFIG"), QStringLiteral("SET"), QStringLiteral("client-output-buffer-limit"),
                 QStringLiteral("pubsub 1kb 0 0") }),
        QByteArray("OK"));
    QVERIFY(publishAll(server, { { "big", QByteArray(64 * 1024, 'x') } }).contains("replies: 1"));
    QTRY_COMPARE_WITH_TIMEOUT(lost.size(), 1, 10000);
    QVERIFY(lost.at(0).at(0).toString().contains(QStringLiteral("client-output-buffer-limit")));
    QVERIFY(back.wait(10000));
    QTRY_COMPARE_WITH_TIMEOUT(numsub(server, QStringLiteral("big")), 1, 10000);
    QVERIFY(publishAll(server, { { "big", "small" } }).contains("replies: 1"));
    QTRY_COMPARE_WITH_TIMEOUT(monitor.received(), qint64(1), 10000);
    QCOMPARE(monitor.gaps(), 1);
    const MessageLogModel* log = monitor.log();
    QCOMPARE(log->rowCount(), 2);
    QVERIFY(log->index(0, 0).data(MessageLogModel::IsGapRole).toBool());
    QCOMPARE(log->index(1, 0).data(MessageLogModel::PayloadRole).toByteArray(), QByteArray("small"));
}

void TestPubSubMonitor::dropsAreCountedAndMarked()
{
    RedisServer server;
    BP_START(server);
    PubSubMonitor monitor;
    QAbstractItemModelTester tester(monitor.log(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    monitor.subscribe({ "flood" });
    monitor.setOverflow(SubscriberOverflow::Drop);
    monitor.start(server.options(), 10); // at most 10 undelivered messages
    QTRY_COMPARE_WITH_TIMEOUT(numsub(server, QStringLiteral("flood")), 1, 10000);
    // cli() blocks this thread: nothing is taken off the subscriber meanwhile, so most are dropped.
    QList<std::pair<QByteArray, QByteArray>> flood;
    for (int i = 0; i < 200; ++i)
        flood.append({ "flood", QByteArray::number(i) });
    QVERIFY(publishAll(server, flood).contains("replies: 200"));
    QTRY_COMPARE_WITH_TIMEOUT(monitor.received() + monitor.dropped(), qint64(200), 10000);
    QVERIFY(monitor.dropped() > 0);
    QCOMPARE(monitor.channels()->total("flood"), monitor.received());
    bool marked = false;
    for (int r = 0; r < monitor.log()->rowCount(); ++r) {
        const QModelIndex i = monitor.log()->index(r, MessageLogModel::PayloadColumn);
        marked = marked || (i.data(MessageLogModel::IsGapRole).toBool() && i.data().toString().contains(QStringLiteral("dropped")));
    }
    QVERIFY(marked);
    QVERIFY(monitor.log()->rowCount() >= int(monitor.received()) + 1);
}

void TestPubSubMonitor::holdLosesNothing()
{
    RedisServer server;
    BP_START(server);
    PubSubMonitor monitor;
    QCOMPARE(monitor.overflow(), SubscriberOverflow::Hold); // the default
    monitor.subscribe({ "flood" });
    constexpr qint64 maxQueued = 100;
    monitor.start(server.options(), maxQueued);
    QTRY_COMPARE_WITH_TIMEOUT(numsub(server, QStringLiteral("flood")), 1, 10000);
    qint64 maxPending = 0;
    connect(monitor.subscriber(), &RedisSubscriber::messages, &monitor,
        [&] { maxPending = std::max(maxPending, monitor.pending()); });

    // The monitor's own queue counts: the subscriber holds until the models took half of it.
    constexpr int n = 20000;
    QCOMPARE(publishNumbered(server, "flood", n, 100), QByteArray::number(n));
    QVERIFY2(waitUntil([&] { return monitor.received() >= n; }), qPrintable(QString::number(monitor.received())));
    QCOMPARE(monitor.received(), qint64(n));
    QCOMPARE(monitor.dropped(), qint64(0));
    QCOMPARE(monitor.gaps(), 0);
    QCOMPARE(monitor.channels()->total("flood"), qint64(n));
    QVERIFY2(maxPending > 0 && maxPending <= maxQueued, qPrintable(QString::number(maxPending)));
    QVERIFY2(monitor.subscriber()->peakQueued() <= maxQueued, qPrintable(QString::number(monitor.subscriber()->peakQueued())));
    const MessageLogModel* log = monitor.log();
    QCOMPARE(log->rowCount(), n);
    for (int r = 0; r < n; ++r) {
        const QByteArray payload = log->index(r, 0).data(MessageLogModel::PayloadRole).toByteArray();
        if (payload.left(6).toInt() != r + 1)
            QFAIL(qPrintable(QStringLiteral("row %1 holds %2").arg(r).arg(QString::fromLatin1(payload.left(6)))));
    }
}

void TestPubSubMonitor::gapFallsAfterWhatCameBefore()
{
    RedisServer server;
    BP_START(server);
    PubSubMonitor monitor;
    QAbstractItemModelTester tester(monitor.log(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy back(&monitor, &PubSubMonitor::resubscribed);
    monitor.subscribe({ "ch" });
    monitor.start(fastReconnect(server.options()));
    QTRY_COMPARE_WITH_TIMEOUT(numsub(server, QStringLiteral("ch")), 1, 10000);

    // Three messages, then the server kills the subscriber (once it has written them to the
    // socket); this thread takes nothing until the connection is back (polling the server blocks
    // it), so the messages, the loss and the return all wait in its queue together. The log must
    // still read: messages, gap.
    QVERIFY(publishAll(server, { { "ch", "1" }, { "ch", "2" }, { "ch", "3" } }).contains("replies: 3"));
    const auto written = [&server] {
        for (const QByteArray& line : server.cli({ QStringLiteral("CLIENT"), QStringLiteral("LIST") }).split('\n')) {
            if (line.contains("name=bullpen:pubsub"))
                return line.contains(" omem=0 ");
        }
        return false;
    };
    QElapsedTimer writing;
    writing.start();
    while (!written() && writing.elapsed() < 10000) { }
    QVERIFY(written());
    QCOMPARE(server.cli({ QStringLiteral("CLIENT"), QStringLiteral("KILL"), QStringLiteral("TYPE"), QStringLiteral("pubsub") }),
        QByteArray("1"));
    QElapsedTimer t;
    t.start();
    while (numsub(server, QStringLiteral("ch")) != 1 && t.elapsed() < 10000) { }
    QCOMPARE(numsub(server, QStringLiteral("ch")), 1);
    QVERIFY(back.wait(10000));
    QVERIFY(publishAll(server, { { "ch", "4" } }).contains("replies: 1"));
    QTRY_COMPARE_WITH_TIMEOUT(monitor.received(), qint64(4), 10000);
    QStringList rows;
    for (int r = 0; r < monitor.log()->rowCount(); ++r) {
        const QModelIndex i = monitor.log()->index(r, 0);
        rows << (i.data(MessageLogModel::IsGapRole).toBool() ? QStringLiteral("gap")
                                                              : i.data(MessageLogModel::PayloadRole).toString());
    }
    QCOMPARE(rows, (QStringList { QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"), QStringLiteral("gap"),
                       QStringLiteral("4") }));
}

void TestPubSubMonitor::holdUntilRedisCutsUs_data()
{
    RedisServer::addTransportRows();
}

void TestPubSubMonitor::holdUntilRedisCutsUs()
{
    // Each socket class (QTcpSocket, QLocalSocket, QSslSocket) must stop reading once its bounded
    // read buffer is full, or Redis would never see us fall behind.
    RedisServer server(RedisServer::forTransport());
    BP_START(server);
    PubSubMonitor monitor;
    QSignalSpy lost(&monitor, &PubSubMonitor::connectionLost);
    QSignalSpy back(&monitor, &PubSubMonitor::resubscribed);
    monitor.subscribe({ "flood" });
    monitor.start(fastReconnect(server.options()), 100);
    QTRY_COMPARE_WITH_TIMEOUT(numsub(server, QStringLiteral("flood")), 1, 10000);
    QCOMPARE(server.cli({ QStringLiteral("CONFIG"), QStringLiteral("SET"), QStringLiteral("client-output-buffer-limit"),
                 QStringLiteral("pubsub 256kb 0 0") }),
        QByteArray("OK"));

    // 48 MB while this thread takes nothing: the subscriber holds, the socket buffers fill, and
    // Redis's output buffer for us passes 256 KiB: the server closes the connection. Through
    // --pipe, so that Redis writes to us between commands (a script's output would only be
    // written once it ended, and exceed the limit before a byte was sent).
    constexpr int n = 48000;
    QByteArray input;
    const QByteArray pad(1000, 'x');
    for (int i = 1; i <= n; ++i)
        encodeCommand({ "PUBLISH", "flood", QByteArray::number(i).rightJustified(6, '0') + pad }, input);
    QVERIFY(server.cli({ QStringLiteral("--pipe") }, input).contains("replies: 48000"));
    QVERIFY2(waitUntil([&] { return back.size() >= 1 && back.size() == lost.size(); }), qPrintable(monitor.status()));
    QVERIFY(lost.at(0).at(0).toString().contains(QStringLiteral("client-output-buffer-limit")));
    QVERIFY2(serverLog(server).contains(QLatin1String("closed ASAP for overcoming of output buffer limits")),
        qPrintable(serverLog(server).right(1000)));
    QTRY_COMPARE_WITH_TIMEOUT(numsub(server, QStringLiteral("flood")), 1, 10000);
    QVERIFY(publishAll(server, { { "flood", "after" } }).contains("replies: 1"));
    const MessageLogModel* log = monitor.log();
    QVERIFY(waitUntil([&] {
        return log->rowCount() > 0 && log->index(log->rowCount() - 1, 0).data(MessageLogModel::PayloadRole).toByteArray() == "after";
    }));

    // The connection thread reconnects while this one still waits, so Redis may cut it again
    // before the publisher is done: one gap per cut. Between gaps nothing is missing (nothing was
    // dropped here), and the order holds throughout.
    QCOMPARE(monitor.dropped(), qint64(0));
    QCOMPARE(monitor.gaps(), int(lost.size()));
    QVERIFY(monitor.status().startsWith(QStringLiteral("Resubscribed")));
    int gapRows = 0;
    int previous = 0;
    bool afterGap = true; // the first message must be the first published
    for (int r = 0; r + 1 < log->rowCount(); ++r) {
        const QModelIndex i = log->index(r, 0);
        if (i.data(MessageLogModel::IsGapRole).toBool()) {
            QVERIFY(log->index(r, MessageLogModel::PayloadColumn).data().toString().startsWith(QStringLiteral("Gap:")));
            ++gapRows;
            afterGap = true;
            continue;
        }
        const int number = i.data(MessageLogModel::PayloadRole).toByteArray().left(6).toInt();
        const bool inStep = afterGap ? (r == 0 ? number == 1 : number > previous) : number == previous + 1;
        if (!inStep)
            QFAIL(qPrintable(QStringLiteral("row %1 holds %2 after %3").arg(r).arg(number).arg(previous)));
        previous = number;
        afterGap = false;
    }
    QCOMPARE(gapRows, monitor.gaps());
    QVERIFY2(previous > 0 && previous < n, qPrintable(QString::number(previous)));
    QVERIFY(log->index(0, 0).data(MessageLogModel::IsGapRole).toBool() == false);
}

QTEST_GUILESS_MAIN(TestPubSubMonitor)
#include "tst_pubsubmonitor.moc"
