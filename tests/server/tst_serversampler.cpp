// SPDX-License-Identifier: MIT
// ServerSampler, the time-series models and the latency probe against a real redis-server.

#include "clienttest.h"
#include "redisserver.h"
#include "respcodec.h"
#include "server/commandstatsmodel.h"
#include "server/latencyprobe.h"
#include "server/servermetricsmodel.h"
#include "server/serversample.h"
#include "server/serversampler.h"
#include "server/servertablemodels.h"

#include <QAbstractItemModelTester>
#include <QSortFilterProxyModel>
#include <QTest>

#include <cmath>

using namespace bullpen;
using namespace bullpen::test;

class TestServerSampler : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<ServerSample>(); }
    void timeSeriesIsBoundedRing();
    void samplerFiguresMatchInfo();
    void samplerRingStaysBounded();
    void samplerRecordsLatencyLatest();
    void slowlogAndClientTables();
    void tablesKeepNodesApart();
    void summarizeRanks();
    void latencyProbeSeesDebugSleep();
};

namespace {

QByteArray pipe(const RedisServer& server, const QList<Command>& commands)
{
    QByteArray input;
    for (const Command& c : commands)
        encodeCommand(c, input);
    return server.cli({ QStringLiteral("--pipe") }, input);
}

QStringList dump(const QAbstractItemModel& m, int role = TimeSeriesModel::TextRole)
{
    QStringList out;
    for (int r = 0; r < m.rowCount(); ++r) {
        QStringList cells;
        for (int c = 1; c < m.columnCount(); ++c)
            cells << m.index(r, c).data(role).toString();
        out << cells.join(QLatin1Char('|'));
    }
    return out;
}

} // namespace

