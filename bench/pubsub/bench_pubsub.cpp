// SPDX-License-Identifier: MIT
// Pub/sub ingest: one publisher (redis-benchmark, pipelining PUBLISH of 100-byte messages as
// fast as it can for --seconds S) and, in turn, each subscriber alone on the same server:
//   bullpen   PubSubMonitor in this process, with its channel model and 100,000-message log
//   redis-cli `redis-cli --raw psubscribe`, its output read and counted here
//   ioredis   node + ioredis 6 (pmessageBuffer, no decoding)
// Prints messages published, received, lost and received/s (from the publisher's start to the
// last message); for Bullpen also the longest event-loop stall seen by a 5 ms timer and the
// process RSS. client-output-buffer-limit pubsub is off, so nothing should be lost.
// Usage: bench_pubsub [--seconds S] [--pipeline N] [--only bullpen|redis-cli|ioredis]

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
#include <QFileInfo>
#include <QProcess>
#include <QTextStream>
#include <QTimer>

using namespace bullpen;
using namespace bullpen::test;

namespace {

QTextStream out(stdout);

struct Outcome {
    QString name;
    qint64 published = 0;
    qint64 received = 0;
    double seconds = 0;
    qint64 maxStallMs = -1;
    qint64 rssMiB = -1;
};

qint64 rssMiB()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong() / 1024;
    }
    return -1;
}

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

// Runs the publisher for `seconds`, then waits until `received()` stops growing (or reaches
// what was published). Returns the outcome with received/s over publisher start → last message.
template <typename Received, typename LastMs>
Outcome publishAndDrain(const QString& name, RedisServer& server, RedisClient& client, int seconds, int pipeline,
    Received received, LastMs lastMs)
{
    Outcome o;
    o.name = name;
    const qint64 before = publishCalls(client);
    QProcess publisher;
    const QByteArray payload(100, 'x');
    publisher.start(QStringLiteral("redis-benchmark"),
        { QStringLiteral("-p"), QString::number(server.port()), QStringLiteral("-c"), QStringLiteral("1"),
            QStringLiteral("-P"), QString::number(pipeline), QStringLiteral("-n"), QStringLiteral("1000000000"),
            QStringLiteral("-q"), QStringLiteral("PUBLISH"), QStringLiteral("bench:ch"), QString::fromLatin1(payload) });
    if (!QTest::qWaitFor([&] { return publisher.state() == QProcess::Running; }, 10000))
        out << "publisher did not start" << Qt::endl;
    const qint64 startMs = QDateTime::currentMSecsSinceEpoch();
    QTest::qWait(seconds * 1000);
    publisher.terminate();
    // Waits with the event loop running: a blocking wait would count as an event-loop stall.
    if (!QTest::qWaitFor([&] { return publisher.state() == QProcess::NotRunning; }, 5000))
        publisher.kill();
    o.published = publishCalls(client) - before;
    qint64 last = -1;
    QElapsedTimer still;
    still.start();
    while (still.elapsed() < 2000 && received() < o.published) {
        QTest::qWait(50);
        if (received() != last) {
            last = received();
            still.restart();
        }
    }
    o.received = received();
    o.seconds = double(lastMs() - startMs) / 1000.0;
    return o;
}

void print(const Outcome& o)
{
    out << QStringLiteral("%1 published %2  received %3  lost %4  %5 msg/s")
               .arg(o.name, -10)
               .arg(o.published, 9)
               .arg(o.received, 9)
               .arg(o.published - o.received, 7)
               .arg(o.seconds > 0 ? qint64(double(o.received) / o.seconds) : 0, 8);
    if (o.maxStallMs >= 0)
        out << QStringLiteral("  max event-loop stall %1 ms  RSS %2 MiB").arg(o.maxStallMs).arg(o.rssMiB);
    out << Qt::endl;
}

} // namespace

