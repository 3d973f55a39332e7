// SPDX-License-Identifier: MIT
// Differential tests of the queue actions against the real library of one version
// (BULLPEN_INTEROP_LIB): actions.js builds the same starting state in databases 0 and 1; the
// library's own method runs on db 0, bullpen-cli on db 1, and every key of the two databases is
// compared (normalisation documented in actions.js). Then a real Worker processes what bullpen
// retried or promoted, to completion.

#include "redisserver.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTest>

using namespace bullpen;

namespace {

const QString kLib = QStringLiteral(BULLPEN_INTEROP_LIB);
const QString kDir = QStringLiteral(BULLPEN_INTEROP_DIR);
const QString kCli = QStringLiteral(BULLPEN_CLI);

bool isBull()
{
    return kLib == QLatin1String("bull");
}

struct Run {
    int exitCode = -1;
    QByteArray out, err;
};

} // namespace

class TestInteropActions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void sameStateAsTheLibrary_data();
    void sameStateAsTheLibrary();
    void workerCompletesWhatWasRetriedAndPromoted();
    void lockedAndVanishedJobsAreSkippedWithReasons();
    void dryRunChangesNothing();
    void bulkWithoutYesIsRefusedWhenNotATerminal();
    void readOnlyIsRefusedWithExitCodeFour();
    void obliterateRefusesActiveJobsLikeTheLibrary();
    void bulkRetryWhileProducerAndWorkerRun();

private:
    Run node(const QStringList& args, int timeoutMs = 30000) const;
    Run cli(const QStringList& args, int db = 1) const;
    /// Builds the fixture in db 0 and db 1; returns the ids by role ("failed" → ["3", …]).
    QJsonObject build(const QString& variant = {});
    QStringList expand(const QString& pattern, const QJsonObject& ids) const;
    QByteArray dbDump(int db) const;

    test::RedisServer m_server;
    QString m_node;
};

void TestInteropActions::initTestCase()
{
    m_node = QStandardPaths::findExecutable(QStringLiteral("node"));
    QVERIFY2(!m_node.isEmpty(), "node is not in PATH (apt-get install nodejs npm)");
    QVERIFY2(QFileInfo::exists(kDir + QStringLiteral("/node_modules/") + kLib + QStringLiteral("/package.json")),
        qPrintable(QStringLiteral("%1/node_modules/%2 is missing: run scripts/setup-deps --npm tests/interop").arg(kDir, kLib)));
    QVERIFY2(QFileInfo::exists(kCli), qPrintable(kCli));
    QVERIFY2(m_server.start(), qPrintable(m_server.error()));
}

Run TestInteropActions::node(const QStringList& args, int timeoutMs) const
{
    QProcess p;
    p.setWorkingDirectory(kDir);
    p.start(m_node, QStringList { QStringLiteral("actions.js") } + args);
    Run run;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        run.err = "timed out: " + p.readAllStandardError();
        return run;
    }
    run.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    run.out = p.readAllStandardOutput();
    run.err = p.readAllStandardError();
    return run;
}

Run TestInteropActions::cli(const QStringList& args, int db) const
{
    QProcess p;
    p.setStandardInputFile(QProcess::nullDevice()); // not a terminal
    p.start(kCli, QStringList { QStringLiteral("--url"), m_server.url() + QLatin1Char('/') + QString::number(db) } + args);
    Run run;
    if (!p.waitForFinished(30000))
        return run;
    run.exitCode = p.exitCode();
    run.out = p.readAllStandardOutput();
    run.err = p.readAllStandardError();
    return run;
}

QJsonObject TestInteropActions::build(const QString& variant)
{
    QStringList args { QStringLiteral("build"), kLib, m_server.url() };
    if (!variant.isEmpty())
        args << variant;
    const Run r = node(args);
    if (r.exitCode != 0 || !r.out.startsWith("READY ")) {
        qWarning("actions.js build failed: %s %s", r.out.constData(), r.err.constData());
        return {};
    }
    return QJsonDocument::fromJson(r.out.mid(6)).object();
}

// "retry act {failed}" → words, each {role} replaced by that role's ids.
QStringList TestInteropActions::expand(const QString& pattern, const QJsonObject& ids) const
{
    QStringList out;
    for (const QString& word : pattern.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        static const QRegularExpression placeholder(QStringLiteral("^\\{[a-z]+\\}$")); // not JSON data
        if (placeholder.match(word).hasMatch()) {
            for (const QJsonValue& id : ids.value(word.mid(1, word.size() - 2)).toArray())
                out << id.toString();
        } else {
            out << word;
        }
    }
    return out;
}

