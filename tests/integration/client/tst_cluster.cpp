// SPDX-License-Identifier: MIT
// ClusterClient against a real 3-master Redis Cluster started by the test: routing by slot,
// pipelines split per node and put back in order, hash tags, MOVED and ASK while the test
// migrates slots, SCAN and INFO fanned out to every master.

#include "clienttest.h"
#include "cliprocess.h"
#include "clusterclient.h"
#include "commandpolicy.h"
#include "rediscluster.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTest>

using namespace bullpen;
using namespace bullpen::test;

namespace {

CliResult runCli(const QStringList& args)
{
    return test::runCli(QStringLiteral(BULLPEN_CLI_PATH), args);
}
} // namespace

class TestCluster : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void topology();
    void setAndGetAcrossSlots();
    void keylessCommandsAndRefusals();
    void pipelineAcrossNodesInOrder();
    void hashTagsAndMultiKeyCommands();
    void transactionInAPipeline();
    void pipelineMeetsMoved();
    void askDuringMigration();
    void scanSeesEveryKeyOnce();
    void infoPerNode();
    void slotMigrationDuringAScan();
    void cliWithCluster();
    void seedsAfterTheFirst();

private:
    /// The index of a node other than `node`.
    int other(int node) const { return (node + 1) % m_cluster->size(); }
    int nodeOfAddress(const cluster::NodeAddress& a) const
    {
        for (int i = 0; i < m_cluster->size(); ++i) {
            if (m_cluster->node(i).port() == a.port)
                return i;
        }
        return -1;
    }

    std::unique_ptr<RedisCluster> m_cluster;
    std::unique_ptr<ClusterClient> m_client;
};

void TestCluster::initTestCase()
{
    m_cluster = std::make_unique<RedisCluster>(3);
    QVERIFY2(m_cluster->start(), qPrintable(m_cluster->error()));
    m_client = std::make_unique<ClusterClient>(m_cluster->options());
    BP_OPEN_READY(*m_client);
}

void TestCluster::cleanupTestCase()
{
    m_client.reset();
    m_cluster.reset();
}

void TestCluster::topology()
{
    BP_AWAIT(ok, m_client->refreshTopology());
    QVERIFY2(ok, qPrintable(m_client->topologyError()));
    const cluster::SlotMap map = m_client->slotMap();
    QCOMPARE(map.shards.size(), 3);
    QCOMPARE(map.coveredSlots(), cluster::slotCount);
    for (const int slot : { 0, 5000, 12739, 16383 })
        QCOMPARE(nodeOfAddress(*map.masterOf(slot)), m_cluster->ownerOf(slot));
    QVERIFY(m_client->topologyError().isEmpty());
}

void TestCluster::setAndGetAcrossSlots()
{
    constexpr int n = 300;
    QList<QFuture<Reply>> sets;
    for (int i = 0; i < n; ++i)
        sets.append(m_client->command({ "SET", "k:" + QByteArray::number(i), "v" + QByteArray::number(i) }));
    for (const auto& f : std::as_const(sets)) {
        BP_AWAIT(r, f);
        QCOMPARE(r.bytes(), QByteArray("OK"));
    }
    QSet<int> nodesUsed;
    for (int i = 0; i < n; ++i) {
        const QByteArray key = "k:" + QByteArray::number(i);
        BP_AWAIT(r, m_client->command({ "GET", key }));
        QCOMPARE(r.bytes(), "v" + QByteArray::number(i));
        if (i % 30 == 0) {
            // The key really is on the node that serves its slot.
            const int owner = m_cluster->ownerOf(cluster::keySlot(key));
            QCOMPARE(m_cluster->node(owner).cli({ QStringLiteral("GET"), QString::fromLatin1(key) }),
                "v" + QByteArray::number(i));
        }
        nodesUsed.insert(m_cluster->ownerOf(cluster::keySlot(key)));
    }
    QCOMPARE(nodesUsed.size(), 3);
    QCOMPARE(m_client->redirections(), qint64(0)); // the map was right: no MOVED
}

