// SPDX-License-Identifier: MIT
// Pub/sub ingest: one publisher (redis-benchmark -c 1 -P N: PUBLISH of 100-byte messages as fast
// as it can for --seconds S) and, in turn, each subscriber alone on the same server.
// The pipeline depth N decides how fast "as fast as it can" is: redis-benchmark waits for the N
// replies of each round before it sends the next, so a shallow pipeline paces the publisher far
// below the server (on the 2-vCPU machine of the first runs: P=32 ~400k/s, P=512 ~1.5M/s,
// P=4096 ~1.8M/s), and the comparison then measures the publisher. So first the publisher runs
// alone (no subscriber) for 2 s at each of 32, 128, 512, 1024 and 4096, the figures are printed,
// and the smallest depth within 5 % of the fastest is used (--pipeline N forces one and skips this).
// The subscribers:
//   bullpen   PubSubMonitor with its channel model and 100,000-message log, in a child process
//             (this program again, --subscriber PORT PATTERN) with a 5 ms timer on its event loop
//   redis-cli `redis-cli --raw psubscribe`, its output read and counted here
//   ioredis   node + ioredis (pmessageBuffer, no decoding)
// All three are child processes, measured the same way, in two phases:
//   live     publisher and subscriber at the same time. On 2 cores the subscriber competes with
//            redis-server and the publisher: a subscriber that keeps up is paced by the publisher,
//            and the CPU it takes slows the publisher down. Received/s over publisher start → last
//            message, plus the CPU time the subscriber used per message.
//   backlog  the subscriber is stopped (SIGSTOP) while the publisher runs; the server keeps what it
//            publishes (client-output-buffer-limit pubsub is off), then the subscriber continues
//            (SIGCONT) and drains it alone with redis-server: messages/s over continue → last
//            message. This is what a subscriber can take, with no publisher to pace or starve it.
// Nothing should be lost in either phase. Bullpen's subscriber uses its default overflow policy,
// Hold: when its models fall behind it stops reading and lets Redis buffer (here without limit)
// instead of dropping; "dropped" is what it dropped all the same (0 expected). For Bullpen also
// the longest event-loop stall (the stopped time excluded), its RSS after each phase and its peak
// RSS (VmHWM), which show that its memory stays bounded while Redis holds the backlog.
// Each run prints the load average first: on a shared machine compare runs at a similar load.
// Usage: bench_pubsub [--seconds S] [--pipeline N] [--only bullpen|redis-cli|ioredis]

#include "benchargs.h"
#include "clienttest.h"
#include "pubsub/channeltrafficmodel.h"
#include "pubsub/messagelogmodel.h"
#include "pubsub/pubsubmonitor.h"
#include "redisclient.h"
#include "redisserver.h"
#include "server/serverinfo.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTextStream>
#include <QTimer>

#include <atomic>
#include <csignal>
#include <unistd.h>

using namespace bullpen;
using namespace bullpen::test;

namespace {

QTextStream out(stdout);

// A "VmRSS:" or "VmHWM:" (peak RSS) figure of a process, in MiB.
qint64 statusMiB(qint64 pid, const QByteArray& field = "VmRSS:")
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : f.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(field.size()).trimmed().split(' ').value(0).toLongLong() / 1024;
    }
    return -1;
}

QString loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    return f.open(QIODevice::ReadOnly) ? QString::fromLatin1(f.readAll().split(' ').mid(0, 3).join(' ')) : QString();
}

// User + system CPU time of a process (all its threads) in ms.
qint64 cpuMs(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray stat = f.readAll();
    // Fields after the command name, which is in parentheses and may hold spaces.
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    const qint64 ticks = fields.value(11).toLongLong() + fields.value(12).toLongLong(); // utime, stime
    return ticks * 1000 / sysconf(_SC_CLK_TCK);
}

// ---- the Bullpen subscriber, run as a child process ------------------------------------------

std::atomic<bool> g_continued { false };

void onContinue(int)
{
    g_continued.store(true);
}

