// SPDX-License-Identifier: MIT
// The queues page on queues that BullMQ 6 itself built (tests/interop/fixture.js, whose live worker
// keeps holding one active job): the list and the state tabs show what BullMQ's getJobCounts()
// reports (tests/interop/dump.js), a failed job is retried through the confirmation box, find by
// id, keyboard shortcuts, read-only connections, a stopped server (SIGSTOP) that must not freeze
// the event loop, and a lost server whose last data stays on screen, marked stale.

#include "bullmq/joblistmodel.h"
#include "bullmq/queuelistmodel.h"
#include "addjobdialog.h"
#include "jobinspector.h"
#include "queuespage.h"
#include "interopfixture.h"
#include "redisclient.h"
#include "redisserver.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTabBar>
#include <QTableView>
#include <QTest>
#include <QTimer>

using namespace bullpen;
using namespace bullpen::bullmq;

namespace {
constexpr int kTimeout = 15000;

QString title(const QString& state)
{
    QString t = state;
    t.replace(QLatin1Char('-'), QLatin1Char(' '));
    t[0] = t.at(0).toUpper();
    return t;
}
} // namespace

class TestQueuesPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void listsQueuesWithTheLibrarysCounts();
    void filterAndTotals();
    void findJobById();
    void retryFailedJobThroughTheUi();
    void promoteAllDelayedInBatches();
    void jobListPagesAsTheViewScrolls();
    void cleanThroughItsDialog();
    void addJobOpensTheNewJob();
    void readOnlyDisablesWriteControls();
    void staysResponsiveWhileServerIsStopped();
    void hiddenPageRefreshesWhenShown();
    void timerFindsNewQueuesByRediscovery();
    void keepsLastDataMarkedStaleWhenServerIsGone(); // last: kills the server

private:
    /// A shown, active page on `client`, after its first refresh.
    bool open(QueuesPage& page, RedisClient* client);
    bool openQueue(QueuesPage& page, const QueueRef& ref, const QString& state);
    static int jobRow(const QueuesPage& page, const QByteArray& id);
    static int queueRow(const QueuesPage& page, const QueueRef& ref);
    static QMessageBox* openBox(const QueuesPage& page);
    static QPushButton* button(const QueuesPage& page, const char* name);
    QJsonObject dumpOf(const QString& prefix, const QString& name) const;

    test::RedisServer m_server;
    test::InteropFixture m_fixture;
    QJsonArray m_queues; ///< fixture.js: [{prefix, name}]
    QJsonArray m_dump; ///< dump.js: what BullMQ's getters report per queue
    std::unique_ptr<RedisClient> m_client;
};

void TestQueuesPage::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.error()));
    QString error;
    QVERIFY2(
        m_fixture.start(QStringLiteral("bullmq6"), m_server.url() + QStringLiteral("/0"), &error), qPrintable(error));
    m_queues = m_fixture.ready().value(QStringLiteral("queues")).toArray();
    QCOMPARE(m_queues.size(), 7);

    m_dump = m_fixture.dump(m_queues, {}, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(m_dump.size(), m_queues.size());

    m_client = std::make_unique<RedisClient>(m_server.options());
    m_client->open();
}

void TestQueuesPage::cleanupTestCase()
{
    m_client.reset();
    m_fixture.kill();
    m_server.kill();
}

QJsonObject TestQueuesPage::dumpOf(const QString& prefix, const QString& name) const
{
    for (const QJsonValue& q : m_dump) {
        if (q[QStringLiteral("prefix")].toString() == prefix && q[QStringLiteral("name")].toString() == name)
            return q.toObject();
    }
    return {};
}

bool TestQueuesPage::open(QueuesPage& page, RedisClient* client)
{
    page.resize(1200, 800);
    page.show();
    page.activateWindow();
    if (!QTest::qWaitForWindowActive(&page))
        return false;
    QSignalSpy refreshed(&page, &QueuesPage::refreshed);
    page.setClient(client);
    return refreshed.wait(kTimeout) || !refreshed.isEmpty();
}

bool TestQueuesPage::openQueue(QueuesPage& page, const QueueRef& ref, const QString& state)
{
    page.showQueue(ref);
    if (!QTest::qWaitFor([&] { return page.currentQueue() == ref; }, kTimeout))
        return false;
    if (!page.selectState(state))
        return false;
    return QTest::qWaitFor([&] { return !page.jobModel()->isBusy() && page.jobModel()->rowCount() > 0; }, kTimeout);
}