void TestCluster::keylessCommandsAndRefusals()
{
    BP_AWAIT(pong, m_client->command({ "PING" }));
    QCOMPARE(pong.bytes(), QByteArray("PONG"));
    // The safety guard applies as on a RedisClient.
    BP_AWAIT(refused, m_client->command({ "FLUSHALL" }));
    QCOMPARE(refused.errorKind(), Reply::ErrorKind::Refused);
    BP_AWAIT(refusedAll, m_client->pipeline({ { "SET", "a", "1" }, { "FLUSHALL" } }));
    QCOMPARE(refusedAll.size(), 2);
    QCOMPARE(refusedAll.at(0).errorKind(), Reply::ErrorKind::Refused);
    BP_AWAIT(empty, m_client->pipeline({}));
    QVERIFY(empty.isEmpty());
    // Through the base class pointer, as the models hold it.
    RedisClient* base = m_client.get();
    BP_AWAIT(viaBase, base->command({ "SET", "base:key", "x" }));
    QCOMPARE(viaBase.bytes(), QByteArray("OK"));
    const int owner = m_cluster->ownerOf(cluster::keySlot("base:key"));
    QCOMPARE(m_cluster->node(owner).cli({ QStringLiteral("GET"), QStringLiteral("base:key") }), QByteArray("x"));
}

void TestCluster::pipelineAcrossNodesInOrder()
{
    constexpr int n = 300;
    QList<Command> commands;
    for (int i = 0; i < n; ++i) {
        const QByteArray key = "p:" + QByteArray::number(i);
        switch (i % 3) {
        case 0:
            commands.append({ "SET", key, "value" + QByteArray::number(i) });
            break;
        case 1:
            commands.append({ "INCRBY", key, QByteArray::number(i) });
            break;
        default:
            commands.append({ "ECHO", "echo" + QByteArray::number(i) }); // no key: the seed
            break;
        }
    }
    BP_AWAIT(replies, m_client->pipeline(commands));
    QCOMPARE(replies.size(), n);
    for (int i = 0; i < n; ++i) {
        const Reply& r = replies.at(i);
        switch (i % 3) {
        case 0:
            QCOMPARE(r.bytes(), QByteArray("OK"));
            break;
        case 1:
            QVERIFY2(r.isInteger(), qPrintable(r.toDisplayString()));
            QCOMPARE(r.integer(), qint64(i));
            break;
        default:
            QCOMPARE(r.bytes(), "echo" + QByteArray::number(i));
            break;
        }
    }
    // Read back in one pipeline: values come back in the order asked, from all three nodes.
    QList<Command> gets;
    QSet<int> owners;
    for (int i = n - 1; i >= 0; --i) {
        if (i % 3 != 2) {
            gets.append({ "GET", "p:" + QByteArray::number(i) });
            owners.insert(m_cluster->ownerOf(cluster::keySlot("p:" + QByteArray::number(i))));
        }
    }
    QCOMPARE(owners.size(), 3);
    BP_AWAIT(values, m_client->pipeline(gets));
    QCOMPARE(values.size(), gets.size());
    qsizetype k = 0;
    for (int i = n - 1; i >= 0; --i) {
        if (i % 3 == 0)
            QCOMPARE(values.at(k++).bytes(), "value" + QByteArray::number(i));
        else if (i % 3 == 1)
            QCOMPARE(values.at(k++).bytes(), QByteArray::number(i));
    }
}

void TestCluster::hashTagsAndMultiKeyCommands()
{
    BP_AWAIT(mset, m_client->command({ "MSET", "{user1000}.following", "a", "{user1000}.followers", "b" }));
    QCOMPARE(mset.bytes(), QByteArray("OK"));
    BP_AWAIT(mget, m_client->command({ "MGET", "{user1000}.following", "{user1000}.followers" }));
    QCOMPARE(mget.size(), 2);
    QCOMPARE(mget.at(0).bytes(), QByteArray("a"));
    QCOMPARE(mget.at(1).bytes(), QByteArray("b"));
    // A script over two keys of one hash tag, as BullMQ's (prefix "{bull}").
    BP_AWAIT(pushed, m_client->command({ "LPUSH", "{bull}:orders:wait", "1", "2", "3" }));
    QCOMPARE(pushed.integer(), qint64(3));
    BP_AWAIT(evald,
        m_client->command(
            { "EVAL", "redis.call('SET', KEYS[2], redis.call('LLEN', KEYS[1])) return redis.call('GET', KEYS[2])", "2",
                "{bull}:orders:wait", "{bull}:orders:meta" }));
    QCOMPARE(evald.bytes(), QByteArray("3"));
    const int owner = m_cluster->ownerOf(cluster::keySlot("bull"));
    QCOMPARE(
        m_cluster->node(owner).cli({ QStringLiteral("LLEN"), QStringLiteral("{bull}:orders:wait") }), QByteArray("3"));
    // Keys of different slots in one command: the server's CROSSSLOT error, as is.
    BP_AWAIT(cross, m_client->command({ "MGET", "k:1", "k:2" }));
    QVERIFY(cross.isError());
    QCOMPARE(cross.errorKind(), Reply::ErrorKind::Server);
    QVERIFY2(cross.bytes().startsWith("CROSSSLOT"), cross.bytes().constData());
}

