// SPDX-License-Identifier: MIT
// bullpen-cli metrics against the real library of one version (BULLPEN_INTEROP_LIB): metrics.js
// runs a worker with metrics: { maxDataPoints } that completes and fails jobs over simulated
// minutes, then prints queue.getMetrics() for both types and several ranges; the CLI's --json
// must equal it number for number.

#include "redisserver.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

using namespace bullpen;

namespace {

const QString kLib = QStringLiteral(BULLPEN_INTEROP_LIB);
const QString kDir = QStringLiteral(BULLPEN_INTEROP_DIR);
const QString kCli = QStringLiteral(BULLPEN_CLI);

// Numbers compare by value; everything else exactly.
QString jsonDiff(const QJsonValue& a, const QJsonValue& b, const QString& path)
{
    if (a.isDouble() && b.isDouble())
        return a.toDouble() == b.toDouble()
            ? QString()
            : QStringLiteral("%1: %2 != %3").arg(path).arg(a.toDouble()).arg(b.toDouble());
    if (a.type() != b.type())
        return QStringLiteral("%1: types differ (%2 vs %3)").arg(path).arg(a.type()).arg(b.type());
    if (a.isArray()) {
        const QJsonArray x = a.toArray(), y = b.toArray();
        if (x.size() != y.size())
            return QStringLiteral("%1: %2 elements vs %3").arg(path).arg(x.size()).arg(y.size());
        for (qsizetype i = 0; i < x.size(); ++i) {
            if (const QString d = jsonDiff(x.at(i), y.at(i), path + QStringLiteral("[%1]").arg(i)); !d.isEmpty())
                return d;
        }
        return {};
    }
    if (a.isObject()) {
        const QJsonObject x = a.toObject(), y = b.toObject();
        QStringList keys = x.keys() + y.keys();
        keys.removeDuplicates();
        for (const QString& k : std::as_const(keys)) {
            if (const QString d = jsonDiff(x.value(k), y.value(k), path + QLatin1Char('.') + k); !d.isEmpty())
                return d;
        }
        return {};
    }
    return a == b ? QString()
                  : QStringLiteral("%1: %2 != %3").arg(path, a.toVariant().toString(), b.toVariant().toString());
}

} // namespace

class TestInteropMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void bothTypesMatchGetMetrics();
    void eachTypeAndRangeMatchGetMetrics();
    void queueWithoutMetricsReadsAsZeros();
    void badArgumentsAreUsageErrors();

private:
    struct CliRun
    {
        int exitCode = -1;
        QJsonValue json;
        QByteArray out, err;
    };
    CliRun cli(const QStringList& args) const;

    test::RedisServer m_server;
    QJsonObject m_lib; // metrics.js output
};

void TestInteropMetrics::initTestCase()
{
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    QVERIFY2(!node.isEmpty(), "node is not in PATH (apt-get install nodejs npm)");
    const QString module = kLib == QLatin1String("bull") ? QStringLiteral("bull") : kLib;
    QVERIFY2(QFileInfo::exists(kDir + QStringLiteral("/node_modules/") + module + QStringLiteral("/package.json")),
        qPrintable(QStringLiteral("%1/node_modules/%2 is missing: run scripts/setup-deps --npm tests/interop")
                       .arg(kDir, module)));
    QVERIFY2(QFileInfo::exists(kCli), qPrintable(kCli));
    QVERIFY2(m_server.start(), qPrintable(m_server.error()));

    QProcess metrics;
    metrics.setWorkingDirectory(kDir);
    metrics.start(node, { QStringLiteral("metrics.js"), kLib, m_server.url() + QStringLiteral("/0") });
    QVERIFY(metrics.waitForFinished(60000));
    QVERIFY2(metrics.exitCode() == 0, metrics.readAllStandardError().constData());
    m_lib = QJsonDocument::fromJson(metrics.readAllStandardOutput()).object();
    QCOMPARE(m_lib.value(QStringLiteral("lib")).toString(), kLib);
    // The run did record something worth comparing: points in both lists, trimmed to the maximum.
    const QJsonObject completed = m_lib[QStringLiteral("metrics")][QStringLiteral("completed")].toObject();
    QCOMPARE(completed.value(QStringLiteral("count")).toInt(), m_lib.value(QStringLiteral("maxDataPoints")).toInt());
    QVERIFY(completed.value(QStringLiteral("meta"))[QStringLiteral("count")].toInt() > 0);
    QVERIFY(m_lib[QStringLiteral("metrics")][QStringLiteral("failed")][QStringLiteral("meta")][QStringLiteral("count")]
                .toInt()
        > 0);
}

