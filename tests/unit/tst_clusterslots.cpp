// SPDX-License-Identifier: MIT
// Redis Cluster key slots: CRC16 and hash tags against the vectors of the Redis Cluster
// specification, key positions of commands, and parsing CLUSTER SHARDS / SLOTS / redirects.

#include "clusterslots.h"
#include "connectionoptions.h"

#include <QTest>

using namespace bullpen;
using namespace bullpen::cluster;

class TestClusterSlots : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void crc16Vectors();
    void hashTags_data();
    void hashTags();
    void keySlots();
    void keyIndexes_data();
    void keyIndexes();
    void crossSlot();
    void parseShardsReply();
    void parseShardsRejectsGarbage();
    void parseSlotsReply();
    void redirects();
    void assignAfterMoved();
    void clusterUrls();
};

void TestClusterSlots::crc16Vectors()
{
    // The specification's test vector: CRC16 of "123456789" is 0x31C3.
    QCOMPARE(crc16("123456789"), quint16(0x31C3));
    QCOMPARE(crc16(""), quint16(0));
    QCOMPARE(keySlot("123456789"), 12739);
    // Slots redis-server reports (CLUSTER KEYSLOT).
    QCOMPARE(keySlot("foo"), 12182);
    QCOMPARE(keySlot("bar"), 5061);
    QCOMPARE(keySlot(""), 0);
}

void TestClusterSlots::hashTags_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("hashed");
    QTest::newRow("no braces") << QByteArray("user1000") << QByteArray("user1000");
    QTest::newRow("tag") << QByteArray("{user1000}.following") << QByteArray("user1000");
    QTest::newRow("tag in the middle") << QByteArray("foo{bar}zap") << QByteArray("bar");
    QTest::newRow("empty tag: whole key") << QByteArray("foo{}{bar}") << QByteArray("foo{}{bar}");
    QTest::newRow("nested open") << QByteArray("foo{{bar}}zap") << QByteArray("{bar");
    QTest::newRow("first tag only") << QByteArray("foo{bar}{zap}") << QByteArray("bar");
    QTest::newRow("no closing brace") << QByteArray("foo{bar") << QByteArray("foo{bar");
    QTest::newRow("closing before opening") << QByteArray("}foo{bar}") << QByteArray("bar");
    QTest::newRow("bull prefix") << QByteArray("{bull}:orders:wait") << QByteArray("bull");
    QTest::newRow("binary") << QByteArray("a{\0\xff}b", 6) << QByteArray("\0\xff", 2);
}

void TestClusterSlots::hashTags()
{
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, hashed);
    QCOMPARE(hashTag(key), hashed);
    QCOMPARE(keySlot(key), int(crc16(hashed) % 16384));
}

void TestClusterSlots::keySlots()
{
    QCOMPARE(keySlot("{user1000}.following"), keySlot("{user1000}.followers"));
    QCOMPARE(keySlot("{user1000}.following"), keySlot("user1000"));
    QCOMPARE(keySlot("foo{}{bar}"), int(crc16("foo{}{bar}") % 16384));
    QCOMPARE(keySlot("foo{{bar}}zap"), int(crc16("{bar") % 16384));
    QCOMPARE(keySlot("{bull}:q:wait"), keySlot("{bull}:other:meta"));
    for (int i = 0; i < 1000; ++i) {
        const int s = keySlot("key:" + QByteArray::number(i));
        QVERIFY(s >= 0 && s < slotCount);
    }
}