void TestCluster::transactionInAPipeline()
{
    BP_AWAIT(replies,
        m_client->pipeline({ { "SET", "before", "1" }, { "MULTI" }, { "INCR", "{tx}:a" }, { "INCR", "{tx}:b" },
            { "EXEC" }, { "GET", "after" } }));
    QCOMPARE(replies.size(), 6);
    QCOMPARE(replies.at(0).bytes(), QByteArray("OK"));
    QCOMPARE(replies.at(1).bytes(), QByteArray("OK"));
    QCOMPARE(replies.at(2).bytes(), QByteArray("QUEUED"));
    QCOMPARE(replies.at(3).bytes(), QByteArray("QUEUED"));
    QVERIFY2(replies.at(4).isArray(), qPrintable(replies.at(4).toDisplayString()));
    QCOMPARE(replies.at(4).size(), 2);
    QCOMPARE(replies.at(4).at(0).integer(), qint64(1));
    QVERIFY(replies.at(5).isNil());
}

void TestCluster::pipelineMeetsMoved()
{
    // Keys of one slot (hash tag), written while the client's map is right.
    const int slot = cluster::keySlot("moved");
    const int from = m_cluster->ownerOf(slot);
    const int to = other(from);
    QList<Command> sets;
    for (int i = 0; i < 40; ++i)
        sets.append({ "SET", "{moved}:" + QByteArray::number(i), QByteArray::number(i) });
    BP_AWAIT(setReplies, m_client->pipeline(sets));
    for (const Reply& r : setReplies)
        QCOMPARE(r.bytes(), QByteArray("OK"));
    QCOMPARE(nodeOfAddress(*m_client->slotMap().masterOf(slot)), from);
    const qint64 redirectionsBefore = m_client->redirections();

    // The slot moves behind the client's back.
    QVERIFY2(m_cluster->migrateSlot(slot, to), qPrintable(m_cluster->error()));

    // A pipeline over all nodes whose commands of that slot meet MOVED: every reply correct,
    // in order.
    QList<Command> mixed;
    for (int i = 0; i < 40; ++i) {
        mixed.append({ "GET", "{moved}:" + QByteArray::number(i) });
        mixed.append({ "GET", "k:" + QByteArray::number(i) });
        mixed.append({ "INCR", "{moved}:" + QByteArray::number(i) });
    }
    BP_AWAIT(replies, m_client->pipeline(mixed));
    QCOMPARE(replies.size(), mixed.size());
    for (int i = 0; i < 40; ++i) {
        QCOMPARE(replies.at(3 * i).bytes(), QByteArray::number(i));
        QCOMPARE(replies.at(3 * i + 1).bytes(), "v" + QByteArray::number(i));
        QCOMPARE(replies.at(3 * i + 2).integer(), qint64(i + 1));
    }
    QVERIFY(m_client->redirections() > redirectionsBefore);
    QCOMPARE(nodeOfAddress(*m_client->slotMap().masterOf(slot)), to);
    QCOMPARE(m_cluster->node(to).cli({ QStringLiteral("GET"), QStringLiteral("{moved}:7") }), QByteArray("8"));

    // The map was refreshed: the next pipeline goes straight to the new owner.
    QTRY_COMPARE(nodeOfAddress(*m_client->slotMap().masterOf(slot)), to);
    // The refresh that MOVED started must be over before slot2 moves below: one still reading
    // the shards then would already know slot2's new owner, and the single GET would not
    // meet MOVED. refreshTopology() joins a refresh in flight.
    BP_AWAIT(refreshed, m_client->refreshTopology());
    QVERIFY(refreshed);
    const qint64 settled = m_client->redirections();
    BP_AWAIT(again, m_client->pipeline({ { "GET", "{moved}:1" }, { "GET", "k:1" } }));
    QCOMPARE(again.at(0).bytes(), QByteArray("2"));
    QCOMPARE(again.at(1).bytes(), QByteArray("v1"));
    QCOMPARE(m_client->redirections(), settled);

    // A single command meets MOVED too.
    const int slot2 = cluster::keySlot("single");
    BP_AWAIT(set2, m_client->command({ "SET", "{single}:k", "s" }));
    QCOMPARE(set2.bytes(), QByteArray("OK"));
    QVERIFY2(m_cluster->migrateSlot(slot2, other(m_cluster->ownerOf(slot2))), qPrintable(m_cluster->error()));
    const qint64 beforeSingle = m_client->redirections();
    BP_AWAIT(get2, m_client->command({ "GET", "{single}:k" }));
    QCOMPARE(get2.bytes(), QByteArray("s"));
    QCOMPARE(m_client->redirections(), beforeSingle + 1);
}

