// SPDX-License-Identifier: MIT
// The job inspector on queues that BullMQ 6 itself built (tests/interop/fixture.js, with its live
// worker holding one child of a flow active): failure details, the flow's parent and children as
// links, retry/promote/remove through the confirmation box, read-only clients, odd data, and a
// job that no longer exists.

#include "bullmq/jobdetail.h"
#include "jobinspector.h"
#include "interopfixture.h"
#include "jsontreeview.h"
#include "redisclient.h"
#include "redisserver.h"

#include <QApplication>
#include <QClipboard>
#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>
#include <QTreeWidget>

using namespace bullpen;
using namespace bullpen::bullmq;

namespace {
constexpr int kTimeout = 15000;
}

class TestJobInspector : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void failedJobShowsReasonAndStacktrace();
    void parentAndChildrenOpenJobs();
    void readOnlyClientDisablesActions();
    void oddDataShowsWithoutCrash();
    void missingJobSaysSo();
    void refreshMergesAndCountsLogs();
    void retryFailedJobAfterConfirmation();
    void cancelledConfirmationChangesNothing();
    void promoteAndRemove();

private:
    QueueSnapshot snapshotOf(const QByteArray& prefix, const QByteArray& name);
    /// Shows `id` and waits until the read is on screen.
    bool show(JobInspector& inspector, const QueueSnapshot& queue, const QByteArray& id);
    static QString text(const JobInspector& inspector, const char* label);
    static QPushButton* button(const JobInspector& inspector, const char* name);
    static QMessageBox* openBox(const JobInspector& inspector, const char* name);

    test::RedisServer m_server;
    test::InteropFixture m_fixture;
    QJsonObject m_special; ///< ids the fixture reports: odd, bin, gone
    std::unique_ptr<RedisClient> m_client;
};

void TestJobInspector::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.error()));
    QString error;
    QVERIFY2(
        m_fixture.start(QStringLiteral("bullmq6"), m_server.url() + QStringLiteral("/0"), &error), qPrintable(error));
    m_special = m_fixture.ready().value(QStringLiteral("special")).toObject();
    QVERIFY(!m_special.value(QStringLiteral("bin")).toString().isEmpty());
    m_client = std::make_unique<RedisClient>(m_server.options());
    m_client->open();
}

void TestJobInspector::cleanupTestCase()
{
    m_client.reset();
    m_fixture.kill();
    m_server.kill();
}

QueueSnapshot TestJobInspector::snapshotOf(const QByteArray& prefix, const QByteArray& name)
{
    QFuture<QList<QueueSnapshot>> f = fetchSnapshots(m_client.get(), { QueueRef { prefix, name } });
    QDeadlineTimer deadline(kTimeout);
    while (!f.isFinished() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 100);
    return f.isFinished() ? f.result().value(0) : QueueSnapshot {};
}

bool TestJobInspector::show(JobInspector& inspector, const QueueSnapshot& queue, const QByteArray& id)
{
    QSignalSpy loaded(&inspector, &JobInspector::loaded);
    QSignalSpy failed(&inspector, &JobInspector::failed);
    inspector.showJob(queue, id);
    return QTest::qWaitFor([&] { return !loaded.isEmpty() || !failed.isEmpty(); }, kTimeout) && failed.isEmpty()
        && inspector.detail().id == id;
}

QString TestJobInspector::text(const JobInspector& inspector, const char* label)
{
    if (auto* l = inspector.findChild<QLabel*>(QLatin1String(label)))
        return l->text();
    if (auto* t = inspector.findChild<QPlainTextEdit*>(QLatin1String(label)))
        return t->toPlainText();
    return QStringLiteral("<no widget %1>").arg(QLatin1String(label));
}

QPushButton* TestJobInspector::button(const JobInspector& inspector, const char* name)
{
    return inspector.findChild<QPushButton*>(QLatin1String(name));
}

QMessageBox* TestJobInspector::openBox(const JobInspector& inspector, const char* name)
{
    // Boxes delete themselves on close (later): take the visible one.
    const auto boxes = inspector.findChildren<QMessageBox*>(QLatin1String(name));
    for (QMessageBox* box : boxes) {
        if (box->isVisible())
            return box;
    }
    return nullptr;
}

