// SPDX-License-Identifier: MIT
// The server charts page, offscreen, against a real redis-server.

#include "clienttest.h"
#include "redisserver.h"
#include "server/latencyprobe.h"
#include "server/servermetricsmodel.h"
#include "server/serversampler.h"
#include "server/servertablemodels.h"
#include "serverchart.h"
#include "serverchartspage.h"

#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QHeaderView>
#include <QImage>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace bullpen;
using namespace bullpen::test;

class TestServerChartsPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void chartsFollowModels();
    void sampleIntervalChosenAndRemembered();
    void killClientConfirmed();
    void probeOnlyWhileShown();
    void samplerFailureShownUntilSamplingWorks();
};

void TestServerChartsPage::initTestCase()
{
    // The page keeps the interval in the user's settings: here in a directory of our own.
    static QTemporaryDir settingsDir;
    QVERIFY(settingsDir.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());
    QCoreApplication::setOrganizationName(QStringLiteral("BullpenTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_serverchartspage"));
}

// The INFO interval is chosen on the page, reaches the sampler at once, and the next page
// begins with it.
void TestServerChartsPage::sampleIntervalChosenAndRemembered()
{
    QSettings().remove(QStringLiteral("charts/sampleIntervalMs"));
    RedisServer server;
    BP_START(server);
    RedisClient client(server.options());
    BP_OPEN_READY(client);
    {
        ServerChartsPage page;
        page.show();
        auto* combo = page.findChild<QComboBox*>(QStringLiteral("sampleInterval"));
        QVERIFY(combo);
        QCOMPARE(combo->currentData().toInt(), 1000);
        QCOMPARE(page.sampler()->interval(), 1000);
        combo->setCurrentIndex(combo->findData(30000)); // as the user picks it
        QCOMPARE(page.sampler()->interval(), 30000);
        page.setClient(&client);
        QTRY_VERIFY_WITH_TIMEOUT(page.sampler()->requestsSent() >= 1, 10000);
        // A shorter interval applies to the sample already scheduled, not after 30 s.
        combo->setCurrentIndex(combo->findData(1000));
        QTRY_VERIFY_WITH_TIMEOUT(page.sampler()->requestsSent() >= 2, 10000);
        QCOMPARE(QSettings().value(QStringLiteral("charts/sampleIntervalMs")).toInt(), 1000);
        combo->setCurrentIndex(combo->findData(30000));
        QCOMPARE(page.sampler()->interval(), 30000);
        QCOMPARE(page.sampleInterval(), 30000);
        QCOMPARE(QSettings().value(QStringLiteral("charts/sampleIntervalMs")).toInt(), 30000);
        page.setClient(nullptr);
    }
    ServerChartsPage next;
    QCOMPARE(next.sampler()->interval(), 30000);
    QCOMPARE(next.findChild<QComboBox*>(QStringLiteral("sampleInterval"))->currentData().toInt(), 30000);
    QSettings().setValue(QStringLiteral("charts/sampleIntervalMs"), 1500); // by hand
    ServerChartsPage edited;
    QCOMPARE(edited.sampler()->interval(), 1500);
    QCOMPARE(edited.sampleInterval(), 1500);
}