QByteArray TestInteropActions::dbDump(int db) const
{
    QByteArray out;
    const QByteArray keys = m_server.cli({ QStringLiteral("-n"), QString::number(db), QStringLiteral("--scan") });
    QList<QByteArray> list = keys.split('\n');
    std::sort(list.begin(), list.end());
    for (const QByteArray& k : std::as_const(list)) {
        if (k.isEmpty())
            continue;
        out += k + ' ' + m_server.cli({ QStringLiteral("-n"), QString::number(db), QStringLiteral("DUMP"), QString::fromUtf8(k) }).toHex() + '\n';
    }
    return out;
}

void TestInteropActions::sameStateAsTheLibrary_data()
{
    QTest::addColumn<QString>("variant"); // fixture variant: "" or "paused"
    QTest::addColumn<QString>("ours"); // bullpen-cli words
    QTest::addColumn<QString>("theirs"); // actions.js act words (the library's method)

    QTest::addRow("retry failed by id (priority, lifo)") << QString() << QStringLiteral("retry act {failed}")
                                                         << QStringLiteral("retry failed {failed}");
    if (!isBull())
        QTest::addRow("retry completed by id") << QString() << QStringLiteral("retry act --state completed {completed}")
                                           << QStringLiteral("retry completed {completed}");
    QTest::addRow("retry all failed") << QString() << QStringLiteral("retry act --all --yes")
                                      << QStringLiteral("retry-all failed");
    if (!isBull())
        QTest::addRow("retry all completed") << QString() << QStringLiteral("retry act --all --state completed --yes")
                                         << QStringLiteral("retry-all completed");
    QTest::addRow("promote by id (priority)") << QString() << QStringLiteral("promote act {delayed}")
                                              << QStringLiteral("promote {delayed}");
    QTest::addRow("promote all (job.promote each)") << QString() << QStringLiteral("promote act --all --yes")
                                                    << QStringLiteral("promote-each-delayed");
    QTest::addRow("remove every state, locked active kept")
        << QString() << QStringLiteral("remove act {failed} {completed} {delayed} {waiting} {prioritized} {active}")
        << QStringLiteral("remove {failed} {completed} {delayed} {waiting} {prioritized} {active}");
    if (!isBull())
        QTest::addRow("remove parent with children") << QString() << QStringLiteral("remove act {parent}")
                                                 << QStringLiteral("remove {parent}");
    if (!isBull())
        QTest::addRow("remove last child releases parent") << QString() << QStringLiteral("remove act {child}")
                                                       << QStringLiteral("remove {child}");
    QTest::addRow("pause") << QString() << QStringLiteral("pause act") << QStringLiteral("pause");
    QTest::addRow("resume") << QStringLiteral("paused") << QStringLiteral("resume act") << QStringLiteral("resume");
    QTest::addRow("retry by id while paused") << QStringLiteral("paused") << QStringLiteral("retry act {failed}")
                                              << QStringLiteral("retry failed {failed}");
    if (!isBull())
        QTest::addRow("retry all while paused") << QStringLiteral("paused") << QStringLiteral("retry act --all --yes")
                                            << QStringLiteral("retry-all failed");
    QTest::addRow("promote while paused") << QStringLiteral("paused") << QStringLiteral("promote act {delayed}")
                                          << QStringLiteral("promote {delayed}");
    QTest::addRow("clean completed") << QString() << QStringLiteral("clean act --state completed --yes")
                                     << QStringLiteral("clean completed 0 0");
    QTest::addRow("clean failed, limit 2") << QString() << QStringLiteral("clean act --state failed --limit 2 --yes")
                                           << QStringLiteral("clean failed 0 2");
    // One job a call: several calls, two of them in flight at a time, must leave what one call does.
    // (Not for clean: every call adds its own "cleaned" event, where the library's single call adds one.)
    if (!isBull())
        QTest::addRow("retry all, 1 job a call") << QString() << QStringLiteral("retry act --all --yes --batch 1")
                                                 << QStringLiteral("retry-all failed");
    QTest::addRow("clean completed, grace keeps all") << QString()
                                                      << QStringLiteral("clean act --state completed --grace 3600000 --yes")
                                                      << QStringLiteral("clean completed 3600000 0");
    QTest::addRow("clean wait (parent deleted with last child)") << QString() << QStringLiteral("clean act --state wait --yes")
                                                                 << QStringLiteral("clean wait 0 0");
    QTest::addRow("clean delayed") << QString() << QStringLiteral("clean act --state delayed --yes")
                                   << QStringLiteral("clean delayed 0 0");
    if (!isBull())
        QTest::addRow("clean prioritized") << QString() << QStringLiteral("clean act --state prioritized --yes")
                                       << QStringLiteral("clean prioritized 0 0");
    QTest::addRow("clean active skips locked") << QString() << QStringLiteral("clean act --state active --yes")
                                               << QStringLiteral("clean active 0 0");
    if (isBull())
        QTest::addRow("clean wait, limit 2 (paged from the tail)") << QString() << QStringLiteral("clean act --state wait --limit 2 --yes")
                                                                 << QStringLiteral("clean wait 0 2");
    if (!isBull()) {
        QTest::addRow("drain (--confirm)") << QString() << QStringLiteral("drain act --confirm act") << QStringLiteral("drain");
        QTest::addRow("drain with delayed") << QString() << QStringLiteral("drain act --confirm act --delayed")
                                            << QStringLiteral("drain-delayed");
        QTest::addRow("drain while paused") << QStringLiteral("paused") << QStringLiteral("drain act --confirm act")
                                            << QStringLiteral("drain");
    }
    QTest::addRow("obliterate --force") << QString() << QStringLiteral("obliterate act --confirm act --force")
                                        << QStringLiteral("obliterate force");
    QTest::addRow("obliterate --force, 2 jobs a call") << QString()
                                                       << QStringLiteral("obliterate act --confirm act --force --batch 2")
                                                       << QStringLiteral("obliterate force 2");
    QTest::addRow("obliterate paused --force") << QStringLiteral("paused") << QStringLiteral("obliterate act --confirm act --force")
                                               << QStringLiteral("obliterate force");
    QTest::addRow("add") << QString() << QStringLiteral(R"(add act fresh --data {"x":1,"s":"é"})")
                         << QStringLiteral(R"(add fresh {"x":1,"s":"é"})");
    QTest::addRow("add delayed, 3 attempts") << QString() << QStringLiteral(R"(add act later --data {"d":[1,2]} --delay 5000 --attempts 3)")
                                             << QStringLiteral(R"(add later {"d":[1,2]} {"delay":5000,"attempts":3})");
    QTest::addRow("add prioritized") << QString() << QStringLiteral(R"(add act urgent --priority 5)")
                                     << QStringLiteral(R"(add urgent {} {"priority":5})");
    QTest::addRow("add while paused") << QStringLiteral("paused") << QStringLiteral(R"(add act fresh --data {"x":1})")
                                      << QStringLiteral(R"(add fresh {"x":1})");
    QTest::addRow("add prioritized while paused") << QStringLiteral("paused") << QStringLiteral(R"(add act urgent --priority 2)")
                                                  << QStringLiteral(R"(add urgent {} {"priority":2})");
    QTest::addRow("add delayed while paused") << QStringLiteral("paused") << QStringLiteral(R"(add act later --delay 1000)")
                                              << QStringLiteral(R"(add later {} {"delay":1000})");
    QTest::addRow("duplicate with corrected data") << QString() << QStringLiteral(R"(duplicate act {prioritized} --data {"fixed":true})")
                                                   << QStringLiteral(R"(duplicate {prioritized} {"fixed":true})");
    QTest::addRow("duplicate as it is") << QString() << QStringLiteral("duplicate act {active}")
                                        << QStringLiteral("duplicate {active}");
    QTest::addRow("clean paused list") << QStringLiteral("paused") << QStringLiteral("clean act --state paused --yes")
                                       << QStringLiteral("clean paused 0 0");
}