void TestJobInspector::failedJobShowsReasonAndStacktrace()
{
    JobInspector inspector;
    inspector.resize(960, 640);
    inspector.show();
    inspector.setClient(m_client.get());
    const QueueSnapshot alpha = snapshotOf("bull", "alpha");
    QCOMPARE(toString(alpha.generation), QStringLiteral("6"));
    QVERIFY(show(inspector, alpha, "3"));

    QCOMPARE(inspector.jobId(), QByteArray("3"));
    QCOMPARE(text(inspector, "stateBadge"), QStringLiteral("failed"));
    QVERIFY2(text(inspector, "jobHeader").contains(QStringLiteral("fail-1")), qPrintable(text(inspector, "jobHeader")));
    QVERIFY2(
        text(inspector, "jobHeader").contains(QStringLiteral("bull:alpha")), qPrintable(text(inspector, "jobHeader")));
    const QString failure = text(inspector, "failureText");
    QVERIFY2(failure.contains(QStringLiteral("Failed reason:\nboom")), qPrintable(failure));
    QVERIFY2(failure.contains(QStringLiteral("Error: boom")), qPrintable(failure)); // the stack trace
    QVERIFY2(failure.contains(QStringLiteral("    at ")), qPrintable(failure));
    // A failed job opens on its failure.
    auto* tabs = inspector.findChild<QTabWidget*>(QStringLiteral("jobTabs"));
    QCOMPARE(tabs->currentWidget()->objectName(), QStringLiteral("failureText"));

    // Data tree of {"n":3}, timings, attempts.
    auto* data = inspector.findChild<JsonTreeView*>(QStringLiteral("dataTree"));
    QCOMPARE(data->topLevelItemCount(), 1);
    QCOMPARE(data->topLevelItem(0)->text(0), QStringLiteral("n"));
    QCOMPARE(data->topLevelItem(0)->text(1), QStringLiteral("3"));
    QCOMPARE(text(inspector, "dataRaw"), QStringLiteral("{\"n\":3}"));
    const QString timings = text(inspector, "timings");
    QVERIFY2(
        timings.contains(QStringLiteral("Ran:")) && timings.contains(QStringLiteral("Waited:")), qPrintable(timings));
    QVERIFY2(timings.contains(QStringLiteral("Attempts made:    1")), qPrintable(timings));
    QCOMPARE(text(inspector, "jobAttempts"), QStringLiteral("attempts 1"));

    // Actions a failed job allows.
    QVERIFY(button(inspector, "retryJob")->isEnabled());
    QVERIFY(button(inspector, "removeJob")->isEnabled());
    QVERIFY(!button(inspector, "promoteJob")->isEnabled());
    QVERIFY2(button(inspector, "promoteJob")->toolTip().contains(QStringLiteral("Only delayed jobs")),
        qPrintable(button(inspector, "promoteJob")->toolTip()));

    // The whole job as JSON, also through the Copy JSON button.
    const QJsonObject job = QJsonDocument::fromJson(inspector.jobJson().toUtf8()).object();
    QCOMPARE(job.value(QStringLiteral("failedReason")).toString(), QStringLiteral("boom"));
    QCOMPARE(job.value(QStringLiteral("state")).toString(), QStringLiteral("failed"));
    button(inspector, "copyJobJson")->click();
    QCOMPARE(QApplication::clipboard()->text(), inspector.jobJson());

    // A screenshot for the docs, when asked for (scripts or by hand): the job with its failure.
    const QString shot = qEnvironmentVariable("BULLPEN_JOB_INSPECTOR_SCREENSHOT");
    if (!shot.isEmpty())
        QVERIFY(inspector.grab().save(shot));
}

