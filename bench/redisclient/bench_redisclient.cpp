// SPDX-License-Identifier: MIT
// Throughput of RedisClient beside redis-benchmark on the same throwaway server:
//  (a) sequential PING round trips through the facade vs `redis-benchmark -c 1 -P 1 -t ping`
//  (b) GETs pipelined 100 at a time vs `redis-benchmark -c 1 -P 100 -t get`
// The caller waits with waitForResult() (awake for a moment, then asleep). The rate with a caller
// that sleeps at once (QFuture::waitForFinished) is printed beside it: on a small VM the wake-up
// of a sleeping thread costs about as much as the round trip itself.
// Usage: bench_redisclient [--requests N] [--rounds R] [--only a|b]   (best of R rounds for each side)

#include "benchargs.h"
#include "redisclient.h"
#include "redisserver.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTextStream>

#include <algorithm>
#include <cstdio>

using namespace bullpen;

namespace {

QTextStream out(stdout);

// requests per second of one redis-benchmark test, from its --csv output
double redisBenchmark(quint16 port, const QString& test, int pipeline, int requests)
{
    QProcess p;
    p.start(QStringLiteral("redis-benchmark"),
        { QStringLiteral("-p"), QString::number(port), QStringLiteral("-c"), QStringLiteral("1"), QStringLiteral("-P"),
            QString::number(pipeline), QStringLiteral("-n"), QString::number(requests), QStringLiteral("-t"), test,
            QStringLiteral("--csv") });
    p.waitForFinished(600000);
    // "test","rps",...  e.g. "PING_MBULK","58823.53",...
    const QByteArray want = (test == QLatin1String("ping") ? QByteArray("\"PING_MBULK\"") : "\"" + test.toUpper().toUtf8() + "\"");
    for (const QByteArray& line : p.readAllStandardOutput().split('\n')) {
        const QList<QByteArray> cols = line.split(',');
        if (cols.size() >= 2 && cols.at(0) == want)
            return QByteArray(cols.at(1)).replace('"', "").toDouble();
    }
    return 0;
}

// How the benchmark's caller waits for each future.
enum class Wait { Awake, Asleep };

template <typename T>
T wait(QFuture<T> f, Wait how)
{
    if (how == Wait::Asleep)
        f.waitForFinished();
    return waitForResult(f);
}

double sequentialPings(RedisClient& client, int requests, Wait how)
{
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < requests; ++i) {
        const Reply reply = wait(client.command({ "PING" }), how);
        if (reply.isError()) {
            out << "PING failed: " << reply.errorMessage() << Qt::endl;
            return 0;
        }
    }
    return requests / (double(t.nsecsElapsed()) / 1e9);
}

double pipelinedGets(RedisClient& client, int requests, int depth, Wait how)
{
    QList<Command> batch;
    for (int i = 0; i < depth; ++i)
        batch.append(Command { "GET", "key:__rand_int__" });
    QElapsedTimer t;
    t.start();
    for (int done = 0; done < requests; done += depth) {
        const QList<Reply> replies = wait(client.pipeline(batch), how);
        if (replies.size() != depth || replies.first().bytes() != "xxx") {
            out << "GET pipeline failed: " << replies.value(0).toDisplayString() << Qt::endl;
            return 0;
        }
    }
    return requests / (double(t.nsecsElapsed()) / 1e9);
}

} // namespace