void TestInteropActions::sameStateAsTheLibrary()
{
    QFETCH(QString, variant);
    QFETCH(QString, ours);
    QFETCH(QString, theirs);
    const QJsonObject ids = build(variant);
    QVERIFY(!ids.isEmpty());
    const QByteArray before = dbDump(1);
    const Run mine = cli(expand(ours, ids));
    QVERIFY2(mine.exitCode == 0, mine.err.constData());
    // Bull's clean leaves no trace when it removes nothing (no events stream).
    const bool noOp = isBull() && QByteArray(QTest::currentDataTag()).startsWith("clean") && (ours.contains(QLatin1String("--grace")) || ours.contains(QLatin1String("active")));
    if (!noOp)
        QVERIFY2(dbDump(1) != before, "bullpen-cli changed nothing");
    const Run lib = node(QStringList { QStringLiteral("act"), kLib, m_server.url() } + expand(theirs, ids));
    QVERIFY2(lib.exitCode == 0, QByteArray(lib.out + lib.err).constData());
    QCOMPARE(lib.out.trimmed(), QByteArray("SAME"));
}

void TestInteropActions::workerCompletesWhatWasRetriedAndPromoted()
{
    const QJsonObject ids = build();
    QVERIFY(!ids.isEmpty());
    Run r = cli({ QStringLiteral("retry"), QStringLiteral("act"), QStringLiteral("--all"), QStringLiteral("--yes") });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    if (!isBull()) { // Bull retries failed jobs only
        r = cli({ QStringLiteral("retry"), QStringLiteral("act"), QStringLiteral("--all"), QStringLiteral("--state"),
            QStringLiteral("completed"), QStringLiteral("--yes") });
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }
    r = cli({ QStringLiteral("promote"), QStringLiteral("act"), QStringLiteral("--all"), QStringLiteral("--yes") });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const Run work = node(QStringList { QStringLiteral("work"), kLib, m_server.url() + QStringLiteral("/1") }
        + expand(isBull() ? QStringLiteral("{failed} {delayed} {waiting} {prioritized}")
                          : QStringLiteral("{failed} {completed} {delayed} {waiting} {prioritized}"),
            ids));
    QVERIFY2(work.exitCode == 0, QByteArray(work.out + work.err).constData());
}