void TestJobInspector::parentAndChildrenOpenJobs()
{
    const QList<QByteArray> parents
        = m_server
              .cli({ QStringLiteral("ZRANGE"), QStringLiteral("bull:alpha:waiting-children"), QStringLiteral("0"),
                  QStringLiteral("-1") })
              .split('\n');
    QCOMPARE(parents.size(), 1);
    const QByteArray parentId = parents.first().trimmed();
    const QByteArray activeChild
        = m_server.cli({ QStringLiteral("LINDEX"), QStringLiteral("bull:kids:active"), QStringLiteral("0") });
    QVERIFY(!activeChild.isEmpty());

    JobInspector inspector;
    inspector.resize(960, 640);
    inspector.show();
    inspector.setClient(m_client.get());
    QVERIFY(show(inspector, snapshotOf("bull", "alpha"), parentId));
    QCOMPARE(text(inspector, "stateBadge"), QStringLiteral("waiting-children"));
    auto* tabs = inspector.findChild<QTabWidget*>(QStringLiteral("jobTabs"));
    auto* flow = inspector.findChild<QTreeWidget*>(QStringLiteral("flowTree"));
    tabs->setCurrentWidget(flow);
    QCOMPARE(flow->topLevelItemCount(), 5);
    QCOMPARE(flow->topLevelItem(0)->child(0)->text(0), QStringLiteral("(no parent)"));
    QCOMPARE(flow->topLevelItem(1)->text(0), QStringLiteral("Pending children (1)"));
    QCOMPARE(flow->topLevelItem(1)->child(0)->text(0), QStringLiteral("bull:kids:") + QString::fromUtf8(activeChild));
    QCOMPARE(flow->topLevelItem(2)->text(0), QStringLiteral("Processed children (1)"));
    QTreeWidgetItem* done = flow->topLevelItem(2)->child(0);
    QVERIFY2(done->text(1).contains(QStringLiteral("{1 key}")), qPrintable(done->text(1))); // {"child":"done"}
    const QByteArray doneId = done->text(0).toUtf8().mid(int(qstrlen("bull:kids:")));

    // Clicking a child asks to open it, in its own queue.
    QSignalSpy open(&inspector, &JobInspector::openJobRequested);
    flow->scrollToItem(done);
    QTest::mouseClick(flow->viewport(), Qt::LeftButton, {}, flow->visualItemRect(done).center());
    QCOMPARE(open.size(), 1);
    QCOMPARE(open.at(0).at(0).value<QueueRef>(), (QueueRef { "bull", "kids" }));
    QCOMPARE(open.at(0).at(1).toByteArray(), doneId);
    // Group rows are not links.
    QTest::mouseClick(flow->viewport(), Qt::LeftButton, {}, flow->visualItemRect(flow->topLevelItem(2)).center());
    QCOMPARE(open.size(), 1);

    // The held child: its parent is a link back, and a locked active job cannot be removed.
    QVERIFY(show(inspector, snapshotOf("bull", "kids"), activeChild));
    QCOMPARE(text(inspector, "stateBadge"), QStringLiteral("active"));
    QTreeWidgetItem* parent = flow->topLevelItem(0)->child(0);
    QCOMPARE(parent->text(0), QStringLiteral("bull:alpha:") + QString::fromUtf8(parentId));
    tabs->setCurrentWidget(flow);
    flow->scrollToItem(parent);
    QTest::mouseClick(flow->viewport(), Qt::LeftButton, {}, flow->visualItemRect(parent).center());
    QCOMPARE(open.size(), 2);
    QCOMPARE(open.at(1).at(0).value<QueueRef>(), (QueueRef { "bull", "alpha" }));
    QCOMPARE(open.at(1).at(1).toByteArray(), parentId);
    QVERIFY(!button(inspector, "removeJob")->isEnabled());
    QVERIFY2(button(inspector, "removeJob")->toolTip().startsWith(QStringLiteral("Locked by an active worker")),
        qPrintable(button(inspector, "removeJob")->toolTip()));
    QVERIFY(!button(inspector, "retryJob")->isEnabled());
    // The fixture's worker logged and reported progress before it started holding.
    QCOMPARE(text(inspector, "logNote"), QStringLiteral("1 log line"));
    auto* progress = inspector.findChild<JsonTreeView*>(QStringLiteral("progressTree"));
    QCOMPARE(progress->topLevelItem(0)->text(1), QStringLiteral("10"));
    QVERIFY2(text(inspector, "timings").contains(QStringLiteral("Locked by a worker")),
        qPrintable(text(inspector, "timings")));
}

