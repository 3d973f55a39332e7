// SPDX-License-Identifier: MIT
#include "commandpolicy.h"

namespace bullpen {

namespace {

// Commands with subcommands: the guard looks at "container|sub".
const QSet<QByteArray>& containers()
{
    static const QSet<QByteArray> set {
        "acl", "client", "cluster", "command", "config", "debug", "function", "latency", "memory", "module",
        "object", "pubsub", "script", "slowlog", "xgroup", "xinfo",
    };
    return set;
}

// Redis 7.0's @write category (`COMMAND LIST FILTERBY ACLCAT write`): used until the server's
// own table is known, then replaced by it.
const QSet<QByteArray>& builtinWrites()
{
    static const QSet<QByteArray> set {
        "append", "bitfield", "bitop", "blmove", "blmpop", "blpop", "brpop", "brpoplpush", "bzmpop", "bzpopmax",
        "bzpopmin", "copy", "decr", "decrby", "del", "expire", "expireat", "flushall", "flushdb", "geoadd",
        "georadius", "georadiusbymember", "geosearchstore", "getdel", "getex", "getset", "hdel", "hincrby",
        "hincrbyfloat", "hmset", "hset", "hsetnx", "incr", "incrby", "incrbyfloat", "linsert", "lmove", "lmpop",
        "lpop", "lpush", "lpushx", "lrem", "lset", "ltrim", "migrate", "move", "mset", "msetnx", "persist", "pexpire",
        "pexpireat", "pfadd", "pfdebug", "pfmerge", "psetex", "rename", "renamenx", "restore", "restore-asking",
        "rpop", "rpoplpush", "rpush", "rpushx", "sadd", "sdiffstore", "set", "setbit", "setex", "setnx", "setrange",
        "sinterstore", "smove", "sort", "spop", "srem", "sunionstore", "swapdb", "unlink", "xack", "xadd",
        "xautoclaim", "xclaim", "xdel", "xgroup|create", "xgroup|createconsumer", "xgroup|delconsumer",
        "xgroup|destroy", "xgroup|setid", "xreadgroup", "xsetid", "xtrim", "zadd", "zdiffstore", "zincrby",
        "zinterstore", "zmpop", "zpopmax", "zpopmin", "zrangestore", "zrem", "zremrangebylex", "zremrangebyrank",
        "zremrangebyscore", "zunionstore", "function|delete", "function|flush", "function|load", "function|restore",
    };
    return set;
}

// Commands outside @write that still change what others see: messages, configuration, users,
// persistence, replication, cluster layout, transactions. They stay writes whatever the
// server's table says.
const QSet<QByteArray>& otherWrites()
{
    static const QSet<QByteArray> set {
        "publish", "spublish", "script|flush", "script|load", "config|set", "config|resetstat", "config|rewrite",
        "acl|setuser", "acl|deluser", "acl|load", "acl|save", "client|kill", "client|pause", "slowlog|reset",
        "latency|reset", "memory|purge", "module|load", "module|unload", "module|loadex", "cluster|reset",
        "cluster|failover", "cluster|addslots", "cluster|delslots", "cluster|forget", "cluster|meet",
        "cluster|replicate", "cluster|setslot", "cluster|flushslots", "cluster|addslotsrange", "cluster|delslotsrange",
        "cluster|set-config-epoch", "cluster|bumpepoch", "replicaof", "slaveof", "failover", "shutdown", "save",
        "bgsave", "bgrewriteaof", "sync", "psync", "monitor", "multi", "exec",
    };
    return set;
}

// DEBUG is not in @write, yet most subcommands change data or the server (POPULATE, RELOAD,
// SET-ACTIVE-EXPIRE, …): only these leave both alone.
const QSet<QByteArray>& debugReads()
{
    static const QSet<QByteArray> set {
        "debug|sleep", "debug|object", "debug|digest", "debug|digest-value", "debug|help",
    };
    return set;
}

// Read-only commands we know; under read-only mode anything in neither table is refused
// until the server's own table is known (an unknown module command might write).
const QSet<QByteArray>& builtinReads()
{
    static const QSet<QByteArray> set {
        "ping", "echo", "info", "time", "dbsize", "exists", "get", "getrange", "strlen", "mget", "type", "ttl",
        "pttl", "expiretime", "pexpiretime", "scan", "sscan", "hscan", "zscan", "hget", "hgetall", "hmget", "hkeys",
        "hvals", "hlen", "hexists", "hstrlen", "hrandfield", "lrange", "llen", "lindex", "lpos", "smembers",
        "scard", "sismember", "smismember", "srandmember", "sinter", "sintercard", "sunion", "sdiff", "zrange",
        "zrangebyscore", "zrevrangebyscore", "zrangebylex", "zrevrangebylex", "zrevrange", "zcard", "zscore",
        "zmscore", "zrank", "zrevrank", "zcount", "zlexcount", "zrandmember", "zdiff", "zinter", "zunion",
        "zintercard", "xrange", "xrevrange", "xlen", "xread", "xpending", "xinfo|stream", "xinfo|groups",
        "xinfo|consumers", "geopos", "geodist", "geohash", "geosearch", "georadius_ro", "georadiusbymember_ro",
        "getbit", "bitcount", "bitpos", "bitfield_ro", "object|encoding", "object|freq", "object|idletime",
        "object|refcount", "memory|usage", "memory|stats", "memory|doctor", "memory|malloc-stats", "slowlog|get",
        "slowlog|len", "latency|latest", "latency|history", "latency|doctor", "client|list", "client|info",
        "client|getname", "client|setname", "client|id", "config|get", "command|count", "command|info",
        "command|list", "command|docs", "command|getkeys", "cluster|info", "cluster|nodes", "cluster|slots",
        "cluster|shards", "cluster|keyslot", "cluster|myid", "pubsub|channels", "pubsub|numsub", "pubsub|numpat",
        "pubsub|shardchannels", "pubsub|shardnumsub", "role", "lolwut", "randomkey", "touch", "dump", "lcs",
        "substr", "sort_ro", "eval_ro", "evalsha_ro", "fcall_ro", "script|exists", "readonly", "readwrite", "auth",
        "asking", "hello", "select", "subscribe", "psubscribe", "unsubscribe", "punsubscribe", "ssubscribe", "sunsubscribe",
        "quit", "reset", "watch", "unwatch", "discard", "wait", "keys", "acl|whoami", "acl|cat", "acl|list",
        "acl|users", "acl|getuser", "acl|log", "function|list", "function|stats", "function|dump",
        "pfcount", "lastsave", "command", "module|list", "latency|histogram", "latency|graph",
        "cluster|countkeysinslot", "cluster|getkeysinslot", "cluster|links", "cluster|replicas", "cluster|slaves",
        "cluster|count-failure-reports", "client|trackinginfo", "client|getredir", "command|getkeysandflags",
        "acl|dryrun", "acl|genpass", "acl|help", "client|help", "cluster|help", "command|help", "config|help",
        "function|help", "latency|help", "memory|help", "module|help", "object|help", "pubsub|help", "script|help",
        "slowlog|help", "xgroup|help", "xinfo|help",
    };
    return set;
}

// Refused in every mode unless the caller opts in for that call.
const QSet<QByteArray>& dangerous()
{
    static const QSet<QByteArray> set {
        "flushall", "flushdb", "keys", "shutdown", "debug", "config|set", "config|resetstat", "config|rewrite",
        "script|flush", "function|flush", "cluster|reset", "cluster|failover", "cluster|flushslots", "monitor",
        "sync", "psync", "replicaof", "slaveof", "failover", "swapdb", "save", "client|pause", "client|kill",
        "acl|deluser", "acl|setuser", "acl|load", "module|load", "module|unload", "module|loadex", "migrate",
        "memory|purge",
        // These change the connection's protocol state behind the connection's back. After
        // CLIENT REPLY OFF/SKIP replies no longer match requests; SCRIPT DEBUG turns the next EVAL
        // into a debugger session.
        "subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe", "hello",
        "select", "quit", "reset", "auth", "readonly", "readwrite", "client|reply", "script|debug",
    };
    return set;
}

} // namespace

CommandPolicy::CommandPolicy() = default;

void CommandPolicy::setServerWriteCommands(QSet<QByteArray> names)
{
    if (names.isEmpty())
        return;
    m_serverWrites = std::make_shared<const QSet<QByteArray>>(std::move(names));
    m_cache.clear();
}

QByteArray CommandPolicy::commandName(const Command& argv)
{
    if (argv.isEmpty())
        return {};
    QByteArray name = argv.first().toLower();
    if (argv.size() > 1 && containers().contains(name))
        name += '|' + argv.at(1).toLower();
    return name;
}

namespace {

using Access = CommandPolicy::Access;

Access access(const Command& argv, const QSet<QByteArray>* serverWrites)
{
    if (argv.isEmpty())
        return Access::Read;
    const QByteArray name = CommandPolicy::commandName(argv);
    const QByteArray base = argv.first().toLower();
    const auto listed = [&](const QSet<QByteArray>& set) { return set.contains(name) || set.contains(base); };
    // Scripts may write whatever the server's flags say: only the _RO forms are reads.
    if (base == "eval" || base == "evalsha" || base == "fcall")
        return Access::Write;
    if (base == "debug")
        return debugReads().contains(name) ? Access::Read : Access::Write;
    if (listed(otherWrites()))
        return Access::Write;
    // The built-in list stays a floor: a server that renamed SET must not turn it into a read.
    if (listed(builtinWrites()))
        return Access::Write;
    if (serverWrites)
        return listed(*serverWrites) ? Access::Write : Access::Read;
    // Until the server says otherwise an unknown command (a module's, a newer server's) might write.
    return listed(builtinReads()) ? Access::Read : Access::Unknown;
}

} // namespace

bool CommandPolicy::isWrite(const Command& argv) const
{
    return access(argv, m_serverWrites.get()) != Access::Read;
}

bool CommandPolicy::isDangerous(const Command& argv) const
{
    if (argv.isEmpty())
        return false;
    const QByteArray base = argv.first().toLower();
    return dangerous().contains(commandName(argv)) || dangerous().contains(base);
}

CommandPolicy::Verdict CommandPolicy::classify(const Command& argv) const
{
    const QByteArray& spelled = argv.first();
    if (const auto it = m_cache.constFind(spelled); it != m_cache.cend() && !it->container)
        return *it;
    Verdict v;
    v.container = containers().contains(spelled.toLower());
    v.dangerous = isDangerous(argv);
    v.access = access(argv, m_serverWrites.get());
    if (!v.container) {
        if (m_cache.size() >= 4096) // arbitrary names must not grow it without bound
            m_cache.clear();
        m_cache.insert(spelled, v);
    } else if (!m_cache.contains(spelled)) {
        m_cache.insert(spelled, Verdict { true, false, Access::Unknown });
    }
    return v;
}

QString CommandPolicy::check(const Command& argv, bool readOnly, bool allowDangerous) const
{
    if (argv.isEmpty())
        return QStringLiteral("empty command");
    const Verdict v = classify(argv);
    if ((allowDangerous || !v.dangerous) && (!readOnly || v.access == Access::Read))
        return {};
    const QString name = QString::fromUtf8(commandName(argv)).toUpper().replace(QLatin1Char('|'), QLatin1Char(' '));
    if (!allowDangerous && v.dangerous)
        return QStringLiteral("%1 is refused: it can harm the server or break this connection").arg(name);
    if (v.access == Access::Write)
        return QStringLiteral("%1 is refused: this connection is read-only").arg(name);
    return QStringLiteral("%1 is refused: this connection is read-only, and %1 is not known to be read-only").arg(name);
}

} // namespace bullpen