// Prints "ready" once connected, then every 100 ms
// "<received> <last message ms> <longest stall ms in the last 100 ms> <dropped>".
int runSubscriber(quint16 port, const QByteArray& pattern)
{
    struct sigaction sa = {};
    sa.sa_handler = onContinue;
    sigaction(SIGCONT, &sa, nullptr);
    ConnectionOptions options;
    options.host = QStringLiteral("127.0.0.1");
    options.port = port;
    PubSubMonitor monitor;
    qint64 lastMs = 0;
    QObject::connect(&monitor, &PubSubMonitor::messagesReceived,
        [&lastMs](qint64) { lastMs = QDateTime::currentMSecsSinceEpoch(); });
    QObject::connect(&monitor, &PubSubMonitor::statusChanged, [](const QString& status) {
        if (status == QLatin1String("Subscribed."))
            out << "ready" << Qt::endl;
    });
    monitor.start(options);
    monitor.subscribe({ pattern });
    // A 5 ms timer on the event loop: the longest gap between its ticks is the longest stall.
    QElapsedTimer gap;
    gap.start();
    qint64 maxStall = 0;
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, [&] {
        if (!g_continued.exchange(false)) // the time stopped by SIGSTOP is no stall
            maxStall = std::max(maxStall, gap.elapsed());
        gap.restart();
    });
    tick.start(5);
    QTimer report;
    QObject::connect(&report, &QTimer::timeout, [&] {
        out << monitor.received() << ' ' << lastMs << ' ' << maxStall << ' ' << monitor.dropped() << Qt::endl;
        maxStall = 0;
    });
    report.start(100);
    return QCoreApplication::exec();
}

// ---- the parent -------------------------------------------------------------------------------

struct Phase
{
    qint64 published = 0;
    qint64 received = 0;
    double seconds = 0;
    qint64 cpuMs = 0;
    qint64 maxStallMs = -1;
    qint64 dropped = -1; ///< reported by the subscriber itself (bullpen only)
    qint64 rssMiB = -1; ///< after the phase (bullpen only)
    qint64 peakRssMiB = -1;
};

struct Outcome
{
    QString name;
    Phase live;
    Phase backlog;
};

qint64 publishCalls(RedisClient& client)
{
    const auto r = await(client.command({ "INFO", "commandstats" }), 60000);
    if (!r || r->isError())
        return -1;
    const QByteArray v = ServerInfo::parse(r->bytes()).value("cmdstat_publish");
    // calls=N,usec=…
    return v.isEmpty() ? 0 : v.split(',').value(0).mid(6).toLongLong();
}

bool waitForPattern(RedisClient& client, int count)
{
    return QTest::qWaitFor(
        [&] {
            const auto r = await(client.command({ "PUBSUB", "NUMPAT" }));
            return r && r->integer() == count;
        },
        15000);
}

/// One subscriber child process and what it has reported.
struct Subscriber
{
    QProcess process;
    qint64 count = 0;
    qint64 lastMs = 0;
    qint64 maxStall = -1; ///< over the reports since the last reset (bullpen only)
    qint64 dropped = -1; ///< the subscriber's own drop count (bullpen only)
    bool ready = false;
    std::function<void(const QByteArray&)> onLine; ///< for tools printing their own format
    QByteArray buffer;

    void listen()
    {
        QObject::connect(&process, &QProcess::readyReadStandardOutput, [this] {
            buffer += process.readAllStandardOutput();
            qsizetype nl;
            while ((nl = buffer.indexOf('\n')) >= 0) {
                const QByteArray line = buffer.left(nl);
                buffer.remove(0, nl + 1);
                if (onLine) {
                    onLine(line);
                    continue;
                }
                if (line == "ready") {
                    ready = true;
                    continue;
                }
                const QList<QByteArray> parts = line.split(' ');
                count = parts.value(0).toLongLong();
                lastMs = parts.value(1).toLongLong();
                if (parts.size() > 2)
                    maxStall = std::max(maxStall, parts.value(2).toLongLong());
                if (parts.size() > 3)
                    dropped = parts.value(3).toLongLong();
            }
        });
    }
    qint64 pid() const { return process.processId(); }
};

