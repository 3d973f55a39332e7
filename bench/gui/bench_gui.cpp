// SPDX-License-Identifier: MIT
// The open window on bench/queues' fixture (100 BullMQ 6 queues with jobs in every state, plus
// "huge" with 100,000 failed jobs), beside Bull Board's page on the same fixture (issue #6):
//   first paint  MainWindow created → the queue list view has rows and has been painted   ≤ 1 s
//   idle RSS     VmRSS of this process after the measured period        ≤ 100 MB (Bull Board 77–132 MB)
//   CPU          getrusage over --duration s, Queues tab current        ≤ 1 %    (Bull Board 2–2.6 %)
//   commands     INFO commandstats delta / queue list refreshes         ≤ 800    (Bull Board 1,600 per 5 s poll)
// The whole window is measured: every page holds the client (summary INFO polls, the key tree's
// first SCAN, charts sampling, pub/sub overview), so the command count is all the window sent,
// listed by command. The Queues page (QueuesPage) is the current tab; were it missing, a stand-in
// tab (QTableView on bullmq::QueueListModel, refresh every 5 s) would be measured, and said so.
// --bare measures that stand-in alone in a QMainWindow, with its own connection and no other page:
// what the queue list itself costs. --without-keys takes the client from the Keys page before its
// first SCAN of the whole keyspace starts: what that load costs the queue list's first paint.
// --writes adds one unrelated write a second (INCR on a key of no queue, own connection, its
// commands left out of the count): the server is never idle, so every refresh reads all counts
// (the queue list skips reading when nothing was written since its last read: issue #6).
// Usage: bench_gui [--duration S] [--warmup S] [--bare | --without-keys] [--writes]
//        (defaults 60 and 10; offscreen unless a display is set)

#include "benchargs.h"
#include "bullmq/queuelistmodel.h"
#include "clientpage.h"
#include "connectionoptions.h"
#include "mainwindow.h"
#include "queuespage.h"
#include "keyspage.h"
#include "redisclient.h"
#include "redisserver.h"

#include <QAbstractItemView>
#include <QAbstractProxyModel>
#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QMainWindow>
#include <QMap>
#include <QProcess>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTextStream>
#include <QTimer>
#include <QVBoxLayout>

#include <sys/resource.h>

#include <memory>

using namespace bullpen;