int TestQueuesPage::jobRow(const QueuesPage& page, const QByteArray& id)
{
    for (int r = 0; r < page.jobModel()->rowCount(); ++r) {
        if (page.jobModel()->job(r).id == id)
            return r;
    }
    return -1;
}

int TestQueuesPage::queueRow(const QueuesPage& page, const QueueRef& ref)
{
    const QSortFilterProxyModel* proxy = page.queueProxy();
    for (int r = 0; r < proxy->rowCount(); ++r) {
        const QModelIndex i = proxy->index(r, 0);
        if (i.data(QueueListModel::QueueNameRole).toByteArray() == ref.name
            && i.data(QueueListModel::QueuePrefixRole).toByteArray() == ref.prefix)
            return r;
    }
    return -1;
}

QMessageBox* TestQueuesPage::openBox(const QueuesPage& page)
{
    // Boxes delete themselves on close (later): take the visible one.
    const auto boxes = page.findChildren<QMessageBox*>(QStringLiteral("confirmQueueAction"));
    for (QMessageBox* box : boxes) {
        if (box->isVisible())
            return box;
    }
    return nullptr;
}

QPushButton* TestQueuesPage::button(const QueuesPage& page, const char* name)
{
    return page.findChild<QPushButton*>(QLatin1String(name));
}