void TestCluster::askDuringMigration()
{
    const int slot = cluster::keySlot("ask");
    const int from = m_cluster->ownerOf(slot);
    const int to = other(from);
    QList<Command> sets;
    for (int i = 0; i < 20; ++i)
        sets.append({ "SET", "{ask}:" + QByteArray::number(i), "a" + QByteArray::number(i) });
    BP_AWAIT(setReplies, m_client->pipeline(sets));
    QCOMPARE(setReplies.size(), 20);

    // Half of the keys move; the slot stays in migration (source MIGRATING, target IMPORTING).
    QVERIFY2(m_cluster->migrateSlot(slot, to, false, 10), qPrintable(m_cluster->error()));
    QCOMPARE(m_cluster->node(from).cli(
                 { QStringLiteral("CLUSTER"), QStringLiteral("COUNTKEYSINSLOT"), QString::number(slot) }),
        QByteArray("10"));
    const qint64 before = m_client->redirections();
    QList<Command> gets;
    for (int i = 0; i < 20; ++i)
        gets.append({ "GET", "{ask}:" + QByteArray::number(i) });
    BP_AWAIT(replies, m_client->pipeline(gets));
    for (int i = 0; i < 20; ++i)
        QCOMPARE(replies.at(i).bytes(), "a" + QByteArray::number(i));
    QCOMPARE(m_client->redirections() - before, qint64(10)); // one ASK per moved key
    // ASK does not change the map: the slot is still the source's.
    QCOMPARE(nodeOfAddress(*m_client->slotMap().masterOf(slot)), from);

    // A read-only client follows ASK too: ASKING is a read for the guard, before the server's
    // command table is known.
    QVERIFY(CommandPolicy().check({ "ASKING" }, true, false).isEmpty());
    ConnectionOptions readOnly = m_cluster->options();
    readOnly.readOnly = true;
    ClusterClient reader(readOnly);
    reader.open();
    BP_AWAIT(readReplies, reader.pipeline(gets));
    for (int i = 0; i < 20; ++i)
        QCOMPARE(readReplies.at(i).bytes(), "a" + QByteArray::number(i));
    BP_AWAIT(refusedWrite, reader.command({ "SET", "{ask}:0", "x" }));
    QCOMPARE(refusedWrite.errorKind(), Reply::ErrorKind::Refused);

    // SCAN while the slot is in migration: its keys are split over two nodes, each seen once.
    BP_AWAIT(scan, m_client->scanAll("{ask}:*", {}, 7));
    QVERIFY2(scan.errors.isEmpty(), qPrintable(scan.errors.join(QLatin1Char('\n'))));
    QCOMPARE(scan.keys.size(), 20);
    QCOMPARE(QSet<QByteArray>(scan.keys.cbegin(), scan.keys.cend()).size(), 20);

    // Finish the migration; then reads follow MOVED once and settle on the new owner.
    QVERIFY2(m_cluster->migrateSlot(slot, to), qPrintable(m_cluster->error()));
    BP_AWAIT(after, m_client->pipeline(gets));
    for (int i = 0; i < 20; ++i)
        QCOMPARE(after.at(i).bytes(), "a" + QByteArray::number(i));
    QTRY_COMPARE(nodeOfAddress(*m_client->slotMap().masterOf(slot)), to);
}