void TestInteropActions::lockedAndVanishedJobsAreSkippedWithReasons()
{
    const QJsonObject ids = build();
    QVERIFY(!ids.isEmpty());
    const QString active = ids.value(QStringLiteral("active")).toArray().first().toString();
    const QString failed = ids.value(QStringLiteral("failed")).toArray().first().toString();
    const QString completed = ids.value(QStringLiteral("completed")).toArray().first().toString();
    Run r = cli({ QStringLiteral("--json"), QStringLiteral("remove"), QStringLiteral("act"), active, failed, QStringLiteral("nope") });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QJsonObject o = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(o.value(QStringLiteral("done")).toArray(), QJsonArray { failed });
    const QJsonArray skipped = o.value(QStringLiteral("skipped")).toArray();
    QCOMPARE(skipped.size(), 2);
    QCOMPARE(skipped.at(0)[QStringLiteral("id")].toString(), active);
    QCOMPARE(skipped.at(0)[QStringLiteral("reason")].toString(), QStringLiteral("locked by an active worker"));
    QCOMPARE(skipped.at(1)[QStringLiteral("reason")].toString(), QStringLiteral("job no longer exists"));
    // A completed job is not in failed: retry skips it and leaves it completed.
    r = cli({ QStringLiteral("--json"), QStringLiteral("retry"), QStringLiteral("act"), completed });
    o = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(o.value(QStringLiteral("skipped")).toArray().first()[QStringLiteral("reason")].toString(),
        QStringLiteral("no longer in failed"));
    QCOMPARE(m_server.cli({ QStringLiteral("-n"), QStringLiteral("1"), QStringLiteral("ZSCORE"), QStringLiteral("bull:act:completed"), completed }).isEmpty(), false);
}

void TestInteropActions::dryRunChangesNothing()
{
    QVERIFY(!build().isEmpty());
    const QByteArray before = dbDump(1);
    for (const QString& words : { QStringLiteral("retry act --all --dry-run"), QStringLiteral("clean act --state completed --dry-run"),
             QStringLiteral("promote act --all --dry-run"), QStringLiteral("pause act --dry-run") }) {
        const Run r = cli(QStringList { QStringLiteral("--json") } + words.split(QLatin1Char(' ')));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value(QStringLiteral("dryRun")).toBool(), true);
    }
    const Run r = cli({ QStringLiteral("--json"), QStringLiteral("retry"), QStringLiteral("act"), QStringLiteral("--all"), QStringLiteral("--dry-run") });
    QCOMPARE(QJsonDocument::fromJson(r.out).object().value(QStringLiteral("atMost")).toInt(), 4);
    QCOMPARE(dbDump(1), before);
}

