// SPDX-License-Identifier: MIT
// Cost of an open server charts page (ServerChartsPage, offscreen, default 1 s INFO sampling and
// the 250 ms latency probe) on an otherwise idle throwaway server, scaled to one minute:
//   Redis commands sent (INFO commandstats), Redis CPU (used_cpu_sys + used_cpu_user),
//   Bullpen CPU (getrusage of this process: sampling, parsing, models and chart redraws).
// Usage: bench_server [--seconds S]   (default 30, figures are per minute)

#include "benchargs.h"
#include "clienttest.h"
#include "redisserver.h"
#include "server/latencyprobe.h"
#include "server/serverinfo.h"
#include "server/serversampler.h"
#include "serverchartspage.h"

#include <QApplication>
#include <QTextStream>

#include <sys/resource.h>

using namespace bullpen;
using namespace bullpen::test;

namespace {

double cpuSeconds()
{
    rusage u {};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct RedisFigures {
    qint64 commands = 0;
    double cpu = 0;
};

RedisFigures figures(RedisServer& server)
{
    // redis-cli's own INFO is one command per reading; subtracted below.
    const ServerInfo info = ServerInfo::parse(server.cli({ QStringLiteral("INFO"), QStringLiteral("all") }).replace('\n', "\r\n"));
    return { info.integer("total_commands_processed"),
        info.value("used_cpu_sys").toDouble() + info.value("used_cpu_user").toDouble() };
}

} // namespace

int main(int argc, char** argv)
{
    prepareProcess();
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const bench::Args args(app.arguments(), { { "--seconds", true } },
        "usage: bench_server [--seconds S]\n"
        "Redis commands, Redis CPU and Bullpen CPU of an open server charts page on an idle server,\n"
        "measured for S s (default 30, at least 5) and given per minute.\n");
    if (args.exitCode() >= 0)
        return args.exitCode();
    const int seconds = std::max(5, args.intValue("--seconds", 30));
    QTextStream out(stdout);
    RedisServer server;
    if (!server.start()) {
        out << "cannot start redis-server: " << server.error() << Qt::endl;
        return 1;
    }
    RedisClient client(server.options());
    client.open();
    if (!waitForState(client, ConnectionState::Ready))
        return 1;

    ServerChartsPage page;
    page.resize(1100, 700);
    page.show();
    page.setClient(&client);
    QTest::qWait(2000); // warm up: connections, first samples, first chart layout
    const RedisFigures before = figures(server);
    const double cpuBefore = cpuSeconds();
    const qint64 samplesBefore = page.sampler()->requestsSent();
    const qint64 pingsBefore = page.probe()->pingsSent();
    QTest::qWait(seconds * 1000);
    const double cpu = cpuSeconds() - cpuBefore;
    const RedisFigures after = figures(server);
    const qint64 samples = page.sampler()->requestsSent() - samplesBefore;
    const qint64 pings = page.probe()->pingsSent() - pingsBefore;
    page.setClient(nullptr);

    const double perMinute = 60.0 / seconds;
    out << QStringLiteral("open server charts page, %1 s measured, per minute:").arg(seconds) << Qt::endl;
    out << QStringLiteral("  Redis commands   %1  (samples %2: INFO + LATENCY LATEST, every 5th with SLOWLOG GET + CLIENT LIST; PINGs %3)")
               .arg(double(after.commands - before.commands - 1) * perMinute, 0, 'f', 0)
               .arg(double(samples) * perMinute, 0, 'f', 0)
               .arg(double(pings) * perMinute, 0, 'f', 0)
        << Qt::endl;
    out << QStringLiteral("  Redis CPU        %1 ms").arg((after.cpu - before.cpu) * 1000 * perMinute, 0, 'f', 1) << Qt::endl;
    out << QStringLiteral("  Bullpen CPU      %1 ms (%2 % of one core)")
               .arg(cpu * 1000 * perMinute, 0, 'f', 0)
               .arg(cpu / seconds * 100, 0, 'f', 2)
        << Qt::endl;
    return 0;
}
