// SPDX-License-Identifier: MIT
// ClusterClient with read_from_replicas against a real cluster of 3 masters, each with one
// replica, started by the test: reads with a key are served by replicas (their INFO
// commandstats count them, their CLIENT LIST shows our READONLY connection), writes by masters,
// MOVED from a replica is followed, and a killed replica's reads fall back to its master.

#include "clienttest.h"
#include "cliprocess.h"
#include "clusterclient.h"
#include "clusterslots.h"
#include "rediscluster.h"

#include <QTest>

using namespace bullpen;
using namespace bullpen::test;

namespace {

CliResult runCli(const QStringList& args)
{
    return test::runCli(QStringLiteral(BULLPEN_CLI_PATH), args);
}

// "calls=N" of `INFO commandstats` for one command on one node; 0 when it never ran.
qint64 calls(const RedisServer& node, const QByteArray& command)
{
    const QByteArray stat = node.info(QStringLiteral("commandstats"), "cmdstat_" + command);
    for (const QByteArray& part : stat.split(',')) {
        if (part.startsWith("calls="))
            return part.mid(6).toLongLong();
    }
    return 0;
}

} // namespace

class TestClusterReplicas : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void replicasGetReadOnlyConnections();
    void readsOnReplicasWritesOnMasters();
    void pipelineReadsOnReplicas();
    void cliReadsFromReplicas();
    void movedFromAReplica();
    void killedReplicaFallsBackToMaster(); // last: it kills a replica

private:
    void resetStats();
    qint64 callsOnMasters(const QByteArray& command) const;
    qint64 callsOnReplicas(const QByteArray& command) const;
    /// Keys spread over every master: "rk:0" … "rk:n-1".
    static QList<QByteArray> keys(int n);

    std::unique_ptr<RedisCluster> m_cluster;
    std::unique_ptr<ClusterClient> m_client;
};

QList<QByteArray> TestClusterReplicas::keys(int n)
{
    QList<QByteArray> out;
    for (int i = 0; i < n; ++i)
        out.append("rk:" + QByteArray::number(i));
    return out;
}

void TestClusterReplicas::resetStats()
{
    for (int i = 0; i < m_cluster->size(); ++i)
        QCOMPARE(m_cluster->node(i).cli({ QStringLiteral("CONFIG"), QStringLiteral("RESETSTAT") }), QByteArray("OK"));
}

qint64 TestClusterReplicas::callsOnMasters(const QByteArray& command) const
{
    qint64 n = 0;
    for (int i = 0; i < m_cluster->size(); ++i)
        n += m_cluster->isMaster(i) ? calls(m_cluster->node(i), command) : 0;
    return n;
}

qint64 TestClusterReplicas::callsOnReplicas(const QByteArray& command) const
{
    qint64 n = 0;
    for (int i = 0; i < m_cluster->size(); ++i)
        n += m_cluster->isMaster(i) ? 0 : calls(m_cluster->node(i), command);
    return n;
}

void TestClusterReplicas::initTestCase()
{
    m_cluster = std::make_unique<RedisCluster>(3, 1);
    QVERIFY2(m_cluster->start(), qPrintable(m_cluster->error()));
    for (int i = 0; i < m_cluster->size(); ++i) {
        if (m_cluster->isMaster(i))
            QCOMPARE(m_cluster->replicasOf(i).size(), 1);
    }
    QString error;
    const auto o = ConnectionOptions::fromUrl(
        QStringLiteral("redis-cluster://127.0.0.1:%1?read_from_replicas=1")
            .arg(m_cluster->node(m_cluster->firstMaster()).port()),
        &error);
    QVERIFY2(o, qPrintable(error));
    QVERIFY(o->readFromReplicas);
    ConnectionOptions options = *o;
    options.reconnectInitialMs = 50;
    options.reconnectMaxMs = 200;
    m_client = std::make_unique<ClusterClient>(options);
    BP_OPEN_READY(*m_client);
    BP_AWAIT(refreshed, m_client->refreshTopology());
    QVERIFY2(refreshed, qPrintable(m_client->topologyError()));
    for (const auto& shard : m_client->slotMap().shards)
        QVERIFY2(shard.replicas.size() == 1,
            m_cluster->node(m_cluster->firstMaster()).cli({ QStringLiteral("CLUSTER"), QStringLiteral("SHARDS") }).constData());
}

void TestClusterReplicas::cleanupTestCase()
{
    m_client.reset();
    m_cluster.reset();
}