void TestClusterSlots::keyIndexes_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QList<qsizetype>>("expected");
    using L = QList<qsizetype>;
    QTest::newRow("GET") << QByteArray("GET k") << L { 1 };
    QTest::newRow("get lower case") << QByteArray("get k") << L { 1 };
    QTest::newRow("SET") << QByteArray("SET k v EX 10") << L { 1 };
    QTest::newRow("HGETALL") << QByteArray("HGETALL h") << L { 1 };
    QTest::newRow("ZRANGE") << QByteArray("ZRANGE z 0 -1 WITHSCORES") << L { 1 };
    QTest::newRow("LRANGE") << QByteArray("LRANGE l 0 9") << L { 1 };
    QTest::newRow("DEL") << QByteArray("DEL a b c") << L { 1, 2, 3 };
    QTest::newRow("MSET") << QByteArray("MSET a 1 b 2") << L { 1, 3 };
    QTest::newRow("RENAME") << QByteArray("RENAME a b") << L { 1, 2 };
    QTest::newRow("BLPOP") << QByteArray("BLPOP a b 5") << L { 1, 2 };
    QTest::newRow("EVALSHA") << QByteArray("EVALSHA abc 2 k1 k2 arg1 arg2") << L { 3, 4 };
    QTest::newRow("EVAL no keys") << QByteArray("EVAL return 0 a") << L {};
    QTest::newRow("EVAL numkeys too large") << QByteArray("EVAL s 5 k1") << L { 3 };
    QTest::newRow("ZUNIONSTORE") << QByteArray("ZUNIONSTORE d 2 a b WEIGHTS 1 2") << L { 1, 3, 4 };
    QTest::newRow("ZINTERCARD") << QByteArray("ZINTERCARD 2 a b") << L { 2, 3 };
    QTest::newRow("XREAD") << QByteArray("XREAD COUNT 10 STREAMS s1 s2 0 0") << L { 4, 5 };
    QTest::newRow("XREADGROUP") << QByteArray("XREADGROUP GROUP g c COUNT 1 STREAMS s >") << L { 7 };
    QTest::newRow("XINFO STREAM") << QByteArray("XINFO STREAM s") << L { 2 };
    QTest::newRow("XINFO HELP") << QByteArray("XINFO HELP") << L {};
    QTest::newRow("MEMORY USAGE") << QByteArray("MEMORY USAGE k") << L { 2 };
    QTest::newRow("OBJECT ENCODING") << QByteArray("OBJECT ENCODING k") << L { 2 };
    QTest::newRow("PING") << QByteArray("PING") << L {};
    QTest::newRow("INFO") << QByteArray("INFO memory") << L {};
    QTest::newRow("SCAN") << QByteArray("SCAN 0 MATCH * COUNT 100") << L {};
    QTest::newRow("unknown") << QByteArray("FROBNICATE k") << L {};
    QTest::newRow("GET without key") << QByteArray("GET") << L {};
}

void TestClusterSlots::keyIndexes()
{
    QFETCH(QByteArray, line);
    QFETCH(QList<qsizetype>, expected);
    QCOMPARE(cluster::keyIndexes(command(line.constData())), expected);
}

void TestClusterSlots::crossSlot()
{
    bool cross = true;
    QCOMPARE(commandSlot(command("MGET {t}a {t}b"), &cross), keySlot("t"));
    QVERIFY(!cross);
    QCOMPARE(commandSlot(command("MGET foo bar"), &cross), keySlot("foo"));
    QVERIFY(cross);
    QCOMPARE(commandSlot(command("PING"), &cross), -1);
    QVERIFY(!cross);
}

namespace {
Reply b(const char* s)
{
    return Reply::bulk(QByteArray(s));
}
Reply node(const char* id, qint64 port, const char* endpoint, const char* role, const char* health = "online")
{
    return Reply::array({ b("id"), b(id), b("port"), Reply::integer(port), b("tls-port"), Reply::integer(port + 1000),
        b("ip"), b("127.0.0.1"), b("endpoint"), b(endpoint), b("role"), b(role), b("replication-offset"),
        Reply::integer(0), b("health"), b(health) });
}
Reply shard(QList<Reply> slotList, QList<Reply> nodes)
{
    return Reply::array({ b("slots"), Reply::array(std::move(slotList)), b("nodes"), Reply::array(std::move(nodes)) });
}
} // namespace

