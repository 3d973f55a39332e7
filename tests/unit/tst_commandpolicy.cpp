// SPDX-License-Identifier: MIT
// The guard that runs before a command is sent: read-only mode, dangerous commands, and the
// server's own table of write commands.
#include "commandpolicy.h"

#include <QTest>

using namespace bullpen;

namespace {

// "config|set" -> { "config", "set" }: command names as COMMAND LIST spells them.
Command fromName(const QByteArray& name)
{
    return name.split('|');
}

// Redis 7.0.15, `COMMAND LIST FILTERBY ACLCAT write` and `... ACLCAT read`.
const QByteArrayList& redis70Writes()
{
    static const QByteArrayList list { "append", "bitfield", "bitop", "blmove", "blmpop", "blpop", "brpop",
        "brpoplpush", "bzmpop", "bzpopmax", "bzpopmin", "copy", "decr", "decrby", "del", "expire", "expireat",
        "flushall", "flushdb", "function|delete", "function|flush", "function|load", "function|restore", "geoadd",
        "georadius", "georadiusbymember", "geosearchstore", "getdel", "getex", "getset", "hdel", "hincrby",
        "hincrbyfloat", "hmset", "hset", "hsetnx", "incr", "incrby", "incrbyfloat", "linsert", "lmove", "lmpop", "lpop",
        "lpush", "lpushx", "lrem", "lset", "ltrim", "migrate", "move", "mset", "msetnx", "persist", "pexpire",
        "pexpireat", "pfadd", "pfdebug", "pfmerge", "psetex", "rename", "renamenx", "restore", "restore-asking", "rpop",
        "rpoplpush", "rpush", "rpushx", "sadd", "sdiffstore", "set", "setbit", "setex", "setnx", "setrange",
        "sinterstore", "smove", "sort", "spop", "srem", "sunionstore", "swapdb", "unlink", "xack", "xadd", "xautoclaim",
        "xclaim", "xdel", "xgroup|create", "xgroup|createconsumer", "xgroup|delconsumer", "xgroup|destroy",
        "xgroup|setid", "xreadgroup", "xsetid", "xtrim", "zadd", "zdiffstore", "zincrby", "zinterstore", "zmpop",
        "zpopmax", "zpopmin", "zrangestore", "zrem", "zremrangebylex", "zremrangebyrank", "zremrangebyscore",
        "zunionstore" };
    return list;
}

const QByteArrayList& redis70Reads()
{
    static const QByteArrayList list { "bitcount", "bitfield_ro", "bitpos", "dbsize", "dump", "exists", "expiretime",
        "geodist", "geohash", "geopos", "georadius_ro", "georadiusbymember_ro", "geosearch", "get", "getbit",
        "getrange", "hexists", "hget", "hgetall", "hkeys", "hlen", "hmget", "hrandfield", "hscan", "hstrlen", "hvals",
        "keys", "lcs", "lindex", "llen", "lolwut", "lpos", "lrange", "memory|usage", "mget", "object|encoding",
        "object|freq", "object|idletime", "object|refcount", "pexpiretime", "pfcount", "pttl", "randomkey", "scan",
        "scard", "sdiff", "sinter", "sintercard", "sismember", "smembers", "smismember", "sort_ro", "srandmember",
        "sscan", "strlen", "substr", "sunion", "touch", "ttl", "type", "xinfo|consumers", "xinfo|groups",
        "xinfo|stream", "xlen", "xpending", "xrange", "xread", "xrevrange", "zcard", "zcount", "zdiff", "zinter",
        "zintercard", "zlexcount", "zmscore", "zrandmember", "zrange", "zrangebylex", "zrangebyscore", "zrank",
        "zrevrange", "zrevrangebylex", "zrevrangebyscore", "zrevrank", "zscan", "zscore", "zunion" };
    return list;
}

} // namespace

class TestCommandPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readOnlyRefusesWrites_data();
    void readOnlyRefusesWrites();
    void readOnlyAllowsReads_data();
    void readOnlyAllowsReads();
    void dangerous_data();
    void dangerous();
    void allowDangerousKeepsReadOnly_data();
    void allowDangerousKeepsReadOnly();
    void unknownCommands();
    void serverTableExtendsBuiltin();
    void builtinTablesMatchRedis70();
    void commandName_data();
    void commandName();
    void emptyCommand();
};

