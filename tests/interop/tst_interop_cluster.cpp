// SPDX-License-Identifier: MIT
// BullMQ 6 (the real npm package) on a real 3-master Redis Cluster, through an ioredis Cluster
// connection with hash-tag prefixes ("{bull}" and two more, chosen so that the three prefixes
// live on three different masters): cluster.js builds queues with jobs in every state, then
// bullpen-cli --cluster must find every queue once (discovery across masters), report the counts
// getJobCounts() reported (so must the Queues page's QueueListModel), read job pages and details,
// and retry / promote on the cluster, after
// which a real BullMQ Worker on the cluster completes what we moved.

#include "bullmq/queuelistmodel.h"
#include "clienttest.h"
#include "cliprocess.h"
#include "clusterclient.h"
#include "clusterslots.h"
#include "interopfixture.h"
#include "rediscluster.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace bullpen;
using namespace bullpen::test;
using namespace bullpen::bullmq;

class TestInteropCluster : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void prefixesOnEveryMaster();
    void discoveryFindsEveryQueueOnce();
    void queueListModelOnTheCluster();
    void jobPagesAndDetails();
    void retryAndPromoteThenAWorkerCompletes();

private:
    CliResult cli(const QStringList& args) const
    {
        return runCli(QStringLiteral(BULLPEN_CLI),
            QStringList { QStringLiteral("--cluster"), QStringLiteral("--url"), m_cluster->url() } + args);
    }
    QJsonValue cliJson(const QStringList& args) const
    {
        const CliResult r = cli(QStringList { QStringLiteral("--json") } + args);
        if (r.exitCode != 0) {
            qWarning("%s", r.describe().constData());
            return {};
        }
        return QJsonDocument::fromJson(r.out).isArray() ? QJsonValue(QJsonDocument::fromJson(r.out).array())
                                                       : QJsonValue(QJsonDocument::fromJson(r.out).object());
    }
    QString seeds() const
    {
        QStringList s;
        for (int i = 0; i < m_cluster->size(); ++i)
            s.append(QStringLiteral("127.0.0.1:%1").arg(m_cluster->node(i).port()));
        return s.join(QLatin1Char(','));
    }

    std::unique_ptr<RedisCluster> m_cluster;
    InteropFixture m_fixture;
    QStringList m_prefixes; ///< "{bull}" first, one prefix per master
    QJsonArray m_queues; ///< the fixture's queues: prefix, name, paused, counts (getJobCounts), ids
};

void TestInteropCluster::initTestCase()
{
    m_cluster = std::make_unique<RedisCluster>(3);
    QVERIFY2(m_cluster->start(), qPrintable(m_cluster->error()));
    // "{bull}" and, for each other master, the first tag from a list that it serves.
    QList<int> owners { m_cluster->ownerOf(cluster::keySlot("bull")) };
    m_prefixes.append(QStringLiteral("{bull}"));
    for (int i = 0; i < 200 && m_prefixes.size() < m_cluster->size(); ++i) {
        const QByteArray tag = "jobs" + QByteArray::number(i);
        const int owner = m_cluster->ownerOf(cluster::keySlot(tag));
        if (owner >= 0 && !owners.contains(owner)) {
            owners.append(owner);
            m_prefixes.append(QStringLiteral("{%1}").arg(QString::fromLatin1(tag)));
        }
    }
    QCOMPARE(m_prefixes.size(), m_cluster->size());
    QString error;
    QVERIFY2(m_fixture.startScript({ QStringLiteral("cluster.js"), QStringLiteral("fixture"), seeds(),
                                       QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(m_prefixes))
                                                             .toJson(QJsonDocument::Compact)) },
                 &error),
        qPrintable(error));
    m_queues = m_fixture.ready().value(QStringLiteral("queues")).toArray();
    QCOMPARE(m_queues.size(), 3 * m_prefixes.size());
}

void TestInteropCluster::cleanupTestCase()
{
    m_fixture.kill();
    m_cluster.reset();
}

void TestInteropCluster::prefixesOnEveryMaster()
{
    // Each prefix's keys really are on its own master (what discovery must walk).
    QSet<int> masters;
    for (const QString& p : std::as_const(m_prefixes)) {
        const QByteArray key = p.toUtf8() + ":orders:meta";
        int holders = 0;
        for (int i = 0; i < m_cluster->size(); ++i) {
            if (m_cluster->node(i).cli({ QStringLiteral("EXISTS"), QString::fromUtf8(key) }).trimmed() == "1") {
                ++holders;
                masters.insert(i);
            }
        }
        QCOMPARE(holders, 1);
    }
    QCOMPARE(masters.size(), m_cluster->size());
}