int main(int argc, char** argv)
{
    prepareProcess();
    QCoreApplication app(argc, argv);
    const bench::Args args(app.arguments(), { { "--requests", true }, { "--rounds", true }, { "--only", true } },
        "usage: bench_redisclient [--requests N] [--rounds R] [--only a|b]\n"
        "(a) sequential PINGs through RedisClient vs redis-benchmark -c 1 -P 1 -t ping;\n"
        "(b) N GETs (default 100000) pipelined 100 at a time vs redis-benchmark -c 1 -P 100 -t get.\n"
        "Best of R rounds (default 3) for each side.\n");
    if (args.exitCode() >= 0)
        return args.exitCode();
    const int requests = std::max(100, args.intValue("--requests", 100000));
    const int rounds = std::max(1, args.intValue("--rounds", 3));
    const QString only = args.value("--only");
    const int pingRequests = std::max(1000, requests / 2);

    test::RedisServer server;
    if (!server.start()) {
        out << "cannot start redis-server: " << server.error() << Qt::endl;
        return 1;
    }
    // The value redis-benchmark's GET reads: its SET writes "xxx" (3 bytes) under this name.
    server.cli({ QStringLiteral("SET"), QStringLiteral("key:__rand_int__"), QStringLiteral("xxx") });

    RedisClient client(server.options());
    client.open();
    if (waitForResult(client.command({ "PING" })).isError()) {
        out << "cannot connect" << Qt::endl;
        return 1;
    }

    // Every round's figures are kept and printed: on a small VM redis-benchmark's rate is bimodal
    // (its process and redis-server on one vCPU or on two), and the rounds show which it was.
    QList<double> oursPing, asleepPing, refPing, oursGet, asleepGet, refGet;
    for (int r = 0; r < rounds; ++r) {
        if (only != QLatin1String("b")) {
            refPing.append(redisBenchmark(server.port(), QStringLiteral("ping"), 1, pingRequests));
            oursPing.append(sequentialPings(client, pingRequests, Wait::Awake));
            asleepPing.append(sequentialPings(client, pingRequests, Wait::Asleep));
        }
        if (only != QLatin1String("a")) {
            refGet.append(redisBenchmark(server.port(), QStringLiteral("get"), 100, requests));
            oursGet.append(pipelinedGets(client, requests, 100, Wait::Awake));
            asleepGet.append(pipelinedGets(client, requests, 100, Wait::Asleep));
        }
    }

    const auto list = [](const QList<double>& rates) {
        QStringList parts;
        for (const double v : rates)
            parts << QString::number(v / 1000.0, 'f', 1);
        return parts.join(QLatin1Char(' '));
    };
    const auto row = [&list](const char* name, const QList<double>& oursRounds, const QList<double>& asleepRounds,
                         const QList<double>& refRounds, double target) {
        const double ours = *std::max_element(oursRounds.begin(), oursRounds.end());
        const double ref = *std::max_element(refRounds.begin(), refRounds.end());
        const double ratio = ref > 0 ? ours / ref : 0;
        out << QStringLiteral("%1  bullpen %2 req/s   redis-benchmark %3 req/s   ratio %4x   target >= %5x  %6")
                   .arg(QLatin1String(name))
                   .arg(ours, 10, 'f', 0)
                   .arg(ref, 10, 'f', 0)
                   .arg(ratio, 0, 'f', 2)
                   .arg(target, 0, 'f', 1)
                   .arg(ratio >= target ? QStringLiteral("ok") : QStringLiteral("BELOW TARGET"))
            << Qt::endl;
        out << QStringLiteral("      rounds (k req/s): bullpen %1   redis-benchmark %2").arg(list(oursRounds), list(refRounds))
            << Qt::endl;
        const double asleep = *std::max_element(asleepRounds.begin(), asleepRounds.end());
        out << QStringLiteral("      caller asleep at once (QFuture::waitForFinished): best %1 req/s = %2x, rounds %3")
                   .arg(asleep, 0, 'f', 0)
                   .arg(ref > 0 ? asleep / ref : 0, 0, 'f', 2)
                   .arg(list(asleepRounds))
            << Qt::endl;
    };
    out << "bench/redisclient: redis-server " << server.cli({ QStringLiteral("INFO"), QStringLiteral("server") }).split('\n').value(1).trimmed()
        << ", best of " << rounds << " rounds" << Qt::endl;
    if (only != QLatin1String("b"))
        row("(a) sequential PING, 1 in flight      ", oursPing, asleepPing, refPing, 0.8);
    if (only != QLatin1String("a"))
        row("(b) GET pipelined 100 at a time       ", oursGet, asleepGet, refGet, 0.5);
    return 0;
}