/// Runs the publisher for `seconds` with the event loop running (a blocking wait would keep the
/// subscriber's output from being read).
qint64 publish(RedisServer& server, RedisClient& client, int seconds, int pipeline)
{
    const qint64 before = publishCalls(client);
    QProcess publisher;
    const QByteArray payload(100, 'x');
    publisher.start(QStringLiteral("redis-benchmark"),
        { QStringLiteral("-p"), QString::number(server.port()), QStringLiteral("-c"), QStringLiteral("1"),
            QStringLiteral("-P"), QString::number(pipeline), QStringLiteral("-n"), QStringLiteral("1000000000"),
            QStringLiteral("-q"), QStringLiteral("PUBLISH"), QStringLiteral("bench:ch"), QString::fromLatin1(payload) });
    if (!QTest::qWaitFor([&] { return publisher.state() == QProcess::Running; }, 10000))
        out << "publisher did not start" << Qt::endl;
    QTest::qWait(seconds * 1000);
    publisher.terminate();
    if (!QTest::qWaitFor([&] { return publisher.state() == QProcess::NotRunning; }, 5000))
        publisher.kill();
    return publishCalls(client) - before;
}

/// Waits until the subscriber has reported `target` messages, or reported nothing new for 3 s.
void drain(Subscriber& s, qint64 target)
{
    qint64 last = -1;
    QElapsedTimer still;
    still.start();
    while (still.elapsed() < 3000 && s.count < target) {
        QTest::qWait(50);
        if (s.count != last) {
            last = s.count;
            still.restart();
        }
    }
    QTest::qWait(250); // the next report, with the final figures
}

void measureMemory(Phase& p, const Subscriber& s)
{
    if (s.dropped < 0)
        return; // not ours
    p.rssMiB = statusMiB(s.pid());
    p.peakRssMiB = statusMiB(s.pid(), "VmHWM:");
}

Phase livePhase(Subscriber& s, RedisServer& server, RedisClient& client, int seconds, int pipeline)
{
    Phase p;
    const qint64 countBefore = s.count;
    const qint64 droppedBefore = s.dropped;
    const qint64 cpuBefore = cpuMs(s.pid());
    s.maxStall = -1;
    const qint64 startMs = QDateTime::currentMSecsSinceEpoch();
    p.published = publish(server, client, seconds, pipeline);
    drain(s, countBefore + p.published);
    p.received = s.count - countBefore;
    p.seconds = double(s.lastMs - startMs) / 1000.0;
    p.cpuMs = cpuMs(s.pid()) - cpuBefore;
    p.maxStallMs = s.maxStall;
    p.dropped = s.dropped >= 0 ? s.dropped - std::max<qint64>(0, droppedBefore) : -1;
    measureMemory(p, s);
    return p;
}

Phase backlogPhase(Subscriber& s, RedisServer& server, RedisClient& client, int seconds, int pipeline)
{
    Phase p;
    const qint64 countBefore = s.count;
    const qint64 droppedBefore = s.dropped;
    ::kill(pid_t(s.pid()), SIGSTOP);
    p.published = publish(server, client, seconds, pipeline);
    const qint64 cpuBefore = cpuMs(s.pid());
    s.maxStall = -1;
    const qint64 resumeMs = QDateTime::currentMSecsSinceEpoch();
    ::kill(pid_t(s.pid()), SIGCONT);
    drain(s, countBefore + p.published);
    p.received = s.count - countBefore;
    p.seconds = double(s.lastMs - resumeMs) / 1000.0;
    p.cpuMs = cpuMs(s.pid()) - cpuBefore;
    p.maxStallMs = s.maxStall;
    p.dropped = s.dropped >= 0 ? s.dropped - std::max<qint64>(0, droppedBefore) : -1;
    measureMemory(p, s);
    return p;
}

