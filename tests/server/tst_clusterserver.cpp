// SPDX-License-Identifier: MIT
// The server figures on a real 3-master Redis Cluster: ServerInfo::sum() on INFO texts, the
// ServerSampler and the ServerInfoPoller asking every master and showing the sum or one master,
// and bullpen-cli stats --cluster (summed, or --node) and info --sum.

#include "clienttest.h"
#include "cliprocess.h"
#include "clusterclient.h"
#include "rediscluster.h"
#include "server/commandstatsmodel.h"
#include "server/serverinfo.h"
#include "server/serverinfopoller.h"
#include "server/servermetricsmodel.h"
#include "server/servertablemodels.h"
#include "server/serversample.h"
#include "server/serversampler.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace bullpen;
using namespace bullpen::test;

class TestClusterServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void sumOfInfoTexts();
    void samplerSumsEveryMaster();
    void samplerShowsOneMaster();
    void pollerSumsAndPerNode();
    void statsCli();

private:
    QStringList masters() const
    {
        QStringList out;
        for (int i = 0; i < m_cluster->size(); ++i)
            out.append(QStringLiteral("127.0.0.1:%1").arg(m_cluster->node(i).port()));
        out.sort();
        return out;
    }
    qint64 dbsizeSum() const
    {
        qint64 sum = 0;
        for (int i = 0; i < m_cluster->size(); ++i)
            sum += m_cluster->node(i).cli({ QStringLiteral("DBSIZE") }).trimmed().toLongLong();
        return sum;
    }

    std::unique_ptr<RedisCluster> m_cluster;
    std::unique_ptr<ClusterClient> m_client;
};

void TestClusterServer::initTestCase()
{
    m_cluster = std::make_unique<RedisCluster>(3);
    QVERIFY2(m_cluster->start(), qPrintable(m_cluster->error()));
    m_client = std::make_unique<ClusterClient>(m_cluster->options());
    BP_OPEN_READY(*m_client);
    QList<Command> sets;
    for (int i = 0; i < 600; ++i)
        sets.append({ "SET", "srv:" + QByteArray::number(i), QByteArray(100 + i, 'x') });
    for (int i = 0; i < 30; ++i)
        sets.append({ "SET", "ttl:" + QByteArray::number(i), "v", "EX", "3600" });
    BP_AWAIT(replies, m_client->pipeline(sets));
    for (const Reply& r : replies)
        QCOMPARE(r.bytes(), QByteArray("OK"));
    // The keys are spread: every master holds some.
    for (int i = 0; i < m_cluster->size(); ++i)
        QVERIFY(m_cluster->node(i).cli({ QStringLiteral("DBSIZE") }).trimmed().toLongLong() > 0);
}

void TestClusterServer::cleanupTestCase()
{
    m_client.reset();
    m_cluster.reset();
}

