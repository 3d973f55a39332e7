// SPDX-License-Identifier: MIT
// The Add Job dialog on queues the real BullMQ 6 built (tests/interop/fixture.js): live JSON
// validation, fields → the ActionRequest → a job BullMQ's own getJob()/getState() read back
// (tests/interop/dump.js) with its data, delay, priority and attempts; Duplicate from the job
// inspector with corrected data; read-only clients; a server refusal that keeps the dialog open.

#include "addjobdialog.h"
#include "bullmq/jobdetail.h"
#include "interopfixture.h"
#include "jobinspector.h"
#include "redisclient.h"
#include "redisserver.h"

#include <QCheckBox>
#include <QDeadlineTimer>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

using namespace bullpen;
using namespace bullpen::bullmq;

namespace {
constexpr int kTimeout = 15000;
}

class TestAddJobDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void invalidJsonDisablesOk();
    void addsDelayedAndPrioritizedJobs();
    void duplicateFailedJobWithCorrectedData();
    void duplicateKeepsBigData();
    void readOnlyClientCannotAdd();
    void refusedScriptKeepsDialogOpen();

private:
    QueueSnapshot snapshotOf(RedisClient* client, const QByteArray& prefix, const QByteArray& name);
    /// The job as BullMQ's own Queue.getJob() + getState() report it (dump.js).
    QJsonObject libraryJob(const QByteArray& prefix, const QByteArray& name, const QByteArray& id);
    QByteArray cli(const QStringList& args) const { return m_server.cli(args).trimmed(); }
    static QPushButton* okButton(const AddJobDialog& dialog);
    static QString text(const QWidget& parent, const char* label);

    test::RedisServer m_server;
    test::InteropFixture m_fixture;
    QByteArray m_binId; ///< the fixture's job whose data is not UTF-8
    std::unique_ptr<RedisClient> m_client;
};

void TestAddJobDialog::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.error()));
    QString error;
    QVERIFY2(
        m_fixture.start(QStringLiteral("bullmq6"), m_server.url() + QStringLiteral("/0"), &error), qPrintable(error));
    m_binId = m_fixture.ready()
                  .value(QStringLiteral("special"))
                  .toObject()
                  .value(QStringLiteral("bin"))
                  .toString()
                  .toUtf8();
    QVERIFY(!m_binId.isEmpty());
    m_client = std::make_unique<RedisClient>(m_server.options());
    m_client->open();
}

void TestAddJobDialog::cleanupTestCase()
{
    m_client.reset();
    m_fixture.kill();
    m_server.kill();
}

QueueSnapshot TestAddJobDialog::snapshotOf(RedisClient* client, const QByteArray& prefix, const QByteArray& name)
{
    QFuture<QList<QueueSnapshot>> f = fetchSnapshots(client, { QueueRef { prefix, name } });
    QDeadlineTimer deadline(kTimeout);
    while (!f.isFinished() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 100);
    return f.isFinished() ? f.result().value(0) : QueueSnapshot {};
}

QJsonObject TestAddJobDialog::libraryJob(const QByteArray& prefix, const QByteArray& name, const QByteArray& id)
{
    const QJsonArray queues { QJsonObject { { QStringLiteral("prefix"), QString::fromUtf8(prefix) },
        { QStringLiteral("name"), QString::fromUtf8(name) } } };
    const QJsonObject extra { { QString::fromUtf8(prefix + ':' + name), QJsonArray { QString::fromUtf8(id) } } };
    QString error;
    const QJsonArray dumped = m_fixture.dump(queues, extra, &error);
    if (!error.isEmpty()) {
        qWarning() << error;
        return {};
    }
    return dumped.at(0).toObject().value(QStringLiteral("jobs")).toObject().value(QString::fromUtf8(id)).toObject();
}

QPushButton* TestAddJobDialog::okButton(const AddJobDialog& dialog)
{
    return dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
}

QString TestAddJobDialog::text(const QWidget& parent, const char* label)
{
    if (auto* l = parent.findChild<QLabel*>(QLatin1String(label)))
        return l->text();
    return QStringLiteral("<no label %1>").arg(QLatin1String(label));
}