void TestClusterSlots::parseShardsReply()
{
    const Reply reply = Reply::array({
        shard({ Reply::integer(0), Reply::integer(5460), Reply::integer(10923), Reply::integer(10923) },
            { node("a", 7000, "127.0.0.1", "master"), node("ar", 7003, "127.0.0.1", "replica"),
                node("ax", 7006, "127.0.0.1", "replica", "failed") }),
        shard({ Reply::integer(5461), Reply::integer(10922) }, { node("b", 7001, "?", "master") }),
        shard({ Reply::integer(10924), Reply::integer(16383) }, { node("c", 7002, "", "master") }),
        shard({}, { node("d", 7009, "127.0.0.1", "master") }), // no slots: ignored
    });
    QString error;
    const auto map = parseShards(reply, QStringLiteral("seed.example"), false, &error);
    QVERIFY2(map.has_value(), qPrintable(error));
    QCOMPARE(map->shards.size(), 3);
    QCOMPARE(map->coveredSlots(), slotCount);
    QCOMPARE(map->masterOf(0)->toString(), QStringLiteral("127.0.0.1:7000"));
    QCOMPARE(map->masterOf(0)->id, QByteArray("a"));
    QCOMPARE(map->masterOf(10923)->port, quint16(7000));
    QCOMPARE(map->masterOf(5461)->toString(), QStringLiteral("127.0.0.1:7001")); // "?" endpoint: the ip
    QCOMPARE(map->masterOf(16383)->port, quint16(7002));
    QCOMPARE(map->shards.at(0).replicas.size(), 1); // the failed replica is left out
    QCOMPARE(map->shards.at(0).replicas.first().port, quint16(7003));
    QVERIFY(!map->masterOf(16384).has_value());
    QVERIFY(!map->masterOf(-1).has_value());

    const auto tls = parseShards(reply, QStringLiteral("seed"), true, &error);
    QVERIFY(tls.has_value());
    QCOMPARE(tls->masterOf(0)->port, quint16(8000));
}

void TestClusterSlots::parseShardsRejectsGarbage()
{
    QString error;
    QVERIFY(!parseShards(Reply::error("ERR unknown subcommand 'SHARDS'"), {}, false, &error));
    QVERIFY(error.contains(QLatin1String("unknown subcommand")));
    QVERIFY(!parseShards(Reply::integer(3), {}, false, &error));
    QVERIFY(!parseShards(
        Reply::array({ shard({ Reply::integer(0), Reply::integer(99999) }, { node("a", 7000, "h", "master") }) }), {},
        false, &error));
    QVERIFY(error.contains(QLatin1String("99999")));
    QVERIFY(!parseShards(
        Reply::array({ shard({ Reply::integer(0), Reply::integer(1) }, { node("a", 7000, "h", "replica") }) }), {},
        false, &error));
    QVERIFY(!parseShards(Reply::array({ Reply::array({ b("slots") }) }), {}, false, &error));
}

void TestClusterSlots::parseSlotsReply()
{
    const auto addr = [](const char* host, qint64 port, const char* id) {
        return Reply::array({ b(host), Reply::integer(port), b(id) });
    };
    const Reply reply = Reply::array({
        Reply::array(
            { Reply::integer(0), Reply::integer(5460), addr("127.0.0.1", 7000, "a"), addr("127.0.0.1", 7003, "ar") }),
        Reply::array({ Reply::integer(5461), Reply::integer(10922), addr("", 7001, "b") }),
        Reply::array({ Reply::integer(10923), Reply::integer(16383), addr("127.0.0.1", 7000, "a") }),
    });
    QString error;
    const auto map = parseSlots(reply, QStringLiteral("seed"), &error);
    QVERIFY2(map.has_value(), qPrintable(error));
    QCOMPARE(map->shards.size(), 2);
    QCOMPARE(map->coveredSlots(), slotCount);
    QCOMPARE(map->masterOf(16383)->port, quint16(7000));
    QCOMPARE(map->masterOf(6000)->toString(), QStringLiteral("seed:7001"));
    QCOMPARE(map->shards.at(0).replicas.size(), 1);
    QVERIFY(!parseSlots(Reply::array({ Reply::array({ Reply::integer(0), Reply::integer(1) }) }), {}, &error));
    QVERIFY(!parseSlots(
        Reply::array({ Reply::array({ Reply::integer(5), Reply::integer(1), addr("h", 1, "x") }) }), {}, &error));
}