/// The publisher alone at each depth; returns the smallest depth within 5 % of the fastest.
int choosePipeline(RedisServer& server, RedisClient& client)
{
    constexpr int probeSeconds = 2;
    QList<std::pair<int, double>> rates;
    double best = 0;
    QStringList shown;
    for (const int depth : { 32, 128, 512, 1024, 4096 }) {
        const double r = double(publish(server, client, probeSeconds, depth)) / probeSeconds;
        rates.append({ depth, r });
        best = std::max(best, r);
        shown << QStringLiteral("P=%1 %2/s").arg(depth).arg(qint64(r));
    }
    int chosen = rates.last().first;
    for (const auto& [depth, r] : rates) {
        if (r >= 0.95 * best) {
            chosen = depth;
            break;
        }
    }
    out << QStringLiteral("publisher alone, %1 s each: %2; chosen: -P %3 (the smallest within 5 % of the fastest)")
               .arg(probeSeconds)
               .arg(shown.join(QStringLiteral(", ")))
               .arg(chosen)
        << Qt::endl;
    return chosen;
}

double rate(const Phase& p)
{
    return p.seconds > 0 ? double(p.received) / p.seconds : 0;
}

void print(const QString& name, const QString& phase, const Phase& p, int seconds)
{
    out << QStringLiteral("%1 %2 published %3 (%7/s)  received %4  lost %5  %6 msg/s  CPU %8 us/msg")
               .arg(name, -9)
               .arg(phase, -7)
               .arg(p.published, 8)
               .arg(p.received, 8)
               .arg(p.published - p.received, 6)
               .arg(qint64(rate(p)), 7)
               .arg(p.published / std::max(1, seconds), 7)
               .arg(p.received > 0 ? double(p.cpuMs) * 1000.0 / double(p.received) : 0.0, 0, 'f', 2);
    if (p.dropped >= 0)
        out << QStringLiteral("  dropped %1").arg(p.dropped);
    if (p.maxStallMs >= 0)
        out << QStringLiteral("  max event-loop stall %1 ms").arg(p.maxStallMs);
    if (p.rssMiB >= 0)
        out << QStringLiteral("  RSS %1 MiB (peak %2 MiB)").arg(p.rssMiB).arg(p.peakRssMiB);
    out << Qt::endl;
}

} // namespace

