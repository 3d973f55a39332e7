// SPDX-License-Identifier: MIT
#include "serversample.h"

namespace bullpen {

namespace {

    // "key=value,key=value" as in cmdstat_* and db* lines.
    QHash<QByteArray, QByteArray> pairs(const QByteArray& text)
    {
        QHash<QByteArray, QByteArray> out;
        for (const QByteArray& part : text.split(',')) {
            const qsizetype eq = part.indexOf('=');
            if (eq > 0)
                out.insert(part.left(eq), part.mid(eq + 1));
        }
        return out;
    }

    double rate(qint64 now, qint64 before, double seconds)
    {
        if (!(seconds > 0) || now < before)
            return ServerSample::nan;
        return double(now - before) / seconds;
    }

} // namespace

ServerSample ServerSample::fromInfo(const ServerInfo& info, qint64 timeMs, const ServerSample* previous, int ownCommands)
{
    ServerSample s;
    s.timeMs = timeMs;
    s.runId = info.value("run_id");
    s.usedMemory = info.integer("used_memory");
    s.usedMemoryRss = info.integer("used_memory_rss");
    bool ok = false;
    const double frag = info.value("mem_fragmentation_ratio").toDouble(&ok);
    s.fragmentation = ok ? frag : nan;
    s.maxMemory = info.integer("maxmemory");
    s.evictionPolicy = info.value("maxmemory_policy");
    s.totalCommands = info.integer("total_commands_processed");
    s.connectedClients = info.integer("connected_clients");
    s.blockedClients = info.integer("blocked_clients");
    s.keyspaceHits = info.integer("keyspace_hits");
    s.keyspaceMisses = info.integer("keyspace_misses");
    s.netInputBytes = info.integer("total_net_input_bytes");
    s.netOutputBytes = info.integer("total_net_output_bytes");
    s.expiredKeys = info.integer("expired_keys");
    s.evictedKeys = info.integer("evicted_keys");

    for (const ServerInfo::Section& section : info.sections()) {
        for (const auto& [key, value] : section.fields) {
            if (key.startsWith("cmdstat_")) {
                const auto f = pairs(value);
                CommandStat c;
                c.name = key.mid(8);
                c.calls = f.value("calls").toLongLong();
                c.usec = f.value("usec").toLongLong();
                c.usecPerCall = f.value("usec_per_call").toDouble();
                s.commands.append(c);
            } else if (key.startsWith("db") && section.name.compare(QLatin1String("Keyspace"), Qt::CaseInsensitive) == 0) {
                const auto f = pairs(value);
                Keyspace k;
                k.db = key.mid(2).toInt();
                k.keys = f.value("keys").toLongLong();
                k.expires = f.value("expires").toLongLong();
                k.avgTtlMs = f.value("avg_ttl").toLongLong();
                s.keyspace.append(k);
            }
        }
    }

    const qint64 allLookups = s.keyspaceHits + s.keyspaceMisses;
    s.hitRatio = allLookups > 0 ? double(s.keyspaceHits) / double(allLookups) : nan;

    // Rates only against a sample of the same server run, in time order.
    if (!previous || previous->runId != s.runId || previous->timeMs >= timeMs)
        return s;
    const double dt = double(timeMs - previous->timeMs) / 1000.0;
    s.intervalSeconds = dt;
    if (s.totalCommands >= previous->totalCommands)
        s.opsPerSecond = std::max(0.0, double(s.totalCommands - previous->totalCommands - ownCommands) / dt);
    s.netInPerSecond = rate(s.netInputBytes, previous->netInputBytes, dt);
    s.netOutPerSecond = rate(s.netOutputBytes, previous->netOutputBytes, dt);
    s.expiredPerSecond = rate(s.expiredKeys, previous->expiredKeys, dt);
    s.evictedPerSecond = rate(s.evictedKeys, previous->evictedKeys, dt);
    const qint64 hits = s.keyspaceHits - previous->keyspaceHits;
    const qint64 misses = s.keyspaceMisses - previous->keyspaceMisses;
    if (hits >= 0 && misses >= 0 && hits + misses > 0)
        s.hitRatio = double(hits) / double(hits + misses);
    QHash<QByteArray, qint64> before;
    for (const CommandStat& c : previous->commands)
        before.insert(c.name, c.calls);
    for (CommandStat& c : s.commands)
        c.callsPerSecond = rate(c.calls, before.value(c.name, 0), dt);
    return s;
}

} // namespace bullpen
