// SPDX-License-Identifier: MIT
// The BullMQ Qt models under QAbstractItemModelTester, on queues that BullMQ 6 itself built
// (fixture.js, with a live worker holding the active job): discovery into rows, refresh merges
// (update, insert, remove) without resets, lazy paging, job detail.

#include "bullmq/jobdetailmodel.h"
#include "bullmq/joblistmodel.h"
#include "bullmq/queuelistmodel.h"
#include "interopfixture.h"
#include "redisclient.h"
#include "redisserver.h"

#include <QAbstractItemModelTester>
#include <QDeadlineTimer>
#include <QSignalSpy>
#include <QTest>

using namespace bullpen;
using namespace bullpen::bullmq;

class TestInteropModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void queueListMergesWithoutReset();
    void jobListPagesAndMerges();
    void jobDetailShowsEveryFieldAndMerges();

private:
    QStringList queueRows(const QueueListModel& model) const;
    QueueSnapshot snapshotOf(const QByteArray& prefix, const QByteArray& name);

    test::RedisServer m_server;
    test::InteropFixture m_fixture;
    std::unique_ptr<RedisClient> m_client;
};

void TestInteropModels::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.error()));
    QString error;
    QVERIFY2(
        m_fixture.start(QStringLiteral("bullmq6"), m_server.url() + QStringLiteral("/0"), &error), qPrintable(error));
    m_client = std::make_unique<RedisClient>(m_server.options());
    m_client->open();
}

void TestInteropModels::cleanupTestCase()
{
    m_client.reset();
    m_fixture.kill();
    m_server.kill();
}

QStringList TestInteropModels::queueRows(const QueueListModel& model) const
{
    QStringList rows;
    for (int r = 0; r < model.rowCount(); ++r) {
        QStringList cells;
        for (int c = 0; c < model.columnCount(); ++c)
            cells << model.data(model.index(r, c), QueueListModel::SortRole).toString();
        rows << cells.join(QLatin1Char(' '));
    }
    rows.sort();
    return rows;
}

QueueSnapshot TestInteropModels::snapshotOf(const QByteArray& prefix, const QByteArray& name)
{
    QFuture<QList<QueueSnapshot>> f = fetchSnapshots(m_client.get(), { QueueRef { prefix, name } });
    QDeadlineTimer deadline(10000);
    while (!f.isFinished() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 100);
    return f.isFinished() ? f.result().value(0) : QueueSnapshot {};
}

void TestInteropModels::queueListMergesWithoutReset()
{
    QueueListModel model(m_client.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy refreshed(&model, &QueueListModel::refreshed);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);

    model.refresh();
    QTRY_COMPARE_WITH_TIMEOUT(refreshed.size(), 1, 10000);
    // name prefix library version paused waiting active prioritized delayed waiting-children completed failed
    QCOMPARE(queueRows(model),
        (QStringList { QStringLiteral("alpha bull bullmq 6 false 4 0 2 2 1 2 2"), QStringLiteral("cron bull bullmq 6 false 1 0 0 0 0 0 0"),
            QStringLiteral("emails my:app bullmq 6 false 2 0 0 1 0 0 0"), QStringLiteral("kids bull bullmq 6 false 0 1 0 0 0 1 0"),
            QStringLiteral("odd bull bullmq 6 false 4 0 0 0 0 0 0"), QStringLiteral("paused-q bull bullmq 6 true 3 0 0 0 0 0 0"),
            QStringLiteral("tagged {bull} bullmq 6 false 1 0 0 0 0 0 0") }));

    // Another failed job in alpha, tagged gone, a new Bull queue: one refresh merges all three.
    m_server.cli({ QStringLiteral("HSET"), QStringLiteral("bull:alpha:x1"), QStringLiteral("name"), QStringLiteral("late"),
        QStringLiteral("data"), QStringLiteral("{}"), QStringLiteral("timestamp"), QStringLiteral("1") });
    m_server.cli({ QStringLiteral("ZADD"), QStringLiteral("bull:alpha:failed"), QStringLiteral("99999999999999"), QStringLiteral("x1") });
    m_server.cli({ QStringLiteral("DEL"), QStringLiteral("{bull}:tagged:meta"), QStringLiteral("{bull}:tagged:id"),
        QStringLiteral("{bull}:tagged:events"), QStringLiteral("{bull}:tagged:wait"), QStringLiteral("{bull}:tagged:marker"),
        QStringLiteral("{bull}:tagged:1") });
    m_server.cli({ QStringLiteral("SET"), QStringLiteral("legacy:mail:id"), QStringLiteral("3") });
    m_server.cli({ QStringLiteral("RPUSH"), QStringLiteral("legacy:mail:wait"), QStringLiteral("1") });
    changed.clear();
    model.refresh();
    QTRY_COMPARE_WITH_TIMEOUT(refreshed.size(), 2, 10000);
    QCOMPARE(resets.size(), 0);
    QCOMPARE(removed.size(), 1);
    QVERIFY(!changed.isEmpty());
    QCOMPARE(model.rowCount(), 7);
    const QStringList rows = queueRows(model);
    QVERIFY2(rows.contains(QStringLiteral("alpha bull bullmq 6 false 4 0 2 2 1 2 3")), qPrintable(rows.join(QLatin1Char('\n'))));
    QVERIFY2(rows.contains(QStringLiteral("mail legacy bull bull false 1 0  0  0 0")), qPrintable(rows.join(QLatin1Char('\n'))));
    QVERIFY(model.rowOf(QueueRef { "{bull}", "tagged" }) < 0);
}