void TestClusterServer::sumOfInfoTexts()
{
    const ServerInfo a = ServerInfo::parse("# Server\r\nredis_version:7.0.15\r\ntcp_port:7000\r\nuptime_in_seconds:100\r\n"
                                           "# Clients\r\nconnected_clients:3\r\n"
                                           "# Memory\r\nused_memory:1000\r\nused_memory_human:1000B\r\nused_memory_rss:3000\r\n"
                                           "mem_fragmentation_ratio:3.00\r\nmaxmemory_policy:noeviction\r\n"
                                           "# Stats\r\ninstantaneous_ops_per_sec:5\r\ninstantaneous_input_kbps:0.50\r\n"
                                           "# Commandstats\r\ncmdstat_get:calls=10,usec=100,usec_per_call=10.00,"
                                           "rejected_calls=0,failed_calls=0\r\n"
                                           "# Keyspace\r\ndb0:keys=10,expires=2,avg_ttl=1000\r\n");
    const ServerInfo b = ServerInfo::parse("# Server\r\nredis_version:7.0.15\r\ntcp_port:7001\r\nuptime_in_seconds:40\r\n"
                                           "# Clients\r\nconnected_clients:4\r\n"
                                           "# Memory\r\nused_memory:2145728\r\nused_memory_human:2.05M\r\nused_memory_rss:1000\r\n"
                                           "mem_fragmentation_ratio:0.00\r\nmaxmemory_policy:noeviction\r\n"
                                           "# Stats\r\ninstantaneous_ops_per_sec:7\r\ninstantaneous_input_kbps:0.25\r\n"
                                           "# Commandstats\r\ncmdstat_get:calls=30,usec=500,usec_per_call=16.67,"
                                           "rejected_calls=1,failed_calls=0\r\n"
                                           "cmdstat_set:calls=5,usec=50,usec_per_call=10.00,rejected_calls=0,failed_calls=0\r\n"
                                           "# Keyspace\r\ndb0:keys=5,expires=2,avg_ttl=3000\r\n");
    const ServerInfo sum = ServerInfo::sum({ a, b });
    QCOMPARE(sum.value("redis_version"), QByteArray("7.0.15")); // the same everywhere
    QCOMPARE(sum.value("tcp_port"), QByteArray("7000,7001")); // differs: both
    QCOMPARE(sum.value("uptime_in_seconds"), QByteArray("40")); // the shortest
    QCOMPARE(sum.integer("connected_clients"), qint64(7));
    QCOMPARE(sum.integer("used_memory"), qint64(2146728));
    QCOMPARE(sum.value("used_memory_human"), QByteArray("2.05M"));
    QCOMPARE(sum.integer("used_memory_rss"), qint64(4000));
    QCOMPARE(sum.value("mem_fragmentation_ratio"), QByteArray::number(4000.0 / 2146728.0, 'f', 2));
    QCOMPARE(sum.value("maxmemory_policy"), QByteArray("noeviction"));
    QCOMPARE(sum.integer("instantaneous_ops_per_sec"), qint64(12));
    QCOMPARE(sum.value("instantaneous_input_kbps"), QByteArray("0.75"));
    QCOMPARE(sum.value("cmdstat_get"), QByteArray("calls=40,usec=600,usec_per_call=15.00,rejected_calls=1,failed_calls=0"));
    QCOMPARE(sum.value("cmdstat_set"), QByteArray("calls=5,usec=50,usec_per_call=10.00,rejected_calls=0,failed_calls=0"));
    QCOMPARE(sum.value("db0"), QByteArray("keys=15,expires=4,avg_ttl=2000"));
    QCOMPARE(sum.totalKeys(), qint64(15));
    QStringList sections;
    for (const auto& s : sum.sections())
        sections.append(s.name);
    QCOMPARE(sections,
        (QStringList { QStringLiteral("Server"), QStringLiteral("Clients"), QStringLiteral("Memory"),
            QStringLiteral("Stats"), QStringLiteral("Commandstats"), QStringLiteral("Keyspace") }));
    // One server: itself.
    QCOMPARE(ServerInfo::sum({ a }).value("tcp_port"), QByteArray("7000"));
}