void TestCommandPolicy::readOnlyRefusesWrites_data()
{
    QTest::addColumn<Command>("argv");
    QTest::addColumn<QString>("name"); // as the refusal names it

    QTest::addRow("SET") << command("SET k v") << QStringLiteral("SET");
    QTest::addRow("set lower case") << command("set k v") << QStringLiteral("SET");
    QTest::addRow("Set mixed case") << command("Set k v") << QStringLiteral("SET");
    QTest::addRow("DEL") << command("DEL a b") << QStringLiteral("DEL");
    QTest::addRow("EVAL") << Command { "EVAL", "return 1", "0" } << QStringLiteral("EVAL");
    QTest::addRow("eval") << Command { "eval", "return redis.call('GET', KEYS[1])", "1", "k" }
                          << QStringLiteral("EVAL");
    QTest::addRow("EVALSHA") << command("EVALSHA e0e1f9fabfc9d4800c877a703b823ac0578ff8db 0")
                             << QStringLiteral("EVALSHA");
    QTest::addRow("FCALL") << command("FCALL myfunc 0") << QStringLiteral("FCALL");
    QTest::addRow("CONFIG SET") << command("CONFIG SET maxmemory 1mb") << QStringLiteral("CONFIG SET");
    QTest::addRow("config set lower case") << command("config set maxmemory 1mb") << QStringLiteral("CONFIG SET");
    QTest::addRow("XADD") << command("XADD s * f v") << QStringLiteral("XADD");
    QTest::addRow("PUBLISH") << command("PUBLISH ch hello") << QStringLiteral("PUBLISH");
    QTest::addRow("XGROUP CREATE") << command("XGROUP CREATE s g $") << QStringLiteral("XGROUP CREATE");
    QTest::addRow("FLUSHALL") << command("FLUSHALL") << QStringLiteral("FLUSHALL");
    QTest::addRow("EXPIRE") << command("EXPIRE k 10") << QStringLiteral("EXPIRE");
    QTest::addRow("SORT (may STORE)") << command("SORT k STORE dst") << QStringLiteral("SORT");
    QTest::addRow("DEBUG POPULATE") << command("DEBUG POPULATE 1000") << QStringLiteral("DEBUG POPULATE");
    QTest::addRow("DEBUG RELOAD") << command("DEBUG RELOAD") << QStringLiteral("DEBUG RELOAD");
    QTest::addRow("FUNCTION LOAD") << Command { "FUNCTION", "LOAD", "#!lua name=x\n" }
                                   << QStringLiteral("FUNCTION LOAD");
    QTest::addRow("SCRIPT LOAD") << Command { "SCRIPT", "LOAD", "return 1" } << QStringLiteral("SCRIPT LOAD");
    QTest::addRow("CLIENT KILL") << command("CLIENT KILL ID 7") << QStringLiteral("CLIENT KILL");
    QTest::addRow("MULTI") << command("MULTI") << QStringLiteral("MULTI");
    QTest::addRow("SHUTDOWN") << command("SHUTDOWN NOSAVE") << QStringLiteral("SHUTDOWN");
    QTest::addRow("MONITOR") << command("MONITOR") << QStringLiteral("MONITOR");
}

// With allowDangerous, so that the read-only rule alone decides.
void TestCommandPolicy::readOnlyRefusesWrites()
{
    QFETCH(Command, argv);
    QFETCH(QString, name);
    CommandPolicy policy;
    QVERIFY(policy.isWrite(argv));
    const QString why = policy.check(argv, true, true);
    QVERIFY2(why.startsWith(name + QStringLiteral(" is refused")), qPrintable(why));
    QVERIFY2(why.contains(QLatin1String("read-only")), qPrintable(why));
    // The same command passes the read-only rule on a read-write connection.
    QVERIFY(policy.check(argv, false, true).isEmpty());
}

