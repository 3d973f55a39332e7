// SPDX-License-Identifier: MIT
// bullpen-cli's queues/jobs/job against the real library of one version (BULLPEN_INTEROP_LIB):
// fixture.js builds queues with jobs in every state and keeps a live worker holding the active
// ones; dump.js prints what the library's getters return; every field is compared.

#include "redisserver.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTest>

#include <functional>

using namespace bullpen;

namespace {

const QString kLib = QStringLiteral(BULLPEN_INTEROP_LIB);
const QString kDir = QStringLiteral(BULLPEN_INTEROP_DIR);
const QString kCli = QStringLiteral(BULLPEN_CLI);

bool isBull()
{
    return kLib == QLatin1String("bull");
}

QString expectedGeneration()
{
    return isBull() ? QStringLiteral("bull") : kLib.mid(6);
}

// Numbers compare by value (the CLI prints 1, node may print 1.0), null and absent alike.
QString jsonDiff(const QJsonValue& a, const QJsonValue& b, const QString& path)
{
    if (a.isDouble() && b.isDouble())
        return a.toDouble() == b.toDouble() ? QString() : QStringLiteral("%1: %2 != %3").arg(path).arg(a.toDouble()).arg(b.toDouble());
    const bool aNull = a.isNull() || a.isUndefined(), bNull = b.isNull() || b.isUndefined();
    if (aNull || bNull)
        return aNull == bNull ? QString() : QStringLiteral("%1: null vs not null").arg(path);
    if (a.type() != b.type())
        return QStringLiteral("%1: types differ (%2 vs %3)").arg(path).arg(a.type()).arg(b.type());
    if (a.isArray()) {
        const QJsonArray x = a.toArray(), y = b.toArray();
        if (x.size() != y.size())
            return QStringLiteral("%1: %2 elements vs %3: %4 vs %5")
                .arg(path)
                .arg(x.size())
                .arg(y.size())
                .arg(QString::fromUtf8(QJsonDocument(x).toJson(QJsonDocument::Compact)),
                    QString::fromUtf8(QJsonDocument(y).toJson(QJsonDocument::Compact)));
        for (qsizetype i = 0; i < x.size(); ++i) {
            const QString d = jsonDiff(x.at(i), y.at(i), path + QStringLiteral("[%1]").arg(i));
            if (!d.isEmpty())
                return d;
        }
        return {};
    }
    if (a.isObject()) {
        const QJsonObject x = a.toObject(), y = b.toObject();
        QStringList keys = x.keys() + y.keys();
        keys.removeDuplicates();
        for (const QString& k : std::as_const(keys)) {
            const QString d = jsonDiff(x.value(k), y.value(k), path + QLatin1Char('.') + k);
            if (!d.isEmpty())
                return d;
        }
        return {};
    }
    return a == b ? QString() : QStringLiteral("%1: %2 != %3").arg(path, a.toVariant().toString(), b.toVariant().toString());
}

} // namespace

class TestInteropQueues : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void discoveryFindsExactlyTheQueues();
    void countsAndPausedMatchTheLibrary();
    void jobListsMatchGetJobs();
    void jobDetailsMatchGetJob();
    void flowsMatchGetFlow();
    void oddDataIsShownNotFatal();
    void activeJobShowsItsLiveLock();
    void workersAndSchedulersMatch();
    void eventsAreTheStream();
    void followTailsNewEvents();
    void unknownQueueAndJobExitWithOne();

private:
    struct CliRun {
        int exitCode = -1;
        QJsonValue json;
        QByteArray out, err;
    };
    CliRun cli(const QStringList& args) const;
    QJsonObject dumpOf(const QString& prefix, const QString& name) const;
    QStringList queueArgs(const QJsonObject& q) const
    {
        return { q.value(QStringLiteral("name")).toString(), QStringLiteral("--prefix"), q.value(QStringLiteral("prefix")).toString() };
    }

    test::RedisServer m_server;
    QProcess m_fixture;
    QString m_node;
    QJsonObject m_ready; // {lib, queues, special}
    QJsonArray m_dump; // per queue
    QJsonArray m_cliQueues;
};