void TestCluster::scanSeesEveryKeyOnce()
{
    constexpr int n = 1000;
    QList<Command> sets;
    QSet<QByteArray> expected;
    for (int i = 0; i < n; ++i) {
        const QByteArray key = "scan:" + QByteArray::number(i);
        sets.append({ "SET", key, "x" });
        expected.insert(key);
    }
    // A hash (not a string) to check TYPE.
    sets.append({ "HSET", "scan:hash", "f", "v" });
    BP_AWAIT(setReplies, m_client->pipeline(sets));
    QCOMPARE(setReplies.size(), n + 1);

    BP_AWAIT(scan, m_client->scanAll("scan:*", "string", 100));
    QVERIFY2(scan.errors.isEmpty(), qPrintable(scan.errors.join(QLatin1Char('\n'))));
    QCOMPARE(scan.keys.size(), n);
    QCOMPARE(QSet<QByteArray>(scan.keys.cbegin(), scan.keys.cend()), expected);

    BP_AWAIT(all, m_client->scanAll("scan:*"));
    QCOMPARE(all.keys.size(), n + 1);

    // SCAN through command(), as the key browser sends it: the cursor walks all masters.
    QSet<QByteArray> walked;
    QByteArray cursor = "0";
    int steps = 0;
    qsizetype returned = 0;
    do {
        BP_AWAIT(page, m_client->command({ "SCAN", cursor, "MATCH", "scan:*", "COUNT", "100", "TYPE", "string" }));
        QVERIFY2(page.isArray() && page.size() == 2, qPrintable(page.toDisplayString()));
        cursor = page.at(0).bytes();
        for (const Reply& k : page.at(1).elements())
            walked.insert(k.bytes());
        returned += page.at(1).size();
        QVERIFY(++steps < 1000);
    } while (cursor != "0");
    QCOMPARE(walked, expected);
    QCOMPARE(returned, qsizetype(n)); // no key twice
    QVERIFY(steps >= 3);
    // … and through a pipeline, two walks side by side (as queue discovery does).
    QSet<QByteArray> strings, hashes;
    QByteArray c1 = "0", c2 = "0";
    bool done1 = false, done2 = false;
    while (!done1 || !done2) {
        QList<Command> page;
        if (!done1)
            page.append({ "SCAN", c1, "MATCH", "scan:*", "COUNT", "200", "TYPE", "string" });
        if (!done2)
            page.append({ "SCAN", c2, "MATCH", "scan:*", "COUNT", "200", "TYPE", "hash" });
        page.append(Command { "GET", "k:1" });
        BP_AWAIT(replies, m_client->pipeline(page));
        QCOMPARE(replies.last().bytes(), QByteArray("v1"));
        qsizetype k = 0;
        if (!done1) {
            c1 = replies.at(k).at(0).bytes();
            for (const Reply& key : replies.at(k).at(1).elements())
                strings.insert(key.bytes());
            done1 = c1 == "0";
            ++k;
        }
        if (!done2) {
            c2 = replies.at(k).at(0).bytes();
            for (const Reply& key : replies.at(k).at(1).elements())
                hashes.insert(key.bytes());
            done2 = c2 == "0";
        }
    }
    QCOMPARE(strings, expected);
    QCOMPARE(hashes, QSet<QByteArray> { "scan:hash" });
    // A cursor that is not one of ours: the server's own error.
    BP_AWAIT(bad, m_client->command({ "SCAN", "nonsense" }));
    QVERIFY(bad.isError());
    QCOMPARE(bad.errorKind(), Reply::ErrorKind::Server);

    // Every master's own keys count: the keys really are spread over the three.
    int nodesWithKeys = 0;
    for (int i = 0; i < m_cluster->size(); ++i) {
        const QByteArray keys = m_cluster->node(i).cli(
            { QStringLiteral("--scan"), QStringLiteral("--pattern"), QStringLiteral("scan:*") });
        nodesWithKeys += keys.isEmpty() ? 0 : 1;
    }
    QCOMPARE(nodesWithKeys, 3);
}