void TestCommandPolicy::readOnlyAllowsReads_data()
{
    QTest::addColumn<Command>("argv");

    QTest::addRow("GET") << command("GET k");
    QTest::addRow("get") << command("get k");
    QTest::addRow("SCAN") << command("SCAN 0 MATCH bull:* COUNT 100");
    QTest::addRow("INFO") << command("INFO");
    QTest::addRow("INFO section") << command("INFO memory");
    QTest::addRow("EVAL_RO") << Command { "EVAL_RO", "return 1", "0" };
    QTest::addRow("eval_ro") << Command { "eval_ro", "return 1", "0" };
    QTest::addRow("EVALSHA_RO") << command("EVALSHA_RO e0e1f9fabfc9d4800c877a703b823ac0578ff8db 0");
    QTest::addRow("FCALL_RO") << command("FCALL_RO myfunc 0");
    QTest::addRow("XINFO STREAM") << command("XINFO STREAM bull:q:events");
    QTest::addRow("xinfo stream mixed case") << command("xInfo Stream s");
    QTest::addRow("XINFO GROUPS") << command("XINFO GROUPS s");
    QTest::addRow("CLIENT LIST") << command("CLIENT LIST");
    QTest::addRow("client list lower case") << command("client list");
    QTest::addRow("CONFIG GET") << command("CONFIG GET maxmemory");
    QTest::addRow("HGETALL") << command("HGETALL bull:q:1");
    QTest::addRow("ZRANGE") << command("ZRANGE bull:q:delayed 0 -1 WITHSCORES");
    QTest::addRow("PFCOUNT") << command("PFCOUNT hll");
    QTest::addRow("LASTSAVE") << command("LASTSAVE");
    QTest::addRow("COMMAND") << command("COMMAND");
    QTest::addRow("COMMAND LIST") << command("COMMAND LIST FILTERBY ACLCAT write");
    QTest::addRow("PING") << command("PING");
    QTest::addRow("MEMORY USAGE") << command("MEMORY USAGE k");
    QTest::addRow("SLOWLOG GET") << command("SLOWLOG GET 10");
}

void TestCommandPolicy::readOnlyAllowsReads()
{
    QFETCH(Command, argv);
    CommandPolicy policy;
    QVERIFY(!policy.isWrite(argv));
    QVERIFY(!policy.isDangerous(argv));
    const QString why = policy.check(argv, true, false);
    QVERIFY2(why.isEmpty(), qPrintable(why));
}

void TestCommandPolicy::dangerous_data()
{
    QTest::addColumn<Command>("argv");
    QTest::addColumn<QString>("name");

    QTest::addRow("FLUSHALL") << command("FLUSHALL") << QStringLiteral("FLUSHALL");
    QTest::addRow("flushall async") << command("flushall async") << QStringLiteral("FLUSHALL");
    QTest::addRow("FLUSHDB") << command("FLUSHDB") << QStringLiteral("FLUSHDB");
    QTest::addRow("KEYS") << command("KEYS *") << QStringLiteral("KEYS");
    QTest::addRow("keys") << command("keys bull:*") << QStringLiteral("KEYS");
    QTest::addRow("SHUTDOWN") << command("SHUTDOWN") << QStringLiteral("SHUTDOWN");
    QTest::addRow("DEBUG SLEEP") << command("DEBUG SLEEP 10") << QStringLiteral("DEBUG SLEEP");
    QTest::addRow("debug sleep") << command("debug sleep 0") << QStringLiteral("DEBUG SLEEP");
    QTest::addRow("DEBUG alone") << command("DEBUG") << QStringLiteral("DEBUG");
    QTest::addRow("CONFIG SET") << command("CONFIG SET save \"\"") << QStringLiteral("CONFIG SET");
    QTest::addRow("CONFIG RESETSTAT") << command("CONFIG RESETSTAT") << QStringLiteral("CONFIG RESETSTAT");
    QTest::addRow("config resetstat") << command("config resetstat") << QStringLiteral("CONFIG RESETSTAT");
    QTest::addRow("SCRIPT FLUSH") << command("SCRIPT FLUSH") << QStringLiteral("SCRIPT FLUSH");
    QTest::addRow("CLUSTER RESET") << command("CLUSTER RESET HARD") << QStringLiteral("CLUSTER RESET");
    QTest::addRow("CLUSTER FAILOVER") << command("CLUSTER FAILOVER") << QStringLiteral("CLUSTER FAILOVER");
    QTest::addRow("MONITOR") << command("MONITOR") << QStringLiteral("MONITOR");
    QTest::addRow("SUBSCRIBE") << command("SUBSCRIBE ch") << QStringLiteral("SUBSCRIBE");
    QTest::addRow("PSUBSCRIBE") << command("PSUBSCRIBE bull:*") << QStringLiteral("PSUBSCRIBE");
    QTest::addRow("SELECT") << command("SELECT 2") << QStringLiteral("SELECT");
    QTest::addRow("CLIENT REPLY") << command("CLIENT REPLY OFF") << QStringLiteral("CLIENT REPLY");
    QTest::addRow("SCRIPT DEBUG") << command("SCRIPT DEBUG YES") << QStringLiteral("SCRIPT DEBUG");
}