void TestInteropQueues::initTestCase()
{
    m_node = QStandardPaths::findExecutable(QStringLiteral("node"));
    QVERIFY2(!m_node.isEmpty(), "node is not in PATH (apt-get install nodejs npm)");
    const QString module = isBull() ? QStringLiteral("bull") : kLib;
    QVERIFY2(QFileInfo::exists(kDir + QStringLiteral("/node_modules/") + module + QStringLiteral("/package.json")),
        qPrintable(QStringLiteral("%1/node_modules/%2 is missing: run scripts/setup-deps --npm tests/interop").arg(kDir, module)));
    QVERIFY2(QFileInfo::exists(kCli), qPrintable(kCli));
    QVERIFY2(m_server.start(), qPrintable(m_server.error()));

    // The fixture stays alive afterwards as the worker holding the active jobs.
    m_fixture.setWorkingDirectory(kDir);
    m_fixture.setProcessChannelMode(QProcess::SeparateChannels);
    m_fixture.start(m_node, { QStringLiteral("fixture.js"), kLib, m_server.url() + QStringLiteral("/0") });
    QVERIFY2(m_fixture.waitForStarted(10000), qPrintable(m_fixture.errorString()));
    QByteArray line;
    while (!line.endsWith('\n')) {
        if (!m_fixture.waitForReadyRead(30000))
            QFAIL(qPrintable(QStringLiteral("fixture.js did not get ready: %1").arg(QString::fromLocal8Bit(m_fixture.readAllStandardError()))));
        line += m_fixture.readAllStandardOutput();
    }
    QVERIFY2(line.startsWith("READY "), line.constData());
    m_ready = QJsonDocument::fromJson(line.mid(6)).object();
    QVERIFY(!m_ready.value(QStringLiteral("queues")).toArray().isEmpty());

    // Our reads first: the libraries' getters may pop legacy markers (a write) when they read.
    const CliRun queues = cli({ QStringLiteral("queues") });
    QCOMPARE(queues.exitCode, 0);
    m_cliQueues = queues.json.toArray();

    QJsonObject extra;
    const QJsonObject special = m_ready.value(QStringLiteral("special")).toObject();
    extra.insert(QStringLiteral("bull:odd"), QJsonArray { special.value(QStringLiteral("odd")).toVariant().toString(),
                                                 special.value(QStringLiteral("bin")).toVariant().toString() });
    extra.insert(QStringLiteral("bull:alpha"), QJsonArray { special.value(QStringLiteral("gone")).toVariant().toString() });
    QProcess dump;
    dump.setWorkingDirectory(kDir);
    dump.start(m_node, { QStringLiteral("dump.js"), kLib, m_server.url() + QStringLiteral("/0"),
                           QString::fromUtf8(QJsonDocument(m_ready.value(QStringLiteral("queues")).toArray()).toJson(QJsonDocument::Compact)),
                           QString::fromUtf8(QJsonDocument(extra).toJson(QJsonDocument::Compact)) });
    QVERIFY(dump.waitForFinished(60000));
    QVERIFY2(dump.exitCode() == 0, dump.readAllStandardError().constData());
    m_dump = QJsonDocument::fromJson(dump.readAllStandardOutput()).object().value(QStringLiteral("queues")).toArray();
    QVERIFY(!m_dump.isEmpty());
}

void TestInteropQueues::cleanupTestCase()
{
    if (m_fixture.state() != QProcess::NotRunning) {
        m_fixture.kill();
        m_fixture.waitForFinished(10000);
    }
    m_server.kill();
}

TestInteropQueues::CliRun TestInteropQueues::cli(const QStringList& args) const
{
    QProcess p;
    p.start(kCli, QStringList { QStringLiteral("--url"), m_server.url() + QStringLiteral("/0"), QStringLiteral("--json") } + args);
    CliRun run;
    if (!p.waitForFinished(30000))
        return run;
    run.exitCode = p.exitCode();
    run.out = p.readAllStandardOutput();
    run.err = p.readAllStandardError();
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(run.out, &error);
    run.json = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    return run;
}

QJsonObject TestInteropQueues::dumpOf(const QString& prefix, const QString& name) const
{
    for (const QJsonValue& q : m_dump) {
        if (q[QStringLiteral("prefix")].toString() == prefix && q[QStringLiteral("name")].toString() == name)
            return q.toObject();
    }
    return {};
}

