// SPDX-License-Identifier: MIT
// Queue reads beside BullMQ 6 itself (Node, one connection), on the same throwaway server:
//  (a) counts of 100 queues (+1 huge):  refreshSnapshots()  vs  Promise.all(queues.map(q => q.getJobCounts()))
//  (b) failed page at offset 99,990:   fetchJobPage()    vs  getJobs(['failed'], 99990, 99999)
// Prints best/median times, round trips and Redis commands per refresh (INFO commandstats), ratios.
// Targets: (a) ≤ 1.0× BullMQ's time in one round trip; (b) ≤ 1.0×.
// Usage: bench_queues [--rounds R]

#include "benchargs.h"
#include "bullmq/jobpage.h"
#include "bullmq/queuediscovery.h"
#include "bullmq/queuesnapshot.h"
#include "redisclient.h"
#include "redisserver.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTextStream>

#include <algorithm>

using namespace bullpen;
using namespace bullpen::bullmq;

namespace {

QTextStream out(stdout);

template <typename T> T await(QFuture<T> future)
{
    while (!future.isFinished())
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 100);
    return future.result();
}

qint64 commandCount(RedisClient& client)
{
    const Reply r = await(client.command({ "INFO", "commandstats" }));
    qint64 calls = 0;
    for (const QByteArray& line : r.bytes().split('\n')) {
        const qsizetype at = line.indexOf("calls=");
        if (at >= 0)
            calls += line.mid(at + 6, line.indexOf(',', at) - at - 6).toLongLong();
    }
    return calls;
}

struct Figures {
    double bestMs = 0, medianMs = 0;
    qint64 commands = 0;
    int roundTrips = 0;
};

template <typename F> Figures measure(RedisClient& client, int rounds, F run)
{
    run(); // warm-up
    QList<double> times;
    for (int i = 0; i < rounds; ++i) {
        QElapsedTimer t;
        t.start();
        run();
        times.append(double(t.nsecsElapsed()) / 1e6);
    }
    std::sort(times.begin(), times.end());
    Figures f;
    f.bestMs = times.first();
    f.medianMs = times.at(times.size() / 2);
    const qint64 before = commandCount(client);
    f.roundTrips = run();
    f.commands = commandCount(client) - before - 1; // the second INFO counts itself
    return f;
}

void row(const char* what, const Figures& ours, const QJsonObject& node, const char* target)
{
    const double theirs = node.value(QStringLiteral("medianMs")).toDouble();
    out << QStringLiteral("%1\n  bullpen: best %2 ms  median %3 ms  %4 round trip(s)  %5 Redis commands\n"
                          "  BullMQ : best %6 ms  median %7 ms  %8 Redis commands (with those its scripts run)\n"
                          "  ratio (median, bullpen/BullMQ): %9x   target %10\n")
               .arg(QLatin1String(what))
               .arg(ours.bestMs, 0, 'f', 3)
               .arg(ours.medianMs, 0, 'f', 3)
               .arg(ours.roundTrips)
               .arg(ours.commands)
               .arg(node.value(QStringLiteral("bestMs")).toDouble(), 0, 'f', 3)
               .arg(theirs, 0, 'f', 3)
               .arg(node.value(QStringLiteral("commands")).toInt())
               .arg(theirs > 0 ? ours.medianMs / theirs : 0, 0, 'f', 2)
               .arg(QLatin1String(target));
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const bench::Args args(app.arguments(), { { "--rounds", true } },
        "usage: bench_queues [--rounds R]\n"
        "Counts of 101 queues and a failed page at offset 99,990, read by Bullpen beside BullMQ 6 on the\n"
        "same server, best and median of R rounds (default 30). Needs node and tests/interop/node_modules.\n");
    if (args.exitCode() >= 0)
        return args.exitCode();
    const int rounds = std::max(1, args.intValue("--rounds", 30));
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (node.isEmpty()) {
        out << "node is not in PATH" << Qt::endl;
        return 1;
    }
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("BULLPEN_INTEROP_DIR"), QStringLiteral(BULLPEN_INTEROP_DIR));

    test::RedisServer server;
    if (!server.start()) {
        out << "cannot start redis-server: " << server.error() << Qt::endl;
        return 1;
    }
    const QString url = server.url() + QStringLiteral("/0");
    out << "building the fixture with BullMQ 6 (100 queues, 100,000 failed jobs)..." << Qt::endl;
    QProcess fixture;
    fixture.setProcessEnvironment(env);
    fixture.start(node, { QStringLiteral(BULLPEN_BENCH_DIR "/bench_fixture.js"), url });
    fixture.waitForFinished(600000);
    if (fixture.exitCode() != 0) {
        out << "fixture failed: " << fixture.readAllStandardError() << Qt::endl;
        return 1;
    }

    RedisClient client(server.options());
    client.open();
    const DiscoveryResult found = await(discoverQueues(&client));
    if (!found.error.isEmpty() || found.queues.size() != 101) {
        out << "discovery failed: " << found.error << " (" << found.queues.size() << " queues)" << Qt::endl;
        return 1;
    }
    QList<QueueSnapshot> snapshots = await(fetchSnapshots(&client, found.queues));
    const QueueSnapshot huge = *std::find_if(snapshots.cbegin(), snapshots.cend(), [](const QueueSnapshot& s) { return s.ref.name == "huge"; });
    if (huge.generation != Generation::V6 || huge.count(QStringLiteral("failed")) != 100000) {
        out << "unexpected fixture: generation " << toString(huge.generation) << ", failed " << huge.count(QStringLiteral("failed")) << Qt::endl;
        return 1;
    }

    const Figures counts = measure(client, rounds, [&] {
        // A periodic refresh, as QueueListModel does it: one pipeline, one round trip.
        snapshots = await(refreshSnapshots(&client, snapshots));
        return 1;
    });
    QList<QByteArray> pageIds;
    const Figures page = measure(client, rounds, [&] {
        const JobPage p = await(fetchJobPage(&client, huge, PageRequest { QStringLiteral("failed"), 99990, 99999, 0 }));
        pageIds.clear();
        for (const JobSummary& s : p.jobs)
            pageIds.append(s.id);
        return p.roundTrips;
    });
    if (pageIds.size() != 10) {
        out << "the failed page has " << pageIds.size() << " jobs" << Qt::endl;
        return 1;
    }

    QStringList nodeArgs { QStringLiteral(BULLPEN_BENCH_DIR "/bench_node.js"), url, QString::number(rounds) };
    for (const QueueRef& q : found.queues) {
        if (q.name != "huge")
            nodeArgs.append(QString::fromUtf8(q.name));
    }
    nodeArgs.append(QStringLiteral("huge")); // last: bench_node.js pages through it
    QProcess bullmq;
    bullmq.setProcessEnvironment(env);
    bullmq.start(node, nodeArgs);
    bullmq.waitForFinished(600000);
    const QJsonObject ref = QJsonDocument::fromJson(bullmq.readAllStandardOutput()).object();
    if (bullmq.exitCode() != 0 || ref.isEmpty()) {
        out << "bench_node.js failed: " << bullmq.readAllStandardError() << Qt::endl;
        return 1;
    }

    out << QStringLiteral("rounds: %1 (after one warm-up each); both sides on one connection to the same server\n").arg(rounds);
    row("(a) counts of 101 queues (100 + huge)", counts, ref.value(QStringLiteral("counts")).toObject(), "<= 1.0x, 1 round trip");
    row("(b) failed page 99990..99999 of 100,000", page, ref.value(QStringLiteral("page")).toObject(), "<= 1.0x");
    return 0;
}