void TestJobInspector::readOnlyClientDisablesActions()
{
    ConnectionOptions options = m_server.options();
    options.readOnly = true;
    RedisClient readOnly(options);
    readOnly.open();
    JobInspector inspector;
    inspector.show();
    inspector.setClient(&readOnly);
    QVERIFY(show(inspector, snapshotOf("bull", "alpha"), "3"));
    QCOMPARE(text(inspector, "stateBadge"), QStringLiteral("failed"));
    for (const char* name : { "retryJob", "removeJob", "promoteJob" }) {
        QPushButton* b = button(inspector, name);
        QVERIFY2(!b->isEnabled(), name);
        QVERIFY2(b->toolTip().startsWith(QStringLiteral("Read-only connection:")), qPrintable(b->toolTip()));
    }
    // The slot refuses too, without a box.
    inspector.retryJob();
    QVERIFY(!inspector.findChild<QMessageBox*>());
    QVERIFY2(text(inspector, "jobStatus").contains(QStringLiteral("Read-only connection")),
        qPrintable(text(inspector, "jobStatus")));
    inspector.setClient(nullptr);
    QVERIFY(inspector.jobId().isEmpty());
    QVERIFY(!button(inspector, "retryJob")->isEnabled());
}

void TestJobInspector::oddDataShowsWithoutCrash()
{
    JobInspector inspector;
    inspector.show();
    inspector.setClient(m_client.get());
    const QueueSnapshot odd = snapshotOf("bull", "odd");
    auto* data = inspector.findChild<JsonTreeView*>(QStringLiteral("dataTree"));
    auto* views = inspector.findChild<QTabWidget*>(QStringLiteral("dataViews"));

    QVERIFY(show(inspector, odd, m_special.value(QStringLiteral("odd")).toString().toUtf8()));
    QCOMPARE(text(inspector, "dataRaw"), QStringLiteral("not json {"));
    QCOMPARE(data->topLevelItem(0)->text(1), QStringLiteral("(not JSON: see Raw)"));
    QCOMPARE(views->currentIndex(), 1); // Raw
    QVERIFY2(text(inspector, "dataNote").contains(QStringLiteral("not JSON")), qPrintable(text(inspector, "dataNote")));
    // The unknown field is kept and shown in Everything.
    auto* all = inspector.findChild<JsonTreeView*>(QStringLiteral("allFieldsTree"));
    const auto unknown = all->findItems(QStringLiteral("x-extra"), Qt::MatchRecursive | Qt::MatchExactly, 0);
    QCOMPARE(unknown.size(), 1);
    QCOMPARE(unknown.first()->text(1), QStringLiteral("kept and shown"));

    QVERIFY(show(inspector, odd, m_special.value(QStringLiteral("bin")).toString().toUtf8()));
    QCOMPARE(text(inspector, "dataRaw"), QStringLiteral("\\xff\\xfe\\x00A"));
    QVERIFY2(
        text(inspector, "dataNote").contains(QStringLiteral("not UTF-8")), qPrintable(text(inspector, "dataNote")));
    inspector.findChild<QPushButton*>(QStringLiteral("copyData"))->click();
    QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("\\xff\\xfe\\x00A"));

    // 5 MiB of data: the raw view stops at 1 MiB and says so, the tree cuts the string.
    QVERIFY(show(inspector, snapshotOf("bull", "alpha"), "6"));
    QVERIFY2(text(inspector, "dataNote").contains(QStringLiteral("Raw shows the first 1.0 MiB")),
        qPrintable(text(inspector, "dataNote")));
    QCOMPARE(text(inspector, "dataRaw").size(), JobInspector::MaxRawBytes);
    QCOMPARE(data->topLevelItem(0)->text(0), QStringLiteral("blob"));
    QVERIFY(data->topLevelItem(0)->text(1).size() < 2 * JsonTreeView::MaxTextChars);
    QVERIFY(data->topLevelItem(0)->text(1).contains(QStringLiteral("more character")));
}