int main(int argc, char** argv)
{
    prepareProcess();
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.value(1) == QLatin1String("--subscriber"))
        return runSubscriber(quint16(args.value(2).toUInt()), args.value(3).toUtf8());
    const bench::Args options(args, { { "--seconds", true }, { "--pipeline", true }, { "--only", true } },
        "usage: bench_pubsub [--seconds S] [--pipeline N] [--only bullpen|redis-cli|ioredis]\n"
        "Messages/s received and lost by Bullpen's subscriber, redis-cli psubscribe and an ioredis\n"
        "subscriber, each alone under a publisher pipelining N PUBLISHes of 100 bytes for S s (default 5;\n"
        "N is measured first unless given). Needs node and tests/interop/node_modules.\n");
    if (options.exitCode() >= 0)
        return options.exitCode();
    const int seconds = std::max(1, options.intValue("--seconds", 5));
    int pipeline = std::max(0, options.intValue("--pipeline", 0)); // 0: chosen by choosePipeline()
    const QString only = options.value("--only");

    RedisServer server({ false, false, false, { QStringLiteral("--client-output-buffer-limit"), QStringLiteral("pubsub 0 0 0") } });
    if (!server.start()) {
        out << "cannot start redis-server: " << server.error() << Qt::endl;
        return 1;
    }
    RedisClient client(server.options());
    client.open();
    if (!waitForState(client, ConnectionState::Ready)) {
        out << "no connection" << Qt::endl;
        return 1;
    }
    out << QStringLiteral("load average %1 (2 cores shared with other work: compare runs at a similar load)")
               .arg(loadAverage())
        << Qt::endl;
    if (pipeline <= 0)
        pipeline = choosePipeline(server, client);
    out << QStringLiteral("publisher: redis-benchmark -c 1 -P %1, PUBLISH of 100 bytes, %2 s; each subscriber alone, "
                          "a child process; live: publisher and subscriber together; backlog: the subscriber "
                          "stopped while the publisher runs, then draining alone")
               .arg(pipeline)
               .arg(seconds)
        << Qt::endl;
    QList<Outcome> results;
    const QString port = QString::number(server.port());

    const auto run
        = [&](const QString& name, Subscriber& s, const QString& program, const QStringList& arguments) -> bool {
        s.listen();
        s.process.start(program, arguments);
        if (!s.process.waitForStarted(10000) || !waitForPattern(client, 1)
            || !QTest::qWaitFor([&] { return s.ready; }, 15000)) {
            out << name << " did not subscribe: " << s.process.readAllStandardError() << Qt::endl;
            return false;
        }
        Outcome o;
        o.name = name;
        o.live = livePhase(s, server, client, seconds, pipeline);
        print(name, QStringLiteral("live"), o.live, seconds);
        o.backlog = backlogPhase(s, server, client, seconds, pipeline);
        print(name, QStringLiteral("backlog"), o.backlog, seconds);
        results.append(o);
        s.process.kill();
        s.process.waitForFinished();
        return waitForPattern(client, 0);
    };

    if (only.isEmpty() || only == QLatin1String("bullpen")) {
        Subscriber s;
        if (!run(QStringLiteral("bullpen"), s, QCoreApplication::applicationFilePath(),
                { QStringLiteral("--subscriber"), port, QStringLiteral("bench:*") }))
            return 1;
    }

    if (only.isEmpty() || only == QLatin1String("redis-cli")) {
        Subscriber s;
        // --raw: 3 lines for the subscription, then 4 per message (pmessage, pattern, channel, payload).
        qint64 lines = 0;
        s.onLine = [&s, &lines](const QByteArray&) {
            ++lines;
            s.ready = lines >= 3;
            s.count = std::max<qint64>(0, (lines - 3) / 4);
            s.lastMs = QDateTime::currentMSecsSinceEpoch();
        };
        if (!run(QStringLiteral("redis-cli"), s, QStringLiteral("redis-cli"),
                { QStringLiteral("-p"), port, QStringLiteral("--raw"), QStringLiteral("psubscribe"),
                    QStringLiteral("bench:*") }))
            return 1;
    }

    if (only.isEmpty() || only == QLatin1String("ioredis")) {
        Subscriber s;
        s.process.setWorkingDirectory(QStringLiteral(BULLPEN_INTEROP_DIR));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("NODE_PATH"), QStringLiteral(BULLPEN_INTEROP_DIR "/node_modules"));
        s.process.setProcessEnvironment(env);
        if (!run(QStringLiteral("ioredis"), s, QStringLiteral("node"),
                { QStringLiteral(BULLPEN_BENCH_DIR "/sub_ioredis.js"), port, QStringLiteral("bench:*") }))
            return 1;
    }

    if (results.size() == 3) {
        const Outcome& ours = results.at(0);
        const Outcome& theirs = results.at(2);
        const auto ratio
            = [](double a, double b) { return b > 0 ? QString::number(a / b, 'f', 2) : QStringLiteral("-"); };
        out << QStringLiteral("bullpen / ioredis: live %1x received/s, backlog %2x msg/s, CPU per message %3x")
                   .arg(ratio(rate(ours.live), rate(theirs.live)), ratio(rate(ours.backlog), rate(theirs.backlog)),
                       ratio(double(ours.live.cpuMs + ours.backlog.cpuMs)
                               / double(ours.live.received + ours.backlog.received),
                           double(theirs.live.cpuMs + theirs.backlog.cpuMs)
                               / double(theirs.live.received + theirs.backlog.received)))
            << Qt::endl;
    }
    return 0;
}
