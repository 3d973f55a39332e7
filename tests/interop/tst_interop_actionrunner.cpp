// SPDX-License-Identifier: MIT
// ActionRunner in process on a queue BullMQ 6 built: scripts are loaded again after SCRIPT FLUSH
// (NOSCRIPT fallback), progress comes once per batch, and cancel() stops between batches with
// exactly the finished batches applied.

#include "bullmq/actions.h"
#include "bullmq/queuesnapshot.h"
#include "redisclient.h"
#include "redisserver.h"

#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace bullpen;
using namespace bullpen::bullmq;

class TestInteropActionRunner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cancelStopsBetweenBatches();
    void overlappingCleanCallsKeepTheLimit();
    void readOnlyClientRefusesBeforeSending();

private:
    void snapshot(RedisClient& client, QueueSnapshot* out);
    test::RedisServer m_server;
};

void TestInteropActionRunner::initTestCase()
{
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    QVERIFY2(!node.isEmpty(), "node is not in PATH");
    QVERIFY2(m_server.start(), qPrintable(m_server.error()));
    QProcess p;
    p.setWorkingDirectory(QStringLiteral(BULLPEN_INTEROP_DIR));
    p.start(node, { QStringLiteral("actions.js"), QStringLiteral("failmany"), QStringLiteral("bullmq6"),
                      m_server.url() + QStringLiteral("/0"), QStringLiteral("1000") });
    QVERIFY(p.waitForFinished(40000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
}

void TestInteropActionRunner::snapshot(RedisClient& client, QueueSnapshot* out)
{
    auto future = fetchSnapshots(&client, { QueueRef { "bull", "busy" } });
    QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 10000);
    *out = future.result().value(0);
}

void TestInteropActionRunner::cancelStopsBetweenBatches()
{
    RedisClient client(m_server.options());
    client.open();
    QueueSnapshot q;
    snapshot(client, &q);
    QCOMPARE(toString(q.generation), QStringLiteral("6"));
    QCOMPARE(q.count(QStringLiteral("failed")), 1000);
    m_server.cli({ QStringLiteral("SCRIPT"), QStringLiteral("FLUSH") }); // the runner must load again

    ActionRequest request;
    request.kind = ActionKind::Retry;
    request.state = "failed";
    request.all = true;
    request.batchSize = 100;
    ActionRunner runner(&client, q, request);
    QSignalSpy progress(&runner, &ActionRunner::progress);
    QSignalSpy finished(&runner, &ActionRunner::finished);
    connect(&runner, &ActionRunner::progress, &runner, [&runner](qsizetype done) {
        if (done >= 300)
            runner.cancel();
    });
    runner.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
    const ActionResult r = finished.first().first().value<ActionResult>();
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QVERIFY(r.cancelled);
    // Cancelled on the third reply; the fourth call was already in flight (two calls overlap
    // once the script is loaded) and its jobs are done and reported; no fifth call is sent.
    // This holds for any timing because the runner handles every reply from the event loop:
    // the second reply's handler sends the fourth call before the third reply is looked at,
    // even when the replies are already there when their calls return (CI once saw 300 when a
    // reply was handled inside the call that sent it).
    QCOMPARE(r.done.size(), 400);
    QCOMPARE(r.scriptCalls, 4);
    QCOMPARE(progress.size(), 4);
    QCOMPARE(m_server.cli({ QStringLiteral("ZCARD"), QStringLiteral("bull:busy:failed") }), QByteArray("600"));
    QCOMPARE(m_server.cli({ QStringLiteral("LLEN"), QStringLiteral("bull:busy:wait") }), QByteArray("400"));
}

void TestInteropActionRunner::overlappingCleanCallsKeepTheLimit()
{
    RedisClient client(m_server.options());
    client.open();
    QueueSnapshot q;
    snapshot(client, &q);
    const qint64 before = m_server.cli({ QStringLiteral("ZCARD"), QStringLiteral("bull:busy:failed") }).toLongLong();
    QVERIFY(before >= 300);

    ActionRequest request;
    request.kind = ActionKind::Clean;
    request.state = "failed";
    request.limit = 250;
    request.batchSize = 100; // calls of 100, 100 (both in flight) and 50
    ActionRunner runner(&client, q, request);
    QSignalSpy finished(&runner, &ActionRunner::finished);
    runner.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
    const ActionResult r = finished.first().first().value<ActionResult>();
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QVERIFY(!r.cancelled);
    QCOMPARE(r.done.size(), 250);
    QCOMPARE(r.scriptCalls, 3);
    QCOMPARE(QSet<QByteArray>(r.done.begin(), r.done.end()).size(), 250);
    QCOMPARE(m_server.cli({ QStringLiteral("ZCARD"), QStringLiteral("bull:busy:failed") }).toLongLong(), before - 250);
}

void TestInteropActionRunner::readOnlyClientRefusesBeforeSending()
{
    ConnectionOptions options = m_server.options();
    options.readOnly = true;
    RedisClient client(options);
    client.open();
    QueueSnapshot q;
    snapshot(client, &q);
    const QByteArray before = m_server.cli({ QStringLiteral("ZCARD"), QStringLiteral("bull:busy:failed") });
    ActionRequest request;
    request.kind = ActionKind::Pause;
    ActionRunner runner(&client, q, request);
    QSignalSpy finished(&runner, &ActionRunner::finished);
    runner.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    const ActionResult r = finished.first().first().value<ActionResult>();
    QCOMPARE(r.errorKind, Reply::ErrorKind::Refused);
    QCOMPARE(m_server.cli({ QStringLiteral("HEXISTS"), QStringLiteral("bull:busy:meta"), QStringLiteral("paused") }), QByteArray("0"));
    QCOMPARE(m_server.cli({ QStringLiteral("ZCARD"), QStringLiteral("bull:busy:failed") }), before);
}

QTEST_GUILESS_MAIN(TestInteropActionRunner)
#include "tst_interop_actionrunner.moc"
