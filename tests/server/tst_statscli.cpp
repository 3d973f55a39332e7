// SPDX-License-Identifier: MIT
// bullpen-cli stats: the real binary (QProcess) against a real redis-server.

#include "clienttest.h"
#include "cliprocess.h"
#include "redisserver.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace bullpen::test;

class TestStatsCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void jsonLinePerSample();
    void humanLines();
    void usageErrors();
};

namespace {

using Result = CliResult;

Result run(const QStringList& args)
{
    return runCli(QStringLiteral(BULLPEN_CLI_PATH), args, 30000);
}

} // namespace

void TestStatsCli::jsonLinePerSample()
{
    RedisServer server;
    BP_START(server);
    server.cli({ QStringLiteral("SET"), QStringLiteral("a"), QStringLiteral("1") });
    server.cli({ QStringLiteral("CONFIG"), QStringLiteral("SET"), QStringLiteral("maxmemory-policy"),
        QStringLiteral("volatile-ttl") });
    const Result r
        = run({ QStringLiteral("--url"), server.url(), QStringLiteral("stats"), QStringLiteral("--interval"),
            QStringLiteral("0.1"), QStringLiteral("--count"), QStringLiteral("3"), QStringLiteral("--json") });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QJsonParseError error;
        const QJsonObject o = QJsonDocument::fromJson(lines.at(i), &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, lines.at(i).constData());
        QVERIFY(o.value(QStringLiteral("used_memory")).toDouble() > 0);
        QCOMPARE(o.value(QStringLiteral("keys")).toInt(), 1);
        QCOMPARE(o.value(QStringLiteral("maxmemory_policy")).toString(), QStringLiteral("volatile-ttl"));
        // The first sample has no rates yet; later ones do (and nothing else runs: 0 ops/s).
        if (i == 0)
            QVERIFY(o.value(QStringLiteral("ops_per_sec")).isNull());
        else
            QCOMPARE(o.value(QStringLiteral("ops_per_sec")).toDouble(), 0.0);
    }
}

void TestStatsCli::humanLines()
{
    RedisServer server;
    BP_START(server);
    const Result r = run({ QStringLiteral("--url"), server.url(), QStringLiteral("stats"), QStringLiteral("--interval=0.05"),
        QStringLiteral("--count=2") });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    QVERIFY2(lines.at(1).contains(" mem ") && lines.at(1).contains(" ops 0.0/s ") && lines.at(1).contains(" clients 1 "),
        lines.at(1).constData());
}

void TestStatsCli::usageErrors()
{
    QCOMPARE(run({ QStringLiteral("stats"), QStringLiteral("--count"), QStringLiteral("0") }).exitCode, 2);
    QCOMPARE(run({ QStringLiteral("stats"), QStringLiteral("--interval") }).exitCode, 2);
    QCOMPARE(run({ QStringLiteral("stats"), QStringLiteral("extra") }).exitCode, 2);
}

QTEST_GUILESS_MAIN(TestStatsCli)
#include "tst_statscli.moc"
