// SPDX-License-Identifier: MIT
// PubSubMonitor, the channel traffic and message log models against a real redis-server.

#include "clienttest.h"
#include "pubsub/channeltrafficmodel.h"
#include "pubsub/messagelogmodel.h"
#include "pubsub/pubsubmonitor.h"
#include "redisserver.h"
#include "respcodec.h"

#include <QAbstractItemModelTester>
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
    QSignalSpy updated(&monitor, &PubSubMonitor::overviewUpdated);
    monitor.refreshOverview(&client);
    QVERIFY(updated.wait(10000));
    QCOMPARE(monitor.patternCount(), qint64(1));
    const ChannelTrafficModel* ch = monitor.channels();
    QCOMPARE(ch->rowCount(), 2);
    QCOMPARE(ch->index(ch->rowOf("alpha"), ChannelTrafficModel::SubscribersColumn).data(ChannelTrafficModel::SortRole),
        QVariant(qint64(1)));
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

QTEST_GUILESS_MAIN(TestPubSubMonitor)
#include "tst_pubsubmonitor.moc"