void TestInteropCluster::discoveryFindsEveryQueueOnce()
{
    const QJsonArray found = cliJson({ QStringLiteral("queues") }).toArray();
    QVERIFY(!found.isEmpty());
    QHash<QString, QJsonObject> byName;
    for (const QJsonValue& v : found) {
        const QJsonObject q = v.toObject();
        const QString id = q.value(QStringLiteral("prefix")).toString() + QLatin1Char(':')
            + q.value(QStringLiteral("name")).toString();
        QVERIFY2(!byName.contains(id), qPrintable(QStringLiteral("listed twice: ") + id));
        byName.insert(id, q);
    }
    QCOMPARE(byName.size(), m_queues.size());
    for (const QJsonValue& v : std::as_const(m_queues)) {
        const QJsonObject expected = v.toObject();
        const QString id = expected.value(QStringLiteral("prefix")).toString() + QLatin1Char(':')
            + expected.value(QStringLiteral("name")).toString();
        QVERIFY2(byName.contains(id), qPrintable(QStringLiteral("not found: ") + id));
        const QJsonObject got = byName.value(id);
        QCOMPARE(got.value(QStringLiteral("library")).toString(), QStringLiteral("bullmq"));
        QCOMPARE(got.value(QStringLiteral("paused")).toBool(), expected.value(QStringLiteral("paused")).toBool());
        // Every count getJobCounts() reported, equal.
        const QJsonObject counts = expected.value(QStringLiteral("counts")).toObject();
        const QJsonObject ours = got.value(QStringLiteral("counts")).toObject();
        for (auto it = counts.begin(); it != counts.end(); ++it)
            QVERIFY2(ours.value(it.key()) == it.value(),
                qPrintable(id + QLatin1Char(' ') + it.key() + QStringLiteral(": ours ")
                    + QString::number(ours.value(it.key()).toInt(-1)) + QStringLiteral(", BullMQ ")
                    + QString::number(it.value().toInt())));
    }
    // The "orders" queues hold a job in every state.
    const QJsonObject orders = m_queues.at(0).toObject().value(QStringLiteral("counts")).toObject();
    for (const char* state : { "active", "completed", "delayed", "failed", "prioritized", "waiting", "waiting-children" })
        QVERIFY2(orders.value(QLatin1String(state)).toInt() > 0, state);
}

void TestInteropCluster::queueListModelOnTheCluster()
{
    // The Queues page's model, in process, on a ClusterClient: every queue once, BullMQ's counts.
    ClusterClient client(m_cluster->options());
    BP_OPEN_READY(client);
    QueueListModel model(&client);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy refreshed(&model, &QueueListModel::refreshed);
    model.refresh();
    QTRY_COMPARE_WITH_TIMEOUT(refreshed.size(), 1, 15000);
    QCOMPARE(model.rowCount(), int(m_queues.size()));
    const QList<std::pair<int, QString>> columns { { QueueListModel::Waiting, QStringLiteral("waiting") },
        { QueueListModel::Active, QStringLiteral("active") }, { QueueListModel::Prioritized, QStringLiteral("prioritized") },
        { QueueListModel::Delayed, QStringLiteral("delayed") },
        { QueueListModel::WaitingChildren, QStringLiteral("waiting-children") },
        { QueueListModel::Completed, QStringLiteral("completed") }, { QueueListModel::Failed, QStringLiteral("failed") } };
    for (const QJsonValue& v : std::as_const(m_queues)) {
        const QJsonObject q = v.toObject();
        const QueueRef ref { q.value(QStringLiteral("prefix")).toString().toUtf8(),
            q.value(QStringLiteral("name")).toString().toUtf8() };
        const int row = model.rowOf(ref);
        QVERIFY2(row >= 0, qPrintable(q.value(QStringLiteral("prefix")).toString()));
        const QJsonObject counts = q.value(QStringLiteral("counts")).toObject();
        for (const auto& [column, state] : columns) {
            QVERIFY2(model.data(model.index(row, column), QueueListModel::SortRole).toLongLong()
                    == counts.value(state).toInteger(),
                qPrintable(QString::fromUtf8(ref.prefix + ':' + ref.name) + QLatin1Char(' ') + state));
        }
    }
}

