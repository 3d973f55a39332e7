// SPDX-License-Identifier: MIT
// The queue list's refresh policy (issue #6) on a real redis-server: a tick after no write reads
// nothing but the write counter, a tick after writes reads the listed queues' counts without
// SCAN, every Nth tick rediscovers (new queues appear, removed ones go), a listed queue whose
// meta vanished is rediscovered at the next tick, F5 (refresh()) always rediscovers, and
// discovery does not re-verify queues it was told it knows (the detection cache).
// Queues are written here in BullMQ 6's layout (meta with version, id counter, wait list).

#include "bullmq/queuediscovery.h"
#include "bullmq/queuelistmodel.h"
#include "redisclient.h"
#include "redisserver.h"

#include <QAbstractItemModelTester>
#include <QDeadlineTimer>
#include <QSignalSpy>
#include <QTest>

using namespace bullpen;
using namespace bullpen::bullmq;
using Kind = QueueListModel::RefreshKind;

class TestQueueListRefresh : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void tickReadsOnlyWhatChanged();
    void vanishedQueueIsRediscoveredAtTheNextTick();
    void discoveryTrustsKnownQueues();
    void serverWithoutQueuesIsNotScannedEveryTick();

private:
    void addQueue(const QString& name, int waiting);
    qint64 waitingOf(const QueueListModel& model, const QByteArray& name) const;
    /// Calls of `command` in INFO commandstats (redis-cli's own INFO is counted after it answers).
    qint64 calls(const QByteArray& command) const;
    bool tickAndWait(QueueListModel& model, QSignalSpy& refreshed);

    test::RedisServer m_server;
    std::unique_ptr<RedisClient> m_client;
};

void TestQueueListRefresh::init()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.error()));
    m_client = std::make_unique<RedisClient>(m_server.options());
    m_client->open();
}

void TestQueueListRefresh::cleanup()
{
    m_client.reset();
    m_server.kill();
}

void TestQueueListRefresh::addQueue(const QString& name, int waiting)
{
    const QString base = QStringLiteral("bull:") + name;
    m_server.cli({ QStringLiteral("HSET"), base + QStringLiteral(":meta"), QStringLiteral("version"), QStringLiteral("bullmq:6.7.0"),
        QStringLiteral("opts.maxLenEvents"), QStringLiteral("10000") });
    m_server.cli({ QStringLiteral("SET"), base + QStringLiteral(":id"), QString::number(waiting) });
    for (int i = 1; i <= waiting; ++i)
        m_server.cli({ QStringLiteral("LPUSH"), base + QStringLiteral(":wait"), QString::number(i) });
}

qint64 TestQueueListRefresh::waitingOf(const QueueListModel& model, const QByteArray& name) const
{
    const int row = model.rowOf(QueueRef { "bull", name });
    return row < 0 ? -1 : model.snapshot(row).count(QStringLiteral("waiting"));
}

qint64 TestQueueListRefresh::calls(const QByteArray& command) const
{
    for (const QByteArray& line : m_server.cli({ QStringLiteral("INFO"), QStringLiteral("commandstats") }).split('\n')) {
        if (line.startsWith(QByteArray("cmdstat_" + command + ':'))) {
            const qsizetype at = line.indexOf("calls=");
            return line.mid(at + 6, line.indexOf(',', at) - at - 6).toLongLong();
        }
    }
    return 0;
}

bool TestQueueListRefresh::tickAndWait(QueueListModel& model, QSignalSpy& refreshed)
{
    const qsizetype before = refreshed.size();
    model.tick();
    return QTest::qWaitFor([&] { return refreshed.size() > before; }, 10000);
}

