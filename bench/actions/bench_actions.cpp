// SPDX-License-Identifier: MIT
// Retry all of 100,000 failed jobs and clean 100,000 completed jobs: Bullpen's ActionRunner
// (batches of 1,000 per script call) beside BullMQ 6's queue.retryJobs / queue.clean on the same
// starting state (db 0 for BullMQ, db 1 for Bullpen), while a separate client PINGs every ms.
// Prints the times, their ratio and the worst PING latency during each run.

#include "benchargs.h"
#include "bullmq/actions.h"
#include "bullmq/queuesnapshot.h"
#include "redisclient.h"
#include "redisserver.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTextStream>

using namespace bullpen;
using namespace bullpen::bullmq;

namespace {

QTextStream out(stdout);
QString g_node;
QProcessEnvironment g_env;

template <typename T> T await(QFuture<T> future)
{
    while (!future.isFinished())
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 100);
    return future.result();
}

QByteArray nodeRun(const QStringList& args)
{
    QProcess p;
    p.setProcessEnvironment(g_env);
    p.start(g_node, QStringList { QStringLiteral(BULLPEN_BENCH_DIR "/bench_actions.js") } + args);
    p.waitForFinished(600000);
    if (p.exitCode() != 0)
        out << "node failed: " << p.readAllStandardError() << Qt::endl;
    return p.readAllStandardOutput();
}

/// What Redis itself saw while one tool ran: script calls, their mean time and the longest
/// command (LATENCY HISTORY, threshold 1 ms), free of the client machine's scheduling noise.
struct ServerSide {
    qint64 calls = 0;
    double usecPerCall = 0;
    qint64 longestMs = 0;
};

void resetServerSide(const test::RedisServer& server)
{
    server.cli({ QStringLiteral("CONFIG"), QStringLiteral("SET"), QStringLiteral("latency-monitor-threshold"), QStringLiteral("1") });
    server.cli({ QStringLiteral("LATENCY"), QStringLiteral("RESET") });
    server.cli({ QStringLiteral("CONFIG"), QStringLiteral("RESETSTAT") });
}

ServerSide readServerSide(const test::RedisServer& server)
{
    ServerSide s;
    const QByteArray stats = server.cli({ QStringLiteral("INFO"), QStringLiteral("commandstats") });
    for (const QByteArray& line : stats.split('\n')) {
        const bool eval = line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:");
        if (!eval)
            continue;
        for (const QByteArray& kv : line.mid(line.indexOf(':') + 1).trimmed().split(',')) {
            const QList<QByteArray> p = kv.split('=');
            if (p.value(0) == "calls")
                s.calls += p.value(1).toLongLong();
            else if (p.value(0) == "usec_per_call")
                s.usecPerCall = std::max(s.usecPerCall, p.value(1).toDouble());
        }
    }
    // LATENCY HISTORY command: pairs of (timestamp, max ms of that second), one per line.
    const QList<QByteArray> history = server.cli({ QStringLiteral("LATENCY"), QStringLiteral("HISTORY"), QStringLiteral("command") }).split('\n');
    for (qsizetype i = 1; i < history.size(); i += 2)
        s.longestMs = std::max(s.longestMs, history.at(i).trimmed().toLongLong());
    return s;
}

QString describe(const ServerSide& s)
{
    return QStringLiteral("%1 script calls, %2 us each, longest command %3 ms")
        .arg(s.calls)
        .arg(s.usecPerCall, 0, 'f', 0)
        .arg(s.longestMs > 0 ? QString::number(s.longestMs) : QStringLiteral("< 1"));
}

/// Starts the PING client; stop() returns the worst latency in ms.
class Pinger
{
public:
    explicit Pinger(const QString& url)
    {
        m_p.setProcessEnvironment(g_env);
        m_p.start(g_node, { QStringLiteral(BULLPEN_BENCH_DIR "/bench_actions.js"), QStringLiteral("ping"), url });
        QByteArray line;
        while (!line.contains("PINGING") && m_p.waitForReadyRead(20000))
            line += m_p.readAllStandardOutput();
    }
    QJsonObject stop()
    {
        m_p.write("stop\n");
        m_p.waitForFinished(20000);
        const QByteArray all = m_p.readAllStandardOutput();
        return QJsonDocument::fromJson(all.mid(all.lastIndexOf('{'))).object();
    }

private:
    QProcess m_p;
};

double runOurs(const test::RedisServer& server, ActionRequest request, qsizetype* done)
{
    ConnectionOptions options = server.options();
    options.db = 1;
    RedisClient client(options);
    client.open();
    const QueueSnapshot q = await(fetchSnapshots(&client, { QueueRef { "bull", "bench" } })).value(0);
    QElapsedTimer t;
    t.start();
    ActionRunner runner(&client, q, request);
    bool finished = false;
    QObject::connect(&runner, &ActionRunner::finished, [&](const ActionResult& r) {
        finished = true;
        *done = r.done.size();
        if (!r.error.isEmpty())
            out << "bullpen failed: " << r.error << Qt::endl;
    });
    runner.start();
    while (!finished)
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 100);
    return double(t.nsecsElapsed()) / 1e6;
}