void TestInteropQueues::discoveryFindsExactlyTheQueues()
{
    QStringList expected, found;
    for (const QJsonValue& q : m_ready.value(QStringLiteral("queues")).toArray())
        expected << q[QStringLiteral("prefix")].toString() + QLatin1Char('|') + q[QStringLiteral("name")].toString();
    for (const QJsonValue& q : std::as_const(m_cliQueues))
        found << q[QStringLiteral("prefix")].toString() + QLatin1Char('|') + q[QStringLiteral("name")].toString();
    expected.sort();
    found.sort();
    // Relay keys, a job hash whose id ends in ":meta" and a non-counter ":id" string are not queues.
    QCOMPARE(found, expected);
    for (const QJsonValue& q : std::as_const(m_cliQueues)) {
        QCOMPARE(q[QStringLiteral("library")].toString(), isBull() ? QStringLiteral("bull") : QStringLiteral("bullmq"));
        QCOMPARE(q[QStringLiteral("generation")].toString(), expectedGeneration());
    }

    // --prefix limits discovery to that prefix (one with a colon here).
    const CliRun mine = cli({ QStringLiteral("queues"), QStringLiteral("--prefix"), QStringLiteral("my:app") });
    QCOMPARE(mine.exitCode, 0);
    QCOMPARE(mine.json.toArray().size(), 1);
    QCOMPARE(mine.json.toArray().at(0)[QStringLiteral("name")].toString(), QStringLiteral("emails"));
}

void TestInteropQueues::countsAndPausedMatchTheLibrary()
{
    for (const QJsonValue& q : std::as_const(m_cliQueues)) {
        const QJsonObject lib = dumpOf(q[QStringLiteral("prefix")].toString(), q[QStringLiteral("name")].toString());
        QVERIFY(!lib.isEmpty());
        const QString where = q[QStringLiteral("prefix")].toString() + QLatin1Char(':') + q[QStringLiteral("name")].toString();
        QVERIFY2(q[QStringLiteral("counts")].toObject().keys() == lib[QStringLiteral("counts")].toObject().keys(),
            qPrintable(where + QStringLiteral(": count keys differ")));
        const QString diff = jsonDiff(q[QStringLiteral("counts")], lib[QStringLiteral("counts")], where + QStringLiteral(".counts"));
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
        QCOMPARE(q[QStringLiteral("paused")].toBool(), lib[QStringLiteral("paused")].toBool());
    }
}

void TestInteropQueues::jobListsMatchGetJobs()
{
    int compared = 0;
    for (const QJsonValue& qv : std::as_const(m_dump)) {
        const QJsonObject q = qv.toObject();
        const QJsonObject states = q[QStringLiteral("states")].toObject();
        const QJsonObject page = q[QStringLiteral("page")].toObject();
        for (auto it = states.begin(); it != states.end(); ++it) {
            const QJsonObject lib = it.value().toObject();
            if (lib.contains(QStringLiteral("error")))
                continue; // the library cannot list it: see oddDataIsShownNotFatal
            const QString where = q[QStringLiteral("name")].toString() + QLatin1Char('/') + it.key();
            const auto ids = [](const QJsonValue& rows) {
                QJsonArray out;
                for (const QJsonValue& r : rows.toArray())
                    out.append(r[QStringLiteral("missing")].toBool() ? QJsonValue(QJsonValue::Null) : r[QStringLiteral("id")]);
                return out;
            };
            const CliRun all = cli((QStringList { QStringLiteral("jobs") } + queueArgs(q)) << QStringLiteral("--state") << it.key());
            QVERIFY2(all.exitCode == 0, qPrintable(where + QLatin1Char(' ') + QString::fromUtf8(all.err)));
            QString d = jsonDiff(ids(all.json), lib[QStringLiteral("all")], where + QStringLiteral(" ids"));
            QVERIFY2(d.isEmpty(), qPrintable(d));
            // Row fields as the library reads them.
            const QJsonArray rows = all.json.toArray(), libRows = lib[QStringLiteral("rows")].toArray();
            for (qsizetype i = 0; i < rows.size(); ++i) {
                if (libRows.at(i).isNull())
                    continue;
                QJsonObject mine = rows.at(i).toObject();
                mine.remove(QStringLiteral("dataSize"));
                d = jsonDiff(mine, libRows.at(i), where + QStringLiteral(" row %1").arg(i));
                QVERIFY2(d.isEmpty(), qPrintable(d));
            }
            const CliRun paged = cli((QStringList { QStringLiteral("jobs") } + queueArgs(q))
                << QStringLiteral("--state") << it.key() << QStringLiteral("--start")
                << QString::number(page[QStringLiteral("start")].toInt()) << QStringLiteral("--end")
                << QString::number(page[QStringLiteral("end")].toInt()));
            QVERIFY2(paged.exitCode == 0, qPrintable(where + QLatin1Char(' ') + QString::fromUtf8(paged.err)));
            d = jsonDiff(ids(paged.json), lib[QStringLiteral("page")], where + QStringLiteral(" page"));
            QVERIFY2(d.isEmpty(), qPrintable(d));
            const CliRun first = cli((QStringList { QStringLiteral("jobs") } + queueArgs(q))
                << QStringLiteral("--state") << it.key() << QStringLiteral("--start") << QStringLiteral("0")
                << QStringLiteral("--end") << QStringLiteral("1"));
            QVERIFY2(first.exitCode == 0, qPrintable(where + QLatin1Char(' ') + QString::fromUtf8(first.err)));
            d = jsonDiff(ids(first.json), lib[QStringLiteral("first")], where + QStringLiteral(" first"));
            QVERIFY2(d.isEmpty(), qPrintable(d));
            ++compared;
        }
    }
    QVERIFY(compared >= 30);
}