void TestServerSampler::timeSeriesIsBoundedRing()
{
    using U = TimeSeriesModel::Unit;
    TimeSeriesModel model({ QStringLiteral("a"), QStringLiteral("b") }, { U::Count, U::Ratio }, 4);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (int i = 0; i < 10; ++i)
        model.append(1000 * i, { double(i), i % 2 ? 0.5 : std::nan("") });
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.timeAt(0), qint64(6000));
    QCOMPARE(model.timeAt(3), qint64(9000));
    QCOMPARE(dump(model), (QStringList { QStringLiteral("6|–"), QStringLiteral("7|50.0 %"), QStringLiteral("8|–"),
                              QStringLiteral("9|50.0 %") }));
    QCOMPARE(model.firstRowAtOrAfter(7500), 2);
    QCOMPARE(model.toCsv(8000), QByteArray("time,a,b\n1970-01-01T00:00:08.000Z,8,\n1970-01-01T00:00:09.000Z,9,0.5\n"));
    model.setCapacity(2);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.timeAt(0), qint64(8000));
    model.append(10000, { 10, 1 });
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.valueAt(1, 1), 10.0);
    model.setCapacity(5);
    model.append(11000, { 11, 1 });
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.valueAt(0, 1), 9.0);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestServerSampler::samplerFiguresMatchInfo()
{
    RedisServer server;
    BP_START(server);
    server.cli({ QStringLiteral("CONFIG"), QStringLiteral("SET"), QStringLiteral("maxmemory"), QStringLiteral("100mb") });
    server.cli({ QStringLiteral("CONFIG"), QStringLiteral("SET"), QStringLiteral("maxmemory-policy"),
        QStringLiteral("allkeys-lru") });
    RedisClient client(server.options());
    BP_OPEN_READY(client);

    ServerSampler sampler;
    QAbstractItemModelTester t1(sampler.metrics(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t2(sampler.commandStats(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy samples(&sampler, &ServerSampler::sampled);
    sampler.setInterval(150);
    sampler.setTablesEvery(1000000); // SLOWLOG/CLIENT LIST with the first sample only
    sampler.setClient(&client);
    sampler.start();
    QTRY_VERIFY_WITH_TIMEOUT(samples.size() >= 3, 10000);
    ServerSample quiet = samples.last().at(0).value<ServerSample>();
    // Nothing but the sampler talks to the server: its own INFO + LATENCY LATEST are left out.
    QCOMPARE(quiet.opsPerSecond, 0.0);
    QCOMPARE(quiet.maxMemory, qint64(100 * 1024 * 1024));
    QCOMPARE(quiet.evictionPolicy, QByteArray("allkeys-lru"));
    QVERIFY(quiet.usedMemory > 0);
    QVERIFY(quiet.usedMemoryRss > 0);
    QVERIFY(quiet.fragmentation > 0);
    QCOMPARE(quiet.connectedClients, server.info(QStringLiteral("clients"), "connected_clients").toLongLong() - 1);

    // 300 hits and 700 misses, 200 keys of which 50 expire, in one write.
    QList<Command> traffic;
    for (int i = 0; i < 200; ++i)
        traffic.append({ "SET", "k:" + QByteArray::number(i), "v" });
    for (int i = 0; i < 50; ++i)
        traffic.append({ "PEXPIRE", "k:" + QByteArray::number(i), "1" });
    for (int i = 0; i < 1000; ++i)
        traffic.append({ "GET", i < 300 ? QByteArray("k:199") : "missing:" + QByteArray::number(i) });
    QVERIFY(pipe(server, traffic).contains("replies: 1250"));
    QTRY_VERIFY_WITH_TIMEOUT(sampler.last()->keyspaceHits == 300 && sampler.last()->expiredKeys == 50
            && sampler.last()->keyspace.value(0).keys == 150,
        10000);
    const ServerSample s = *sampler.last();
    QCOMPARE(s.keyspaceMisses, qint64(700));
    QCOMPARE(s.keyspace.size(), 1);
    QCOMPARE(s.keyspace.at(0).db, 0);
    QCOMPARE(QByteArray::number(s.keyspace.at(0).keys), server.cli({ QStringLiteral("DBSIZE") }));
    // Commandstats: exact call counts, in the model too.
    const int getRow = sampler.commandStats()->rowOf("get");
    QVERIFY(getRow >= 0);
    QCOMPARE(sampler.commandStats()->index(getRow, CommandStatsModel::CallsColumn).data(CommandStatsModel::SortRole),
        QVariant(qint64(1000)));
    QCOMPARE(sampler.commandStats()->index(sampler.commandStats()->rowOf("set"), CommandStatsModel::CallsColumn)
                 .data(CommandStatsModel::SortRole),
        QVariant(qint64(200)));

    // Rates add up to the counters: Σ rate × interval over the samples == the counter's growth.
    double ops = 0, expired = 0;
    qint64 firstCommands = -1, lastCommands = 0;
    for (const QList<QVariant>& args : std::as_const(samples)) {
        const auto x = args.at(0).value<ServerSample>();
        if (firstCommands < 0) {
            firstCommands = x.totalCommands;
            continue;
        }
        ops += x.opsPerSecond * x.intervalSeconds;
        expired += x.expiredPerSecond * x.intervalSeconds;
        lastCommands = x.totalCommands;
    }
    const qint64 intervals = samples.size() - 1;
    // The sampler's own commands are left out: 4 in the first pipeline, then 2 per sample.
    QCOMPARE(qRound64(ops), lastCommands - firstCommands - (4 + 2 * (intervals - 1)));
    QCOMPARE(qRound64(expired), qint64(50));
    QVERIFY(qRound64(ops) >= 1250);

    // The model holds the same figures as the samples.
    const ServerMetricsModel* m = sampler.metrics();
    QCOMPARE(m->rowCount(), int(samples.size()));
    const int last = m->rowCount() - 1;
    QCOMPARE(m->valueAt(last, ServerMetricsModel::UsedMemoryColumn), double(s.usedMemory));
    QCOMPARE(m->valueAt(last, ServerMetricsModel::MaxMemoryColumn), double(100 * 1024 * 1024));
    QCOMPARE(m->timeAt(last), s.timeMs);
    QVERIFY(std::isnan(m->valueAt(0, ServerMetricsModel::OpsColumn))); // no rate for the first sample

    // Hit ratio: of the interval's lookups; the GETs' hits were the first 300 of 1000.
    for (int r = 0; r < m->rowCount(); ++r) {
        const double h = m->valueAt(r, ServerMetricsModel::HitRatioColumn);
        QVERIFY(std::isnan(h) || (h >= 0 && h <= 1));
    }
    QCOMPARE(s.hitRatio >= 0 && s.hitRatio <= 1, true);
}

void TestServerSampler::samplerRingStaysBounded()
{
    RedisServer server;
    BP_START(server);
    RedisClient client(server.options());
    BP_OPEN_READY(client);
    ServerSampler sampler;
    sampler.metrics()->setCapacity(5);
    QAbstractItemModelTester tester(sampler.metrics(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy samples(&sampler, &ServerSampler::sampled);
    sampler.setInterval(10);
    sampler.setClient(&client);
    sampler.start();
    QTRY_VERIFY_WITH_TIMEOUT(samples.size() >= 30, 20000);
    QCOMPARE(sampler.metrics()->rowCount(), 5);
    QCOMPARE(sampler.metrics()->capacity(), 5);
    // One request in flight: never more requests than replies plus one.
    QVERIFY(sampler.requestsSent() <= samples.size() + 1);
    // A new client clears the series of the previous one.
    sampler.setClient(nullptr);
    QCOMPARE(sampler.metrics()->rowCount(), 0);
}

void TestServerSampler::samplerRecordsLatencyLatest()
{
    RedisServer server;
    BP_START(server);
    server.cli({ QStringLiteral("CONFIG"), QStringLiteral("SET"), QStringLiteral("latency-monitor-threshold"),
        QStringLiteral("50") });
    RedisClient client(server.options());
    BP_OPEN_READY(client);
    ServerSampler sampler;
    sampler.setInterval(100);
    sampler.setClient(&client);
    sampler.start();
    QCOMPARE(server.cli({ QStringLiteral("DEBUG"), QStringLiteral("SLEEP"), QStringLiteral("0.1") }), QByteArray("OK"));
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(sampler.latencyEvents().begin(), sampler.latencyEvents().end(),
                                 [](const ServerSampler::LatencyEvent& e) { return e.name == "command" && e.maxMs >= 100; }),
        10000);
}

void TestServerSampler::slowlogAndClientTables()
{
    RedisServer server;
    BP_START(server);
    server.cli({ QStringLiteral("CONFIG"), QStringLiteral("SET"), QStringLiteral("slowlog-log-slower-than"), QStringLiteral("0") });
    RedisClient client(server.options());
    BP_OPEN_READY(client);
    ServerSampler sampler;
    QAbstractItemModelTester t1(sampler.slowlog(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t2(sampler.clients(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    sampler.setInterval(20);
    sampler.setTablesEvery(2);
    sampler.setClient(&client);
    sampler.start();
    server.cli({ QStringLiteral("SET"), QStringLiteral("slow:key"), QStringLiteral("v") });
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (int r = 0; r < sampler.slowlog()->rowCount(); ++r) {
                if (sampler.slowlog()->index(r, SlowlogModel::CommandColumn).data().toString() == QStringLiteral("SET slow:key v"))
                    return true;
            }
            return false;
        }(),
        10000);
    // Newest first, ids strictly falling.
    for (int r = 1; r < sampler.slowlog()->rowCount(); ++r)
        QVERIFY(sampler.slowlog()->entry(r - 1).id > sampler.slowlog()->entry(r).id);
    QTRY_VERIFY_WITH_TIMEOUT(sampler.clients()->rowOfName("bullpen:main") >= 0, 10000);
    // A client that leaves leaves the table too; one that comes arrives.
    RedisClient other([&] {
        ConnectionOptions o = server.options();
        o.role = QStringLiteral("other");
        return o;
    }());
    BP_OPEN_READY(other);
    QTRY_VERIFY_WITH_TIMEOUT(sampler.clients()->rowOfName("bullpen:other") >= 0, 10000);
    server.cli({ QStringLiteral("CONFIG"), QStringLiteral("SET"), QStringLiteral("slowlog-log-slower-than"), QStringLiteral("10000") });
    server.cli({ QStringLiteral("SLOWLOG"), QStringLiteral("RESET") });
    QTRY_COMPARE_WITH_TIMEOUT(sampler.slowlog()->rowCount(), 0, 10000);
}

void TestServerSampler::summarizeRanks()
{
    QList<double> rtt;
    for (int i = 100; i >= 1; --i)
        rtt.append(i);
    const auto w = LatencyProbe::summarize(rtt);
    QCOMPARE(w.minMs, 1.0);
    QCOMPARE(w.medianMs, 50.0);
    QCOMPARE(w.p99Ms, 99.0);
    QCOMPARE(w.maxMs, 100.0);
    QCOMPARE(w.samples, 100);
    const auto one = LatencyProbe::summarize({ 3.0 });
    QCOMPARE(one.medianMs, 3.0);
    QCOMPARE(one.p99Ms, 3.0);
    QCOMPARE(LatencyProbe::summarize({}).samples, 0);
}

void TestServerSampler::latencyProbeSeesDebugSleep()
{
    RedisServer server;
    BP_START(server);
    RedisClient client(server.options());
    BP_OPEN_READY(client);
    LatencyProbe probe;
    QAbstractItemModelTester tester(probe.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy windows(&probe, &LatencyProbe::windowClosed);
    probe.setInterval(50);
    probe.setWindow(300);
    probe.start(server.options());
    QTRY_VERIFY_WITH_TIMEOUT(windows.size() >= 2, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(server.cli({ QStringLiteral("CLIENT"), QStringLiteral("LIST") }).contains("name=bullpen:latency"), 5000);
    // Quiet server: well under the spike we are about to make. Only the median: a round trip
    // also counts the time this thread took to get to the reply, and a loaded machine can stall
    // it for a moment. The spike is looked for only in windows that close after DEBUG SLEEP.
    const auto quiet = windows.last().at(0).value<LatencyProbe::Window>();
    QVERIFY2(quiet.medianMs < 200, qPrintable(QString::number(quiet.medianMs)));
    QVERIFY(quiet.samples >= 2);
    QVERIFY(quiet.minMs <= quiet.medianMs && quiet.medianMs <= quiet.p99Ms && quiet.p99Ms <= quiet.maxMs);

    const int before = probe.model()->rowCount();
    CallOptions dangerous;
    dangerous.allowDangerous = true;
    BP_AWAIT(slept, client.command({ "DEBUG", "SLEEP", "0.4" }, dangerous));
    QCOMPARE(slept.bytes(), QByteArray("OK"));
    const int model = LatencyModel::MaxColumn;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (int r = before; r < probe.model()->rowCount(); ++r) {
                if (probe.model()->valueAt(r, model) >= 250)
                    return true;
            }
            return false;
        }(),
        10000);
    QVERIFY(probe.pingsSent() >= 5);
}

// A cluster's sum shows every master's slowlog entries and clients together: ids count per
// server, so rows are told apart by node and id.
void TestServerSampler::tablesKeepNodesApart()
{
    const auto entry = [](qint64 id, qint64 time, const QByteArray& command) {
        return Reply::array({ Reply::integer(id), Reply::integer(time), Reply::integer(20000),
            Reply::array({ Reply::bulk(command) }), Reply::bulk("127.0.0.1:5000"), Reply::bulk("") });
    };
    const auto words = [](const char* list) { return QString::fromLatin1(list).split(QLatin1Char(' ')); };
    SlowlogModel slowlog;
    QAbstractItemModelTester slowlogTester(&slowlog, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto column = [](const QAbstractItemModel& m, int col) {
        QStringList out;
        for (int r = 0; r < m.rowCount(); ++r)
            out << m.index(r, col).data().toString();
        return out;
    };
    slowlog.setReplies({ { QStringLiteral("a:1"), Reply::array({ entry(1, 200, "A1"), entry(0, 100, "A0") }) },
        { QStringLiteral("b:2"), Reply::array({ entry(1, 150, "B1"), entry(0, 50, "B0") }) } });
    QCOMPARE(column(slowlog, SlowlogModel::CommandColumn), words("A1 B1 A0 B0"));
    QCOMPARE(column(slowlog, SlowlogModel::NodeColumn), words("a:1 b:2 a:1 b:2"));
    // b gets a new entry, a's oldest is gone: same ids as before on the other node do not matter.
    slowlog.setReplies({ { QStringLiteral("a:1"), Reply::array({ entry(1, 200, "A1") }) },
        { QStringLiteral("b:2"), Reply::array({ entry(2, 300, "B2"), entry(1, 150, "B1"), entry(0, 50, "B0") }) } });
    QCOMPARE(column(slowlog, SlowlogModel::CommandColumn), words("B2 A1 B1 B0"));
    // Sorted by time, newest first (the charts page's default): ids of different nodes say
    // nothing, and entries of one second keep their node's order.
    QSortFilterProxyModel byTime;
    byTime.setSourceModel(&slowlog);
    byTime.setSortRole(SlowlogModel::SortRole);
    byTime.sort(SlowlogModel::TimeColumn, Qt::DescendingOrder);
    slowlog.setReplies({ { QStringLiteral("a:1"), Reply::array({ entry(7, 100, "A7"), entry(6, 100, "A6"), entry(5, 90, "A5") }) },
        { QStringLiteral("b:2"), Reply::array({ entry(4, 200, "B4"), entry(3, 100, "B3") }) } });
    QCOMPARE(column(byTime, SlowlogModel::CommandColumn), words("B4 A7 A6 B3 A5"));
    slowlog.setReplies({ { QStringLiteral("a:1"), Reply::array({ entry(8, 100, "A8"), entry(7, 100, "A7"), entry(6, 100, "A6") }) },
        { QStringLiteral("b:2"), Reply::array({ entry(4, 200, "B4"), entry(3, 100, "B3") }) } });
    QCOMPARE(column(byTime, SlowlogModel::CommandColumn), words("B4 A8 A7 A6 B3"));

    ClientListModel clients;
    QAbstractItemModelTester clientsTester(&clients, QAbstractItemModelTester::FailureReportingMode::QtTest);
    clients.setTexts({ { QStringLiteral("a:1"), "id=3 addr=10.0.0.1:1 name=x\nid=4 addr=10.0.0.1:2 name=y\n" },
        { QStringLiteral("b:2"), "id=3 addr=10.0.0.2:1 name=z\n" } });
    QCOMPARE(column(clients, ClientListModel::AddressColumn), words("10.0.0.1:1 10.0.0.1:2 10.0.0.2:1"));
    QCOMPARE(column(clients, ClientListModel::NodeColumn), words("a:1 a:1 b:2"));
    clients.setTexts({ { QStringLiteral("a:1"), "id=4 addr=10.0.0.1:2 name=y idle=9\n" },
        { QStringLiteral("b:2"), "id=3 addr=10.0.0.2:1 name=z\n" } });
    QCOMPARE(column(clients, ClientListModel::NameColumn), words("y z"));
    QCOMPARE(column(clients, ClientListModel::IdleColumn), words("9 "));
}

QTEST_GUILESS_MAIN(TestServerSampler)
#include "tst_serversampler.moc"
