// SPDX-License-Identifier: MIT
// bullpen-cli subscribe: the real binary (QProcess) against a real redis-server.

#include "clienttest.h"
#include "redisserver.h"
#include "respcodec.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace bullpen;
using namespace bullpen::test;

class TestSubscribeCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void printsMessages();
    void jsonKeepsBinary();
    void rates();
    void usageErrors();
};

namespace {

int numpat(const RedisServer& server)
{
    return server.cli({ QStringLiteral("PUBSUB"), QStringLiteral("NUMPAT") }).toInt();
}

QByteArray publishAll(const RedisServer& server, const QList<std::pair<QByteArray, QByteArray>>& messages)
{
    QByteArray input;
    for (const auto& [channel, payload] : messages)
        encodeCommand({ "PUBLISH", channel, payload }, input);
    return server.cli({ QStringLiteral("--pipe") }, input);
}

std::unique_ptr<QProcess> start(const QStringList& args)
{
    auto p = std::make_unique<QProcess>();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("REDIS_URL"));
    p->setProcessEnvironment(env);
    p->start(QStringLiteral(BULLPEN_CLI_PATH), args);
    return p;
}

} // namespace

void TestSubscribeCli::printsMessages()
{
    RedisServer server;
    BP_START(server);
    auto p = start({ QStringLiteral("--url"), server.url(), QStringLiteral("subscribe"), QStringLiteral("news:*"),
        QStringLiteral("--count"), QStringLiteral("2") });
    QVERIFY(p->waitForStarted(10000));
    QTRY_COMPARE_WITH_TIMEOUT(numpat(server), 1, 10000);
    QVERIFY(publishAll(server, { { "news:a", "hello" }, { "other", "x" }, { "news:b", QByteArray("\x00\x01", 2) } })
                .contains("replies: 3"));
    QVERIFY(p->waitForFinished(10000));
    QCOMPARE(p->exitCode(), 0);
    QCOMPARE(p->readAllStandardOutput(), QByteArray("news:a\thello\nnews:b\t0x0001\n"));
}

void TestSubscribeCli::jsonKeepsBinary()
{
    RedisServer server;
    BP_START(server);
    auto p = start({ QStringLiteral("--url"), server.url(), QStringLiteral("--json"), QStringLiteral("subscribe"),
        QStringLiteral("exact"), QStringLiteral("--count=1") });
    QVERIFY(p->waitForStarted(10000));
    QTRY_COMPARE_WITH_TIMEOUT(
        server.cli({ QStringLiteral("PUBSUB"), QStringLiteral("NUMSUB"), QStringLiteral("exact") }).split('\n').value(1).trimmed(),
        QByteArray("1"), 10000);
    QByteArray all;
    for (int b = 0; b < 256; ++b)
        all.append(char(b));
    QVERIFY(publishAll(server, { { "exact", all } }).contains("replies: 1"));
    QVERIFY(p->waitForFinished(10000));
    QCOMPARE(p->exitCode(), 0);
    const QJsonObject o = QJsonDocument::fromJson(p->readAllStandardOutput()).object();
    QCOMPARE(o.value(QStringLiteral("channel")).toString(), QStringLiteral("exact"));
    QCOMPARE(QByteArray::fromBase64(o.value(QStringLiteral("payload")).toObject().value(QStringLiteral("base64")).toString().toLatin1()),
        all);
    QVERIFY(!o.contains(QStringLiteral("pattern")));
}

void TestSubscribeCli::rates()
{
    RedisServer server;
    BP_START(server);
    auto p = start({ QStringLiteral("--url"), server.url(), QStringLiteral("--json"), QStringLiteral("subscribe"),
        QStringLiteral("r:*"), QStringLiteral("--rates"), QStringLiteral("--duration"), QStringLiteral("2.5") });
    QVERIFY(p->waitForStarted(10000));
    QTRY_COMPARE_WITH_TIMEOUT(numpat(server), 1, 10000);
    QList<std::pair<QByteArray, QByteArray>> batch;
    for (int i = 0; i < 100; ++i)
        batch.append({ "r:one", QByteArray(10, 'x') });
    QVERIFY(publishAll(server, batch).contains("replies: 100"));
    QVERIFY(p->waitForFinished(15000));
    QCOMPARE(p->exitCode(), 0);
    const QList<QByteArray> lines = p->readAllStandardOutput().trimmed().split('\n');
    QVERIFY(!lines.isEmpty());
    const QJsonObject last = QJsonDocument::fromJson(lines.last()).object();
    QCOMPARE(last.value(QStringLiteral("channel")).toString(), QStringLiteral("r:one"));
    QCOMPARE(last.value(QStringLiteral("total")).toInt(), 100);
    // The rates of all the seconds add up to the messages (each tick covers ~1 s).
    double sum = 0;
    for (const QByteArray& line : lines)
        sum += QJsonDocument::fromJson(line).object().value(QStringLiteral("messages_per_sec")).toDouble();
    QVERIFY2(sum > 50 && sum < 200, qPrintable(QString::number(sum)));
}

void TestSubscribeCli::usageErrors()
{
    for (const QStringList& args : { QStringList { QStringLiteral("subscribe") },
             QStringList { QStringLiteral("subscribe"), QStringLiteral("a"), QStringLiteral("--duration"), QStringLiteral("-1") },
             QStringList { QStringLiteral("subscribe"), QStringLiteral("a"), QStringLiteral("--bogus") } }) {
        auto p = start(args);
        QVERIFY(p->waitForFinished(10000));
        QCOMPARE(p->exitCode(), 2);
    }
}

QTEST_GUILESS_MAIN(TestSubscribeCli)
#include "tst_subscribecli.moc"
