// SPDX-License-Identifier: MIT
// bullpen-cli subscribe: the real binary (QProcess) against a real redis-server.

#include "clienttest.h"
#include "redisserver.h"
#include "respcodec.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <csignal>

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
    void stalledOutput_data();
    void stalledOutput();
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
        QStringLiteral("r:*"), QStringLiteral("--rates"), QStringLiteral("--duration"), QStringLiteral("6") });
    // 6 s: the publish below must land before the end even when starting redis-cli for the
    // NUMPAT polls and the publisher takes seconds on a loaded machine under ASan.
    QVERIFY(p->waitForStarted(10000));
    QTRY_COMPARE_WITH_TIMEOUT(numpat(server), 1, 10000);
    QList<std::pair<QByteArray, QByteArray>> batch;
    for (int i = 0; i < 100; ++i)
        batch.append({ "r:one", QByteArray(10, 'x') });
    QVERIFY(publishAll(server, batch).contains("replies: 100"));
    QVERIFY(p->waitForFinished(30000));
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

void TestSubscribeCli::stalledOutput_data()
{
    QTest::addColumn<bool>("drop");
    QTest::addRow("hold (default)") << false;
    QTest::addRow("--drop-when-behind") << true;
}

void TestSubscribeCli::stalledOutput()
{
    // The CLI's standard output goes to a `cat` we stop: its first write blocks, so its main thread
    // takes nothing while 250,000 messages arrive (more than the 200,000 that may wait).
    QFETCH(bool, drop);
    RedisServer server;
    BP_START(server);
    constexpr int n = 250000;
    QProcess reader;
    const QString outFile = server.dir() + QStringLiteral("/out.txt");
    reader.setStandardOutputFile(outFile);
    QStringList args { QStringLiteral("--url"), server.url(), QStringLiteral("subscribe"), QStringLiteral("flood"),
        QStringLiteral("--count"), QString::number(n) };
    if (drop)
        args << QStringLiteral("--drop-when-behind");
    auto p = std::make_unique<QProcess>();
    p->setStandardOutputProcess(&reader);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("REDIS_URL"));
    p->setProcessEnvironment(env);
    p->start(QStringLiteral(BULLPEN_CLI_PATH), args);
    QVERIFY(p->waitForStarted(10000));
    reader.start(QStringLiteral("cat"), {});
    QVERIFY(reader.waitForStarted(10000));
    ::kill(pid_t(reader.processId()), SIGSTOP);
    QTRY_COMPARE_WITH_TIMEOUT(
        server.cli({ QStringLiteral("PUBSUB"), QStringLiteral("NUMSUB"), QStringLiteral("flood") }).split('\n').value(1).trimmed(),
        QByteArray("1"), 10000);
    QCOMPARE(server.cli({ QStringLiteral("EVAL"),
                 QStringLiteral("for i = 1, tonumber(ARGV[1]) do redis.call('PUBLISH', 'flood', string.format('%06d', i)) end "
                                "return ARGV[1]"),
                 QStringLiteral("0"), QString::number(n) }),
        QByteArray::number(n));
    // Redis has handed everything to the socket (holding: not yet, it buffers for us).
    const auto outputMemory = [&server] {
        for (const QByteArray& line : server.cli({ QStringLiteral("CLIENT"), QStringLiteral("LIST") }).split('\n')) {
            if (line.contains("name=bullpen:pubsub"))
                return line.mid(line.indexOf(" omem=") + 6).split(' ').value(0).toLongLong();
        }
        return qint64(-1);
    };
    if (drop)
        QTRY_COMPARE_WITH_TIMEOUT(outputMemory(), qint64(0), 10000);
    else
        QVERIFY2(outputMemory() > 0, "Redis holds nothing for the stalled subscriber");
    ::kill(pid_t(reader.processId()), SIGCONT);
    QByteArray err;
    if (drop) {
        QTRY_VERIFY_WITH_TIMEOUT((err += p->readAllStandardError()).contains("messages dropped so far"), 15000);
        p->terminate();
        QVERIFY(p->waitForFinished(10000));
    } else {
        QVERIFY(p->waitForFinished(60000)); // the whole held backlog goes through the CLI and the reader
        QCOMPARE(p->exitCode(), 0);
        QVERIFY(!p->readAllStandardError().contains("dropped"));
    }
    QVERIFY(reader.waitForFinished(10000));
    QFile file(outFile);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    QVERIFY(drop ? lines.size() < n : lines.size() == n);
    int previous = 0;
    for (const QByteArray& line : lines) {
        const int number = line.mid(line.indexOf('\t') + 1).toInt();
        if (number <= previous || (!drop && number != previous + 1))
            QFAIL(qPrintable(QStringLiteral("%1 after %2").arg(number).arg(previous)));
        previous = number;
    }
}

void TestSubscribeCli::usageErrors()
{
    for (const QStringList& args : { QStringList { QStringLiteral("subscribe") },
             QStringList { QStringLiteral("subscribe"), QStringLiteral("a"), QStringLiteral("--duration"), QStringLiteral("-1") },
             QStringList { QStringLiteral("subscribe"), QStringLiteral("a"), QStringLiteral("--bogus") },
             QStringList { QStringLiteral("subscribe"), QStringLiteral("--drop-when-behind") } }) {
        auto p = start(args);
        QVERIFY(p->waitForFinished(10000));
        QCOMPARE(p->exitCode(), 2);
    }
}

QTEST_GUILESS_MAIN(TestSubscribeCli)
#include "tst_subscribecli.moc"