void TestAddJobDialog::invalidJsonDisablesOk()
{
    const QueueSnapshot emails = snapshotOf(m_client.get(), "my:app", "emails");
    QCOMPARE(toString(emails.library), QStringLiteral("bullmq"));
    QPointer<AddJobDialog> dialog = new AddJobDialog(m_client.get(), emails);
    dialog->show();
    QCOMPARE(dialog->objectName(), QStringLiteral("addJobDialog"));
    QVERIFY2(dialog->windowTitle().contains(QStringLiteral("my:app:emails")), qPrintable(dialog->windowTitle()));
    QVERIFY(!dialog->isModal());
    auto* name = dialog->findChild<QLineEdit*>(QStringLiteral("jobName"));
    auto* data = dialog->findChild<QPlainTextEdit*>(QStringLiteral("jobData"));
    QPushButton* ok = okButton(*dialog);

    // No name yet: OK says why.
    QVERIFY(!ok->isEnabled());
    QCOMPARE(ok->toolTip(), QStringLiteral("Give the job a name."));
    QTest::keyClicks(name, QStringLiteral("welcome"));
    QVERIFY(ok->isEnabled());

    data->setFocus();
    data->selectAll();
    QTest::keyClicks(data, QStringLiteral("{\"to\": \"x@example.com\","));
    QVERIFY(!ok->isEnabled());
    const QString error = text(*dialog, "dataStatus");
    QVERIFY2(error.startsWith(QStringLiteral("Not JSON: ")), qPrintable(error));
    QCOMPARE(dialog->findChild<QLabel*>(QStringLiteral("dataStatus"))->textFormat(), Qt::PlainText);
    QCOMPARE(ok->toolTip(), QStringLiteral("The data is not JSON."));
    // The slot refuses too (Enter on a disabled button does nothing; accept through the box).
    QSignalSpy added(dialog.data(), &AddJobDialog::jobAdded);
    emit dialog->findChild<QDialogButtonBox*>()->accepted();
    QVERIFY(dialog->isVisible());
    QVERIFY2(text(*dialog, "addStatus").startsWith(QStringLiteral("Cannot add the job")),
        qPrintable(text(*dialog, "addStatus")));

    QTest::keyClicks(data, QStringLiteral(" \"n\": 1.50}"));
    QVERIFY(ok->isEnabled());
    QVERIFY2(
        text(*dialog, "dataStatus").startsWith(QStringLiteral("Valid JSON")), qPrintable(text(*dialog, "dataStatus")));
    // Compacted, numbers as written.
    QCOMPARE(dialog->request().job.data, QByteArray(R"({"to":"x@example.com","n":1.50})"));

    // Empty data is {} as queue.add(name) stores it.
    data->clear();
    QVERIFY(ok->isEnabled());
    QCOMPARE(dialog->request().job.data, QByteArray("{}"));
    QCOMPARE(added.size(), 0);
    dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Cancel)->click();
    QTRY_VERIFY(!dialog); // deletes itself on close
}

