// SPDX-License-Identifier: MIT
// The command guard, proven by the server's own statistics: a refused command never reaches it.

#include "clienttest.h"
#include "redisclient.h"
#include "redisserver.h"

#include <QTest>

using namespace bullpen;
using namespace bullpen::test;

class TestReadOnly : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void readOnlyRefusesWrites_data();
    void readOnlyRefusesWrites();
    void readOnlyRefusesAMixedPipelineEntirely();
    void readOnlyAllowsReads();
    void dangerousCommandsNeedOptIn();
    void protocolChangingCommandsRefused();

private:
    // Names of the commands the server has executed ("set", "client|setname", …).
    QSet<QByteArray> executed() const;

    std::unique_ptr<RedisServer> m_server;
};

void TestReadOnly::init()
{
    m_server = std::make_unique<RedisServer>();
    BP_START(*m_server);
    QCOMPARE(m_server->cli({ QStringLiteral("SET"), QStringLiteral("existing"), QStringLiteral("value") }),
        QByteArray("OK"));
    QCOMPARE(m_server->cli({ QStringLiteral("CONFIG"), QStringLiteral("RESETSTAT") }), QByteArray("OK"));
}

void TestReadOnly::cleanup()
{
    m_server.reset();
}

QSet<QByteArray> TestReadOnly::executed() const
{
    QSet<QByteArray> names;
    for (const QByteArray& line :
        m_server->cli({ QStringLiteral("INFO"), QStringLiteral("commandstats") }).split('\n')) {
        // cmdstat_get:calls=1,usec=...
        if (line.startsWith("cmdstat_"))
            names.insert(line.mid(8, line.indexOf(':') - 8));
    }
    return names;
}

void TestReadOnly::readOnlyRefusesWrites_data()
{
    QTest::addColumn<Command>("argv");
    QTest::addColumn<bool>("allowDangerous");
    QTest::addColumn<QByteArray>("stat");
    QTest::addRow("SET") << Command { "SET", "existing", "changed" } << false << QByteArray("set");
    QTest::addRow("set (lower case)") << Command { "set", "existing", "changed" } << false << QByteArray("set");
    QTest::addRow("DEL") << Command { "DEL", "existing" } << false << QByteArray("del");
    QTest::addRow("EVAL") << Command { "EVAL", "return redis.call('DEL', KEYS[1])", "1", "existing" } << false
                          << QByteArray("eval");
    QTest::addRow("EVALSHA") << Command { "EVALSHA", "0123456789012345678901234567890123456789", "0" } << false
                             << QByteArray("evalsha");
    QTest::addRow("FLUSHALL even with opt-in") << Command { "FLUSHALL" } << true << QByteArray("flushall");
    QTest::addRow("CONFIG SET even with opt-in")
        << Command { "CONFIG", "SET", "maxmemory", "1" } << true << QByteArray("config|set");
    QTest::addRow("PUBLISH") << Command { "PUBLISH", "ch", "x" } << false << QByteArray("publish");
}

void TestReadOnly::readOnlyRefusesWrites()
{
    QFETCH(Command, argv);
    QFETCH(bool, allowDangerous);
    QFETCH(QByteArray, stat);
    ConnectionOptions o = m_server->options();
    o.readOnly = true;
    RedisClient client(o);
    // Refused before any connection (the built-in table) and once connected (the server's own
    // table of write commands).
    BP_AWAIT(early, client.command(argv, CallOptions { .timeoutMs = 0, .allowDangerous = allowDangerous }));
    QCOMPARE(early.errorKind(), Reply::ErrorKind::Refused);
    BP_OPEN_READY(client);
    for (int round = 0; round < 2; ++round) {
        BP_AWAIT(r, client.command(argv, CallOptions { .timeoutMs = 0, .allowDangerous = allowDangerous }));
        QCOMPARE(r.errorKind(), Reply::ErrorKind::Refused);
        QVERIFY2(r.errorMessage().contains(QLatin1String("read-only")), qPrintable(r.errorMessage()));
        QVERIFY(!client.checkAllowed(argv, allowDangerous).isEmpty());
        BP_AWAIT(ping, client.command({ "PING" }));
        QCOMPARE(ping.toDisplayString(), QStringLiteral("PONG"));
    }
    const QSet<QByteArray> seen = executed();
    QVERIFY2(seen.contains("ping"), "commandstats must show what did reach the server");
    QVERIFY2(!seen.contains(stat), stat.constData());
    QCOMPARE(m_server->cli({ QStringLiteral("GET"), QStringLiteral("existing") }), QByteArray("value"));
}