void TestInteropQueues::jobDetailsMatchGetJob()
{
    static const QStringList always { QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("data"), QStringLiteral("opts"),
        QStringLiteral("progress"), QStringLiteral("returnvalue"), QStringLiteral("failedReason"), QStringLiteral("stacktrace"),
        QStringLiteral("attemptsMade"), QStringLiteral("timestamp"), QStringLiteral("processedOn"), QStringLiteral("finishedOn"),
        QStringLiteral("delay"), QStringLiteral("state"), QStringLiteral("logs") };
    static const QStringList whenKnown { QStringLiteral("priority"), QStringLiteral("parentKey"), QStringLiteral("parent"),
        QStringLiteral("repeatJobKey"), QStringLiteral("processedBy"), QStringLiteral("attemptsStarted"),
        QStringLiteral("stalledCounter"), QStringLiteral("deferredFailure") };
    int compared = 0;
    for (const QJsonValue& qv : std::as_const(m_dump)) {
        const QJsonObject q = qv.toObject();
        const QJsonObject jobs = q[QStringLiteral("jobs")].toObject();
        for (auto it = jobs.begin(); it != jobs.end(); ++it) {
            const QJsonObject lib = it.value().toObject();
            if (lib.contains(QStringLiteral("error")))
                continue; // see oddDataIsShownNotFatal
            const CliRun run = cli((QStringList { QStringLiteral("job") } + queueArgs(q)) << it.key());
            const QString where = q[QStringLiteral("name")].toString() + QLatin1Char('/') + it.key();
            if (lib[QStringLiteral("missing")].toBool()) {
                QVERIFY2(run.exitCode == 1, qPrintable(where));
                continue;
            }
            QVERIFY2(run.exitCode == 0, qPrintable(where + QLatin1Char(' ') + QString::fromUtf8(run.err)));
            const QJsonObject mine = run.json.toObject();
            for (const QString& field : always) {
                const QString d = jsonDiff(mine.value(field), lib.value(field), where + QLatin1Char('.') + field);
                QVERIFY2(d.isEmpty(), qPrintable(d));
            }
            for (const QString& field : whenKnown) {
                if (!lib.contains(field))
                    continue;
                const QString d = jsonDiff(mine.value(field), lib.value(field), where + QLatin1Char('.') + field);
                QVERIFY2(d.isEmpty(), qPrintable(d));
            }
            ++compared;
        }
    }
    QVERIFY(compared >= (isBull() ? 15 : 20));
}

