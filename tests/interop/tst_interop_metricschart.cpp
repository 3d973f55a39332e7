// SPDX-License-Identifier: MIT
// The "Queue metrics" tab of the charts page, offscreen, on metrics the real BullMQ 6 recorded
// (metrics.js): only queues with metrics are listed, and each series has exactly one point per
// minute the library stored.

#include "bullmq/queuemetrics.h"
#include "clienttest.h"
#include "queuemetricschart.h"
#include "redisserver.h"
#include "serverchart.h"
#include "serverchartspage.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QCoreApplication>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTest>

#include <cmath>

using namespace bullpen;
using namespace bullpen::test;
using bullmq::QueueMetricsModel;

class TestInteropMetricsChart : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void seriesHaveOnePointPerStoredMinute();

private:
    RedisServer m_server;
    QJsonObject m_lib;
};

void TestInteropMetricsChart::initTestCase()
{
    const QString dir = QStringLiteral(BULLPEN_INTEROP_DIR);
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    QVERIFY2(!node.isEmpty(), "node is not in PATH (apt-get install nodejs npm)");
    QVERIFY2(QFileInfo::exists(dir + QStringLiteral("/node_modules/bullmq6/package.json")),
        "tests/interop/node_modules is missing: run scripts/setup-deps --npm tests/interop");
    BP_START(m_server);
    QProcess metrics;
    metrics.setWorkingDirectory(dir);
    metrics.start(
        node, { QStringLiteral("metrics.js"), QStringLiteral("bullmq6"), m_server.url() + QStringLiteral("/0") });
    QVERIFY(metrics.waitForFinished(60000));
    QVERIFY2(metrics.exitCode() == 0, metrics.readAllStandardError().constData());
    m_lib = QJsonDocument::fromJson(metrics.readAllStandardOutput()).object();
    QVERIFY(!m_lib.isEmpty());
}

void TestInteropMetricsChart::seriesHaveOnePointPerStoredMinute()
{
    RedisClient client(m_server.options());
    BP_OPEN_READY(client);
    ServerChartsPage page;
    page.resize(1000, 700);
    QueueMetricsChart* qm = page.queueMetrics();
    QVERIFY(qm);
    QAbstractItemModelTester tester(qm->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy listed(qm, &QueueMetricsChart::queuesListed);
    QSignalSpy loaded(qm, &QueueMetricsChart::loaded);
    page.show();
    page.setClient(&client);
    // Discovery scans the keyspace: not while the tab is hidden, at once when it is shown.
    QCoreApplication::processEvents();
    QCOMPARE(listed.size(), 0);
    QCOMPARE(qm->queueBox()->count(), 0);
    QTabWidget* tabs = nullptr;
    for (QWidget* w = qm->parentWidget(); w && !tabs; w = w->parentWidget())
        tabs = qobject_cast<QTabWidget*>(w);
    QVERIFY(tabs);
    tabs->setCurrentWidget(qm);
    QVERIFY(listed.wait(10000));
    // "plain" has jobs but no metrics: not offered.
    QCOMPARE(qm->queueBox()->count(), 1);
    QCOMPARE(qm->queueBox()->itemText(0), QStringLiteral("bull:metered"));
    QTRY_VERIFY_WITH_TIMEOUT(loaded.size() >= 1, 10000);

    const QJsonObject lib = m_lib.value(QStringLiteral("metrics")).toObject();
    const auto points
        = [&lib](const char* type) { return int(lib[QLatin1String(type)][QStringLiteral("data")].toArray().size()); };
    QCOMPARE(points("completed"), 30); // maxDataPoints: the list was trimmed
    QCOMPARE(qm->model()->completed().data.size(), points("completed"));
    QCOMPARE(qm->model()->failed().data.size(), points("failed"));
    QCOMPARE(qm->chart()->pointCount(QueueMetricsModel::CompletedColumn), points("completed"));
    QCOMPARE(qm->chart()->pointCount(QueueMetricsModel::FailedColumn), points("failed"));

    // Each stored minute is a row at its minute with the library's number; the totals agree.
    const bullmq::QueueMetrics& c = qm->model()->completed();
    const QJsonArray data = lib[QStringLiteral("completed")][QStringLiteral("data")].toArray();
    double sum = 0;
    for (qsizetype i = 0; i < data.size(); ++i) {
        const int row = qm->model()->firstRowAtOrAfter(c.minuteOf(i));
        QVERIFY(row < qm->model()->rowCount());
        QCOMPARE(qm->model()->timeAt(row), c.minuteOf(i));
        QCOMPARE(qm->model()->valueAt(row, QueueMetricsModel::CompletedColumn), data.at(i).toDouble());
        sum += data.at(i).toDouble();
    }
    QVERIFY(sum > 0);
    QVERIFY2(qm->statusText().contains(QStringLiteral("13 completed and 6 failed")), qPrintable(qm->statusText()));

    // Fewer minutes asked for: fewer points, still exactly what was read.
    loaded.clear();
    qm->setPoints(10);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(qm->chart()->pointCount(QueueMetricsModel::CompletedColumn), 10);
    QCOMPARE(qm->chart()->pointCount(QueueMetricsModel::FailedColumn), 10);
    int nan = 0;
    for (int r = 0; r < qm->model()->rowCount(); ++r)
        nan += std::isnan(qm->model()->valueAt(r, QueueMetricsModel::FailedColumn)) ? 1 : 0;
    QCOMPARE(qm->model()->rowCount() - nan, 10);

    if (const QByteArray shot = qgetenv("BULLPEN_METRICS_SHOT"); !shot.isEmpty()) {
        qm->setPoints(60);
        QVERIFY(loaded.wait(10000));
        QVERIFY(page.grab().save(QString::fromLocal8Bit(shot)));
    }
}

QTEST_MAIN(TestInteropMetricsChart)
#include "tst_interop_metricschart.moc"