void TestReadOnly::readOnlyRefusesAMixedPipelineEntirely()
{
    ConnectionOptions o = m_server->options();
    o.readOnly = true;
    RedisClient client(o);
    BP_OPEN_READY(client);
    BP_AWAIT(replies,
        client.pipeline(
            { { "GET", "existing" }, { "STRLEN", "existing" }, { "SET", "existing", "x" }, { "TTL", "existing" } }));
    QCOMPARE(replies.size(), 4);
    for (const Reply& r : replies) {
        QCOMPARE(r.errorKind(), Reply::ErrorKind::Refused);
        QVERIFY2(r.errorMessage().contains(QLatin1String("SET")), qPrintable(r.errorMessage()));
    }
    const QSet<QByteArray> seen = executed();
    QVERIFY2(!seen.contains("set"), "the write reached the server");
    QVERIFY2(!seen.contains("get") && !seen.contains("strlen") && !seen.contains("ttl"),
        "part of a refused pipeline reached the server");
}

void TestReadOnly::readOnlyAllowsReads()
{
    ConnectionOptions o = m_server->options();
    o.readOnly = true;
    RedisClient client(o);
    BP_OPEN_READY(client);
    BP_AWAIT(replies,
        client.pipeline({ { "GET", "existing" }, { "EVAL_RO", "return redis.call('GET', KEYS[1])", "1", "existing" },
            { "SCAN", "0", "COUNT", "10" } }));
    QCOMPARE(replies.at(0).bytes(), QByteArray("value"));
    QCOMPARE(replies.at(1).bytes(), QByteArray("value"));
    QVERIFY(replies.at(2).isArray());
    const QSet<QByteArray> seen = executed();
    QVERIFY(seen.contains("get"));
    QVERIFY(seen.contains("eval_ro"));
    QVERIFY(!seen.contains("set"));
}

void TestReadOnly::dangerousCommandsNeedOptIn()
{
    RedisClient client(m_server->options()); // read-write
    BP_OPEN_READY(client);
    for (const Command& argv : { Command { "FLUSHALL" }, Command { "FLUSHDB" }, Command { "KEYS", "*" },
             Command { "DEBUG", "SLEEP", "0" }, Command { "SHUTDOWN", "NOSAVE" } }) {
        BP_AWAIT(r, client.command(argv));
        QCOMPARE(r.errorKind(), Reply::ErrorKind::Refused);
        QVERIFY2(r.errorMessage().contains(QString::fromUtf8(argv.first())), qPrintable(r.errorMessage()));
    }
    // Also inside a pipeline, which is then refused as a whole.
    BP_AWAIT(pipe, client.pipeline({ { "GET", "existing" }, { "KEYS", "*" } }));
    QCOMPARE(pipe.at(0).errorKind(), Reply::ErrorKind::Refused);
    QSet<QByteArray> seen = executed();
    for (const char* name : { "flushall", "flushdb", "keys", "debug", "shutdown", "get" })
        QVERIFY2(!seen.contains(name), name);
    QCOMPARE(m_server->cli({ QStringLiteral("DBSIZE") }), QByteArray("1"));

    // With the opt-in, for that one call.
    BP_AWAIT(keys, client.command({ "KEYS", "*" }, CallOptions { .timeoutMs = 0, .allowDangerous = true }));
    QCOMPARE(keys.size(), qsizetype(1));
    QCOMPARE(keys.at(0).bytes(), QByteArray("existing"));
    BP_AWAIT(again, client.command({ "KEYS", "*" }));
    QCOMPARE(again.errorKind(), Reply::ErrorKind::Refused);
    seen = executed();
    QVERIFY(seen.contains("keys"));
    QVERIFY(!seen.contains("flushall"));
}

void TestReadOnly::protocolChangingCommandsRefused()
{
    RedisClient client(m_server->options());
    BP_OPEN_READY(client);
    for (const Command& argv : { Command { "SUBSCRIBE", "ch" }, Command { "SELECT", "2" }, Command { "HELLO", "3" },
             Command { "MONITOR" }, Command { "QUIT" } }) {
        BP_AWAIT(r, client.command(argv));
        QCOMPARE(r.errorKind(), Reply::ErrorKind::Refused);
    }
    BP_AWAIT(ping, client.command({ "PING" }));
    QCOMPARE(ping.toDisplayString(), QStringLiteral("PONG"));
    const QSet<QByteArray> seen = executed();
    for (const char* name : { "subscribe", "select", "hello", "monitor", "quit" })
        QVERIFY2(!seen.contains(name), name);
}

QTEST_GUILESS_MAIN(TestReadOnly)
#include "tst_readonly.moc"