void TestInteropCluster::jobPagesAndDetails()
{
    for (const QJsonValue& v : std::as_const(m_queues)) {
        const QJsonObject q = v.toObject();
        if (q.value(QStringLiteral("name")).toString() != QStringLiteral("orders"))
            continue;
        const QString prefix = q.value(QStringLiteral("prefix")).toString();
        const QJsonObject ids = q.value(QStringLiteral("ids")).toObject();
        const QJsonObject counts = q.value(QStringLiteral("counts")).toObject();
        for (const QString& state : { QStringLiteral("failed"), QStringLiteral("delayed"), QStringLiteral("waiting"),
                 QStringLiteral("active"), QStringLiteral("completed"), QStringLiteral("prioritized"),
                 QStringLiteral("waiting-children") }) {
            const QJsonArray page = cliJson({ QStringLiteral("jobs"), QStringLiteral("orders"), QStringLiteral("--state"),
                                                state, QStringLiteral("--prefix"), prefix })
                                        .toArray();
            QVERIFY2(page.size() == counts.value(state).toInt(), qPrintable(prefix + QLatin1Char(' ') + state));
        }
        const QJsonObject failed = cliJson({ QStringLiteral("job"), QStringLiteral("orders"),
                                               ids.value(QStringLiteral("failed")).toString(), QStringLiteral("--prefix"),
                                               prefix })
                                       .toObject();
        QCOMPARE(failed.value(QStringLiteral("state")).toString(), QStringLiteral("failed"));
        QCOMPARE(failed.value(QStringLiteral("failedReason")).toString(), QStringLiteral("boom on the cluster"));
        const QJsonObject parent = cliJson({ QStringLiteral("job"), QStringLiteral("orders"),
                                               ids.value(QStringLiteral("parent")).toString(), QStringLiteral("--prefix"),
                                               prefix })
                                       .toObject();
        QCOMPARE(parent.value(QStringLiteral("state")).toString(), QStringLiteral("waiting-children"));
    }
}

void TestInteropCluster::retryAndPromoteThenAWorkerCompletes()
{
    // An empty script cache everywhere: EVALSHA meets NOSCRIPT on the node of each queue, and
    // SCRIPT LOAD must reach that node (not just the seed).
    for (int i = 0; i < m_cluster->size(); ++i)
        m_cluster->node(i).cli({ QStringLiteral("SCRIPT"), QStringLiteral("FLUSH") });
    for (const QJsonValue& v : std::as_const(m_queues)) {
        const QJsonObject q = v.toObject();
        if (q.value(QStringLiteral("name")).toString() != QStringLiteral("orders"))
            continue;
        const QString prefix = q.value(QStringLiteral("prefix")).toString();
        const QJsonObject ids = q.value(QStringLiteral("ids")).toObject();
        const QString failed = ids.value(QStringLiteral("failed")).toString();
        const QString delayed = ids.value(QStringLiteral("delayed")).toString();

        QJsonObject r = cliJson({ QStringLiteral("retry"), QStringLiteral("orders"), failed, QStringLiteral("--prefix"),
                                    prefix, QStringLiteral("--yes") })
                            .toObject();
        QCOMPARE(r.value(QStringLiteral("done")).toArray(), QJsonArray { failed });
        r = cliJson({ QStringLiteral("promote"), QStringLiteral("orders"), delayed, QStringLiteral("--prefix"), prefix,
                        QStringLiteral("--yes") })
                .toObject();
        QCOMPARE(r.value(QStringLiteral("done")).toArray(), QJsonArray { delayed });
        for (const QString& id : { failed, delayed }) {
            const QJsonObject job = cliJson({ QStringLiteral("job"), QStringLiteral("orders"), id,
                                                QStringLiteral("--prefix"), prefix })
                                        .toObject();
            QCOMPARE(job.value(QStringLiteral("state")).toString(), QStringLiteral("waiting"));
        }

        // A real BullMQ Worker on the cluster takes them and completes them.
        QProcess work;
        work.setWorkingDirectory(InteropFixture::dir());
        work.start(m_fixture.node(),
            { QStringLiteral("cluster.js"), QStringLiteral("work"), seeds(), prefix, QStringLiteral("orders"), failed,
                delayed });
        QVERIFY2(work.waitForFinished(60000), "cluster.js work did not finish");
        QVERIFY2(work.exitCode() == 0, work.readAllStandardError().constData());
        const QByteArray out = work.readAllStandardOutput().trimmed();
        QVERIFY2(out.startsWith("DONE "), out.constData());
        const QJsonObject done = QJsonDocument::fromJson(out.mid(5)).object();
        for (const QString& id : { failed, delayed }) {
            QCOMPARE(done.value(QStringLiteral("states")).toObject().value(id).toString(), QStringLiteral("completed"));
            QCOMPARE(done.value(QStringLiteral("returned")).toObject().value(id).toObject().value(QStringLiteral("workedOn")),
                QJsonValue(id));
        }
        const QJsonArray failedNow = cliJson({ QStringLiteral("jobs"), QStringLiteral("orders"), QStringLiteral("--state"),
                                                 QStringLiteral("failed"), QStringLiteral("--prefix"), prefix })
                                         .toArray();
        QCOMPARE(failedNow.size(), 0);
    }
}

QTEST_GUILESS_MAIN(TestInteropCluster)
#include "tst_interop_cluster.moc"
