// SPDX-License-Identifier: MIT
// Pipelining and binary safety against a real server: order of replies, many callers on
// several threads, every byte value in keys and values.

#include "clienttest.h"
#include "redisclient.h"
#include "redisserver.h"

#include <QTest>
#include <QThread>

#include <algorithm>

using namespace bullpen;
using namespace bullpen::test;

class TestPipelining : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void thousandCommandsInOnePipeline();
    void concurrentCallersOnTwoThreads();
    void pipelinesAndCommandsInterleaved();
    void binarySafeKeysAndValues();
    void largeValue();
    void serverErrorsInAPipeline();
    void waitForResultQuickAndSlowReplies();

private:
    std::unique_ptr<RedisServer> m_server;
    std::unique_ptr<RedisClient> m_client;
};

void TestPipelining::initTestCase()
{
    m_server = std::make_unique<RedisServer>();
    BP_START(*m_server);
    m_client = std::make_unique<RedisClient>(m_server->options());
    BP_OPEN_READY(*m_client);
}

void TestPipelining::cleanupTestCase()
{
    m_client.reset();
    m_server.reset();
}

void TestPipelining::thousandCommandsInOnePipeline()
{
    constexpr int n = 1000;
    QList<Command> commands;
    for (int i = 0; i < n; ++i) {
        if (i % 2 == 0)
            commands.append(Command { "INCR", "pipe:counter" });
        else
            commands.append(Command { "ECHO", "echo:" + QByteArray::number(i) });
    }
    BP_AWAIT(replies, m_client->pipeline(commands));
    QCOMPARE(replies.size(), n);
    for (int i = 0; i < n; ++i) {
        const Reply& r = replies.at(i);
        if (i % 2 == 0) {
            QVERIFY2(r.isInteger(), qPrintable(r.toDisplayString()));
            QCOMPARE(r.integer(), qint64(i / 2 + 1));
        } else {
            QCOMPARE(r.bytes(), "echo:" + QByteArray::number(i));
        }
    }
    QCOMPARE(m_server->cli({ QStringLiteral("GET"), QStringLiteral("pipe:counter") }), QByteArray::number(n / 2));
}

void TestPipelining::concurrentCallersOnTwoThreads()
{
    constexpr int perThread = 500;
    // Each caller thread issues its commands as fast as it can; every future must get its own reply.
    const auto caller = [this](QByteArray tag, QList<QFuture<Reply>>* out) {
        for (int i = 0; i < perThread; ++i) {
            if (i % 5 == 4)
                out->append(m_client->command({ "INCR", "threads:counter" }));
            else
                out->append(m_client->command({ "ECHO", tag + ':' + QByteArray::number(i) }));
        }
    };
    QList<QFuture<Reply>> a, b;
    std::unique_ptr<QThread> ta(QThread::create(caller, QByteArray("a"), &a));
    std::unique_ptr<QThread> tb(QThread::create(caller, QByteArray("b"), &b));
    ta->start();
    tb->start();
    QVERIFY(ta->wait(30000));
    QVERIFY(tb->wait(30000));

    QSet<qint64> counters;
    for (const auto& [tag, futures] : { std::pair { QByteArray("a"), &a }, std::pair { QByteArray("b"), &b } }) {
        QCOMPARE(futures->size(), perThread);
        for (int i = 0; i < perThread; ++i) {
            BP_AWAIT(r, futures->at(i));
            if (i % 5 == 4) {
                QVERIFY2(r.isInteger(), qPrintable(r.toDisplayString()));
                counters.insert(r.integer());
            } else {
                QCOMPARE(r.bytes(), tag + ':' + QByteArray::number(i));
            }
        }
    }
    // Every INCR ran once: 1..200, each seen by exactly one caller.
    QCOMPARE(counters.size(), 2 * perThread / 5);
    for (qint64 v = 1; v <= 2 * perThread / 5; ++v)
        QVERIFY(counters.contains(v));
}

void TestPipelining::pipelinesAndCommandsInterleaved()
{
    QList<QFuture<QList<Reply>>> pipes;
    QList<QFuture<Reply>> singles;
    for (int p = 0; p < 20; ++p) {
        QList<Command> batch;
        for (int i = 0; i < 50; ++i)
            batch.append(Command { "ECHO", QByteArray::number(p * 1000 + i) });
        pipes.append(m_client->pipeline(batch));
        singles.append(m_client->command({ "ECHO", "single:" + QByteArray::number(p) }));
    }
    for (int p = 0; p < 20; ++p) {
        BP_AWAIT(replies, pipes.at(p));
        QCOMPARE(replies.size(), 50);
        for (int i = 0; i < 50; ++i)
            QCOMPARE(replies.at(i).bytes(), QByteArray::number(p * 1000 + i));
        BP_AWAIT(single, singles.at(p));
        QCOMPARE(single.bytes(), "single:" + QByteArray::number(p));
    }
}