// Refused on read-write and read-only connections alike, and even with a server table,
// unless the caller opts in.
void TestCommandPolicy::dangerous()
{
    QFETCH(Command, argv);
    QFETCH(QString, name);
    CommandPolicy policy;
    QVERIFY(policy.isDangerous(argv));
    for (const bool withTable : { false, true }) {
        if (withTable)
            policy.setServerWriteCommands({ "set", "flushall", "flushdb" });
        for (const bool readOnly : { false, true }) {
            const QString why = policy.check(argv, readOnly, false);
            QVERIFY2(why.startsWith(name + QStringLiteral(" is refused")), qPrintable(why));
            QVERIFY2(why.contains(QLatin1String("harm")), qPrintable(why));
        }
    }
    QVERIFY(policy.check(argv, false, true).isEmpty());
}

void TestCommandPolicy::allowDangerousKeepsReadOnly_data()
{
    QTest::addColumn<Command>("argv");
    QTest::addColumn<bool>("allowed");

    QTest::addRow("FLUSHALL is a write") << command("FLUSHALL") << false;
    QTest::addRow("FLUSHDB is a write") << command("FLUSHDB") << false;
    QTest::addRow("CONFIG SET is a write") << command("CONFIG SET maxmemory 1") << false;
    QTest::addRow("SHUTDOWN is a write") << command("SHUTDOWN") << false;
    QTest::addRow("DEBUG POPULATE is a write") << command("DEBUG POPULATE 10") << false;
    QTest::addRow("SCRIPT FLUSH is a write") << command("SCRIPT FLUSH") << false;
    QTest::addRow("DEBUG SLEEP is not") << command("DEBUG SLEEP 0") << true;
    QTest::addRow("DEBUG OBJECT is not") << command("DEBUG OBJECT k") << true;
    QTest::addRow("KEYS is not") << command("KEYS *") << true;
    QTest::addRow("SUBSCRIBE is not") << command("SUBSCRIBE ch") << true;
}

void TestCommandPolicy::allowDangerousKeepsReadOnly()
{
    QFETCH(Command, argv);
    QFETCH(bool, allowed);
    CommandPolicy policy;
    const QString why = policy.check(argv, true, true);
    QCOMPARE(why.isEmpty(), allowed);
    if (!allowed)
        QVERIFY2(why.contains(QLatin1String("read-only")), qPrintable(why));
}

// Until the server's table is known, a command in neither built-in table might write.
void TestCommandPolicy::unknownCommands()
{
    CommandPolicy policy;
    QVERIFY(!policy.hasServerTable());
    for (const char* name : { "mymod.write", "mymod.read", "JSON.GET", "FT.SEARCH" }) {
        const Command argv { name, "k" };
        QVERIFY(policy.isWrite(argv));
        const QString why = policy.check(argv, true, false);
        QVERIFY2(why.startsWith(QString::fromLatin1(name).toUpper() + QStringLiteral(" is refused")), qPrintable(why));
        QVERIFY2(why.contains(QLatin1String("not known to be read-only")), qPrintable(why));
        QVERIFY(policy.check(argv, false, false).isEmpty());
    }
    // An unknown subcommand of a known container is unknown too.
    QVERIFY(!policy.check(command("CLIENT NO-EVICT on"), true, false).isEmpty());
}