void TestInteropActions::bulkWithoutYesIsRefusedWhenNotATerminal()
{
    QVERIFY(!build().isEmpty());
    const QByteArray before = dbDump(1);
    for (const QString& words : { QStringLiteral("retry act --all"), QStringLiteral("clean act --state completed"),
             QStringLiteral("promote act --all") }) {
        const Run r = cli(words.split(QLatin1Char(' ')));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--yes"), r.err.constData());
    }
    // drain and obliterate only after the caller typed the queue's name
    for (const QString& words : { QStringLiteral("drain act"), QStringLiteral("drain act --confirm other --yes"),
             QStringLiteral("obliterate act --force"), QStringLiteral("obliterate act --confirm other --force") }) {
        const Run r = cli(words.split(QLatin1Char(' ')));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--confirm act"), r.err.constData());
    }
    QCOMPARE(dbDump(1), before);
}

// Without --force, obliterate of a queue with an active job is refused after the pause, as the
// library's: exit code 4, the reason named, and the same state (paused, nothing deleted) as theirs.
void TestInteropActions::obliterateRefusesActiveJobsLikeTheLibrary()
{
    const QJsonObject ids = build();
    QVERIFY(!ids.isEmpty());
    const Run mine = cli({ QStringLiteral("obliterate"), QStringLiteral("act"), QStringLiteral("--confirm"), QStringLiteral("act") });
    QCOMPARE(mine.exitCode, 4);
    QVERIFY2(mine.err.contains("active jobs"), mine.err.constData());
    const Run lib = node({ QStringLiteral("act"), kLib, m_server.url(), QStringLiteral("obliterate-refused") });
    QVERIFY2(lib.exitCode == 0, QByteArray(lib.out + lib.err).constData());
    QCOMPARE(lib.out.trimmed(), QByteArray("SAME"));
}

void TestInteropActions::readOnlyIsRefusedWithExitCodeFour()
{
    const QJsonObject ids = build();
    QVERIFY(!ids.isEmpty());
    const QByteArray before = dbDump(1);
    const QStringList failed = expand(QStringLiteral("{failed}"), ids);
    for (const QStringList& words : { QStringList { QStringLiteral("retry"), QStringLiteral("act") } + failed,
             QStringList { QStringLiteral("pause"), QStringLiteral("act") },
             QStringList { QStringLiteral("clean"), QStringLiteral("act"), QStringLiteral("--state"), QStringLiteral("completed"), QStringLiteral("--yes") } }) {
        const Run r = cli(QStringList { QStringLiteral("--read-only") } + words);
        QVERIFY2(r.exitCode == 4, qPrintable(QStringLiteral("%1: exit %2 %3").arg(words.join(QLatin1Char(' '))).arg(r.exitCode).arg(QString::fromUtf8(r.err))));
    }
    QCOMPARE(dbDump(1), before);
}

// 10,000 failed jobs retried in batches while a live producer adds jobs and a live Worker
// processes them: in the end every job id is in completed, processed exactly once.
void TestInteropActions::bulkRetryWhileProducerAndWorkerRun()
{
    const QString url = m_server.url() + QStringLiteral("/2");
    m_server.cli({ QStringLiteral("-n"), QStringLiteral("2"), QStringLiteral("FLUSHDB") });
    const Run made = node({ QStringLiteral("failmany"), kLib, url, QStringLiteral("10000") }, 40000);
    QVERIFY2(made.exitCode == 0 && made.out.startsWith("READY 10000"), QByteArray(made.out + made.err).constData());

    QProcess live;
    live.setWorkingDirectory(kDir);
    live.start(m_node, { QStringLiteral("actions.js"), QStringLiteral("live"), kLib, url });
    QVERIFY(live.waitForStarted());
    QByteArray line;
    while (!line.contains("LIVE\n")) {
        QVERIFY2(live.waitForReadyRead(20000), live.readAllStandardError().constData());
        line += live.readAllStandardOutput();
    }
    const Run r = cli({ QStringLiteral("--json"), QStringLiteral("retry"), QStringLiteral("busy"), QStringLiteral("--all"),
                          QStringLiteral("--yes") },
        2);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(o.value(QStringLiteral("done")).toArray().size(), 10000);
    QVERIFY(o.value(QStringLiteral("scriptCalls")).toInt() >= 40); // batches of 250: others served between them
    live.write("stop\n");
    QVERIFY(live.waitForFinished(40000));
    const QByteArray verdict = live.readAllStandardOutput();
    QVERIFY2(live.exitCode() == 0 && verdict.contains("OK "), QByteArray(verdict + live.readAllStandardError()).constData());
}

QTEST_GUILESS_MAIN(TestInteropActions)
#include "tst_interop_actions.moc"