void TestAddJobDialog::addsDelayedAndPrioritizedJobs()
{
    const QueueSnapshot emails = snapshotOf(m_client.get(), "my:app", "emails");

    // Delayed, with attempts.
    QPointer<AddJobDialog> dialog = new AddJobDialog(m_client.get(), emails);
    dialog->show();
    QTest::keyClicks(dialog->findChild<QLineEdit*>(QStringLiteral("jobName")), QStringLiteral("reminder"));
    auto* data = dialog->findChild<QPlainTextEdit*>(QStringLiteral("jobData"));
    data->setPlainText(QStringLiteral("{\n  \"to\": \"d@example.com\",\n  \"tags\": [1, 2]\n}"));
    dialog->findChild<QDoubleSpinBox*>(QStringLiteral("jobDelay"))->setValue(90000);
    QCOMPARE(text(*dialog, "delayText"), QStringLiteral("runs in 1m 30s"));
    auto* setAttempts = dialog->findChild<QCheckBox*>(QStringLiteral("setAttempts"));
    auto* attempts = dialog->findChild<QSpinBox*>(QStringLiteral("jobAttempts"));
    QVERIFY(!attempts->isEnabled());
    setAttempts->setChecked(true);
    QVERIFY(attempts->isEnabled());
    attempts->setValue(3);
    const ActionRequest request = dialog->request();
    QCOMPARE(toString(request.kind), QStringLiteral("add"));
    QCOMPARE(request.job.name, QByteArray("reminder"));
    QCOMPARE(request.job.data, QByteArray(R"({"to":"d@example.com","tags":[1,2]})"));
    QCOMPARE(request.job.delayMs, 90000);
    QCOMPARE(request.job.priority, 0);
    QCOMPARE(request.job.attempts, std::optional<qint64>(3));

    QSignalSpy added(dialog.data(), &AddJobDialog::jobAdded);
    okButton(*dialog)->click();
    QTRY_COMPARE_WITH_TIMEOUT(added.size(), 1, kTimeout);
    const QByteArray delayedId = added.at(0).at(0).toByteArray();
    QVERIFY(!delayedId.isEmpty());
    QTRY_VERIFY(!dialog); // closed on success
    QVERIFY(!cli({ QStringLiteral("ZSCORE"), QStringLiteral("my:app:emails:delayed"), QString::fromUtf8(delayedId) })
                 .isEmpty());
    const QString key = QStringLiteral("my:app:emails:") + QString::fromUtf8(delayedId);
    QCOMPARE(cli({ QStringLiteral("HGET"), key, QStringLiteral("data") }), request.job.data);
    QCOMPARE(cli({ QStringLiteral("HGET"), key, QStringLiteral("delay") }), QByteArray("90000"));

    // Prioritized.
    dialog = new AddJobDialog(m_client.get(), emails);
    dialog->show();
    QTest::keyClicks(dialog->findChild<QLineEdit*>(QStringLiteral("jobName")), QStringLiteral("urgent"));
    dialog->findChild<QPlainTextEdit*>(QStringLiteral("jobData"))->setPlainText(QStringLiteral("\"just a string\""));
    dialog->findChild<QSpinBox*>(QStringLiteral("jobPriority"))->setValue(7);
    QSignalSpy added2(dialog.data(), &AddJobDialog::jobAdded);
    okButton(*dialog)->click();
    QVERIFY(!okButton(*dialog)->isEnabled()); // while adding
    QTRY_COMPARE_WITH_TIMEOUT(added2.size(), 1, kTimeout);
    const QByteArray prioritizedId = added2.at(0).at(0).toByteArray();
    QVERIFY(prioritizedId != delayedId);
    QVERIFY(!cli(
        { QStringLiteral("ZSCORE"), QStringLiteral("my:app:emails:prioritized"), QString::fromUtf8(prioritizedId) })
                 .isEmpty());

    // BullMQ itself reads them back as queue.add() would have written them.
    const QJsonObject delayed = libraryJob("my:app", "emails", delayedId);
    QCOMPARE(delayed.value(QStringLiteral("state")).toString(), QStringLiteral("delayed"));
    QCOMPARE(delayed.value(QStringLiteral("name")).toString(), QStringLiteral("reminder"));
    QCOMPARE(delayed.value(QStringLiteral("data")).toObject(),
        (QJsonObject { { QStringLiteral("to"), QStringLiteral("d@example.com") },
            { QStringLiteral("tags"), QJsonArray { 1, 2 } } }));
    QCOMPARE(delayed.value(QStringLiteral("delay")).toInteger(), 90000);
    QCOMPARE(delayed.value(QStringLiteral("opts")).toObject().value(QStringLiteral("attempts")).toInteger(), 3);
    QCOMPARE(delayed.value(QStringLiteral("opts")).toObject().value(QStringLiteral("delay")).toInteger(), 90000);
    const QJsonObject prioritized = libraryJob("my:app", "emails", prioritizedId);
    QCOMPARE(prioritized.value(QStringLiteral("state")).toString(), QStringLiteral("prioritized"));
    QCOMPARE(prioritized.value(QStringLiteral("name")).toString(), QStringLiteral("urgent"));
    QCOMPARE(prioritized.value(QStringLiteral("data")).toString(), QStringLiteral("just a string"));
    QCOMPARE(prioritized.value(QStringLiteral("priority")).toInteger(), 7);
    // Attempts left at the default: BullMQ 6 stores its own default, 0 (one attempt).
    const QJsonObject storedOpts = QJsonDocument::fromJson(
        cli({ QStringLiteral("HGET"), QStringLiteral("my:app:emails:") + QString::fromUtf8(prioritizedId),
            QStringLiteral("opts") }))
                                       .object();
    QCOMPARE(storedOpts.value(QStringLiteral("priority")).toInteger(), 7);
    QVERIFY2(
        storedOpts.value(QStringLiteral("attempts")) == QJsonValue(0), QJsonDocument(storedOpts).toJson().constData());
    QCOMPARE(prioritized.value(QStringLiteral("opts")).toObject().value(QStringLiteral("attempts")).toInteger(), 0);
}