void TestClusterSlots::redirects()
{
    auto r = parseRedirect(Reply::error("MOVED 3999 127.0.0.1:6381"), QStringLiteral("h"));
    QVERIFY(r.has_value());
    QVERIFY(!r->ask);
    QCOMPARE(r->slot, 3999);
    QCOMPARE(r->target.toString(), QStringLiteral("127.0.0.1:6381"));
    r = parseRedirect(Reply::error("ASK 12 :7000"), QStringLiteral("from.host"));
    QVERIFY(r.has_value());
    QVERIFY(r->ask);
    QCOMPARE(r->target.toString(), QStringLiteral("from.host:7000"));
    r = parseRedirect(Reply::error("MOVED 1 [::1]:7000"), QStringLiteral("h"));
    QVERIFY(r.has_value());
    QCOMPARE(r->target.host, QStringLiteral("::1"));
    QVERIFY(!parseRedirect(Reply::error("ERR wrong"), {}));
    QVERIFY(!parseRedirect(Reply::error("MOVED 99999 h:1"), {}));
    QVERIFY(!parseRedirect(Reply::error("MOVED 1 h"), {}));
    QVERIFY(!parseRedirect(Reply::error("MOVED 1 h:0"), {}));
    QVERIFY(!parseRedirect(Reply::bulk("MOVED 1 h:1"), {}));
    QVERIFY(!parseRedirect(Reply::failure(Reply::ErrorKind::Connection, QStringLiteral("MOVED 1 h:1")), {}));
}

void TestClusterSlots::assignAfterMoved()
{
    SlotMap map;
    QVERIFY(map.isEmpty());
    map.assign(5, NodeAddress { QStringLiteral("h"), 1, {} });
    map.assign(6, NodeAddress { QStringLiteral("h"), 1, {} });
    map.assign(7, NodeAddress { QStringLiteral("h"), 2, {} });
    QCOMPARE(map.shards.size(), 2);
    QCOMPARE(map.masterOf(6)->port, quint16(1));
    QCOMPARE(map.masterOf(7)->port, quint16(2));
    QVERIFY(!map.masterOf(8).has_value());
    QCOMPARE(map.coveredSlots(), 3);
}

void TestClusterSlots::clusterUrls()
{
    QString error;
    auto o = ConnectionOptions::fromUrl(
        QStringLiteral("redis-cluster://app:secret@10.0.0.1:7000,10.0.0.2,[::1]:7002?timeout=500"), &error);
    QVERIFY2(o.has_value(), qPrintable(error));
    QVERIFY(o->cluster);
    QCOMPARE(o->clusterSeeds.size(), 3);
    QCOMPARE(o->host, QStringLiteral("10.0.0.1"));
    QCOMPARE(o->port, quint16(7000));
    QCOMPARE(o->clusterSeeds.at(1).port, quint16(6379));
    QCOMPARE(o->clusterSeeds.at(2).host, QStringLiteral("::1"));
    QCOMPARE(o->user, QStringLiteral("app"));
    QCOMPARE(o->password, QStringLiteral("secret"));
    QCOMPARE(o->requestTimeoutMs, 500);
    QCOMPARE(o->transport, ConnectionOptions::Transport::Tcp);
    QCOMPARE(o->displayAddress(), QStringLiteral("cluster 10.0.0.1:7000,10.0.0.2:6379,[::1]:7002"));

    o = ConnectionOptions::fromUrl(QStringLiteral("rediss-cluster://h:7000/0?insecure=1"), &error);
    QVERIFY2(o.has_value(), qPrintable(error));
    QCOMPARE(o->transport, ConnectionOptions::Transport::Tls);
    QVERIFY(o->insecure);
    QCOMPARE(o->displayAddress(), QStringLiteral("cluster h:7000"));

    // A plain URL is not a cluster.
    o = ConnectionOptions::fromUrl(QStringLiteral("redis://h:7000"), &error);
    QVERIFY(o.has_value() && !o->cluster && o->clusterSeeds.isEmpty());

    QVERIFY(!ConnectionOptions::fromUrl(QStringLiteral("redis-cluster://h:7000/2"), &error));
    QVERIFY2(error.contains(QLatin1String("database 0 only")), qPrintable(error));
    QVERIFY(!ConnectionOptions::fromUrl(QStringLiteral("redis-cluster://h:7000?db=3"), &error));
    QVERIFY2(error.contains(QLatin1String("database 0 only")), qPrintable(error));
    QVERIFY(!ConnectionOptions::fromUrl(QStringLiteral("redis-cluster://h:7000,,h:7001"), &error));
    QVERIFY2(error.contains(QLatin1String("missing")), qPrintable(error));
    QVERIFY(!ConnectionOptions::fromUrl(QStringLiteral("redis-cluster://h:99999"), &error));
    QVERIFY(!ConnectionOptions::fromUrl(QStringLiteral("redis-cluster://h:7000?ca=/x"), &error));
    QVERIFY2(error.contains(QLatin1String("TLS option")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestClusterSlots)
#include "tst_clusterslots.moc"