// One connection per master and per replica; the replicas' are in READONLY mode.
void TestClusterReplicas::replicasGetReadOnlyConnections()
{
    const auto readyReplicas = [this] {
        int n = 0;
        for (const auto& c : m_client->nodeConnections())
            n += c.replica && c.state == ConnectionState::Ready ? 1 : 0;
        return n;
    };
    QTRY_COMPARE_WITH_TIMEOUT(readyReplicas(), 3, 10000);
    int masters = 0;
    for (const auto& c : m_client->nodeConnections())
        masters += c.replica ? 0 : 1;
    QCOMPARE(masters, 3);
    for (int i = 0; i < m_cluster->size(); ++i) {
        if (m_cluster->isMaster(i))
            continue;
        const QByteArray name = "name=bullpen:main@replica@" + QByteArray::number(m_cluster->node(i).port()) + ' ';
        bool found = false;
        for (const QByteArray& line : m_cluster->node(i).cli({ QStringLiteral("CLIENT"), QStringLiteral("LIST") }).split('\n')) {
            if (line.contains(name)) {
                found = true;
                // flags=r: the connection said READONLY.
                QVERIFY2(line.contains(" flags=r "), line.constData());
            }
        }
        QVERIFY2(found, qPrintable(QStringLiteral("no connection of ours on replica %1").arg(m_cluster->node(i).port())));
    }
}

void TestClusterReplicas::readsOnReplicasWritesOnMasters()
{
    const QList<QByteArray> list = keys(30);
    resetStats();
    for (const QByteArray& k : list) {
        BP_AWAIT(set, m_client->command({ "SET", k, "v:" + k }));
        QCOMPARE(set.toDisplayString(), QStringLiteral("OK"));
    }
    // Every write reached a master (a replica would have answered MOVED, and counted nothing).
    QCOMPARE(callsOnMasters("set"), qint64(list.size()));
    // The replicas have the keys before we read them: each reached its master's offset of now
    // (the master may move on meanwhile, with its pings to the replicas: at least, not equal).
    for (int i = 0; i < m_cluster->size(); ++i) {
        if (!m_cluster->isMaster(i))
            continue;
        const qint64 offset = m_cluster->node(i).info(QStringLiteral("replication"), "master_repl_offset").toLongLong();
        QVERIFY(offset > 0);
        for (const int r : m_cluster->replicasOf(i)) {
            const auto replicaOffset = [this, r] {
                return m_cluster->node(r).info(QStringLiteral("replication"), "slave_repl_offset").toLongLong();
            };
            QTRY_VERIFY2_WITH_TIMEOUT(replicaOffset() >= offset,
                qPrintable(QStringLiteral("replica %1 at %2 of %3").arg(r).arg(replicaOffset()).arg(offset)), 10000);
        }
    }
    for (const QByteArray& k : list) {
        BP_AWAIT(get, m_client->command({ "GET", k }));
        QCOMPARE(get.bytes(), "v:" + k);
    }
    QCOMPARE(callsOnMasters("get"), qint64(0));
    QCOMPARE(callsOnReplicas("get"), qint64(list.size()));
    // Every replica served its share: the keys are spread over the three shards.
    for (int i = 0; i < m_cluster->size(); ++i) {
        if (!m_cluster->isMaster(i))
            QVERIFY2(calls(m_cluster->node(i), "get") > 0, qPrintable(QString::number(m_cluster->node(i).port())));
    }
    // A write-only command and a command not known to be read-only stay on the masters.
    BP_AWAIT(incr, m_client->command({ "INCR", "rk:counter" }));
    QCOMPARE(incr.integer(), qint64(1));
    QCOMPARE(callsOnMasters("incr"), qint64(1));
    BP_AWAIT(eval, m_client->command({ "EVAL", "return redis.call('GET', KEYS[1])", "1", "rk:1" }));
    QCOMPARE(eval.bytes(), QByteArray("v:rk:1"));
    QCOMPARE(callsOnMasters("eval"), qint64(1));
    QCOMPARE(callsOnReplicas("eval"), qint64(0));
}

void TestClusterReplicas::pipelineReadsOnReplicas()
{
    const QList<QByteArray> list = keys(30);
    resetStats();
    QList<Command> commands;
    for (const QByteArray& k : list) {
        commands.append({ "GET", k });
        commands.append({ "SET", k + ":copy", "c" });
    }
    BP_AWAIT(replies, m_client->pipeline(commands));
    QCOMPARE(replies.size(), commands.size());
    for (qsizetype i = 0; i < list.size(); ++i) {
        QCOMPARE(replies.at(2 * i).bytes(), "v:" + list.at(i));
        QCOMPARE(replies.at(2 * i + 1).toDisplayString(), QStringLiteral("OK"));
    }
    QCOMPARE(callsOnReplicas("get"), qint64(list.size()));
    QCOMPARE(callsOnMasters("get"), qint64(0));
    QCOMPARE(callsOnMasters("set"), qint64(list.size()));
}

