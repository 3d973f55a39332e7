// SPDX-License-Identifier: MIT
#include "clusterslots.h"

#include <QHash>

#include <array>

namespace bullpen::cluster {

namespace {

    // Table-driven CRC16-CCITT (XMODEM), as in the appendix of the Redis Cluster specification.
    constexpr std::array<quint16, 256> makeCrcTable()
    {
        std::array<quint16, 256> t {};
        for (int i = 0; i < 256; ++i) {
            quint16 crc = quint16(i << 8);
            for (int b = 0; b < 8; ++b)
                crc = (crc & 0x8000) ? quint16((crc << 1) ^ 0x1021) : quint16(crc << 1);
            t[size_t(i)] = crc;
        }
        return t;
    }
    constexpr std::array<quint16, 256> crcTable = makeCrcTable();

    enum class Keys : quint8 {
        First, ///< argv[1]
        FirstTwo, ///< argv[1], argv[2]
        All, ///< argv[1..]
        AllButLast, ///< argv[1..n-2] (blocking pops: the last argument is the timeout)
        EveryOther, ///< argv[1], argv[3], … (MSET k v k v)
        NumKeysAt2, ///< argv[2] = numkeys, keys from argv[3] (EVAL script numkeys k…)
        DestNumKeysAt2, ///< argv[1] = destination, argv[2] = numkeys, keys from argv[3]
        NumKeysAt1, ///< argv[1] = numkeys, keys from argv[2]
        Streams, ///< after the STREAMS token, the first half of the rest
        SecondAfterSubcommand, ///< argv[2] (XINFO STREAM key, OBJECT ENCODING key, MEMORY USAGE key)
    };

    const QHash<QByteArray, Keys>& keyTable()
    {
        static const QHash<QByteArray, Keys> table = [] {
            QHash<QByteArray, Keys> t;
            const auto add = [&t](std::initializer_list<const char*> names, Keys k) {
                for (const char* n : names)
                    t.insert(QByteArray(n), k);
            };
            add({ "GET", "SET", "SETNX", "SETEX", "PSETEX", "GETSET", "GETDEL", "GETEX", "APPEND", "STRLEN", "INCR",
                    "INCRBY", "DECR", "DECRBY", "INCRBYFLOAT", "GETRANGE", "SETRANGE", "SUBSTR", "GETBIT", "SETBIT",
                    "BITCOUNT", "BITPOS", "BITFIELD", "BITFIELD_RO", "PFADD",
                    // hashes
                    "HGET", "HSET", "HSETNX", "HMSET", "HMGET", "HDEL", "HLEN", "HGETALL", "HKEYS", "HVALS", "HEXISTS",
                    "HINCRBY", "HINCRBYFLOAT", "HSCAN", "HSTRLEN", "HRANDFIELD",
                    // lists
                    "LPUSH", "RPUSH", "LPUSHX", "RPUSHX", "LPOP", "RPOP", "LLEN", "LRANGE", "LINDEX", "LSET", "LREM",
                    "LTRIM", "LINSERT", "LPOS",
                    // sets
                    "SADD", "SREM", "SMEMBERS", "SCARD", "SISMEMBER", "SMISMEMBER", "SSCAN", "SPOP", "SRANDMEMBER",
                    // sorted sets
                    "ZADD", "ZREM", "ZRANGE", "ZREVRANGE", "ZRANGEBYSCORE", "ZREVRANGEBYSCORE", "ZRANGEBYLEX",
                    "ZREVRANGEBYLEX", "ZCARD", "ZSCORE", "ZMSCORE", "ZCOUNT", "ZLEXCOUNT", "ZRANK", "ZREVRANK",
                    "ZINCRBY", "ZSCAN", "ZREMRANGEBYSCORE", "ZREMRANGEBYRANK", "ZREMRANGEBYLEX", "ZPOPMIN", "ZPOPMAX",
                    "ZRANDMEMBER",
                    // streams
                    "XADD", "XRANGE", "XREVRANGE", "XLEN", "XTRIM", "XDEL", "XACK", "XPENDING", "XCLAIM", "XAUTOCLAIM",
                    "XSETID",
                    // geo
                    "GEOADD", "GEODIST", "GEOHASH", "GEOPOS", "GEOSEARCH", "GEORADIUS", "GEORADIUSBYMEMBER",
                    // keyspace
                    "TYPE", "TTL", "PTTL", "EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT", "EXPIRETIME", "PEXPIRETIME",
                    "PERSIST", "DUMP", "RESTORE", "SORT", "SORT_RO" },
                Keys::First);
            add({ "RENAME", "RENAMENX", "RPOPLPUSH", "LMOVE", "BLMOVE", "SMOVE", "COPY", "LCS", "GEOSEARCHSTORE",
                    "ZRANGESTORE" },
                Keys::FirstTwo);
            add({ "DEL", "UNLINK", "EXISTS", "TOUCH", "MGET", "WATCH", "PFCOUNT", "PFMERGE", "SINTER", "SUNION",
                    "SDIFF", "SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE" },
                Keys::All);
            add({ "BLPOP", "BRPOP", "BZPOPMIN", "BZPOPMAX", "BRPOPLPUSH" }, Keys::AllButLast);
            add({ "MSET", "MSETNX" }, Keys::EveryOther);
            add({ "EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO" }, Keys::NumKeysAt2);
            add({ "ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE" }, Keys::DestNumKeysAt2);
            add({ "ZUNION", "ZINTER", "ZDIFF", "ZINTERCARD", "SINTERCARD", "LMPOP", "ZMPOP" }, Keys::NumKeysAt1);
            add({ "XREAD", "XREADGROUP" }, Keys::Streams);
            add({ "XINFO", "XGROUP", "OBJECT", "MEMORY" }, Keys::SecondAfterSubcommand);
            return t;
        }();
        return table;
    }