void TestQueueListRefresh::tickReadsOnlyWhatChanged()
{
    addQueue(QStringLiteral("a"), 2);
    QueueListModel model(m_client.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy refreshed(&model, &QueueListModel::refreshed);
    QSignalSpy failed(&model, &QueueListModel::failed);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    model.setRediscoverEvery(3);
    model.refresh();
    QTRY_COMPARE_WITH_TIMEOUT(refreshed.size(), 1, 10000);
    QCOMPARE(model.lastRefreshKind(), Kind::Discovery);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(waitingOf(model, "a"), 2);

    // Tick 1, nothing written: only INFO is sent, the row stands.
    const qint64 scans = calls("scan");
    const qint64 llens = calls("llen");
    QVERIFY(tickAndWait(model, refreshed));
    QCOMPARE(model.lastRefreshKind(), Kind::Unchanged);
    QCOMPARE(calls("llen"), llens);
    QCOMPARE(calls("scan"), scans);
    QCOMPARE(waitingOf(model, "a"), 2);

    // Tick 2 after writes: the listed queue's counts, no SCAN; the new queue b waits for discovery.
    m_server.cli({ QStringLiteral("LPUSH"), QStringLiteral("bull:a:wait"), QStringLiteral("3") });
    addQueue(QStringLiteral("b"), 1);
    QVERIFY(tickAndWait(model, refreshed));
    QCOMPARE(model.lastRefreshKind(), Kind::Counts);
    QCOMPARE(waitingOf(model, "a"), 3);
    QCOMPARE(model.rowOf(QueueRef { "bull", "b" }), -1);
    QCOMPARE(calls("scan"), scans);
    QVERIFY(calls("llen") > llens);

    // Tick 3 = rediscoverEvery: SCAN again, b is listed (whatever the write counter says).
    QVERIFY(tickAndWait(model, refreshed));
    QCOMPARE(model.lastRefreshKind(), Kind::Discovery);
    QVERIFY(calls("scan") > scans);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(waitingOf(model, "b"), 1);

    // Ticks 4 to 6, nothing written: INFO only, then a rediscovery (SCAN) that reads no counts,
    // because the listed rows are still exact.
    const qint64 scansBefore = calls("scan");
    const qint64 llensBefore = calls("llen");
    QVERIFY(tickAndWait(model, refreshed));
    QCOMPARE(model.lastRefreshKind(), Kind::Unchanged);
    QVERIFY(tickAndWait(model, refreshed));
    QCOMPARE(model.lastRefreshKind(), Kind::Unchanged);
    QVERIFY(tickAndWait(model, refreshed));
    QCOMPARE(model.lastRefreshKind(), Kind::Discovery);
    QVERIFY(calls("scan") > scansBefore);
    QCOMPARE(calls("llen"), llensBefore);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(waitingOf(model, "a"), 3);

    // F5 rediscovers at once, even with nothing written.
    QVERIFY(tickAndWait(model, refreshed));
    QCOMPARE(model.lastRefreshKind(), Kind::Unchanged);
    const qsizetype before = refreshed.size();
    model.refresh();
    QTRY_COMPARE_WITH_TIMEOUT(refreshed.size(), before + 1, 10000);
    QCOMPARE(model.lastRefreshKind(), Kind::Discovery);
    QCOMPARE(failed.size(), 0);
    QCOMPARE(resets.size(), 0);
}

void TestQueueListRefresh::vanishedQueueIsRediscoveredAtTheNextTick()
{
    addQueue(QStringLiteral("a"), 1);
    addQueue(QStringLiteral("gone"), 2);
    QueueListModel model(m_client.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy refreshed(&model, &QueueListModel::refreshed);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.setRediscoverEvery(100);
    model.refresh();
    QTRY_COMPARE_WITH_TIMEOUT(refreshed.size(), 1, 10000);
    QCOMPARE(model.rowCount(), 2);

    // As obliterate leaves it: every key gone. The counts tick sees meta vanish ...
    m_server.cli({ QStringLiteral("DEL"), QStringLiteral("bull:gone:meta"), QStringLiteral("bull:gone:id"), QStringLiteral("bull:gone:wait") });
    QVERIFY(tickAndWait(model, refreshed));
    QCOMPARE(model.lastRefreshKind(), Kind::Counts);
    // ... and the next tick rediscovers, long before the 100th.
    QVERIFY(tickAndWait(model, refreshed));
    QCOMPARE(model.lastRefreshKind(), Kind::Discovery);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.rowOf(QueueRef { "bull", "gone" }), -1);
    QCOMPARE(removed.size(), 1);
}

void TestQueueListRefresh::discoveryTrustsKnownQueues()
{
    addQueue(QStringLiteral("a"), 1);
    addQueue(QStringLiteral("b"), 1);
    // Not queues, found by the same SCAN: a string ":meta", a hash ":id", a non-counter ":id".
    m_server.cli({ QStringLiteral("SET"), QStringLiteral("x:y:meta"), QStringLiteral("1") });
    m_server.cli({ QStringLiteral("HSET"), QStringLiteral("x:z:id"), QStringLiteral("f"), QStringLiteral("1") });
    m_server.cli({ QStringLiteral("SET"), QStringLiteral("x:w:id"), QStringLiteral("abc") });
    const auto run = [this](const DiscoveryOptions& options) {
        QFuture<DiscoveryResult> f = discoverQueues(m_client.get(), options);
        QDeadlineTimer deadline(10000);
        while (!f.isFinished() && !deadline.hasExpired())
            QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 100);
        return f.isFinished() ? f.result() : DiscoveryResult {};
    };
    const QList<QueueRef> both { QueueRef { "bull", "a" }, QueueRef { "bull", "b" } };

    const qint64 hmgets = calls("hmget");
    const DiscoveryResult first = run({});
    QCOMPARE(first.error, QString());
    QCOMPARE(first.queues, both);
    QCOMPARE(first.verified, 7); // a and b by meta and id, and the three others
    QCOMPARE(first.roundTrips, 2); // one SCAN walk (a small keyspace), one verification

    DiscoveryOptions cached;
    cached.known = { QueueRef { "bull", "a" }, QueueRef { "bull", "b" } };
    const qint64 hmgetsBefore = calls("hmget");
    QVERIFY(hmgetsBefore > hmgets);
    const DiscoveryResult second = run(cached);
    QCOMPARE(second.queues, both);
    QCOMPARE(second.verified, 3); // only the keys of no known queue

    DiscoveryOptions onlyA;
    onlyA.known = { QueueRef { "bull", "a" } };
    const DiscoveryResult third = run(onlyA);
    QCOMPARE(third.queues, both); // b is still verified and found
    QCOMPARE(third.verified, 5);
}

void TestQueueListRefresh::serverWithoutQueuesIsNotScannedEveryTick()
{
    m_server.cli({ QStringLiteral("SET"), QStringLiteral("plain"), QStringLiteral("1") });
    QueueListModel model(m_client.get());
    QSignalSpy refreshed(&model, &QueueListModel::refreshed);
    model.setRediscoverEvery(3);
    model.refresh();
    QTRY_COMPARE_WITH_TIMEOUT(refreshed.size(), 1, 10000);
    QCOMPARE(model.rowCount(), 0);
    const qint64 scans = calls("scan");
    QVERIFY(tickAndWait(model, refreshed));
    QCOMPARE(model.lastRefreshKind(), Kind::Unchanged);
    addQueue(QStringLiteral("first"), 1);
    QVERIFY(tickAndWait(model, refreshed));
    QCOMPARE(model.lastRefreshKind(), Kind::Counts); // of no queue: nothing but INFO
    QCOMPARE(calls("scan"), scans);
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(tickAndWait(model, refreshed));
    QCOMPARE(model.lastRefreshKind(), Kind::Discovery);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(waitingOf(model, "first"), 1);
}

QTEST_MAIN(TestQueueListRefresh)
#include "tst_queuelistrefresh.moc"