// `flow QUEUE ID` against FlowProducer.getFlow() for every job of a flow: same ids, names and
// queues at every level, in the same order, missing children as null.
void TestInteropQueues::flowsMatchGetFlow()
{
    if (isBull()) {
        // Bull has no flows: a job is a tree of one.
        const QJsonObject alpha = dumpOf(QStringLiteral("bull"), QStringLiteral("alpha"));
        const QString id = alpha[QStringLiteral("jobs")].toObject().keys().value(0);
        QVERIFY(!id.isEmpty());
        const CliRun run = cli({ QStringLiteral("flow"), QStringLiteral("alpha"), id });
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.json[QStringLiteral("job")][QStringLiteral("id")].toString(), id);
        QVERIFY(!run.json.toObject().contains(QStringLiteral("children")));
        return;
    }
    std::function<QJsonValue(const QJsonValue&)> shape = [&shape](const QJsonValue& node) -> QJsonValue {
        if (node.isNull())
            return QJsonValue::Null;
        const QJsonObject job = node[QStringLiteral("job")].toObject();
        QJsonObject out { { QStringLiteral("id"), job[QStringLiteral("id")] }, { QStringLiteral("name"), job[QStringLiteral("name")] },
            { QStringLiteral("queueName"), job[QStringLiteral("queueName")] } };
        if (node.toObject().contains(QStringLiteral("children"))) {
            QJsonArray children;
            for (const QJsonValue& c : node[QStringLiteral("children")].toArray())
                children.append(shape(c));
            out.insert(QStringLiteral("children"), children);
        }
        return out;
    };
    int compared = 0, withChildren = 0;
    for (const QJsonValue& qv : std::as_const(m_dump)) {
        const QJsonObject q = qv.toObject();
        const QJsonObject jobs = q[QStringLiteral("jobs")].toObject();
        for (auto it = jobs.begin(); it != jobs.end(); ++it) {
            const QJsonValue lib = it.value()[QStringLiteral("flow")];
            if (lib.isUndefined())
                continue;
            const QString where = q[QStringLiteral("name")].toString() + QLatin1Char('/') + it.key();
            const CliRun run = cli((QStringList { QStringLiteral("flow") } + queueArgs(q)) << it.key());
            QVERIFY2(run.exitCode == 0, qPrintable(where + QLatin1Char(' ') + QString::fromUtf8(run.err)));
            const QString d = jsonDiff(shape(run.json), lib, where);
            QVERIFY2(d.isEmpty(), qPrintable(d));
            ++compared;
            withChildren += lib.toObject().contains(QStringLiteral("children"));
        }
    }
    QVERIFY2(compared >= 3, qPrintable(QString::number(compared))); // the parent and its two children
    QVERIFY(withChildren >= 1);
}

void TestInteropQueues::oddDataIsShownNotFatal()
{
    const QJsonObject special = m_ready.value(QStringLiteral("special")).toObject();
    const QString odd = special.value(QStringLiteral("odd")).toVariant().toString();
    const QString bin = special.value(QStringLiteral("bin")).toVariant().toString();
    const QJsonObject lib = dumpOf(QStringLiteral("bull"), QStringLiteral("odd"));
    // The library throws on these jobs; we list them and show every field.
    QVERIFY(lib[QStringLiteral("states")][QStringLiteral("waiting")].toObject().contains(QStringLiteral("error")));
    const CliRun list = cli({ QStringLiteral("jobs"), QStringLiteral("odd"), QStringLiteral("--state"), QStringLiteral("waiting") });
    QCOMPARE(list.exitCode, 0);
    QCOMPARE(list.json.toArray().size(), 4);

    const CliRun o = cli({ QStringLiteral("job"), QStringLiteral("odd"), odd });
    QCOMPARE(o.exitCode, 0);
    QCOMPARE(o.json[QStringLiteral("data")].toString(), QStringLiteral("not json {"));
    QCOMPARE(o.json[QStringLiteral("unknownFields")][QStringLiteral("x-extra")].toString(), QStringLiteral("kept and shown"));
    const CliRun b = cli({ QStringLiteral("job"), QStringLiteral("odd"), bin });
    QCOMPARE(b.exitCode, 0);
    QCOMPARE(b.json[QStringLiteral("data")][QStringLiteral("base64")].toString(), QStringLiteral("//4AQQ=="));

    // The 5 MB job: its size in the list, never its data.
    const CliRun alpha = cli({ QStringLiteral("jobs"), QStringLiteral("alpha"), QStringLiteral("--state"), QStringLiteral("waiting") });
    QCOMPARE(alpha.exitCode, 0);
    bool sawBig = false;
    for (const QJsonValue& row : alpha.json.toArray()) {
        if (row[QStringLiteral("name")].toString() == QLatin1String("big")) {
            sawBig = true;
            QVERIFY(row[QStringLiteral("dataSize")].toDouble() > 5 * 1024 * 1024);
            QVERIFY(!row.toObject().contains(QStringLiteral("data")));
        }
    }
    QVERIFY(sawBig);
    QVERIFY(alpha.out.size() < 10000);
}