void TestAddJobDialog::duplicateFailedJobWithCorrectedData()
{
    JobInspector inspector;
    inspector.resize(960, 640);
    inspector.show();
    QVERIFY(!inspector.findChild<QPushButton*>(QStringLiteral("duplicateJob"))->isEnabled()); // no client
    inspector.setClient(m_client.get());
    QPushButton* duplicate = inspector.findChild<QPushButton*>(QStringLiteral("duplicateJob"));
    QVERIFY(!duplicate->isEnabled()); // no job
    QCOMPARE(duplicate->toolTip(), QStringLiteral("No job shown."));
    const QueueSnapshot alpha = snapshotOf(m_client.get(), "bull", "alpha");
    QSignalSpy loaded(&inspector, &JobInspector::loaded);
    inspector.showJob(alpha, "4"); // fail-2: {"n":4}, attempts 2, failed twice
    QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, kTimeout);
    QCOMPARE(inspector.detail().state, QStringLiteral("failed"));
    QVERIFY(duplicate->isEnabled());

    QSignalSpy open(&inspector, &JobInspector::openJobRequested);
    QSignalSpy changed(&inspector, &JobInspector::jobChanged);
    duplicate->click();
    QPointer<AddJobDialog> dialog = inspector.findChild<AddJobDialog*>();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QVERIFY2(dialog->windowTitle().contains(QStringLiteral("bull:alpha")), qPrintable(dialog->windowTitle()));
    QCOMPARE(dialog->findChild<QLineEdit*>(QStringLiteral("jobName"))->text(), QStringLiteral("fail-2"));
    auto* data = dialog->findChild<QPlainTextEdit*>(QStringLiteral("jobData"));
    QCOMPARE(
        QJsonDocument::fromJson(data->toPlainText().toUtf8()).object(), (QJsonObject { { QStringLiteral("n"), 4 } }));
    QVERIFY(dialog->findChild<QCheckBox*>(QStringLiteral("setAttempts"))->isChecked());
    QCOMPARE(dialog->findChild<QSpinBox*>(QStringLiteral("jobAttempts"))->value(), 2);
    QCOMPARE(dialog->findChild<QSpinBox*>(QStringLiteral("jobPriority"))->value(), 0);
    QCOMPARE(dialog->findChild<QDoubleSpinBox*>(QStringLiteral("jobDelay"))->value(), 0.0);

    // Indented for editing, but keys keep their order and numbers their digits.
    JobDetail exotic;
    exotic.id = "x";
    exotic.exists = true;
    exotic.fields = { { "name", "n" },
        { "data", R"({"z":1,"a":[12345678901234567890,1.50,{},[]],"s":"{\"q\": [1, 2]}"})" }, { "opts", "{}" } };
    AddJobDialog probe(m_client.get(), alpha);
    probe.setAttribute(Qt::WA_DeleteOnClose, false); // on the stack
    probe.setFromJob(exotic);
    QCOMPARE(probe.request().job.data, exotic.field("data"));
    QVERIFY2(probe.findChild<QPlainTextEdit*>(QStringLiteral("jobData"))
                 ->toPlainText()
                 .contains(QStringLiteral("\n  \"a\": [\n")),
        qPrintable(probe.findChild<QPlainTextEdit*>(QStringLiteral("jobData"))->toPlainText()));
    QVERIFY(!probe.findChild<QCheckBox*>(QStringLiteral("setAttempts"))->isChecked());

    // The corrected data.
    data->setPlainText(QStringLiteral("{\n  \"n\": 40,\n  \"fixed\": true\n}"));
    QVERIFY(okButton(*dialog)->isEnabled());
    // A screenshot for the docs, when asked for: the dialog pre-filled for a duplicate.
    const QString shot = qEnvironmentVariable("BULLPEN_ADD_JOB_SCREENSHOT");
    if (!shot.isEmpty()) {
        dialog->resize(dialog->sizeHint().expandedTo(QSize(560, 420)));
        QVERIFY(dialog->grab().save(shot));
    }
    okButton(*dialog)->click();
    QTRY_COMPARE_WITH_TIMEOUT(open.size(), 1, kTimeout);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(open.at(0).at(0).value<QueueRef>(), (QueueRef { "bull", "alpha" }));
    const QByteArray newId = open.at(0).at(1).toByteArray();
    QVERIFY(!newId.isEmpty() && newId != "4");
    QTRY_VERIFY(!dialog);
    QVERIFY2(text(inspector, "jobStatus").contains(QStringLiteral("added as a copy of job 4")),
        qPrintable(text(inspector, "jobStatus")));

    // In waiting, with the same name and the corrected data; the original stays failed.
    QVERIFY(m_server
                .cli({ QStringLiteral("LRANGE"), QStringLiteral("bull:alpha:wait"), QStringLiteral("0"),
                    QStringLiteral("-1") })
                .split('\n')
                .contains(newId));
    const QString key = QStringLiteral("bull:alpha:") + QString::fromUtf8(newId);
    QCOMPARE(cli({ QStringLiteral("HGET"), key, QStringLiteral("name") }), QByteArray("fail-2"));
    QCOMPARE(cli({ QStringLiteral("HGET"), key, QStringLiteral("data") }), QByteArray(R"({"n":40,"fixed":true})"));
    QCOMPARE(QJsonDocument::fromJson(cli({ QStringLiteral("HGET"), key, QStringLiteral("opts") }))
                 .object()
                 .value(QStringLiteral("attempts"))
                 .toInteger(),
        2);
    QVERIFY(!cli({ QStringLiteral("ZSCORE"), QStringLiteral("bull:alpha:failed"), QStringLiteral("4") }).isEmpty());

    // The caller opens the new job: the inspector shows it waiting.
    loaded.clear();
    inspector.showJob(alpha, newId);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, kTimeout);
    QCOMPARE(inspector.detail().state, QStringLiteral("waiting"));
    QCOMPARE(inspector.detail().field("data"), QByteArray(R"({"n":40,"fixed":true})"));

    // A job that no longer exists cannot be duplicated.
    const QByteArray gone = "no-such-job";
    loaded.clear();
    inspector.showJob(alpha, gone);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, kTimeout);
    QVERIFY(!duplicate->isEnabled());
    QCOMPARE(duplicate->toolTip(), QStringLiteral("The job no longer exists."));
    inspector.duplicateJob();
    QVERIFY(!inspector.findChild<AddJobDialog*>());
}