void TestInteropMetrics::cleanupTestCase()
{
    m_server.kill();
}

TestInteropMetrics::CliRun TestInteropMetrics::cli(const QStringList& args) const
{
    QProcess p;
    p.start(kCli,
        QStringList { QStringLiteral("--url"), m_server.url() + QStringLiteral("/0"), QStringLiteral("--json") }
            + args);
    CliRun run;
    if (!p.waitForFinished(30000))
        return run;
    run.exitCode = p.exitCode();
    run.out = p.readAllStandardOutput();
    run.err = p.readAllStandardError();
    const QJsonDocument doc = QJsonDocument::fromJson(run.out);
    run.json = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    return run;
}

void TestInteropMetrics::bothTypesMatchGetMetrics()
{
    // Without --type: both, positions 0-59 (more than maxDataPoints: the whole list).
    const CliRun run = cli(
        { QStringLiteral("metrics"), QStringLiteral("metered"), QStringLiteral("--prefix"), QStringLiteral("bull") });
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QString diff = jsonDiff(run.json, m_lib.value(QStringLiteral("metrics")), QStringLiteral("metrics"));
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
}

void TestInteropMetrics::eachTypeAndRangeMatchGetMetrics()
{
    const QJsonObject ranges = m_lib.value(QStringLiteral("ranges")).toObject();
    QCOMPARE(ranges.size(), 8);
    for (auto it = ranges.begin(); it != ranges.end(); ++it) {
        const QStringList parts = it.key().split(QLatin1Char(':'));
        QCOMPARE(parts.size(), 3);
        const CliRun run = cli({ QStringLiteral("metrics"), QStringLiteral("metered"), QStringLiteral("--type"),
            parts.at(0), QStringLiteral("--start"), parts.at(1), QStringLiteral("--end"), parts.at(2) });
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QString diff = jsonDiff(run.json, it.value(), it.key());
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }
}

void TestInteropMetrics::queueWithoutMetricsReadsAsZeros()
{
    const CliRun run = cli(
        { QStringLiteral("metrics"), QStringLiteral("plain"), QStringLiteral("--type"), QStringLiteral("completed") });
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QString diff = jsonDiff(run.json, m_lib.value(QStringLiteral("plain")), QStringLiteral("plain"));
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
    QCOMPARE(run.json[QStringLiteral("count")].toInt(-1), 0);
}

void TestInteropMetrics::badArgumentsAreUsageErrors()
{
    for (const QStringList& args : { QStringList { QStringLiteral("--type"), QStringLiteral("active") },
             QStringList { QStringLiteral("--start"), QStringLiteral("-1") },
             QStringList {
                 QStringLiteral("--start"), QStringLiteral("5"), QStringLiteral("--end"), QStringLiteral("2") },
             QStringList { QStringLiteral("--end"), QStringLiteral("20160") } }) {
        const CliRun run = cli(QStringList { QStringLiteral("metrics"), QStringLiteral("metered") } + args);
        QVERIFY2(
            run.exitCode == 2, qPrintable(args.join(QLatin1Char(' ')) + QStringLiteral(": exit %1").arg(run.exitCode)));
    }
    QCOMPARE(cli({ QStringLiteral("metrics"), QStringLiteral("no-such-queue") }).exitCode, 1);
}

QTEST_GUILESS_MAIN(TestInteropMetrics)
#include "tst_interop_metrics.moc"