void TestCluster::infoPerNode()
{
    BP_AWAIT(infos, m_client->forEachMaster({ "INFO", "keyspace" }));
    QCOMPARE(infos.size(), 3);
    qint64 total = 0;
    QSet<quint16> ports;
    for (const auto& nr : infos) {
        QVERIFY2(nr.reply.isString(), qPrintable(nr.reply.toDisplayString()));
        ports.insert(nr.node.port);
        // "db0:keys=N,expires=…"
        for (const QByteArray& line : nr.reply.bytes().split('\n')) {
            if (line.startsWith("db0:keys="))
                total += line.mid(9, line.indexOf(',') - 9).toLongLong();
        }
    }
    QCOMPARE(ports.size(), 3);
    BP_AWAIT(dbsizes, m_client->forEachMaster({ "DBSIZE" }));
    qint64 sum = 0;
    for (const auto& nr : dbsizes)
        sum += nr.reply.integer();
    QCOMPARE(total, sum);
    QVERIFY(sum > 1000);
}

void TestCluster::slotMigrationDuringAScan()
{
    // Many keys in one slot, on the master scanned last (masters are scanned in parallel, but a
    // slot moving from a node still being scanned to one that is done loses keys for a naive scan).
    constexpr int n = 20000;
    QList<Command> sets;
    QSet<QByteArray> expected;
    for (int i = 0; i < n; ++i) {
        const QByteArray key = (i % 200 == 0 ? "{mig}:" : "mig:") + QByteArray::number(i);
        sets.append({ "SET", key, "x" });
        expected.insert(key);
    }
    BP_AWAIT(setReplies, m_client->pipeline(sets));
    QCOMPARE(setReplies.size(), n);
    const int slot = cluster::keySlot("mig");
    const int from = m_cluster->ownerOf(slot);

    // COUNT 1: the scan takes many round trips; the slot moves while it runs.
    const QFuture<ClusterClient::ScanResult> scan = m_client->scanAll("*mig*", {}, 1);
    QVERIFY2(m_cluster->migrateSlot(slot, other(from)), qPrintable(m_cluster->error()));
    QVERIFY2(!scan.isFinished(), "the scan ended before the migration: it proves nothing");
    BP_AWAIT(result, scan);
    QVERIFY2(result.errors.isEmpty(), qPrintable(result.errors.join(QLatin1Char('\n'))));
    QCOMPARE(result.keys.size(), qsizetype(n));
    QCOMPARE(QSet<QByteArray>(result.keys.cbegin(), result.keys.cend()), expected);
    QVERIFY(result.passes >= 2); // the owners changed during the first pass

    // Without changes: one pass.
    BP_AWAIT(quiet, m_client->scanAll("{mig}:*", {}, 1000));
    QCOMPARE(quiet.passes, 1);
    QCOMPARE(quiet.keys.size(), qsizetype(n / 200));
}