void TestQueuesPage::listsQueuesWithTheLibrarysCounts()
{
    QueuesPage page;
    QVERIFY(open(page, m_client.get()));
    QAbstractItemModelTester tester(page.queueProxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(page.queueProxy()->rowCount(), m_queues.size());
    QVERIFY2(!page.isStale(), "fresh data is not stale");
    QVERIFY(!page.findChild<QLabel*>(QStringLiteral("staleLabel"))->isVisible());

    static const std::pair<int, const char*> columns[] = { { QueueListModel::Active, "active" },
        { QueueListModel::Prioritized, "prioritized" }, { QueueListModel::Delayed, "delayed" },
        { QueueListModel::WaitingChildren, "waiting-children" }, { QueueListModel::Completed, "completed" },
        { QueueListModel::Failed, "failed" }, { QueueListModel::Waiting, "waiting" } };
    for (const QJsonValue& q : std::as_const(m_queues)) {
        const QueueRef ref { q[QStringLiteral("prefix")].toString().toUtf8(),
            q[QStringLiteral("name")].toString().toUtf8() };
        const QJsonObject counts = dumpOf(q[QStringLiteral("prefix")].toString(), q[QStringLiteral("name")].toString())
                                       .value(QStringLiteral("counts"))
                                       .toObject();
        QVERIFY2(!counts.isEmpty(), qPrintable(ref.displayName()));
        // The table row.
        const int row = queueRow(page, ref);
        QVERIFY2(row >= 0, qPrintable(ref.displayName()));
        QCOMPARE(page.queueProxy()->index(row, QueueListModel::Generation).data().toString(), QStringLiteral("6"));
        for (const auto& [column, state] : columns) {
            const QString shown = page.queueProxy()->index(row, column).data().toString();
            QCOMPARE(shown + QLatin1Char(' ') + QLatin1String(state) + QLatin1Char(' ') + ref.displayName(),
                QString::number(counts.value(QLatin1String(state)).toInteger()) + QLatin1Char(' ')
                    + QLatin1String(state) + QLatin1Char(' ') + ref.displayName());
        }
        QCOMPARE(page.queueProxy()->index(row, QueueListModel::Paused).data().toString(),
            ref.name == "paused-q" ? QStringLiteral("paused") : QString());

        // The state tabs: BullMQ 6's states, each with getJobCounts()'s number.
        page.showQueue(ref);
        QTRY_COMPARE_WITH_TIMEOUT(page.currentQueue(), ref, kTimeout);
        QTabBar* tabs = page.stateTabs();
        QStringList shown, expected;
        for (int i = 0; i < tabs->count(); ++i)
            shown << tabs->tabText(i);
        for (const QString& state : listableStates(Generation::V6))
            expected << QStringLiteral("%1 (%2)").arg(title(state)).arg(counts.value(state).toInteger());
        QCOMPARE(shown, expected);
        QCOMPARE(page.findChild<QLabel*>(QStringLiteral("pausedBadge"))->isVisible(), ref.name == "paused-q");
        QCOMPARE(page.findChild<QLabel*>(QStringLiteral("queueTitle"))->text(), QString::fromUtf8(ref.name));
        QVERIFY2(page.findChild<QLabel*>(QStringLiteral("queueSubtitle"))->text().contains(QStringLiteral("BullMQ 6")),
            qPrintable(page.findChild<QLabel*>(QStringLiteral("queueSubtitle"))->text()));
    }

    // The failed tab lists exactly the failed jobs of alpha, in BullMQ's order.
    QVERIFY(openQueue(page, { "bull", "alpha" }, QStringLiteral("failed")));
    QAbstractItemModelTester jobsTester(page.jobModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(page.jobModel()->rowCount(),
        int(dumpOf(QStringLiteral("bull"), QStringLiteral("alpha"))
                .value(QStringLiteral("counts"))
                .toObject()
                .value(QStringLiteral("failed"))
                .toInteger()));
    QVERIFY(jobRow(page, "3") >= 0);
    QVERIFY(jobRow(page, "4") >= 0);
    QVERIFY(!page.jobView()->isColumnHidden(JobListModel::Reason));
}

void TestQueuesPage::filterAndTotals()
{
    QueuesPage page;
    QVERIFY(open(page, m_client.get()));
    auto* totals = page.findChild<QLabel*>(QStringLiteral("queueTotals"));
    qint64 failed = 0, completed = 0;
    for (const QJsonValue& q : std::as_const(m_dump)) {
        failed += q[QStringLiteral("counts")][QStringLiteral("failed")].toInteger();
        completed += q[QStringLiteral("counts")][QStringLiteral("completed")].toInteger();
    }
    QVERIFY2(totals->text().startsWith(QStringLiteral("Total: 7 queue(s) · ")), qPrintable(totals->text()));
    QVERIFY2(totals->text().contains(QStringLiteral("%1 failed").arg(failed)), qPrintable(totals->text()));
    QVERIFY2(totals->text().contains(QStringLiteral("%1 completed").arg(completed)), qPrintable(totals->text()));

    // Ctrl+F focuses the filter, wherever the focus is on the page.
    page.jobView()->setFocus();
    QTRY_VERIFY(page.jobView()->hasFocus());
    QTest::keyClick(page.jobView(), Qt::Key_F, Qt::ControlModifier);
    auto* filter = page.findChild<QLineEdit*>(QStringLiteral("queueFilter"));
    QTRY_VERIFY(filter->hasFocus());
    QTest::keyClicks(filter, QStringLiteral("ALP"));
    QCOMPARE(page.queueProxy()->rowCount(), 1);
    QCOMPARE(page.queueProxy()->index(0, 0).data().toString(), QStringLiteral("alpha"));
    const QJsonObject alpha = dumpOf(QStringLiteral("bull"), QStringLiteral("alpha"));
    QVERIFY2(totals->text().startsWith(QStringLiteral("Total: 1 of 7 queue(s) · ")), qPrintable(totals->text()));
    QVERIFY2(
        totals->text().contains(
            QStringLiteral("%1 failed").arg(alpha[QStringLiteral("counts")][QStringLiteral("failed")].toInteger())),
        qPrintable(totals->text()));
    filter->clear();
    QCOMPARE(page.queueProxy()->rowCount(), 7);

    // Sorting by a count column (descending): the queue with most completed jobs first.
    page.queueView()->sortByColumn(QueueListModel::Completed, Qt::DescendingOrder);
    QCOMPARE(page.queueProxy()->index(0, 0).data().toString(), QStringLiteral("alpha"));
}

void TestQueuesPage::findJobById()
{
    QueuesPage page;
    QVERIFY(open(page, m_client.get()));
    QVERIFY(openQueue(page, { "bull", "alpha" }, QStringLiteral("waiting")));
    auto* find = page.findChild<QLineEdit*>(QStringLiteral("findJob"));
    QTest::keyClicks(find, QStringLiteral("9")); // d-1, delayed by an hour
    QTest::keyClick(find, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(page.currentState(), QStringLiteral("delayed"), kTimeout);
    QCOMPARE(page.inspector()->jobId(), QByteArray("9"));
    QTRY_COMPARE_WITH_TIMEOUT(
        page.jobView()->currentIndex().data(JobListModel::JobIdRole).toByteArray(), QByteArray("9"), kTimeout);
    QVERIFY(page.errorText().isEmpty());

    find->clear();
    QTest::keyClicks(find, QStringLiteral("no-such-job"));
    QTest::keyClick(find, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!page.errorText().isEmpty(), kTimeout);
    QCOMPARE(page.errorText(), QStringLiteral("There is no job no-such-job in bull:alpha."));
    QCOMPARE(page.currentState(), QStringLiteral("delayed")); // nothing else changed

    // A job of another queue (as the inspector's parent/child links ask): queue and state follow.
    page.openJob({ "bull", "kids" },
        m_server.cli({ QStringLiteral("LINDEX"), QStringLiteral("bull:kids:active"), QStringLiteral("0") }));
    QTRY_COMPARE_WITH_TIMEOUT(page.currentQueue(), (QueueRef { "bull", "kids" }), kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(page.currentState(), QStringLiteral("active"), kTimeout);

    // A queue and a state, as a link to a state's key asks: its first job opens.
    page.showQueue({ "bull", "alpha" }, QStringLiteral("failed"));
    QTRY_COMPARE_WITH_TIMEOUT(page.currentState(), QStringLiteral("failed"), kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(page.jobModel()->rowCount() > 0, kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(page.inspector()->jobId(), page.jobModel()->job(0).id, kTimeout);
    QCOMPARE(page.jobView()->currentIndex().row(), 0);
}

void TestQueuesPage::retryFailedJobThroughTheUi()
{
    QueuesPage page;
    QVERIFY(open(page, m_client.get()));
    QVERIFY(openQueue(page, { "bull", "alpha" }, QStringLiteral("failed")));
    const int before = page.jobModel()->rowCount();
    QCOMPARE(page.stateTabs()->tabText(page.stateTabs()->currentIndex()), QStringLiteral("Failed (%1)").arg(before));

    // Select job 3 with the mouse, then Ctrl+R.
    const int row = jobRow(page, "3");
    QVERIFY(row >= 0);
    QTableView* view = page.jobView();
    view->setFocus();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(page.jobModel()->index(row, 1)).center());
    QTRY_COMPARE(page.inspector()->jobId(), QByteArray("3"));

    // Ctrl+C copies the selected job as JSON (once the inspector has read it).
    QTRY_VERIFY_WITH_TIMEOUT(!page.inspector()->jobJson().isEmpty(), kTimeout);
    QApplication::clipboard()->clear();
    QTest::keyClick(view, Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(QApplication::clipboard()->text(), page.inspector()->jobJson());

    // Delete asks first; Cancel changes nothing.
    QTest::keyClick(view, Qt::Key_Delete);
    QMessageBox* box = openBox(page);
    QVERIFY(box);
    QCOMPARE(box->textFormat(), Qt::PlainText);
    QVERIFY2(box->text().startsWith(QStringLiteral("Remove 1 selected job(s) of bull:alpha (job 3)")),
        qPrintable(box->text()));
    QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
    box->button(QMessageBox::Cancel)->click();
    QTRY_VERIFY(!openBox(page));
    QCOMPARE(m_server.cli({ QStringLiteral("EXISTS"), QStringLiteral("bull:alpha:3") }), QByteArray("1"));

    QSignalSpy finished(&page, &QueuesPage::actionFinished);
    QTest::keyClick(view, Qt::Key_R, Qt::ControlModifier);
    box = openBox(page);
    QVERIFY(box);
    QVERIFY2(box->text().startsWith(QStringLiteral("Retry 1 selected failed job(s) of bull:alpha (job 3)")),
        qPrintable(box->text()));
    QCOMPARE(finished.size(), 0); // nothing before the answer
    box->button(QMessageBox::Yes)->click();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kTimeout);
    const auto result = finished.first().first().value<ActionResult>();
    QCOMPARE(result.done, QList<QByteArray> { "3" });
    QVERIFY2(
        page.statusText() == QStringLiteral("retry on bull:alpha: 1 done, 0 skipped"), qPrintable(page.statusText()));

    // It leaves the failed tab (list and count), and BullMQ sees it waiting.
    QTRY_COMPARE_WITH_TIMEOUT(jobRow(page, "3"), -1, kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(page.stateTabs()->tabText(page.stateTabs()->currentIndex()),
        QStringLiteral("Failed (%1)").arg(before - 1), kTimeout);
    QCOMPARE(page.jobModel()->rowCount(), before - 1);
    QCOMPARE(m_server.cli({ QStringLiteral("ZSCORE"), QStringLiteral("bull:alpha:failed"), QStringLiteral("3") }),
        QByteArray());
    QVERIFY(m_server
                .cli({ QStringLiteral("LRANGE"), QStringLiteral("bull:alpha:wait"), QStringLiteral("0"),
                    QStringLiteral("-1") })
                .split('\n')
                .contains("3"));
    QVERIFY(!page.findChild<QWidget*>(QStringLiteral("actionProgress"))->isVisible());
}

void TestQueuesPage::promoteAllDelayedInBatches()
{
    QueuesPage page;
    QVERIFY(open(page, m_client.get()));
    QVERIFY(openQueue(page, { "bull", "alpha" }, QStringLiteral("delayed")));
    const int delayed = page.jobModel()->rowCount();
    QVERIFY(delayed >= 2);
    QPushButton* promote = button(page, "promoteAllDelayed");
    QVERIFY(promote->isEnabled());
    QSignalSpy finished(&page, &QueuesPage::actionFinished);
    promote->click();
    QMessageBox* box = openBox(page);
    QVERIFY(box);
    QCOMPARE(box->text(),
        QStringLiteral("Promote all %1 delayed job(s) of bull:alpha? They move to waiting now.").arg(delayed));
    // The inline progress bar follows the batches (the run may be over before click() returns:
    // hiding the box can let the reply in).
    auto* progress = page.findChild<QProgressBar*>(QStringLiteral("actionProgress"));
    QSignalSpy progressed(progress, &QProgressBar::valueChanged);
    box->button(QMessageBox::Yes)->click();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kTimeout);
    QCOMPARE(finished.first().first().value<ActionResult>().done.size(), delayed);
    QCOMPARE(page.statusText(), QStringLiteral("promote on bull:alpha: %1 done, 0 skipped").arg(delayed));
    QVERIFY(!progressed.isEmpty());
    QCOMPARE(progressed.last().first().toInt(), delayed);
    QCOMPARE(progress->maximum(), delayed);
    QVERIFY(!page.findChild<QWidget*>(QStringLiteral("actionProgress"))->isVisible());
    QTRY_COMPARE_WITH_TIMEOUT(
        page.stateTabs()->tabText(page.stateTabs()->currentIndex()), QStringLiteral("Delayed (0)"), kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(page.jobModel()->rowCount(), 0, kTimeout);
    QCOMPARE(m_server.cli({ QStringLiteral("ZCARD"), QStringLiteral("bull:alpha:delayed") }), QByteArray("0"));
    QVERIFY(!promote->isEnabled());
    QCOMPARE(promote->toolTip(), QStringLiteral("No delayed jobs"));
}

void TestQueuesPage::jobListPagesAsTheViewScrolls()
{
    QueuesPage page;
    QVERIFY(open(page, m_client.get()));
    page.showQueue({ "bull", "alpha" });
    QTRY_COMPARE_WITH_TIMEOUT(page.currentQueue(), (QueueRef { "bull", "alpha" }), kTimeout);
    page.jobModel()->setPageSize(1); // one job a page: every further row is a fetchMore of the view
    QVERIFY(page.selectState(QStringLiteral("failed")));
    QSignalSpy pages(page.jobModel(), &JobListModel::pageLoaded);
    QVERIFY(page.selectState(QStringLiteral("waiting")));
    QCOMPARE(page.jobModel()->rowCount(), 0); // a new source starts empty
    const QList<QByteArray> wait = m_server
                                       .cli({ QStringLiteral("LRANGE"), QStringLiteral("bull:alpha:wait"),
                                           QStringLiteral("0"), QStringLiteral("-1") })
                                       .split('\n');
    QVERIFY(wait.size() >= 3);
    // The view is tall enough for all of them: it keeps asking while its last row is visible.
    QTRY_VERIFY_WITH_TIMEOUT(!page.jobModel()->canFetchMore() && !page.jobModel()->isBusy(), kTimeout);
    QVERIFY2(pages.size() >= 3, qPrintable(QString::number(pages.size())));
    QList<QByteArray> listed;
    for (int r = 0; r < page.jobModel()->rowCount(); ++r)
        listed << page.jobModel()->job(r).id;
    // BullMQ 6 lists the newest first and skips the id whose hash is gone.
    QList<QByteArray> expected;
    for (const QByteArray& id : wait) {
        if (m_server.cli({ QStringLiteral("EXISTS"), QStringLiteral("bull:alpha:") + QString::fromUtf8(id) }) == "1")
            expected << id;
    }
    QCOMPARE(listed, expected);
}

void TestQueuesPage::cleanThroughItsDialog()
{
    QueuesPage page;
    QVERIFY(open(page, m_client.get()));
    QVERIFY(openQueue(page, { "bull", "alpha" }, QStringLiteral("completed")));
    const int completed = page.jobModel()->rowCount();
    QVERIFY(completed >= 1);
    button(page, "cleanQueue")->click();
    auto* dialog = page.findChild<QDialog*>(QStringLiteral("cleanDialog"));
    QVERIFY(dialog && dialog->isVisible());
    auto* state = dialog->findChild<QComboBox*>(QStringLiteral("cleanState"));
    QCOMPARE(state->currentData().toString(), QStringLiteral("completed")); // the tab shown
    QCOMPARE(state->currentText(), QStringLiteral("Completed (%1)").arg(completed));
    dialog->findChild<QSpinBox*>(QStringLiteral("cleanGrace"))->setValue(0);
    dialog->accept();
    QMessageBox* box = openBox(page);
    QVERIFY(box);
    QCOMPARE(box->text(),
        QStringLiteral("Remove up to %1 completed job(s) of bull:alpha older than 0 s? This cannot be undone.")
            .arg(completed));
    QSignalSpy finished(&page, &QueuesPage::actionFinished);
    box->button(QMessageBox::Yes)->click();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kTimeout);
    QCOMPARE(finished.first().first().value<ActionResult>().done.size(), completed);
    QTRY_COMPARE_WITH_TIMEOUT(
        page.stateTabs()->tabText(page.stateTabs()->currentIndex()), QStringLiteral("Completed (0)"), kTimeout);
    QCOMPARE(m_server.cli({ QStringLiteral("ZCARD"), QStringLiteral("bull:alpha:completed") }), QByteArray("0"));
}

// "Add job…" opens the dialog for the shown queue; the added job is then shown in the inspector.
void TestQueuesPage::addJobOpensTheNewJob()
{
    QueuesPage page;
    QVERIFY(open(page, m_client.get()));
    QVERIFY(openQueue(page, { "bull", "alpha" }, QStringLiteral("waiting")));
    QPushButton* add = button(page, "addJob");
    QVERIFY(add && add->isEnabled());
    add->click();
    auto* dialog = page.findChild<AddJobDialog*>(QStringLiteral("addJobDialog"));
    QVERIFY(dialog && dialog->isVisible());
    dialog->findChild<QLineEdit*>(QStringLiteral("jobName"))->setText(QStringLiteral("from-the-page"));
    dialog->findChild<QPlainTextEdit*>(QStringLiteral("jobData"))->setPlainText(QStringLiteral(R"({"n":7})"));
    const QByteArray before = m_server.cli({ QStringLiteral("GET"), QStringLiteral("bull:alpha:id") });
    dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
    const QByteArray id = QByteArray::number(before.toLongLong() + 1);
    QTRY_COMPARE_WITH_TIMEOUT(page.inspector()->jobId(), id, kTimeout);
    QCOMPARE(m_server.cli({ QStringLiteral("HGET"), QStringLiteral("bull:alpha:") + QString::fromLatin1(id), QStringLiteral("name") }),
        QByteArray("from-the-page"));
}

void TestQueuesPage::readOnlyDisablesWriteControls()
{
    ConnectionOptions options = m_server.options();
    options.readOnly = true;
    RedisClient readOnly(options);
    readOnly.open();
    QueuesPage page;
    QVERIFY(open(page, &readOnly));
    QVERIFY(openQueue(page, { "bull", "alpha" }, QStringLiteral("failed")));
    page.jobView()->selectRow(0);
    QVERIFY(!page.inspector()->jobId().isEmpty());
    for (const char* name : { "pauseQueue", "retryAllFailed", "promoteAllDelayed", "cleanQueue", "removeAllInState",
             "removeSelected", "retrySelected", "addJob" }) {
        QPushButton* b = button(page, name);
        QVERIFY2(b, name);
        QVERIFY2(!b->isEnabled(), name);
        QVERIFY2(b->toolTip().startsWith(QStringLiteral("Read-only connection:")), qPrintable(b->toolTip()));
    }
    // Neither shortcuts nor slots open a box.
    page.jobView()->setFocus();
    QTest::keyClick(page.jobView(), Qt::Key_R, Qt::ControlModifier);
    QTest::keyClick(page.jobView(), Qt::Key_Delete);
    page.retryAllFailed();
    page.togglePause();
    QVERIFY(!openBox(page));
    // Reading still works: find, and the page stays live.
    QVERIFY(button(page, "refreshQueues")->isEnabled());

    // The same page on a read-write client enables them.
    QVERIFY(open(page, m_client.get()));
    QVERIFY(openQueue(page, { "bull", "alpha" }, QStringLiteral("failed")));
    QVERIFY(button(page, "retryAllFailed")->isEnabled());
    QVERIFY(button(page, "pauseQueue")->isEnabled());
    page.setClient(nullptr);
}

void TestQueuesPage::staysResponsiveWhileServerIsStopped()
{
    QueuesPage page;
    page.setRefreshInterval(2000);
    QCOMPARE(page.refreshInterval(), 2000);
    QVERIFY(open(page, m_client.get()));
    QVERIFY(openQueue(page, { "bull", "alpha" }, QStringLiteral("waiting")));
    QTRY_VERIFY_WITH_TIMEOUT(!page.queueModel()->isRefreshing() && !page.jobModel()->isBusy(), kTimeout);
    QSignalSpy refreshed(&page, &QueuesPage::refreshed);
    const int rows = page.queueProxy()->rowCount();

    m_server.pause(); // SIGSTOP: the server holds every request without answering
    page.refreshNow();
    QVERIFY(page.queueModel()->isRefreshing());

    QElapsedTimer clock;
    clock.start();
    qint64 last = 0, maxGap = 0;
    int ticks = 0;
    QTimer ticker;
    ticker.setInterval(10);
    connect(&ticker, &QTimer::timeout, this, [&] {
        const qint64 now = clock.elapsed();
        maxGap = std::max(maxGap, now - last);
        last = now;
        ++ticks;
    });
    ticker.start();
    // Two seconds of the stopped server, with the 2 s timer and F5 in between.
    QVERIFY(QTest::qWaitFor([&] { return clock.elapsed() >= 1000; }, 5000));
    page.refreshNow(); // a second F5 while one refresh is pending does not queue another
    QVERIFY(QTest::qWaitFor([&] { return clock.elapsed() >= 2000; }, 5000));
    ticker.stop();
    m_server.resume();
    // A page that waited for the stopped server would stand still until the resume (2 s) or the
    // request timeout (10 s). The bounds leave room for a loaded CI machine under ASan: at most
    // one 10 ms tick per pass of qWaitFor, and the scheduler may take the CPU away for a while.
    QVERIFY2(ticks >= 40, qPrintable(QStringLiteral("%1 ticks in 2 s").arg(ticks)));
    QVERIFY2(maxGap <= 750, qPrintable(QStringLiteral("the event loop stood still for %1 ms").arg(maxGap)));
    QCOMPARE(refreshed.size(), 0); // still waiting for the stopped server
    QCOMPARE(page.queueProxy()->rowCount(), rows);

    // SIGCONT: the pending refresh is answered, and the page goes on.
    QTRY_VERIFY_WITH_TIMEOUT(refreshed.size() >= 1, kTimeout);
    QVERIFY(!page.isStale());
    QCOMPARE(page.queueProxy()->rowCount(), rows);
    QTRY_VERIFY_WITH_TIMEOUT(refreshed.size() >= 2, kTimeout); // the timer was re-armed
}

void TestQueuesPage::hiddenPageRefreshesWhenShown()
{
    QueuesPage page;
    page.setRefreshInterval(2000);
    QVERIFY(open(page, m_client.get()));
    QTRY_VERIFY_WITH_TIMEOUT(!page.queueModel()->isRefreshing(), kTimeout);
    QSignalSpy refreshed(&page, &QueuesPage::refreshed);
    page.hide(); // another tab is in front: its timer comes due, but no SCAN is sent
    QTRY_VERIFY_WITH_TIMEOUT(page.isRefreshDeferred(), kTimeout);
    QVERIFY(!page.queueModel()->isRefreshing());
    QCOMPARE(refreshed.size(), 0);
    page.show();
    QVERIFY(!page.isRefreshDeferred());
    QVERIFY(page.queueModel()->isRefreshing()); // at once
    QTRY_COMPARE_WITH_TIMEOUT(refreshed.size(), 1, kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(refreshed.size() >= 2, kTimeout); // and the timer runs again
}

// The timer's ticks read counts without SCAN; every rediscoverEvery()-th tick looks for new
// queues, so one created after the page opened appears without F5 (docs/queue-refresh.md).
void TestQueuesPage::timerFindsNewQueuesByRediscovery()
{
    QueuesPage page;
    page.setRefreshInterval(2000);
    QVERIFY(open(page, m_client.get()));
    QTRY_VERIFY_WITH_TIMEOUT(!page.queueModel()->isRefreshing(), kTimeout);
    QCOMPARE(page.queueModel()->rediscoverEvery(), 6);
    page.queueModel()->setRediscoverEvery(2);
    const int rows = page.queueModel()->rowCount();
    QSignalSpy refreshed(&page, &QueuesPage::refreshed);
    m_server.cli({ QStringLiteral("HSET"), QStringLiteral("bull:later:meta"), QStringLiteral("version"), QStringLiteral("bullmq:6.7.0") });
    m_server.cli({ QStringLiteral("SET"), QStringLiteral("bull:later:id"), QStringLiteral("1") });
    m_server.cli({ QStringLiteral("LPUSH"), QStringLiteral("bull:later:wait"), QStringLiteral("1") });
    // The first tick reads the listed queues' counts only.
    QTRY_VERIFY_WITH_TIMEOUT(refreshed.size() >= 1, kTimeout);
    QCOMPARE(page.queueModel()->lastRefreshKind(), QueueListModel::RefreshKind::Counts);
    QCOMPARE(page.queueModel()->rowCount(), rows);
    // The second rediscovers.
    QTRY_VERIFY_WITH_TIMEOUT(refreshed.size() >= 2, kTimeout);
    QCOMPARE(page.queueModel()->lastRefreshKind(), QueueListModel::RefreshKind::Discovery);
    QCOMPARE(page.queueModel()->rowCount(), rows + 1);
    QVERIFY(page.queueModel()->rowOf(QueueRef { "bull", "later" }) >= 0);
    m_server.cli({ QStringLiteral("DEL"), QStringLiteral("bull:later:meta"), QStringLiteral("bull:later:id"), QStringLiteral("bull:later:wait") });
}

void TestQueuesPage::keepsLastDataMarkedStaleWhenServerIsGone()
{
    QueuesPage page;
    page.setRefreshInterval(2000);
    QVERIFY(open(page, m_client.get()));
    QVERIFY(openQueue(page, { "bull", "alpha" }, QStringLiteral("failed")));
    const int rows = page.queueProxy()->rowCount();
    const int jobs = page.jobModel()->rowCount();
    const QString tab = page.stateTabs()->tabText(page.stateTabs()->currentIndex());
    auto* stale = page.findChild<QLabel*>(QStringLiteral("staleLabel"));
    QVERIFY(!stale->isVisible());

    m_fixture.kill(); // its worker would only log reconnect errors
    m_server.kill();
    QTRY_VERIFY_WITH_TIMEOUT(page.isStale(), kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(stale->isVisible(), kTimeout);
    QVERIFY2(stale->text().startsWith(QStringLiteral("stale — last refreshed ")), qPrintable(stale->text()));
    // The last data stays on screen.
    QCOMPARE(page.queueProxy()->rowCount(), rows);
    QCOMPARE(page.jobModel()->rowCount(), jobs);
    QCOMPARE(page.stateTabs()->tabText(page.stateTabs()->currentIndex()), tab);
    QCOMPARE(page.currentQueue(), (QueueRef { "bull", "alpha" }));

    // Back (an empty server now): the page reconnects and refreshes; fresh data is not stale.
    QVERIFY2(m_server.restart(), qPrintable(m_server.error()));
    QTRY_VERIFY_WITH_TIMEOUT(!page.isStale(), 3 * kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(page.queueProxy()->rowCount(), 0, kTimeout);
    QVERIFY(!stale->isVisible());
}

QTEST_MAIN(TestQueuesPage)
#include "tst_queuespage.moc"