void TestJobInspector::refreshMergesAndCountsLogs()
{
    JobInspector inspector;
    inspector.show();
    inspector.setClient(m_client.get());
    QVERIFY(show(inspector, snapshotOf("bull", "alpha"), "2")); // ok-2: completed, two log lines
    QCOMPARE(text(inspector, "stateBadge"), QStringLiteral("completed"));
    auto* returnValue = inspector.findChild<JsonTreeView*>(QStringLiteral("returnValueTree"));
    QCOMPARE(returnValue->topLevelItem(0)->text(1), QStringLiteral("plain string"));
    auto* progress = inspector.findChild<JsonTreeView*>(QStringLiteral("progressTree"));
    QCOMPARE(progress->topLevelItem(0)->text(0), QStringLiteral("pct"));
    auto* logs = inspector.findChild<QListWidget*>(QStringLiteral("logList"));
    QCOMPARE(logs->count(), 2);
    QCOMPARE(text(inspector, "logNote"), QStringLiteral("2 log lines"));
    auto* views = inspector.findChild<QTabWidget*>(QStringLiteral("dataViews"));
    QCOMPARE(views->currentIndex(), 0); // JSON data opens on the tree
    views->setCurrentIndex(1); // the user picks Raw: a refresh keeps it
    auto* data = inspector.findChild<JsonTreeView*>(QStringLiteral("dataTree"));
    const QTreeWidgetItem* dataRow = data->topLevelItem(0);

    // More log lines than the inspector reads (1000): "n of m shown".
    QStringList push { QStringLiteral("RPUSH"), QStringLiteral("bull:alpha:2:logs") };
    for (int i = 0; i < 1000; ++i)
        push << QStringLiteral("line %1").arg(i);
    m_server.cli(push);
    QSignalSpy loaded(&inspector, &JobInspector::loaded);
    inspector.refresh();
    QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, kTimeout);
    QCOMPARE(text(inspector, "logNote"), QStringLiteral("1000 of 1002 log lines shown"));
    QCOMPARE(logs->count(), 1000);
    QCOMPARE(logs->item(0)->text(), QStringLiteral("step one"));
    // Unchanged parts are left alone: the same tree rows, the same data view.
    QCOMPARE(data->topLevelItem(0), dataRow);
    QCOMPARE(views->currentIndex(), 1);
}

void TestJobInspector::missingJobSaysSo()
{
    JobInspector inspector;
    inspector.show();
    inspector.setClient(m_client.get());
    QVERIFY(show(inspector, snapshotOf("bull", "alpha"), m_special.value(QStringLiteral("gone")).toString().toUtf8()));
    QVERIFY2(text(inspector, "jobMessage").contains(QStringLiteral("no longer exists")),
        qPrintable(text(inspector, "jobMessage")));
    QVERIFY(text(inspector, "jobStatus").isEmpty()); // not an error
    QVERIFY(inspector.jobJson().isEmpty());
    QVERIFY(!button(inspector, "removeJob")->isEnabled());
    QCOMPARE(button(inspector, "removeJob")->toolTip(), QStringLiteral("The job no longer exists."));
    QVERIFY(!inspector.findChild<QLabel*>(QStringLiteral("stateBadge"))->isVisible());
}

void TestJobInspector::retryFailedJobAfterConfirmation()
{
    JobInspector inspector;
    inspector.show();
    inspector.setClient(m_client.get());
    QVERIFY(show(inspector, snapshotOf("bull", "alpha"), "4"));
    QCOMPARE(text(inspector, "stateBadge"), QStringLiteral("failed"));
    QCOMPARE(text(inspector, "jobAttempts"), QStringLiteral("attempts 2/2"));
    QSignalSpy changed(&inspector, &JobInspector::jobChanged);
    QSignalSpy loaded(&inspector, &JobInspector::loaded);
    inspector.retryJob();
    QMessageBox* box = openBox(inspector, "confirmRetry");
    QVERIFY(box);
    QCOMPARE(box->textFormat(), Qt::PlainText);
    QVERIFY2(box->text().contains(QStringLiteral("fail-2")), qPrintable(box->text()));
    QCOMPARE(changed.size(), 0); // nothing happens before the answer
    box->button(QMessageBox::Yes)->click();
    QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 1, kTimeout);
    QVERIFY2(text(inspector, "jobStatus").contains(QStringLiteral("Job 4 retried.")),
        qPrintable(text(inspector, "jobStatus")));
    // The inspector re-reads the job: BullMQ's retry moves it to wait (no worker runs alpha).
    QTRY_COMPARE_WITH_TIMEOUT(text(inspector, "stateBadge"), QStringLiteral("waiting"), kTimeout);
    QCOMPARE(m_server.cli({ QStringLiteral("ZSCORE"), QStringLiteral("bull:alpha:failed"), QStringLiteral("4") }),
        QByteArray());
    QVERIFY(m_server
                .cli({ QStringLiteral("LRANGE"), QStringLiteral("bull:alpha:wait"), QStringLiteral("0"),
                    QStringLiteral("-1") })
                .split('\n')
                .contains("4"));
    QVERIFY(!button(inspector, "retryJob")->isEnabled());
    // BullMQ's retry deletes failedReason but keeps the stack traces: shown as stored.
    QVERIFY2(!text(inspector, "failureText").contains(QStringLiteral("Failed reason:")),
        qPrintable(text(inspector, "failureText")));
    QVERIFY2(text(inspector, "failureText").contains(QStringLiteral("Error: second attempt failed")),
        qPrintable(text(inspector, "failureText")));

    // Not allowed now: a status message, no box.
    inspector.retryJob();
    QVERIFY(!openBox(inspector, "confirmRetry"));
    QVERIFY2(text(inspector, "jobStatus").startsWith(QStringLiteral("Retry is not possible")),
        qPrintable(text(inspector, "jobStatus")));
}