void TestServerChartsPage::chartsFollowModels()
{
    RedisServer server;
    BP_START(server);
    RedisClient client(server.options());
    BP_OPEN_READY(client);
    ServerChartsPage page;
    page.resize(1000, 700);
    page.show();
    page.sampler()->setInterval(100);
    page.probe()->setInterval(20);
    page.probe()->setWindow(100);
    QSignalSpy sampled(&page, &ServerChartsPage::sampled);
    page.setClient(&client);
    QTRY_VERIFY_WITH_TIMEOUT(sampled.size() >= 4, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(page.probe()->model()->rowCount() >= 2, 10000);
    QVERIFY(page.serverInfoText().contains(QStringLiteral("policy noeviction")));

    ServerChart* ops = page.charts().at(1);
    const int rows = page.sampler()->metrics()->rowCount();
    // The first sample has no rate: one point fewer than rows.
    QTRY_COMPARE_WITH_TIMEOUT(ops->pointCount(ServerMetricsModel::OpsColumn), page.sampler()->metrics()->rowCount() - 1, 5000);
    QVERIFY(rows >= 4);
    ServerChart* memory = page.charts().at(0);
    QTRY_COMPARE_WITH_TIMEOUT(memory->pointCount(ServerMetricsModel::UsedMemoryColumn), page.sampler()->metrics()->rowCount(), 5000);
    const QString hover = memory->valuesAt(page.sampler()->metrics()->timeAt(0));
    QVERIFY2(hover.contains(QStringLiteral("Used memory: ")) && hover.contains(QStringLiteral("RSS: ")), qPrintable(hover));

    // Paused: the model grows, the chart stands still; resumed: it catches up.
    page.setPaused(true);
    const int frozen = memory->pointCount(ServerMetricsModel::UsedMemoryColumn);
    const int before = int(sampled.size());
    QTRY_VERIFY_WITH_TIMEOUT(sampled.size() >= before + 3, 10000);
    QCOMPARE(memory->pointCount(ServerMetricsModel::UsedMemoryColumn), frozen);
    page.setPaused(false);
    QVERIFY(memory->pointCount(ServerMetricsModel::UsedMemoryColumn) > frozen);

    // A range shorter than the history shows fewer points than the model holds.
    page.setRangeSeconds(3600);
    QCOMPARE(memory->pointCount(ServerMetricsModel::UsedMemoryColumn), page.sampler()->metrics()->rowCount());

    QTemporaryDir dir;
    QString error;
    QVERIFY2(page.exportCsv(dir.filePath(QStringLiteral("s.csv")), &error), qPrintable(error));
    QFile csv(dir.filePath(QStringLiteral("s.csv")));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
    QVERIFY(lines.first().startsWith("time,Used memory,RSS,"));
    QVERIFY(lines.size() >= rows + 1);
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("s-latency.csv"))));
    QVERIFY(page.exportPng(dir.filePath(QStringLiteral("s.png"))));
    QVERIFY(!QImage(dir.filePath(QStringLiteral("s.png"))).isNull());

    auto* commands = page.findChild<QTableView*>(QStringLiteral("commandStats"));
    QVERIFY(commands);
    QTRY_VERIFY_WITH_TIMEOUT(commands->model()->rowCount() >= 1, 5000);

    // The slowlog table lists the newest entry first: by time (ids count per server, so a
    // cluster's sum cannot sort by them), a server's ids falling down the rows.
    server.cli({ QStringLiteral("CONFIG"), QStringLiteral("SET"), QStringLiteral("slowlog-log-slower-than"), QStringLiteral("0") });
    auto* slowlog = page.findChild<QTableView*>(QStringLiteral("slowlog"));
    QVERIFY(slowlog);
    QCOMPARE(slowlog->horizontalHeader()->sortIndicatorSection(), int(SlowlogModel::TimeColumn));
    QCOMPARE(slowlog->horizontalHeader()->sortIndicatorOrder(), Qt::DescendingOrder);
    QTRY_VERIFY_WITH_TIMEOUT(slowlog->model()->rowCount() >= 3, 10000);
    // Its columns fit what the first rows hold: the whole timestamp shows.
    const QAbstractItemView* view = slowlog;
    QVERIFY2(slowlog->columnWidth(SlowlogModel::TimeColumn) >= view->sizeHintForColumn(SlowlogModel::TimeColumn),
        qPrintable(QStringLiteral("%1 < %2")
                       .arg(slowlog->columnWidth(SlowlogModel::TimeColumn))
                       .arg(view->sizeHintForColumn(SlowlogModel::TimeColumn))));
    for (int r = 1; r < slowlog->model()->rowCount(); ++r) {
        const qint64 above = slowlog->model()->index(r - 1, SlowlogModel::IdColumn).data().toLongLong();
        const qint64 below = slowlog->model()->index(r, SlowlogModel::IdColumn).data().toLongLong();
        QVERIFY2(above > below, qPrintable(QStringLiteral("row %1: id %2 above %3").arg(r).arg(above).arg(below)));
    }

    page.setClient(nullptr);
    QVERIFY(!page.probe()->isActive());
}