void TestCommandPolicy::serverTableExtendsBuiltin()
{
    CommandPolicy policy;
    policy.setServerWriteCommands({ "set", "mymod.write", "config|set", "xgroup|create" });
    QVERIFY(policy.hasServerTable());

    const auto allowed = [&policy](const Command& argv) { return policy.check(argv, true, false).isEmpty(); };
    QVERIFY(!allowed(command("MYMOD.WRITE k v")));
    QVERIFY(!allowed(command("mymod.write k v")));
    QVERIFY(policy.check(command("MyMod.Write k"), true, false).startsWith(QStringLiteral("MYMOD.WRITE is refused")));
    QVERIFY(allowed(command("MYMOD.READ k")));
    QVERIFY(!allowed(command("SET k v")));
    QVERIFY(!allowed(command("XGROUP CREATE s g $")));
    QVERIFY(allowed(command("XGROUP HELP")));
    QVERIFY(allowed(command("GET k")));
    // Writes of other kinds stay refused whatever the server's table says.
    QVERIFY(!allowed(command("PUBLISH ch m")));
    QVERIFY(!allowed(Command { "EVAL", "return 1", "0" }));
    QVERIFY(!allowed(command("FCALL f 0")));
    QVERIFY(!allowed(command("MULTI")));
    QVERIFY(!policy.check(command("DEBUG POPULATE 1"), true, true).isEmpty());
    QVERIFY(policy.check(command("DEBUG SLEEP 0"), true, true).isEmpty());

    // A new table replaces the previous one, but the built-in write list stays a floor: DEL is
    // still a write for a server that does not list it (renamed, or a stripped-down table).
    policy.setServerWriteCommands({ "mymod.other" });
    QVERIFY(allowed(command("MYMOD.WRITE k v")));
    QVERIFY(!allowed(command("MYMOD.OTHER k")));
    QVERIFY(!allowed(command("DEL k")));
    QVERIFY(!allowed(command("PUBLISH ch m")));

    // An empty table cannot come from a real server: it is ignored.
    policy.setServerWriteCommands({});
    QVERIFY(policy.hasServerTable());
    QVERIFY(!allowed(command("MYMOD.OTHER k")));
}

// The built-in tables agree with what a Redis 7.0 server reports for itself.
void TestCommandPolicy::builtinTablesMatchRedis70()
{
    CommandPolicy policy;
    for (const QByteArray& name : redis70Writes()) {
        const Command argv = fromName(name);
        if (!policy.isWrite(argv) || policy.check(argv, true, true).isEmpty())
            QFAIL(qPrintable(QStringLiteral("%1 is not a write").arg(QString::fromLatin1(name))));
        if (!policy.check(argv, false, false).isEmpty() && !policy.isDangerous(argv))
            QFAIL(qPrintable(QStringLiteral("%1 is refused read-write").arg(QString::fromLatin1(name))));
    }
    for (const QByteArray& name : redis70Reads()) {
        const Command argv = fromName(name);
        if (policy.isWrite(argv) || !policy.check(argv, true, true).isEmpty())
            QFAIL(qPrintable(QStringLiteral("%1 is not a read").arg(QString::fromLatin1(name))));
    }
}

void TestCommandPolicy::commandName_data()
{
    QTest::addColumn<Command>("argv");
    QTest::addColumn<QByteArray>("name");

    QTest::addRow("simple") << command("GET k") << QByteArray("get");
    QTest::addRow("upper case") << command("HGETALL k") << QByteArray("hgetall");
    QTest::addRow("container") << command("CONFIG SET a b") << QByteArray("config|set");
    QTest::addRow("container mixed case") << command("Config Get maxmemory") << QByteArray("config|get");
    QTest::addRow("container alone") << command("CONFIG") << QByteArray("config");
    QTest::addRow("debug") << command("DEBUG SLEEP 1") << QByteArray("debug|sleep");
    QTest::addRow("xinfo") << command("XINFO STREAM s FULL") << QByteArray("xinfo|stream");
    QTest::addRow("not a container") << command("SET CONFIG x") << QByteArray("set");
    QTest::addRow("empty") << Command {} << QByteArray();
}

void TestCommandPolicy::commandName()
{
    QFETCH(Command, argv);
    QFETCH(QByteArray, name);
    QCOMPARE(CommandPolicy::commandName(argv), name);
}

void TestCommandPolicy::emptyCommand()
{
    CommandPolicy policy;
    QCOMPARE(policy.check(Command {}, false, true), QStringLiteral("empty command"));
    QCOMPARE(policy.check(Command {}, true, false), QStringLiteral("empty command"));
    QVERIFY(!policy.isDangerous(Command {}));
}

QTEST_GUILESS_MAIN(TestCommandPolicy)
#include "tst_commandpolicy.moc"