void TestJobInspector::cancelledConfirmationChangesNothing()
{
    JobInspector inspector;
    inspector.show();
    inspector.setClient(m_client.get());
    QVERIFY(show(inspector, snapshotOf("bull", "alpha"), "3"));
    QSignalSpy changed(&inspector, &JobInspector::jobChanged);
    button(inspector, "removeJob")->click();
    QMessageBox* box = openBox(inspector, "confirmRemove");
    QVERIFY(box);
    QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
    box->button(QMessageBox::Cancel)->click();
    QTRY_VERIFY(!openBox(inspector, "confirmRemove"));
    // A refresh round trip after the answer: still there, nothing signalled.
    QSignalSpy loaded(&inspector, &JobInspector::loaded);
    inspector.refresh();
    QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, kTimeout);
    QCOMPARE(changed.size(), 0);
    QCOMPARE(text(inspector, "stateBadge"), QStringLiteral("failed"));
    QCOMPARE(m_server.cli({ QStringLiteral("EXISTS"), QStringLiteral("bull:alpha:3") }), QByteArray("1"));

    // A box left open while another job is shown does nothing when accepted.
    button(inspector, "removeJob")->click();
    QPointer<QMessageBox> stale = openBox(inspector, "confirmRemove");
    QVERIFY(stale);
    QAbstractButton* yes = stale->button(QMessageBox::Yes);
    QVERIFY(show(inspector, snapshotOf("bull", "alpha"), "1"));
    QVERIFY(!stale || !stale->isVisible()); // closed with the switch
    if (stale)
        yes->click();
    QCOMPARE(changed.size(), 0);
    QCOMPARE(m_server.cli({ QStringLiteral("EXISTS"), QStringLiteral("bull:alpha:3") }), QByteArray("1"));
}

void TestJobInspector::promoteAndRemove()
{
    JobInspector inspector;
    inspector.show();
    inspector.setClient(m_client.get());
    const QueueSnapshot alpha = snapshotOf("bull", "alpha");
    QVERIFY(show(inspector, alpha, "9")); // d-1, delayed by an hour
    QCOMPARE(text(inspector, "stateBadge"), QStringLiteral("delayed"));
    QVERIFY2(text(inspector, "timings").contains(QStringLiteral("Runs at:")), qPrintable(text(inspector, "timings")));
    QVERIFY(!button(inspector, "retryJob")->isEnabled());
    QVERIFY(button(inspector, "promoteJob")->isEnabled());
    QSignalSpy changed(&inspector, &JobInspector::jobChanged);
    button(inspector, "promoteJob")->click();
    QMessageBox* box = openBox(inspector, "confirmPromote");
    QVERIFY(box);
    box->button(QMessageBox::Yes)->click();
    QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 1, kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(text(inspector, "stateBadge"), QStringLiteral("waiting"), kTimeout);
    QVERIFY(!button(inspector, "promoteJob")->isEnabled());

    // Remove it: the inspector then says the job is gone.
    inspector.removeJob();
    box = openBox(inspector, "confirmRemove");
    QVERIFY(box);
    box->button(QMessageBox::Yes)->click();
    QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 2, kTimeout);
    QVERIFY2(text(inspector, "jobStatus").contains(QStringLiteral("Job 9 removed.")),
        qPrintable(text(inspector, "jobStatus")));
    QTRY_VERIFY2_WITH_TIMEOUT(text(inspector, "jobMessage").contains(QStringLiteral("no longer exists")),
        qPrintable(text(inspector, "jobMessage")), kTimeout);
    QCOMPARE(m_server.cli({ QStringLiteral("EXISTS"), QStringLiteral("bull:alpha:9") }), QByteArray("0"));
}

QTEST_MAIN(TestJobInspector)
#include "tst_jobinspector.moc"