void TestCluster::cliWithCluster()
{
    const QString url = m_cluster->url();
    // A key whose slot is not the seed's: the CLI follows the map (or MOVED) to its node.
    QByteArray key;
    for (int i = 0; key.isEmpty(); ++i) {
        if (m_cluster->ownerOf(cluster::keySlot("k:" + QByteArray::number(i))) != 0)
            key = "k:" + QByteArray::number(i);
    }
    CliResult r = runCli({ QStringLiteral("--cluster"), QStringLiteral("--url"), url, QStringLiteral("exec"),
        QStringLiteral("--"), QStringLiteral("GET"), QString::fromLatin1(key) });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out.trimmed(), "\"v" + key.mid(2) + '"');
    // Without --cluster the seed answers with MOVED, a server error.
    r = runCli({ QStringLiteral("--url"), url, QStringLiteral("exec"), QStringLiteral("--"), QStringLiteral("GET"),
        QString::fromLatin1(key) });
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("MOVED"), r.err.constData());

    r = runCli({ QStringLiteral("--cluster"), QStringLiteral("--url"), url, QStringLiteral("ping") });
    QVERIFY2(r.exitCode == 0, r.err.constData());

    // keys: every master, each key once.
    r = runCli({ QStringLiteral("--cluster"), QStringLiteral("--url"), url, QStringLiteral("keys"),
        QStringLiteral("--match"), QStringLiteral("scan:*"), QStringLiteral("--type"), QStringLiteral("string"),
        QStringLiteral("--count"), QStringLiteral("100") });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 1000);
    QCOMPARE(QSet<QByteArray>(lines.cbegin(), lines.cend()).size(), 1000);
    r = runCli({ QStringLiteral("--cluster"), QStringLiteral("--url"), url, QStringLiteral("keys"),
        QStringLiteral("--match"), QStringLiteral("scan:*"), QStringLiteral("--limit"), QStringLiteral("10") });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out.trimmed().split('\n').size(), 10);

    // info: one section per master.
    r = runCli({ QStringLiteral("--cluster"), QStringLiteral("--url"), url, QStringLiteral("info"),
        QStringLiteral("server") });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out.count("# Node 127.0.0.1:"), 3);
    for (int i = 0; i < m_cluster->size(); ++i)
        QVERIFY(r.out.contains(QByteArray("tcp_port:" + QByteArray::number(m_cluster->node(i).port()))));
    r = runCli({ QStringLiteral("--cluster"), QStringLiteral("--url"), url, QStringLiteral("--json"),
        QStringLiteral("info"), QStringLiteral("keyspace") });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject nodes = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(nodes.size(), 3);
    QVERIFY(nodes.value(QStringLiteral("127.0.0.1:%1").arg(m_cluster->node(0).port())).isObject());

    // Nonsense combinations are usage errors.
    r = runCli({ QStringLiteral("--cluster"), QStringLiteral("--socket"), QStringLiteral("/tmp/x.sock"),
        QStringLiteral("ping") });
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains("--cluster"));
    r = runCli({ QStringLiteral("--cluster"), QStringLiteral("--url"), url, QStringLiteral("--db"), QStringLiteral("2"),
        QStringLiteral("ping") });
    QCOMPARE(r.exitCode, 2);
}

void TestCluster::seedsAfterTheFirst()
{
    // The first seed is down: the slot map comes from the next one, and keyed commands reach
    // their nodes.
    const quint16 dead = RedisServer::freePort();
    QString error;
    auto o = ConnectionOptions::fromUrl(
        QStringLiteral("redis-cluster://127.0.0.1:%1,127.0.0.1:%2").arg(dead).arg(m_cluster->node(1).port()), &error);
    QVERIFY2(o.has_value(), qPrintable(error));
    o->connectTimeoutMs = 1000;
    ClusterClient client(*o);
    client.open();
    BP_AWAIT(ok, client.refreshTopology());
    QVERIFY2(ok, qPrintable(client.topologyError()));
    QCOMPARE(client.slotMap().coveredSlots(), cluster::slotCount);
    BP_AWAIT(value, client.command({ "GET", "k:7" }));
    QCOMPARE(value.bytes(), QByteArray("v7"));

    // Nobody answers: the error names every node tried.
    auto none = ConnectionOptions::fromUrl(QStringLiteral("redis-cluster://127.0.0.1:%1").arg(dead), &error);
    QVERIFY(none.has_value());
    none->connectTimeoutMs = 1000;
    ClusterClient lost(*none);
    lost.open();
    BP_AWAIT(notOk, lost.refreshTopology());
    QVERIFY(!notOk);
    QVERIFY2(lost.topologyError().contains(QStringLiteral("127.0.0.1:%1").arg(dead)), qPrintable(lost.topologyError()));
    BP_AWAIT(failed, lost.command({ "GET", "k:7" }));
    QVERIFY(failed.isError());
    QCOMPARE(failed.errorKind(), Reply::ErrorKind::Connection);

    // The CLI takes the URL form as --cluster.
    const CliResult r = runCli({ QStringLiteral("--url"),
        QStringLiteral("redis-cluster://127.0.0.1:%1,127.0.0.1:%2")
            .arg(m_cluster->node(1).port())
            .arg(m_cluster->node(2).port()),
        QStringLiteral("exec"), QStringLiteral("--"), QStringLiteral("GET"), QStringLiteral("k:7") });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out.trimmed(), QByteArray("\"v7\""));
}

QTEST_GUILESS_MAIN(TestCluster)
#include "tst_cluster.moc"