void TestAddJobDialog::duplicateKeepsBigData()
{
    // Job 6 carries 5 MiB of data: the copy gets all of it, byte for byte.
    JobInspector inspector;
    inspector.show();
    inspector.setClient(m_client.get());
    QSignalSpy loaded(&inspector, &JobInspector::loaded);
    inspector.showJob(snapshotOf(m_client.get(), "bull", "alpha"), "6");
    QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, kTimeout);
    const QByteArray original = inspector.detail().field("data");
    QVERIFY(original.size() > 5 * 1024 * 1024);
    QSignalSpy open(&inspector, &JobInspector::openJobRequested);
    inspector.findChild<QPushButton*>(QStringLiteral("duplicateJob"))->click();
    QPointer<AddJobDialog> dialog = inspector.findChild<AddJobDialog*>();
    QVERIFY(dialog);
    QVERIFY(okButton(*dialog)->isEnabled());
    auto* data = dialog->findChild<QPlainTextEdit*>(QStringLiteral("jobData"));
    QVERIFY(!data->isEnabled());
    QVERIFY2(data->placeholderText().contains(QStringLiteral("too large to edit here")),
        qPrintable(data->placeholderText()));
    okButton(*dialog)->click();
    QTRY_COMPARE_WITH_TIMEOUT(open.size(), 1, kTimeout);
    const QByteArray newId = open.at(0).at(1).toByteArray();
    const QByteArray copy = cli(
        { QStringLiteral("HGET"), QStringLiteral("bull:alpha:") + QString::fromUtf8(newId), QStringLiteral("data") });
    QCOMPARE(copy.size(), original.size());
    QVERIFY(copy == original);

    // Data that is not UTF-8 is copied byte for byte too (an editor would replace bytes).
    loaded.clear();
    inspector.showJob(snapshotOf(m_client.get(), "bull", "odd"), m_binId);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, kTimeout);
    const QByteArray binary = inspector.detail().field("data");
    QCOMPARE(binary, QByteArray::fromHex("fffe0041"));
    inspector.duplicateJob();
    dialog = nullptr;
    for (AddJobDialog* d : inspector.findChildren<AddJobDialog*>()) {
        if (d->isVisible())
            dialog = d;
    }
    QVERIFY(dialog);
    data = dialog->findChild<QPlainTextEdit*>(QStringLiteral("jobData"));
    QVERIFY2(data->placeholderText().contains(QStringLiteral("not UTF-8")), qPrintable(data->placeholderText()));
    okButton(*dialog)->click();
    QTRY_COMPARE_WITH_TIMEOUT(open.size(), 2, kTimeout);
    QCOMPARE(open.at(1).at(0).value<QueueRef>(), (QueueRef { "bull", "odd" }));
    QCOMPARE(
        cli({ QStringLiteral("HGET"), QStringLiteral("bull:odd:") + QString::fromUtf8(open.at(1).at(1).toByteArray()),
            QStringLiteral("data") }),
        binary);
}