namespace {

QTextStream out(stdout);

double cpuSeconds()
{
    rusage u {};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

/// CPU seconds of the calling thread (the GUI thread when called from main()).
double threadCpuSeconds()
{
    rusage u {};
    getrusage(RUSAGE_THREAD, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

/// A field of /proc/self/status in MB ("VmRSS", "VmHWM").
double statusMb(const QByteArray& field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : f.readAll().split('\n')) {
        if (line.startsWith(QByteArray(field + ':')))
            return line.mid(field.size() + 1).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return -1;
}

/// calls per command from INFO commandstats, read by redis-cli (its INFO is counted by the next reading).
QMap<QByteArray, qint64> commandStats(const test::RedisServer& server)
{
    QMap<QByteArray, qint64> calls;
    for (const QByteArray& line : server.cli({ QStringLiteral("INFO"), QStringLiteral("commandstats") }).split('\n')) {
        if (!line.startsWith("cmdstat_"))
            continue;
        const qsizetype colon = line.indexOf(':');
        const qsizetype at = line.indexOf("calls=");
        if (colon < 0 || at < 0)
            continue;
        calls[line.mid(8, colon - 8)] = line.mid(at + 6, line.indexOf(',', at) - at - 6).toLongLong();
    }
    return calls;
}

/// The queue list model behind a view, through any proxies.
bullmq::QueueListModel* queueModelOf(const QAbstractItemView* view)
{
    QAbstractItemModel* model = view ? view->model() : nullptr;
    while (auto* proxy = qobject_cast<QAbstractProxyModel*>(model))
        model = proxy->sourceModel();
    return qobject_cast<bullmq::QueueListModel*>(model);
}

/// Stand-in for the Queues tab while MainWindow has none: the queue list as the page will show it.
class StandInQueuesPage : public ClientPage
{
public:
    explicit StandInQueuesPage(QWidget* parent = nullptr)
        : ClientPage(parent)
        , m_view(new QTableView(this))
        , m_timer(new QTimer(this))
    {
        auto* layout = new QVBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(m_view);
        m_timer->setInterval(5000);
        connect(m_timer, &QTimer::timeout, this, [this] { refreshNow(); });
    }
    void setClient(RedisClient* client) override
    {
        m_timer->stop();
        m_view->setModel(nullptr);
        delete m_model;
        m_model = nullptr;
        if (!client)
            return;
        m_model = new bullmq::QueueListModel(client, this);
        m_view->setModel(m_model);
        m_model->refresh();
        m_timer->start();
    }
    void refreshNow() override
    {
        if (m_model)
            m_model->refresh();
    }

private:
    QTableView* m_view;
    QTimer* m_timer;
    bullmq::QueueListModel* m_model = nullptr;
};

/// Notes the first time a queue list view's viewport is painted with rows; the time is taken
/// when control is back in the event loop, so the painting itself is included.
class FirstPaint : public QObject
{
public:
    explicit FirstPaint(QElapsedTimer* clock)
        : m_clock(clock)
    {
    }
    qint64 ms = -1;
    QPointer<QAbstractItemView> view;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == QEvent::Paint && ms < 0 && !m_pending) {
            auto* v = qobject_cast<QAbstractItemView*>(watched->parent());
            if (v && v->viewport() == watched && queueModelOf(v) && v->model()->rowCount() > 0) {
                m_pending = true;
                view = v;
                QTimer::singleShot(0, this, [this] { ms = m_clock->elapsed(); });
            }
        }
        return false;
    }

private:
    QElapsedTimer* m_clock;
    bool m_pending = false;
};

/// Runs the event loop for `ms` as the application does (blocking in the loop between events).
/// Not QTest::qWait: that polls processEvents every 10 ms, 100 wake-ups a second of the harness's
/// own that an open window does not have (they were ~0.5 % of a core in the CPU figure).
void runFor(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

QString ratio(double ours, double low, double high)
{
    return low == high ? QStringLiteral("%1x").arg(ours / low, 0, 'f', 2)
                       : QStringLiteral("%1–%2x").arg(ours / high, 0, 'f', 2).arg(ours / low, 0, 'f', 2);
}

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    const bench::Args args(argc, argv,
        { { "--duration", true }, { "--warmup", true }, { "--bare", false }, { "--without-keys", false },
            { "--writes", false } },
        "usage: bench_gui [--duration S] [--warmup S] [--bare | --without-keys] [--writes]\n"
        "First paint, idle RSS, CPU over S s (default 60, after a warm-up of 10) and Redis commands per\n"
        "refresh of the open window on bench/queues' fixture, beside Bull Board's figures.\n"
        "Needs node and tests/interop/node_modules (scripts/setup-deps --npm tests/interop).\n");
    if (args.exitCode() >= 0)
        return args.exitCode();
    const int duration = std::max(5, args.intValue("--duration", 60));
    const int warmup = std::max(0, args.intValue("--warmup", 10));
    const bool bare = args.has("--bare");
    const bool withoutKeys = args.has("--without-keys");
    const bool writes = args.has("--writes");
    QElapsedTimer appClock;
    appClock.start();
    QApplication app(argc, argv);
    const qint64 appMs = appClock.elapsed();
    prepareProcess(); // after QApplication, as app/gui does: the GUI thread keeps glib's loop

    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (node.isEmpty()) {
        out << "node is not in PATH" << Qt::endl;
        return 1;
    }
    test::RedisServer server;
    if (!server.start()) {
        out << "cannot start redis-server: " << server.error() << Qt::endl;
        return 1;
    }
    const QString url = server.url() + QStringLiteral("/0");
    out << "building bench/queues' fixture with BullMQ 6 (100 queues, 100,000 failed jobs)..." << Qt::endl;
    QProcess fixture;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("BULLPEN_INTEROP_DIR"), QStringLiteral(BULLPEN_INTEROP_DIR));
    fixture.setProcessEnvironment(env);
    fixture.start(node, { QStringLiteral(BULLPEN_QUEUES_BENCH_DIR "/bench_fixture.js"), url });
    if (!fixture.waitForFinished(600000) || fixture.exitCode() != 0) {
        out << "fixture failed: " << fixture.readAllStandardError() << Qt::endl;
        return 1;
    }
    const QByteArray keys = server.cli({ QStringLiteral("DBSIZE") });
    QFile loadavg(QStringLiteral("/proc/loadavg"));
    const QByteArray load = loadavg.open(QIODevice::ReadOnly) ? loadavg.readAll().split(' ').mid(0, 3).join(' ') : QByteArray("?");

    // --- first paint -----------------------------------------------------------------------------
    QElapsedTimer clock;
    FirstPaint firstPaint(&clock);
    app.installEventFilter(&firstPaint);
    const double guiCpuStart = threadCpuSeconds();
    const double cpuStart = cpuSeconds();
    clock.start();
    std::unique_ptr<QMainWindow> window;
    std::unique_ptr<RedisClient> bareClient;
    bool standIn = true;
    int refreshMs = 5000;
    qint64 builtMs = -1; // MainWindow constructed
    qint64 connectedMs = -1; // connectToUrl returned (pages have the client)
    qint64 readMs = -1; // the queue list model's first refreshed() (discovery + counts read)
    qint64 shownMs = -1;
    if (bare) {
        window = std::make_unique<QMainWindow>();
        bareClient = std::make_unique<RedisClient>(server.options());
        bareClient->open();
        auto* page = new StandInQueuesPage(window.get());
        window->setCentralWidget(page);
        page->setClient(bareClient.get());
    } else {
        auto* main = new MainWindow;
        window.reset(main);
        builtMs = clock.elapsed();
        main->connectToUrl(url);
        connectedMs = clock.elapsed();
        if (auto* m = main->findChild<bullmq::QueueListModel*>()) {
            QObject::connect(m, &bullmq::QueueListModel::refreshed, &app, [&] {
                if (readMs < 0)
                    readMs = clock.elapsed();
            });
        }
        if (withoutKeys) {
            for (KeysPage* keysPage : main->findChildren<KeysPage*>())
                keysPage->setClient(nullptr); // before the event loop runs: its SCAN never starts
        }
        auto* page = main->findChild<QueuesPage*>();
        QWidget* tabs = page;
        while (tabs && !qobject_cast<QTabWidget*>(tabs))
            tabs = tabs->parentWidget();
        standIn = !page || !tabs;
        if (standIn) {
            main->addPage(new StandInQueuesPage(main), QStringLiteral("Queues"));
            tabs = main->findChild<QTabWidget*>();
            if (!tabs) {
                out << "MainWindow has no QTabWidget" << Qt::endl;
                return 1;
            }
            static_cast<QTabWidget*>(tabs)->setCurrentIndex(static_cast<QTabWidget*>(tabs)->count() - 1);
        } else {
            static_cast<QTabWidget*>(tabs)->setCurrentWidget(page);
            refreshMs = page->refreshInterval();
        }
    }
    window->resize(1100, 720);
    window->show();
    shownMs = clock.elapsed();
    if (!QTest::qWaitFor([&] { return firstPaint.ms >= 0; }, 60000)) {
        out << "the queue list was not painted with rows within 60 s" << Qt::endl;
        return 1;
    }
    app.removeEventFilter(&firstPaint);
    const double guiCpuPaint = threadCpuSeconds() - guiCpuStart;
    const double cpuPaint = cpuSeconds() - cpuStart;
    bullmq::QueueListModel* model = queueModelOf(firstPaint.view);
    const int rows = firstPaint.view->model()->rowCount();
    const QString what = bare ? QStringLiteral("BARE: a QMainWindow with only a QTableView on bullmq::QueueListModel (own connection, refresh every 5 s)")
        : standIn ? QStringLiteral("MainWindow, tab \"Queues\" current: a STAND-IN (no QueuesPage in MainWindow yet), QTableView on bullmq::QueueListModel, refresh every 5 s")
                  : QStringLiteral("MainWindow, its Queues page current (QueuesPage, refresh every %1 ms)%2")
                        .arg(refreshMs)
                        .arg(withoutKeys ? QStringLiteral(", Keys page WITHOUT client (--without-keys)") : QString());
    out << QStringLiteral("fixture: bench/queues (100 BullMQ 6 queues + huge with 100,000 failed), %1 keys; platform %2; load average before %3\n"
                          "window: %4, %5x%6\n")
               .arg(QString::fromUtf8(keys))
               .arg(QGuiApplication::platformName())
               .arg(QString::fromUtf8(load))
               .arg(what)
               .arg(window->width())
               .arg(window->height());
    out << QStringLiteral("first paint : %1 ms  (window created → queue list with %2 rows painted; QApplication itself %3 ms before)   target <= 1000 ms\n")
               .arg(firstPaint.ms)
               .arg(rows)
               .arg(appMs);
    if (builtMs >= 0) {
        out << QStringLiteral("  of which   : MainWindow built %1 ms, connectToUrl returned %2 ms, shown %3 ms, queue list read (discovery + counts) %4 ms, painted %5 ms\n")
                   .arg(builtMs)
                   .arg(connectedMs)
                   .arg(shownMs)
                   .arg(readMs)
                   .arg(firstPaint.ms);
    }
    out << QStringLiteral("  CPU        : %1 ms on the GUI thread, %2 ms in all threads until painted (the rest of the wall time is waiting: for Redis, for a core)\n")
               .arg(guiCpuPaint * 1000, 0, 'f', 0)
               .arg(cpuPaint * 1000, 0, 'f', 0);

    // --- steady state: warm-up, then the measured period --------------------------------------------
    std::unique_ptr<RedisClient> writer;
    QTimer writeTimer;
    if (writes) {
        writer = std::make_unique<RedisClient>(server.options());
        writer->open();
        QObject::connect(&writeTimer, &QTimer::timeout, &app, [&] { writer->command({ "INCR", "bench:gui:writes" }); });
        writeTimer.start(1000);
        out << "writes      : INCR bench:gui:writes every second on another connection (not counted below)\n";
    }
    int refreshes = 0;
    QObject::connect(model, &bullmq::QueueListModel::refreshed, &app, [&refreshes] { ++refreshes; });
    runFor(warmup * 1000);
    const QMap<QByteArray, qint64> before = commandStats(server);
    const double cpuBefore = cpuSeconds();
    const int refreshesBefore = refreshes;
    QElapsedTimer period;
    period.start();
    runFor(duration * 1000);
    const double seconds = double(period.elapsed()) / 1000.0;
    const double cpu = cpuSeconds() - cpuBefore;
    const int measured = refreshes - refreshesBefore;
    const double rss = statusMb("VmRSS");
    const double hwm = statusMb("VmHWM");
    QMap<QByteArray, qint64> after = commandStats(server);
    after[QByteArrayLiteral("info")] -= 1; // the first reading's own INFO
    if (writes)
        after.remove(QByteArrayLiteral("incr")); // the writer's, not the window's
    qint64 total = 0;
    QList<QPair<qint64, QByteArray>> byCommand;
    for (auto it = after.cbegin(); it != after.cend(); ++it) {
        const qint64 delta = it.value() - before.value(it.key());
        if (delta > 0) {
            total += delta;
            byCommand.append({ delta, it.key() });
        }
    }
    std::sort(byCommand.begin(), byCommand.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    const double perRefresh = measured > 0 ? double(total) / measured : 0;
    const double per5s = double(total) * 5.0 / seconds;
    const double cpuPercent = cpu / seconds * 100.0;

    out << QStringLiteral("idle RSS    : %1 MB  (VmRSS after the measured period; peak VmHWM %2 MB)   Bull Board 77–132 MB, ratio %3   target <= 100 MB\n")
               .arg(rss, 0, 'f', 1)
               .arg(hwm, 0, 'f', 1)
               .arg(ratio(rss, 77, 132));
    out << QStringLiteral("CPU         : %1 % of one core over %2 s (%3 s user+sys, %4 refreshes, %5 s warm-up before)   Bull Board 2–2.6 %, ratio %6   target <= 1 %\n")
               .arg(cpuPercent, 0, 'f', 2)
               .arg(seconds, 0, 'f', 1)
               .arg(cpu, 0, 'f', 2)
               .arg(measured)
               .arg(warmup)
               .arg(ratio(cpuPercent, 2, 2.6));
    out << QStringLiteral("commands    : %1 per queue list refresh, %2 per 5 s (all the window sent: %3 in %4 s)   Bull Board 1,600 per 5 s poll, ratio %5   target <= 800\n")
               .arg(perRefresh, 0, 'f', 1)
               .arg(per5s, 0, 'f', 1)
               .arg(total)
               .arg(seconds, 0, 'f', 1)
               .arg(ratio(per5s, 1600, 1600));
    out << "  by command (per refresh):";
    for (const auto& [delta, name] : std::as_const(byCommand))
        out << ' ' << name << ' ' << QString::number(double(delta) / std::max(1, measured), 'f', 1);
    out << Qt::endl;
    if (measured <= 0) {
        out << "the queue list did not refresh in " << seconds << " s: run longer (--duration)" << Qt::endl;
        return 1;
    }
    writeTimer.stop();
    writer.reset();
    if (bareClient)
        static_cast<StandInQueuesPage*>(window->centralWidget())->setClient(nullptr);
    window.reset();
    return 0;
}