void TestClusterReplicas::cliReadsFromReplicas()
{
    resetStats();
    const QString url
        = QStringLiteral("redis://127.0.0.1:%1").arg(m_cluster->node(m_cluster->firstMaster()).port());
    CliResult r = runCli({ QStringLiteral("--url"), url, QStringLiteral("--cluster"), QStringLiteral("--read-from-replicas"),
        QStringLiteral("exec"), QStringLiteral("--"), QStringLiteral("GET"), QStringLiteral("rk:7") });
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    QCOMPARE(r.out, QByteArray("\"v:rk:7\"\n"));
    QCOMPARE(callsOnReplicas("get"), qint64(1));
    QCOMPARE(callsOnMasters("get"), qint64(0));

    // Without --cluster or --sentinel there is no replica to choose.
    r = runCli({ QStringLiteral("--url"), url, QStringLiteral("--read-from-replicas"), QStringLiteral("ping") });
    QVERIFY2(r.exitCode == 2, r.describe().constData());
    QVERIFY2(r.err.contains("--read-from-replicas needs --cluster or --sentinel"), r.describe().constData());
}

// The slot of a key moves to another master: the old master's replica answers MOVED, which
// is followed, and the read lands on the new owner's side.
void TestClusterReplicas::movedFromAReplica()
{
    const QByteArray key = "rk:3";
    const int slot = cluster::keySlot(key);
    const int from = m_cluster->ownerOf(slot);
    QVERIFY(from >= 0);
    int to = -1;
    for (int i = 0; i < m_cluster->size() && to < 0; ++i) {
        if (m_cluster->isMaster(i) && i != from)
            to = i;
    }
    QVERIFY2(m_cluster->migrateSlot(slot, to), qPrintable(m_cluster->error()));
    // Until the replica of `from` knows of the move it would still say its master owns the slot.
    const int oldReplica = m_cluster->replicasOf(from).value(0);
    QTRY_VERIFY_WITH_TIMEOUT(m_cluster->node(oldReplica)
                                 .cli({ QStringLiteral("CLUSTER"), QStringLiteral("SLOTS") })
                                 .contains(QByteArray::number(m_cluster->node(to).port())),
        10000);
    const qint64 before = m_client->redirections();
    BP_AWAIT(get, m_client->command({ "GET", key }));
    QCOMPARE(get.bytes(), QByteArray("v:rk:3"));
    QVERIFY2(m_client->redirections() > before, "the stale map should have met a MOVED");
    BP_AWAIT(again, m_client->command({ "GET", key }));
    QCOMPARE(again.bytes(), QByteArray("v:rk:3"));
    BP_AWAIT(set, m_client->command({ "SET", key, "moved" }));
    QCOMPARE(set.toDisplayString(), QStringLiteral("OK"));
    QCOMPARE(m_cluster->node(to).cli({ QStringLiteral("GET"), QString::fromLatin1(key) }), QByteArray("moved"));
}

void TestClusterReplicas::killedReplicaFallsBackToMaster()
{
    // A key of the first master, and that master's replica.
    int master = -1;
    QByteArray key;
    for (const QByteArray& k : keys(30)) {
        const int owner = m_cluster->ownerOf(cluster::keySlot(k));
        if (owner >= 0 && !m_cluster->replicasOf(owner).isEmpty()) {
            master = owner;
            key = k;
            break;
        }
    }
    QVERIFY(master >= 0);
    const int replica = m_cluster->replicasOf(master).first();
    BP_AWAIT(before, m_client->command({ "GET", key }));
    QVERIFY2(!before.isError(), qPrintable(before.toDisplayString()));
    resetStats();
    m_cluster->node(replica).kill();
    // Every read is answered, by the master now; none fails.
    for (int i = 0; i < 10; ++i) {
        BP_AWAIT(get, m_client->command({ "GET", key }));
        QVERIFY2(!get.isError(), qPrintable(get.toDisplayString()));
    }
    QCOMPARE(calls(m_cluster->node(master), "get"), qint64(10));
    BP_AWAIT(replies, m_client->pipeline({ { "GET", key }, { "GET", key } }));
    QVERIFY2(!replies.at(0).isError() && !replies.at(1).isError(), qPrintable(replies.at(0).toDisplayString()));
    QCOMPARE(calls(m_cluster->node(master), "get"), qint64(12));
}

QTEST_GUILESS_MAIN(TestClusterReplicas)
#include "tst_clusterreplicas.moc"