void TestServerChartsPage::killClientConfirmed()
{
    RedisServer server;
    BP_START(server);
    RedisClient client(server.options());
    BP_OPEN_READY(client);
    ConnectionOptions v = server.options();
    v.role = QStringLiteral("victim");
    v.reconnect = false;
    RedisClient victim(v);
    BP_OPEN_READY(victim);
    ServerChartsPage page;
    page.sampler()->setInterval(50);
    page.sampler()->setTablesEvery(1);
    page.setClient(&client);
    QVERIFY(page.canKill());
    QVERIFY(page.findChild<QPushButton*>(QStringLiteral("killClient"))->isEnabled());
    ClientListModel* clients = page.sampler()->clients();
    QTRY_VERIFY_WITH_TIMEOUT(clients->rowOfName("bullpen:victim") >= 0, 10000);
    const qint64 id = clients->index(clients->rowOfName("bullpen:victim"), 0).data(ClientListModel::IdRole).toLongLong();
    QVERIFY(id > 0);

    // Cancel: nothing happens.
    QMessageBox* box = page.confirmKill(id, QStringLiteral("victim"));
    QVERIFY(box);
    box->button(QMessageBox::Cancel)->click();
    QVERIFY(server.cli({ QStringLiteral("CLIENT"), QStringLiteral("LIST") }).contains("name=bullpen:victim"));
    // Yes: CLIENT KILL ID.
    box = page.confirmKill(id, QStringLiteral("victim"));
    box->button(QMessageBox::Yes)->click();
    QTRY_VERIFY_WITH_TIMEOUT(!server.cli({ QStringLiteral("CLIENT"), QStringLiteral("LIST") }).contains("name=bullpen:victim"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(page.statusText().contains(QStringLiteral("killed")), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(victim.state() != ConnectionState::Ready, 10000);
    page.setClient(nullptr);

    // Read-only: no kill.
    ConnectionOptions ro = server.options();
    ro.readOnly = true;
    RedisClient readOnly(ro);
    BP_OPEN_READY(readOnly);
    page.setClient(&readOnly);
    QVERIFY(!page.canKill());
    QVERIFY(!page.findChild<QPushButton*>(QStringLiteral("killClient"))->isEnabled());
    QVERIFY(!page.confirmKill(id, QStringLiteral("x")));
    page.setClient(nullptr);
}

// A hidden Charts tab sends no PINGs (issue #6: an idle window's CPU); its INFO history goes on.
void TestServerChartsPage::probeOnlyWhileShown()
{
    RedisServer server;
    BP_START(server);
    RedisClient client(server.options());
    BP_OPEN_READY(client);
    ServerChartsPage page;
    page.resize(1000, 700);
    page.sampler()->setInterval(100);
    QSignalSpy sampled(&page, &ServerChartsPage::sampled);
    page.setClient(&client);
    QVERIFY(!page.probe()->isActive());
    QTRY_VERIFY_WITH_TIMEOUT(sampled.size() >= 2, 10000); // hidden: the sampler still runs
    page.probe()->setInterval(20);
    page.probe()->setWindow(100);
    page.show();
    QVERIFY(page.probe()->isActive());
    QTRY_VERIFY_WITH_TIMEOUT(page.probe()->model()->rowCount() >= 1, 10000);
    page.hide();
    QVERIFY(!page.probe()->isActive());
    page.show();
    QVERIFY(page.probe()->isActive());
    page.setClient(nullptr);
    QVERIFY(!page.probe()->isActive());
}

// A failed sample is reported on the page, and the report goes once sampling works again.
void TestServerChartsPage::samplerFailureShownUntilSamplingWorks()
{
    RedisServer server;
    BP_START(server);
    server.cli({ QStringLiteral("ACL"), QStringLiteral("SETUSER"), QStringLiteral("charts"), QStringLiteral("on"),
        QStringLiteral(">pw"), QStringLiteral("~*"), QStringLiteral("+@all"), QStringLiteral("-info") });
    ConnectionOptions options = server.options();
    options.user = QStringLiteral("charts");
    options.password = QStringLiteral("pw");
    RedisClient client(options);
    BP_OPEN_READY(client);
    ServerChartsPage page;
    page.show();
    page.sampler()->setInterval(100);
    QSignalSpy sampled(&page, &ServerChartsPage::sampled);
    page.setClient(&client);
    QTRY_VERIFY_WITH_TIMEOUT(page.statusText().startsWith(QStringLiteral("INFO failed: ")), 10000);
    QVERIFY2(page.statusText().contains(QStringLiteral("NOPERM")), qPrintable(page.statusText()));
    QVERIFY(sampled.isEmpty());
    server.cli({ QStringLiteral("ACL"), QStringLiteral("SETUSER"), QStringLiteral("charts"), QStringLiteral("+info") });
    QTRY_VERIFY_WITH_TIMEOUT(!sampled.isEmpty(), 10000);
    QCOMPARE(page.statusText(), QString());
    page.setClient(nullptr);
}

QTEST_MAIN(TestServerChartsPage)
#include "tst_serverchartspage.moc"