void TestAddJobDialog::readOnlyClientCannotAdd()
{
    ConnectionOptions options = m_server.options();
    options.readOnly = true;
    RedisClient readOnly(options);
    readOnly.open();
    const QueueSnapshot emails = snapshotOf(&readOnly, "my:app", "emails");
    QPointer<AddJobDialog> dialog = new AddJobDialog(&readOnly, emails);
    dialog->show();
    QTest::keyClicks(dialog->findChild<QLineEdit*>(QStringLiteral("jobName")), QStringLiteral("welcome"));
    QPushButton* ok = okButton(*dialog);
    QVERIFY(!ok->isEnabled());
    QVERIFY2(ok->toolTip().startsWith(QStringLiteral("Read-only connection:")), qPrintable(ok->toolTip()));
    delete dialog.data();

    // The inspector's Duplicate… says so too, and its slot opens nothing.
    JobInspector inspector;
    inspector.show();
    inspector.setClient(&readOnly);
    QSignalSpy loaded(&inspector, &JobInspector::loaded);
    inspector.showJob(snapshotOf(&readOnly, "bull", "alpha"), "3");
    QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, kTimeout);
    QPushButton* duplicate = inspector.findChild<QPushButton*>(QStringLiteral("duplicateJob"));
    QVERIFY(!duplicate->isEnabled());
    QVERIFY2(
        duplicate->toolTip().startsWith(QStringLiteral("Read-only connection:")), qPrintable(duplicate->toolTip()));
    inspector.duplicateJob();
    QVERIFY(!inspector.findChild<AddJobDialog*>());
    QVERIFY2(text(inspector, "jobStatus").startsWith(QStringLiteral("Duplicate is not possible: Read-only")),
        qPrintable(text(inspector, "jobStatus")));
}

void TestAddJobDialog::refusedScriptKeepsDialogOpen()
{
    // A user the server does not allow to run scripts: the add fails, the dialog says why and
    // stays open with everything typed, ready to try again.
    cli({ QStringLiteral("ACL"), QStringLiteral("SETUSER"), QStringLiteral("noscripts"), QStringLiteral("on"),
        QStringLiteral(">secret"), QStringLiteral("~*"), QStringLiteral("&*"), QStringLiteral("+@all"),
        QStringLiteral("-@scripting") });
    ConnectionOptions options = m_server.options();
    options.user = QStringLiteral("noscripts");
    options.password = QStringLiteral("secret");
    RedisClient limited(options);
    limited.open();
    const QueueSnapshot emails = snapshotOf(&limited, "my:app", "emails");
    QCOMPARE(toString(emails.library), QStringLiteral("bullmq"));
    const QByteArray before = cli({ QStringLiteral("GET"), QStringLiteral("my:app:emails:id") });

    QPointer<AddJobDialog> dialog = new AddJobDialog(&limited, emails);
    dialog->show();
    QTest::keyClicks(dialog->findChild<QLineEdit*>(QStringLiteral("jobName")), QStringLiteral("welcome"));
    dialog->findChild<QPlainTextEdit*>(QStringLiteral("jobData"))
        ->setPlainText(QStringLiteral("{\"to\":\"e@example.com\"}"));
    QSignalSpy added(dialog.data(), &AddJobDialog::jobAdded);
    okButton(*dialog)->click();
    QTRY_VERIFY2_WITH_TIMEOUT(text(*dialog, "addStatus").startsWith(QStringLiteral("Could not add the job: ")),
        qPrintable(text(*dialog, "addStatus")), kTimeout);
    QVERIFY2(text(*dialog, "addStatus").contains(QStringLiteral("NOPERM"), Qt::CaseInsensitive)
            || text(*dialog, "addStatus").contains(QStringLiteral("permission"), Qt::CaseInsensitive),
        qPrintable(text(*dialog, "addStatus")));
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QCOMPARE(added.size(), 0);
    QVERIFY(okButton(*dialog)->isEnabled()); // try again
    QCOMPARE(dialog->findChild<QLineEdit*>(QStringLiteral("jobName"))->text(), QStringLiteral("welcome"));
    QCOMPARE(cli({ QStringLiteral("GET"), QStringLiteral("my:app:emails:id") }), before);
    delete dialog.data();
}

QTEST_MAIN(TestAddJobDialog)
#include "tst_addjobdialog.moc"