void TestInteropQueues::activeJobShowsItsLiveLock()
{
    const QJsonArray active = dumpOf(QStringLiteral("bull"), QStringLiteral("kids"))[QStringLiteral("states")][QStringLiteral("active")][QStringLiteral("all")].toArray();
    QCOMPARE(active.size(), 1);
    const CliRun run = cli({ QStringLiteral("job"), QStringLiteral("kids"), active.at(0).toString() });
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.json[QStringLiteral("state")].toString(), QStringLiteral("active"));
    QVERIFY(!run.json[QStringLiteral("lock")][QStringLiteral("token")].toString().isEmpty());
    QVERIFY(run.json[QStringLiteral("lock")][QStringLiteral("ttlMs")].toDouble() > 0);
    QCOMPARE(run.json[QStringLiteral("logs")].toArray().at(0).toString(), QStringLiteral("holding"));
}

void TestInteropQueues::workersAndSchedulersMatch()
{
    int workers = 0;
    for (const QJsonValue& qv : std::as_const(m_dump)) {
        const QJsonObject q = qv.toObject();
        const QString where = q[QStringLiteral("name")].toString();
        const CliRun w = cli(QStringList { QStringLiteral("workers") } + queueArgs(q));
        QCOMPARE(w.exitCode, 0);
        QStringList mine, theirs;
        for (const QJsonValue& row : w.json.toArray())
            mine << row[QStringLiteral("id")].toString();
        for (const QJsonValue& row : q[QStringLiteral("workers")].toArray())
            theirs << row[QStringLiteral("id")].toString();
        mine.sort();
        theirs.sort();
        QCOMPARE(mine, theirs);
        workers += int(mine.size());

        const CliRun s = cli(QStringList { QStringLiteral("schedulers") } + queueArgs(q));
        QCOMPARE(s.exitCode, 0);
        const QJsonObject sched = q[QStringLiteral("schedulers")].toObject();
        const QJsonValue lib = sched.contains(QStringLiteral("jobSchedulers")) ? sched[QStringLiteral("jobSchedulers")]
                                                                                : sched[QStringLiteral("repeatableJobs")];
        const QString d = jsonDiff(s.json, lib, where + QStringLiteral(".schedulers"));
        QVERIFY2(d.isEmpty(), qPrintable(d));
    }
    QVERIFY(workers >= 1); // the live worker of "kids"
}

void TestInteropQueues::eventsAreTheStream()
{
    const CliRun e = cli({ QStringLiteral("events"), QStringLiteral("kids"), QStringLiteral("--count"), QStringLiteral("100") });
    if (isBull()) {
        QCOMPARE(e.exitCode, 4); // no stream: refused with a message, nothing sent
        QVERIFY(e.err.contains("Pub/Sub"));
        return;
    }
    QCOMPARE(e.exitCode, 0);
    QStringList names;
    for (const QJsonValue& row : e.json.toArray())
        names << row[QStringLiteral("event")].toString();
    QVERIFY2(names.contains(QStringLiteral("active")) && names.contains(QStringLiteral("completed")), qPrintable(names.join(QLatin1Char(','))));
    // Oldest first.
    const QJsonArray rows = e.json.toArray();
    QVERIFY(rows.first()[QStringLiteral("id")].toString() < rows.last()[QStringLiteral("id")].toString() || rows.size() == 1);
}