void TestInteropModels::jobListPagesAndMerges()
{
    const QueueSnapshot alpha = snapshotOf("bull", "alpha");
    QCOMPARE(toString(alpha.generation), QStringLiteral("6"));
    JobListModel model(m_client.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy pages(&model, &JobListModel::pageLoaded);
    QSignalSpy refreshed(&model, &JobListModel::refreshed);
    model.setPageSize(1);
    model.setSource(alpha, QStringLiteral("failed"));
    // The tester may already have asked for the first page (it calls fetchMore on resets).
    QVERIFY(model.canFetchMore() || model.isBusy());
    QDeadlineTimer deadline(10000);
    while ((model.canFetchMore() || model.isBusy()) && !deadline.hasExpired()) {
        if (model.canFetchMore())
            model.fetchMore();
        QTRY_VERIFY_WITH_TIMEOUT(!model.isBusy(), 10000);
    }
    QCOMPARE(model.rowCount(), 3);
    QVERIFY(pages.size() >= 3); // one row per page
    QVERIFY(!model.canFetchMore());
    const auto ids = [&] {
        QStringList out;
        for (int r = 0; r < model.rowCount(); ++r)
            out << model.data(model.index(r, JobListModel::Id)).toString();
        return out;
    };
    // Most recently finished first, like getJobs(['failed']); x1 is the job queueListMergesWithoutReset added.
    QCOMPARE(ids(), (QStringList { QStringLiteral("x1"), QStringLiteral("4"), QStringLiteral("3") }));
    QCOMPARE(model.data(model.index(1, JobListModel::Reason)).toString(), QStringLiteral("second attempt failed"));
    QCOMPARE(model.data(model.index(1, JobListModel::Attempts)).toInt(), 2);

    // x1 retried away, another one failed meanwhile: refresh moves, inserts and removes in place.
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    m_server.cli({ QStringLiteral("ZREM"), QStringLiteral("bull:alpha:failed"), QStringLiteral("x1") });
    m_server.cli({ QStringLiteral("HSET"), QStringLiteral("bull:alpha:x2"), QStringLiteral("name"), QStringLiteral("later"),
        QStringLiteral("data"), QStringLiteral("{\"big\":false}"), QStringLiteral("failedReason"), QStringLiteral("late failure") });
    m_server.cli({ QStringLiteral("ZADD"), QStringLiteral("bull:alpha:failed"), QStringLiteral("99999999999999"), QStringLiteral("x2") });
    model.refresh();
    QTRY_COMPARE_WITH_TIMEOUT(refreshed.size(), 1, 10000);
    QCOMPARE(resets.size(), 0);
    QCOMPARE(ids(), (QStringList { QStringLiteral("x2"), QStringLiteral("4"), QStringLiteral("3") }));
    QCOMPARE(model.data(model.index(0, JobListModel::DataSize)).toInt(), 13);
    QCOMPARE(model.data(model.index(0, 0), JobListModel::DataPreviewRole).toByteArray(), QByteArray("{\"big\":false}"));
}

void TestInteropModels::jobDetailShowsEveryFieldAndMerges()
{
    JobDetailModel model(m_client.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy refreshed(&model, &JobDetailModel::refreshed);
    QSignalSpy failed(&model, &JobDetailModel::failed);
    model.setJob(snapshotOf("bull", "alpha"), "2");
    QTRY_COMPARE_WITH_TIMEOUT(refreshed.size() + failed.size(), 1, 10000);
    QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
    QVERIFY(model.exists());
    QMap<QString, QString> fields;
    for (int r = 0; r < model.rowCount(); ++r)
        fields.insert(model.data(model.index(r, 0)).toString(), model.data(model.index(r, 1)).toString());
    QCOMPARE(fields.value(QStringLiteral("name")), QStringLiteral("ok-2"));
    QCOMPARE(fields.value(QStringLiteral("state")), QStringLiteral("completed"));
    QCOMPARE(fields.value(QStringLiteral("returnvalue")), QStringLiteral("plain string"));
    QCOMPARE(fields.value(QStringLiteral("progress")), QStringLiteral("{\"pct\":100}"));
    QCOMPARE(fields.value(QStringLiteral("logs")), QStringLiteral("[\"step one\",\"step two\"]"));

    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    m_server.cli({ QStringLiteral("RPUSH"), QStringLiteral("bull:alpha:2:logs"), QStringLiteral("step three") });
    model.refresh();
    QTRY_COMPARE_WITH_TIMEOUT(refreshed.size(), 2, 10000);
    QCOMPARE(resets.size(), 0);
    QCOMPARE(changed.size(), 2); // logs and logCount
}

QTEST_GUILESS_MAIN(TestInteropModels)
#include "tst_interop_models.moc"