void compare(const test::RedisServer& server, const char* title, const QStringList& nodeArgs, const ActionRequest& request,
    const QString& checkKey, qint64 expectRemaining)
{
    Pinger theirPing(server.url() + QStringLiteral("/0"));
    resetServerSide(server);
    const QJsonObject theirs = QJsonDocument::fromJson(nodeRun(nodeArgs)).object();
    const ServerSide theirServer = readServerSide(server);
    const QJsonObject theirPings = theirPing.stop();

    Pinger ourPing(server.url() + QStringLiteral("/1"));
    resetServerSide(server);
    qsizetype done = 0;
    const double ours = runOurs(server, request, &done);
    const ServerSide ourServer = readServerSide(server);
    const QJsonObject ourPings = ourPing.stop();

    const QByteArray left0 = server.cli({ QStringLiteral("-n"), QStringLiteral("0"), QStringLiteral("ZCARD"), checkKey });
    const QByteArray left1 = server.cli({ QStringLiteral("-n"), QStringLiteral("1"), QStringLiteral("ZCARD"), checkKey });
    const double ms = theirs.value(QStringLiteral("ms")).toDouble();
    out << QStringLiteral("%1\n  bullpen: %2 ms (%3 jobs)  worst PING %4 ms over %5 pings\n"
                          "           in Redis: %14\n"
                          "  BullMQ : %6 ms           worst PING %7 ms over %8 pings\n"
                          "           in Redis: %15\n"
                          "  ratio bullpen/BullMQ: %9x (target <= 1.2), bullpen worst PING target <= 10 ms\n"
                          "  left in %10: BullMQ db %11, bullpen db %12 (expected %13)\n")
               .arg(QLatin1String(title))
               .arg(ours, 0, 'f', 1)
               .arg(done)
               .arg(ourPings.value(QStringLiteral("worstMs")).toDouble(), 0, 'f', 2)
               .arg(ourPings.value(QStringLiteral("pings")).toInt())
               .arg(ms, 0, 'f', 1)
               .arg(theirPings.value(QStringLiteral("worstMs")).toDouble(), 0, 'f', 2)
               .arg(theirPings.value(QStringLiteral("pings")).toInt())
               .arg(ms > 0 ? ours / ms : 0, 0, 'f', 2)
               .arg(checkKey, QString::fromUtf8(left0), QString::fromUtf8(left1))
               .arg(expectRemaining)
               .arg(describe(ourServer), describe(theirServer))
        << Qt::flush;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const bench::Args args(app.arguments(), { { "--jobs", true }, { "--batch", true } },
        "usage: bench_actions [--jobs N] [--batch B]\n"
        "Retry all of N failed jobs (default 100000) and clean N completed jobs with Bullpen's ActionRunner\n"
        "(B jobs per script call) beside BullMQ 6's retryJobs/clean, while another client PINGs every ms.\n"
        "Needs node and tests/interop/node_modules (scripts/setup-deps --npm tests/interop).\n");
    if (args.exitCode() >= 0)
        return args.exitCode();
    const int n = std::max(1, args.intValue("--jobs", 100000));
    const int batch = std::max(1, args.intValue("--batch", ActionRequest().batchSize));
    g_node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (g_node.isEmpty()) {
        out << "node is not in PATH" << Qt::endl;
        return 1;
    }
    g_env = QProcessEnvironment::systemEnvironment();
    g_env.insert(QStringLiteral("BULLPEN_INTEROP_DIR"), QStringLiteral(BULLPEN_INTEROP_DIR));
    test::RedisServer server;
    if (!server.start()) {
        out << "cannot start redis-server: " << server.error() << Qt::endl;
        return 1;
    }
    const QString count = QString::number(n);
    out << "bullpen batch: " << batch << " jobs per script call" << Qt::endl;

    out << "building " << n << " failed jobs (BullMQ 6) in db 0 and db 1..." << Qt::endl;
    nodeRun({ QStringLiteral("build"), server.url() + QStringLiteral("/0"), count, QStringLiteral("failed") });
    ActionRequest retry;
    retry.kind = ActionKind::Retry;
    retry.state = "failed";
    retry.all = true;
    retry.batchSize = batch;
    compare(server, "retry all failed: queue.retryJobs({state:'failed'}) vs bullpen retry --all",
        { QStringLiteral("retry"), server.url() + QStringLiteral("/0") }, retry, QStringLiteral("bull:bench:failed"), 0);

    out << "building " << n << " completed jobs (BullMQ 6) in db 0 and db 1..." << Qt::endl;
    nodeRun({ QStringLiteral("build"), server.url() + QStringLiteral("/0"), count, QStringLiteral("completed") });
    ActionRequest clean;
    clean.kind = ActionKind::Clean;
    clean.state = "completed";
    clean.limit = n;
    clean.batchSize = batch;
    compare(server, "clean completed: queue.clean(0, N, 'completed') vs bullpen clean --state completed",
        { QStringLiteral("clean"), server.url() + QStringLiteral("/0"), count }, clean, QStringLiteral("bull:bench:completed"), 0);
    return 0;
}