void TestClusterServer::samplerSumsEveryMaster()
{
    ServerSampler sampler;
    QAbstractItemModelTester tester(sampler.metrics(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy nodes(&sampler, &ServerSampler::nodesChanged);
    QSignalSpy sampled(&sampler, &ServerSampler::sampled);
    sampler.setInterval(100);
    sampler.setClient(m_client.get());
    sampler.start();
    QTRY_VERIFY_WITH_TIMEOUT(sampled.size() >= 3, 15000);
    sampler.stop();
    QCOMPARE(nodes.size(), 1);
    QCOMPARE(sampler.nodes(), masters());
    QCOMPARE(sampler.node(), QString());

    // The sum is the sum of each master's figures from the same replies.
    const auto& per = sampler.nodeSamples();
    QCOMPARE(per.size(), 4); // three masters and the sum
    const ServerSample sum = *sampler.last();
    QCOMPARE(per.value(QString()).timeMs, sum.timeMs);
    qint64 memory = 0, rss = 0, clients = 0, blocked = 0, commands = 0, netIn = 0, netOut = 0, hits = 0, misses = 0,
           keys = 0, expires = 0;
    double ops = 0, in = 0, out = 0;
    for (const QString& m : masters()) {
        QVERIFY2(per.contains(m), qPrintable(m));
        const ServerSample& s = per.value(m);
        memory += s.usedMemory;
        rss += s.usedMemoryRss;
        clients += s.connectedClients;
        blocked += s.blockedClients;
        commands += s.totalCommands;
        netIn += s.netInputBytes;
        netOut += s.netOutputBytes;
        hits += s.keyspaceHits;
        misses += s.keyspaceMisses;
        ops += s.opsPerSecond;
        in += s.netInPerSecond;
        out += s.netOutPerSecond;
        for (const auto& k : s.keyspace) {
            keys += k.keys;
            expires += k.expires;
        }
        QVERIFY(s.usedMemory > 0);
        QVERIFY(s.connectedClients >= 1); // ours
    }
    QCOMPARE(sum.usedMemory, memory);
    QCOMPARE(sum.usedMemoryRss, rss);
    QCOMPARE(sum.connectedClients, clients);
    QCOMPARE(sum.blockedClients, blocked);
    QCOMPARE(sum.totalCommands, commands);
    QCOMPARE(sum.netInputBytes, netIn);
    QCOMPARE(sum.netOutputBytes, netOut);
    QCOMPARE(sum.keyspaceHits, hits);
    QCOMPARE(sum.keyspaceMisses, misses);
    QVERIFY(!std::isnan(sum.opsPerSecond));
    QVERIFY2(std::abs(sum.opsPerSecond - ops) < 1e-6 * std::max(1.0, ops),
        qPrintable(QStringLiteral("%1 vs %2").arg(sum.opsPerSecond).arg(ops)));
    QVERIFY(std::abs(sum.netInPerSecond - in) < 1e-6 * std::max(1.0, in));
    QVERIFY(std::abs(sum.netOutPerSecond - out) < 1e-6 * std::max(1.0, out));
    QVERIFY(std::abs(sum.fragmentation - double(rss) / double(memory)) < 0.01);
    // Keys: the sum of every master, as DBSIZE on each says.
    QCOMPARE(sum.keyspace.size(), 1);
    QCOMPARE(keys, dbsizeSum());
    QCOMPARE(sum.keyspace.first().keys, keys);
    QCOMPARE(sum.keyspace.first().expires, expires);
    QCOMPARE(sum.keyspace.first().expires, qint64(30));
    // The SETs of initTestCase went to every master: the summed command stats count them all.
    qint64 setCalls = 0;
    for (const auto& c : sum.commands) {
        if (c.name == "set")
            setCalls = c.calls;
    }
    QCOMPARE(setCalls, qint64(630));
    // The chart series is the sum's.
    const ServerMetricsModel* m = sampler.metrics();
    QCOMPARE(m->rowCount(), int(sampled.size()));
    QCOMPARE(m->valueAt(m->rowCount() - 1, ServerMetricsModel::UsedMemoryColumn), double(memory));
    QCOMPARE(m->valueAt(m->rowCount() - 1, ServerMetricsModel::ClientsColumn), double(clients));
}

void TestClusterServer::samplerShowsOneMaster()
{
    ServerSampler sampler;
    QAbstractItemModelTester tester(sampler.metrics(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy sampled(&sampler, &ServerSampler::sampled);
    sampler.setInterval(100);
    sampler.setClient(m_client.get());
    sampler.start();
    QTRY_VERIFY_WITH_TIMEOUT(sampled.size() >= 2, 15000);
    const QString node = masters().at(1);
    sampler.setNode(node);
    QCOMPARE(sampler.node(), node);
    // That master's history at once, then its samples.
    QCOMPARE(sampler.metrics()->rowCount(), int(sampled.size()));
    QCOMPARE(sampler.metrics()->valueAt(sampler.metrics()->rowCount() - 1, ServerMetricsModel::UsedMemoryColumn),
        double(sampler.nodeSamples().value(node).usedMemory));
    const qsizetype before = sampled.size();
    QTRY_VERIFY_WITH_TIMEOUT(sampled.size() >= before + 2, 15000);
    sampler.stop();
    const ServerSample last = *sampler.last();
    QCOMPARE(last.usedMemory, sampler.nodeSamples().value(node).usedMemory);
    QVERIFY(last.usedMemory < sampler.nodeSamples().value(QString()).usedMemory);
    const int port = node.section(QLatin1Char(':'), 1).toInt();
    qint64 keys = 0;
    for (const auto& k : last.keyspace)
        keys += k.keys;
    for (int i = 0; i < m_cluster->size(); ++i) {
        if (m_cluster->node(i).port() == port)
            QCOMPARE(keys, m_cluster->node(i).cli({ QStringLiteral("DBSIZE") }).trimmed().toLongLong());
    }
    // That master's clients table (CLIENT LIST on it) follows with the next samples.
    QTRY_VERIFY_WITH_TIMEOUT(sampler.clients()->rowCount() > 0, 15000);
    // Back to the sum.
    sampler.setNode(QString());
    QCOMPARE(sampler.metrics()->valueAt(sampler.metrics()->rowCount() - 1, ServerMetricsModel::UsedMemoryColumn),
        double(sampler.nodeSamples().value(QString()).usedMemory));
}

void TestClusterServer::pollerSumsAndPerNode()
{
    ServerInfoPoller poller;
    QSignalSpy nodes(&poller, &ServerInfoPoller::nodesChanged);
    QSignalSpy infos(&poller, &ServerInfoPoller::infoReceived);
    poller.setClient(m_client.get());
    poller.start();
    QTRY_VERIFY_WITH_TIMEOUT(infos.size() >= 1, 15000);
    poller.stop();
    QCOMPARE(nodes.size(), 1);
    QCOMPARE(poller.nodes(), masters());
    const ServerInfo sum = infos.last().at(0).value<ServerInfo>();
    QCOMPARE(sum.totalKeys(), dbsizeSum());
    QCOMPARE(sum.value("cluster_enabled"), QByteArray("1"));
    QCOMPARE(sum.value("tcp_port").split(',').size(), 3);
    // One master: its own INFO, reported at once.
    const QString node = masters().at(2);
    poller.setNode(node);
    QCOMPARE(infos.size(), 2);
    const ServerInfo one = infos.last().at(0).value<ServerInfo>();
    QCOMPARE(QString::fromUtf8(one.value("tcp_port")), node.section(QLatin1Char(':'), 1));
    QVERIFY(one.totalKeys() < sum.totalKeys());
    QVERIFY(one.integer("used_memory") < sum.integer("used_memory"));
}

void TestClusterServer::statsCli()
{
    const QString url = m_cluster->url();
    CliResult r = runCli(QStringLiteral(BULLPEN_CLI_PATH),
        { QStringLiteral("--cluster"), QStringLiteral("--url"), url, QStringLiteral("--json"), QStringLiteral("stats"),
            QStringLiteral("--count"), QStringLiteral("1") });
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    QJsonObject o = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(o.value(QStringLiteral("node")).toString(), QStringLiteral("all"));
    QCOMPARE(o.value(QStringLiteral("nodes")).toInt(), 3);
    QCOMPARE(o.value(QStringLiteral("keys")).toInteger(), dbsizeSum());
    const QString node = masters().at(0);
    r = runCli(QStringLiteral(BULLPEN_CLI_PATH),
        { QStringLiteral("--cluster"), QStringLiteral("--url"), url, QStringLiteral("--json"), QStringLiteral("stats"),
            QStringLiteral("--count"), QStringLiteral("1"), QStringLiteral("--node"), node });
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    o = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(o.value(QStringLiteral("node")).toString(), node);
    const int port = node.section(QLatin1Char(':'), 1).toInt();
    for (int i = 0; i < m_cluster->size(); ++i) {
        if (m_cluster->node(i).port() == port)
            QCOMPARE(o.value(QStringLiteral("keys")).toInteger(),
                m_cluster->node(i).cli({ QStringLiteral("DBSIZE") }).trimmed().toLongLong());
    }
    // People's lines say what they show.
    r = runCli(QStringLiteral(BULLPEN_CLI_PATH),
        { QStringLiteral("--cluster"), QStringLiteral("--url"), url, QStringLiteral("stats"), QStringLiteral("--count"),
            QStringLiteral("1") });
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    QVERIFY2(r.out.contains("all 3 masters"), r.out.constData());
    // info --sum: one INFO of the masters added up; without it, one per master.
    r = runCli(QStringLiteral(BULLPEN_CLI_PATH),
        { QStringLiteral("--cluster"), QStringLiteral("--url"), url, QStringLiteral("--json"), QStringLiteral("info"),
            QStringLiteral("--sum"), QStringLiteral("keyspace"), QStringLiteral("clients") });
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    o = QJsonDocument::fromJson(r.out).object();
    const QString db0 = o.value(QStringLiteral("keyspace")).toObject().value(QStringLiteral("db0")).toString();
    QVERIFY2(db0.startsWith(QStringLiteral("keys=%1,").arg(dbsizeSum())), qPrintable(db0));
    QVERIFY(o.value(QStringLiteral("clients")).toObject().value(QStringLiteral("connected_clients")).toString().toInt() >= 3);
    r = runCli(QStringLiteral(BULLPEN_CLI_PATH),
        { QStringLiteral("--cluster"), QStringLiteral("--url"), url, QStringLiteral("info"), QStringLiteral("--sum"),
            QStringLiteral("keyspace") });
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    // (avg_ttl moves between two calls)
    QVERIFY2(r.out.startsWith(QByteArray("# Keyspace\ndb0:keys=" + QByteArray::number(dbsizeSum()) + ",expires=30,avg_ttl=")),
        r.out.constData());
    QCOMPARE(r.out.trimmed().count('\n'), 1);
    QVERIFY(!r.out.contains("# Node"));
    // A node that is not a master, and --node without a cluster, are usage errors.
    r = runCli(QStringLiteral(BULLPEN_CLI_PATH),
        { QStringLiteral("--cluster"), QStringLiteral("--url"), url, QStringLiteral("stats"), QStringLiteral("--count"),
            QStringLiteral("1"), QStringLiteral("--node"), QStringLiteral("127.0.0.1:1") });
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("127.0.0.1:1"), r.err.constData());
    r = runCli(QStringLiteral(BULLPEN_CLI_PATH),
        { QStringLiteral("--url"), m_cluster->node(0).url(), QStringLiteral("stats"), QStringLiteral("--count"),
            QStringLiteral("1"), QStringLiteral("--node"), node });
    QCOMPARE(r.exitCode, 2);
}

QTEST_GUILESS_MAIN(TestClusterServer)
#include "tst_clusterserver.moc"