void TestPipelining::binarySafeKeysAndValues()
{
    QByteArray all;
    for (int b = 0; b < 256; ++b)
        all.append(char(b));
    QByteArray reversed = all;
    std::reverse(reversed.begin(), reversed.end());
    const QByteArray key = "bin:" + all;
    const QByteArray value = all + reversed + all;
    const QByteArray field = "\r\n$-1\r\n*2\r\n" + reversed; // RESP look-alikes must stay data

    BP_AWAIT(set, m_client->command({ "SET", key, value }));
    QCOMPARE(set.toDisplayString(), QStringLiteral("OK"));
    BP_AWAIT(get, m_client->command({ "GET", key }));
    QCOMPARE(get.bytes().size(), value.size());
    QCOMPARE(get.bytes(), value);
    BP_AWAIT(len, m_client->command({ "STRLEN", key }));
    QCOMPARE(len.integer(), qint64(value.size()));

    BP_AWAIT(hset, m_client->command({ "HSET", "bin:hash", field, all }));
    QCOMPARE(hset.integer(), qint64(1));
    BP_AWAIT(hash, m_client->command({ "HGETALL", "bin:hash" }));
    QCOMPARE(hash.size(), qsizetype(2));
    QCOMPARE(hash.at(0).bytes(), field);
    QCOMPARE(hash.at(1).bytes(), all);

    // The key comes back byte for byte from the server's own key space.
    BP_AWAIT(scan, m_client->command({ "SCAN", "0", "MATCH", "bin:*", "COUNT", "1000" }));
    QList<QByteArray> scanned;
    for (const Reply& k : scan.at(1).elements())
        scanned.append(k.bytes());
    QVERIFY(scanned.contains(key));
    // Every single byte as its own value, in one pipeline.
    QList<Command> each;
    for (int b = 0; b < 256; ++b)
        each.append(Command { "ECHO", QByteArray(1, char(b)) });
    BP_AWAIT(echoes, m_client->pipeline(each));
    for (int b = 0; b < 256; ++b)
        QCOMPARE(echoes.at(b).bytes(), QByteArray(1, char(b)));
    // redis-cli sees the same length (it cannot pass NUL in argv, so ask for the size only).
    QCOMPARE(m_server->cli({ QStringLiteral("HLEN"), QStringLiteral("bin:hash") }), QByteArray("1"));
}

void TestPipelining::largeValue()
{
    // Several socket reads for one reply.
    QByteArray big(8 * 1024 * 1024 + 7, 'x');
    for (qsizetype i = 0; i < big.size(); i += 4093)
        big[i] = char(i % 256);
    BP_AWAIT(set, m_client->command({ "SET", "big", big }));
    QCOMPARE(set.toDisplayString(), QStringLiteral("OK"));
    BP_AWAIT(get, m_client->command({ "GET", "big" }));
    QCOMPARE(get.bytes().size(), big.size());
    QVERIFY(get.bytes() == big);
}

void TestPipelining::serverErrorsInAPipeline()
{
    // A server error answers its own command; the rest of the pipeline is unaffected.
    BP_AWAIT(replies,
        m_client->pipeline(
            { { "SET", "err:str", "text" }, { "INCR", "err:str" }, { "NOSUCHCOMMAND" }, { "GET", "err:str" } }));
    QCOMPARE(replies.size(), 4);
    QCOMPARE(replies.at(0).toDisplayString(), QStringLiteral("OK"));
    QCOMPARE(replies.at(1).errorKind(), Reply::ErrorKind::Server);
    QCOMPARE(replies.at(2).errorKind(), Reply::ErrorKind::Server);
    QVERIFY2(replies.at(2).bytes().contains("unknown command"), replies.at(2).bytes().constData());
    QCOMPARE(replies.at(3).bytes(), QByteArray("text"));
    BP_COMPARE_STATE(m_client->state(), ConnectionState::Ready);
}

// waitForResult() waits awake for quick replies and asleep for slow ones; either way each
// caller gets its own reply, in order, also after the awake waiting has turned itself off.
void TestPipelining::waitForResultQuickAndSlowReplies()
{
    const auto echo = [this](int i) {
        const QByteArray value = "wait:" + QByteArray::number(i);
        const Reply r = waitForResult(m_client->command({ "ECHO", value }));
        return r.bytes() == value;
    };
    for (int i = 0; i < 500; ++i)
        QVERIFY2(echo(i), qPrintable(QString::number(i)));
    // Replies far slower than the awake budget: each one is still its caller's.
    for (int i = 0; i < 4; ++i) {
        const QList<Reply> replies = waitForResult(m_client->pipeline(
            { { "DEBUG", "SLEEP", "0.02" }, { "ECHO", "slow:" + QByteArray::number(i) } }, CallOptions { .allowDangerous = true }));
        QCOMPARE(replies.size(), 2);
        QCOMPARE(replies.at(0).bytes(), QByteArray("OK"));
        QCOMPARE(replies.at(1).bytes(), "slow:" + QByteArray::number(i));
    }
    for (int i = 500; i < 1000; ++i)
        QVERIFY2(echo(i), qPrintable(QString::number(i)));
    // An error reply comes through the same way (HGET on a string key: WRONGTYPE).
    const Reply counter = waitForResult(m_client->command({ "INCR", "wait:counter" }));
    QCOMPARE(counter.integer(), qint64(1));
    QVERIFY(waitForResult(m_client->command({ "HGET", "wait:counter", "f" })).isError());
}

QTEST_GUILESS_MAIN(TestPipelining)
#include "tst_pipelining.moc"