// `events QUEUE --follow` while the library adds and completes jobs: the BullMQ stream is tailed
// with XREAD, Bull's Pub/Sub events with PSUBSCRIBE; both print the completion of a job added after
// the command started.
void TestInteropQueues::followTailsNewEvents()
{
    QProcess traffic;
    traffic.setWorkingDirectory(kDir);
    traffic.start(m_node, { QStringLiteral("traffic.js"), kLib, m_server.url() + QStringLiteral("/0"), QStringLiteral("traffic") });
    QVERIFY2(traffic.waitForStarted(10000), qPrintable(traffic.errorString()));
    QSet<QString> added;
    QByteArray trafficOut;
    const auto readAdded = [&] {
        trafficOut += traffic.readAllStandardOutput();
        qsizetype nl;
        while ((nl = trafficOut.indexOf('\n')) >= 0) {
            const QByteArray l = trafficOut.left(nl);
            trafficOut.remove(0, nl + 1);
            if (l.startsWith("ADDED "))
                added.insert(QString::fromUtf8(l.mid(6)));
        }
    };
    QVERIFY2(QTest::qWaitFor([&] { readAdded(); return !added.isEmpty(); }, 30000),
        traffic.readAllStandardError().constData());
    const QSet<QString> before = added; // the queue exists now; these may be history

    QProcess follow;
    follow.start(kCli, { QStringLiteral("--url"), m_server.url() + QStringLiteral("/0"), QStringLiteral("--json"),
                           QStringLiteral("events"), QStringLiteral("traffic"), QStringLiteral("--follow") });
    QVERIFY2(follow.waitForStarted(10000), qPrintable(follow.errorString()));
    QByteArray followOut;
    QStringList events;
    bool sawNewCompletion = false;
    const auto readEvents = [&] {
        readAdded();
        followOut += follow.readAllStandardOutput();
        qsizetype nl;
        while ((nl = followOut.indexOf('\n')) >= 0) {
            const QJsonObject row = QJsonDocument::fromJson(followOut.left(nl)).object();
            followOut.remove(0, nl + 1);
            const QString event = row[QStringLiteral("event")].toString();
            events << event;
            const QJsonValue data = row[QStringLiteral("data")];
            QString jobId = row[QStringLiteral("jobId")].toString();
            if (jobId.isEmpty())
                jobId = data.isObject() ? data[QStringLiteral("jobId")].toVariant().toString() : data.toVariant().toString();
            if (event == QLatin1String("completed") && added.contains(jobId) && !before.contains(jobId))
                sawNewCompletion = true;
        }
        // Both: the first jobs may have gone active before the subscription was live (the CLI
        // takes a while to start on a loaded machine), but jobs keep coming every 50 ms.
        return sawNewCompletion && events.contains(QStringLiteral("active"));
    };
    const bool ok = QTest::qWaitFor(readEvents, 30000);
    follow.kill();
    traffic.kill();
    follow.waitForFinished(5000);
    traffic.waitForFinished(5000);
    QVERIFY2(ok, qPrintable(QStringLiteral("events seen: %1; stderr: %2")
                                .arg(events.join(QLatin1Char(',')), QString::fromUtf8(follow.readAllStandardError()))));
    QVERIFY2(events.contains(QStringLiteral("active")), qPrintable(events.join(QLatin1Char(','))));
}

void TestInteropQueues::unknownQueueAndJobExitWithOne()
{
    const CliRun q = cli({ QStringLiteral("jobs"), QStringLiteral("no-such-queue"), QStringLiteral("--state"), QStringLiteral("failed") });
    QCOMPARE(q.exitCode, 1);
    QVERIFY(q.err.contains("no-such-queue"));
    const CliRun j = cli({ QStringLiteral("job"), QStringLiteral("alpha"), QStringLiteral("no-such-job") });
    QCOMPARE(j.exitCode, 1);
    QVERIFY(j.err.contains("no-such-job"));
    const CliRun s = cli({ QStringLiteral("jobs"), QStringLiteral("alpha"), QStringLiteral("--state"), QStringLiteral("bogus") });
    QCOMPARE(s.exitCode, 2);
}

QTEST_GUILESS_MAIN(TestInteropQueues)
#include "tst_interop_queues.moc"