    void addNumKeys(const Command& argv, qsizetype numKeysAt, QList<qsizetype>* out)
    {
        if (argv.size() <= numKeysAt)
            return;
        bool ok = false;
        const qint64 n = argv.at(numKeysAt).toLongLong(&ok);
        if (!ok || n < 0)
            return;
        for (qsizetype i = numKeysAt + 1; i < argv.size() && i <= numKeysAt + n; ++i)
            out->append(i);
    }

    QString text(const Reply& r)
    {
        return QString::fromUtf8(r.bytes());
    }

    // A flat "name value name value" array (RESP2 maps) as a lookup.
    QHash<QByteArray, Reply> fields(const Reply& r)
    {
        QHash<QByteArray, Reply> out;
        for (qsizetype i = 0; i + 1 < r.size(); i += 2)
            out.insert(r.at(i).bytes().toLower(), r.at(i + 1));
        return out;
    }

    QString hostOf(const QString& announced, const QString& seedHost)
    {
        return (announced.isEmpty() || announced == QLatin1String("?")) ? seedHost : announced;
    }

} // namespace

quint16 crc16(const QByteArray& data)
{
    quint16 crc = 0;
    for (const char c : data)
        crc = quint16((crc << 8) ^ crcTable[size_t(((crc >> 8) ^ quint8(c)) & 0xff)]);
    return crc;
}

QByteArray hashTag(const QByteArray& key)
{
    const qsizetype open = key.indexOf('{');
    if (open < 0)
        return key;
    const qsizetype close = key.indexOf('}', open + 1);
    if (close < 0 || close == open + 1)
        return key;
    return key.mid(open + 1, close - open - 1);
}

int keySlot(const QByteArray& key)
{
    return crc16(hashTag(key)) & (slotCount - 1);
}

QList<qsizetype> keyIndexes(const Command& argv)
{
    QList<qsizetype> out;
    if (argv.isEmpty())
        return out;
    const auto it = keyTable().constFind(argv.first().toUpper());
    if (it == keyTable().cend())
        return out;
    const qsizetype n = argv.size();
    switch (*it) {
    case Keys::First:
        if (n > 1)
            out.append(1);
        break;
    case Keys::FirstTwo:
        for (qsizetype i = 1; i < n && i <= 2; ++i)
            out.append(i);
        break;
    case Keys::All:
        for (qsizetype i = 1; i < n; ++i)
            out.append(i);
        break;
    case Keys::AllButLast:
        for (qsizetype i = 1; i + 1 < n; ++i)
            out.append(i);
        break;
    case Keys::EveryOther:
        for (qsizetype i = 1; i < n; i += 2)
            out.append(i);
        break;
    case Keys::NumKeysAt2:
        addNumKeys(argv, 2, &out);
        break;
    case Keys::DestNumKeysAt2:
        if (n > 1)
            out.append(1);
        addNumKeys(argv, 2, &out);
        break;
    case Keys::NumKeysAt1:
        addNumKeys(argv, 1, &out);
        break;
    case Keys::Streams:
        for (qsizetype i = 1; i < n; ++i) {
            if (argv.at(i).toUpper() == "STREAMS") {
                const qsizetype rest = n - i - 1;
                for (qsizetype k = 0; k < rest / 2; ++k)
                    out.append(i + 1 + k);
                break;
            }
        }
        break;
    case Keys::SecondAfterSubcommand:
        if (n > 2 && argv.at(1).toUpper() != "HELP")
            out.append(2);
        break;
    }
    return out;
}

int commandSlot(const Command& argv, bool* crossSlot)
{
    if (crossSlot)
        *crossSlot = false;
    int slot = -1;
    for (const qsizetype i : keyIndexes(argv)) {
        const int s = keySlot(argv.at(i));
        if (slot < 0)
            slot = s;
        else if (s != slot && crossSlot)
            *crossSlot = true;
    }
    return slot;
}

std::optional<NodeAddress> SlotMap::masterOf(int slot) const
{
    if (slot < 0 || slot >= slotCount)
        return std::nullopt;
    const qint16 i = owner.at(slot);
    if (i < 0 || i >= shards.size())
        return std::nullopt;
    return shards.at(i).master;
}

int SlotMap::coveredSlots() const
{
    int n = 0;
    for (const qint16 o : owner)
        n += o >= 0 ? 1 : 0;
    return n;
}

void SlotMap::assign(int slot, const NodeAddress& master)
{
    if (slot < 0 || slot >= slotCount)
        return;
    for (qsizetype i = 0; i < shards.size(); ++i) {
        if (shards.at(i).master == master) {
            owner[slot] = qint16(i);
            return;
        }
    }
    shards.append(Shard { master, {} });
    owner[slot] = qint16(shards.size() - 1);
}

std::optional<SlotMap> parseShards(const Reply& reply, const QString& seedHost, bool tls, QString* error)
{
    const auto fail = [error](const QString& why) -> std::optional<SlotMap> {
        if (error)
            *error = QStringLiteral("unexpected CLUSTER SHARDS reply: ") + why;
        return std::nullopt;
    };
    if (reply.isError())
        return fail(reply.errorMessage());
    if (!reply.isArray())
        return fail(QStringLiteral("not an array"));
    SlotMap map;
    for (const Reply& shard : reply.elements()) {
        const auto f = fields(shard);
        const Reply slotList = f.value("slots");
        const Reply nodes = f.value("nodes");
        if (!slotList.isArray() || !nodes.isArray() || slotList.size() % 2 != 0)
            return fail(QStringLiteral("a shard without slots or nodes"));
        SlotMap::Shard s;
        bool haveMaster = false;
        for (const Reply& node : nodes.elements()) {
            const auto nf = fields(node);
            NodeAddress a;
            a.host = hostOf(text(nf.value("endpoint")), hostOf(text(nf.value("ip")), seedHost));
            const qint64 port
                = (tls && nf.contains("tls-port")) ? nf.value("tls-port").toInteger() : nf.value("port").toInteger();
            if (port <= 0 || port > 65535)
                return fail(QStringLiteral("a node without a port"));
            a.port = quint16(port);
            a.id = nf.value("id").bytes();
            const bool healthy = !nf.contains("health") || nf.value("health").bytes() == "online";
            if (nf.value("role").bytes() == "master") {
                s.master = a;
                haveMaster = true;
            } else if (healthy) {
                s.replicas.append(a);
            }
        }
        if (slotList.size() == 0)
            continue; // a shard that serves nothing (a master without slots)
        if (!haveMaster)
            return fail(QStringLiteral("a shard with slots and no master"));
        map.shards.append(s);
        const auto index = qint16(map.shards.size() - 1);
        for (qsizetype i = 0; i + 1 < slotList.size(); i += 2) {
            const qint64 lo = slotList.at(i).toInteger();
            const qint64 hi = slotList.at(i + 1).toInteger();
            if (lo < 0 || hi >= slotCount || lo > hi)
                return fail(QStringLiteral("slot range %1-%2").arg(lo).arg(hi));
            for (qint64 k = lo; k <= hi; ++k)
                map.owner[k] = index;
        }
    }
    return map;
}

std::optional<SlotMap> parseSlots(const Reply& reply, const QString& seedHost, QString* error)
{
    const auto fail = [error](const QString& why) -> std::optional<SlotMap> {
        if (error)
            *error = QStringLiteral("unexpected CLUSTER SLOTS reply: ") + why;
        return std::nullopt;
    };
    if (reply.isError())
        return fail(reply.errorMessage());
    if (!reply.isArray())
        return fail(QStringLiteral("not an array"));
    SlotMap map;
    const auto address = [&seedHost](const Reply& n) -> std::optional<NodeAddress> {
        if (!n.isArray() || n.size() < 2)
            return std::nullopt;
        const qint64 port = n.at(1).toInteger();
        if (port <= 0 || port > 65535)
            return std::nullopt;
        return NodeAddress { hostOf(text(n.at(0)), seedHost), quint16(port),
            n.size() > 2 ? n.at(2).bytes() : QByteArray() };
    };
    for (const Reply& range : reply.elements()) {
        if (!range.isArray() || range.size() < 3)
            return fail(QStringLiteral("a range without a master"));
        const qint64 lo = range.at(0).toInteger();
        const qint64 hi = range.at(1).toInteger();
        if (lo < 0 || hi >= slotCount || lo > hi)
            return fail(QStringLiteral("slot range %1-%2").arg(lo).arg(hi));
        const auto master = address(range.at(2));
        if (!master)
            return fail(QStringLiteral("a master without an address"));
        qsizetype index = -1;
        for (qsizetype i = 0; i < map.shards.size(); ++i) {
            if (map.shards.at(i).master == *master)
                index = i;
        }
        if (index < 0) {
            SlotMap::Shard s { *master, {} };
            for (qsizetype r = 3; r < range.size(); ++r) {
                if (const auto replica = address(range.at(r)))
                    s.replicas.append(*replica);
            }
            map.shards.append(s);
            index = map.shards.size() - 1;
        }
        for (qint64 k = lo; k <= hi; ++k)
            map.owner[k] = qint16(index);
    }
    return map;
}

std::optional<Redirect> parseRedirect(const Reply& reply, const QString& fromHost)
{
    if (!reply.isError() || reply.errorKind() != Reply::ErrorKind::Server)
        return std::nullopt;
    const QByteArray& msg = reply.bytes();
    Redirect r;
    if (msg.startsWith("MOVED "))
        r.ask = false;
    else if (msg.startsWith("ASK "))
        r.ask = true;
    else
        return std::nullopt;
    const QList<QByteArray> parts = msg.split(' ');
    if (parts.size() < 3)
        return std::nullopt;
    bool ok = false;
    r.slot = parts.at(1).toInt(&ok);
    if (!ok || r.slot < 0 || r.slot >= slotCount)
        return std::nullopt;
    const QByteArray& endpoint = parts.at(2);
    const qsizetype colon = endpoint.lastIndexOf(':');
    if (colon < 0)
        return std::nullopt;
    const int port = endpoint.mid(colon + 1).toInt(&ok);
    if (!ok || port <= 0 || port > 65535)
        return std::nullopt;
    QString host = QString::fromUtf8(endpoint.left(colon));
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    r.target = NodeAddress { hostOf(host, fromHost), quint16(port), {} };
    return r;
}

} // namespace bullpen::cluster