int main(int argc, char** argv)
{
    prepareProcess();
    QCoreApplication app(argc, argv);
    int seconds = 5;
    int pipeline = 32;
    QString only;
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i + 1 < args.size(); i += 2) {
        if (args.at(i) == QLatin1String("--seconds"))
            seconds = args.at(i + 1).toInt();
        else if (args.at(i) == QLatin1String("--pipeline"))
            pipeline = args.at(i + 1).toInt();
        else if (args.at(i) == QLatin1String("--only"))
            only = args.at(i + 1);
    }

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
    out << QStringLiteral("publisher: redis-benchmark -c 1 -P %1, PUBLISH of 100 bytes, %2 s; each subscriber alone")
               .arg(pipeline)
               .arg(seconds)
        << Qt::endl;
    QList<Outcome> results;

    if (only.isEmpty() || only == QLatin1String("bullpen")) {
        PubSubMonitor monitor;
        qint64 lastMs = 0;
        monitor.start(server.options());
        QObject::connect(&monitor, &PubSubMonitor::messagesReceived, [&lastMs](qint64) { lastMs = QDateTime::currentMSecsSinceEpoch(); });
        monitor.subscribe({ "bench:*" });
        if (!waitForPattern(client, 1)) {
            out << "bullpen did not subscribe" << Qt::endl;
            return 1;
        }
        // A 5 ms timer on the same thread: the longest gap between its ticks is the longest stall.
        QElapsedTimer gap;
        gap.start();
        qint64 maxStall = 0;
        QTimer tick;
        QObject::connect(&tick, &QTimer::timeout, [&] {
            maxStall = std::max(maxStall, gap.elapsed());
            gap.restart();
        });
        tick.start(5);
        Outcome o = publishAndDrain(
            QStringLiteral("bullpen"), server, client, seconds, pipeline,
            [&] { return monitor.received() + monitor.dropped(); }, [&] { return lastMs; });
        o.received = monitor.received(); // dropped ones are lost
        o.maxStallMs = maxStall;
        o.rssMiB = rssMiB();
        out << QStringLiteral("  (log rows %1 of capacity %2, channels %3, dropped %4)")
                   .arg(monitor.log()->rowCount())
                   .arg(monitor.log()->capacity())
                   .arg(monitor.channels()->rowCount())
                   .arg(monitor.dropped())
            << Qt::endl;
        results.append(o);
        print(o);
        monitor.stop();
        waitForPattern(client, 0);
    }

    if (only.isEmpty() || only == QLatin1String("redis-cli")) {
        QProcess cli;
        qint64 lines = 0;
        qint64 lastMs = 0;
        QObject::connect(&cli, &QProcess::readyReadStandardOutput, [&] {
            const QByteArray chunk = cli.readAllStandardOutput();
            lines += chunk.count('\n');
            lastMs = QDateTime::currentMSecsSinceEpoch();
        });
        cli.start(QStringLiteral("redis-cli"),
            { QStringLiteral("-p"), QString::number(server.port()), QStringLiteral("--raw"), QStringLiteral("psubscribe"),
                QStringLiteral("bench:*") });
        if (!waitForPattern(client, 1)) {
            out << "redis-cli did not subscribe" << Qt::endl;
            return 1;
        }
        // --raw: 3 lines for the subscription, then 4 per message (pmessage, pattern, channel, payload).
        Outcome o = publishAndDrain(
            QStringLiteral("redis-cli"), server, client, seconds, pipeline, [&] { return std::max<qint64>(0, (lines - 3) / 4); },
            [&] { return lastMs; });
        results.append(o);
        print(o);
        cli.kill();
        cli.waitForFinished();
        waitForPattern(client, 0);
    }

    if (only.isEmpty() || only == QLatin1String("ioredis")) {
        QProcess node;
        node.setWorkingDirectory(QStringLiteral(BULLPEN_INTEROP_DIR));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("NODE_PATH"), QStringLiteral(BULLPEN_INTEROP_DIR "/node_modules"));
        node.setProcessEnvironment(env);
        qint64 count = 0;
        qint64 lastMs = 0;
        bool ready = false;
        QByteArray buffer;
        QObject::connect(&node, &QProcess::readyReadStandardOutput, [&] {
            buffer += node.readAllStandardOutput();
            qsizetype nl;
            while ((nl = buffer.indexOf('\n')) >= 0) {
                const QByteArray line = buffer.left(nl);
                buffer.remove(0, nl + 1);
                if (line == "ready") {
                    ready = true;
                    continue;
                }
                const QList<QByteArray> parts = line.split(' ');
                count = parts.value(0).toLongLong();
                lastMs = parts.value(1).toLongLong();
            }
        });
        node.start(QStringLiteral("node"),
            { QStringLiteral(BULLPEN_BENCH_DIR "/sub_ioredis.js"), QString::number(server.port()), QStringLiteral("bench:*") });
        if (!QTest::qWaitFor([&] { return ready; }, 15000) || !waitForPattern(client, 1)) {
            out << "ioredis did not subscribe: " << node.readAllStandardError() << Qt::endl;
            return 1;
        }
        Outcome o = publishAndDrain(
            QStringLiteral("ioredis"), server, client, seconds, pipeline, [&] { return count; }, [&] { return lastMs; });
        // The count arrives every 100 ms: wait for the final one.
        QTest::qWait(300);
        o.received = count;
        results.append(o);
        print(o);
        node.terminate();
        node.waitForFinished();
    }

    if (results.size() == 3 && results.at(2).received > 0 && results.at(2).seconds > 0) {
        const double ours = double(results.at(0).received) / results.at(0).seconds;
        const double theirs = double(results.at(2).received) / results.at(2).seconds;
        out << QStringLiteral("bullpen / ioredis: %1x").arg(ours / theirs, 0, 'f', 2) << Qt::endl;
    }
    return 0;
}
