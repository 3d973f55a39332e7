// SPDX-License-Identifier: MIT
#include "serverinfo.h"

namespace bullpen {

ServerInfo ServerInfo::parse(const QByteArray& infoText)
{
    ServerInfo info;
    for (QByteArray line : infoText.split('\n')) {
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty())
            continue;
        if (line.startsWith("# ")) {
            info.m_sections.append({ QString::fromUtf8(line.mid(2)), {} });
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        if (info.m_sections.isEmpty())
            info.m_sections.append({ QString(), {} });
        const QByteArray key = line.left(colon);
        const QByteArray value = line.mid(colon + 1);
        info.m_sections.last().fields.append({ key, value });
        if (!info.m_index.contains(key))
            info.m_index.insert(key, value);
    }
    return info;
}

namespace {

    bool isSummed(const QByteArray& f)
    {
        if (f.endsWith("_human") || f.endsWith("_ratio") || f.endsWith("_perc") || f == "mem_allocator"
            || f.startsWith("mem_fragmentation_ratio"))
            return false;
        static const char* const prefixes[] = { "used_memory", "mem_", "total_", "instantaneous_", "connected_",
            "blocked_", "tracking_clients", "clients_in_timeout_table", "rejected_", "expired_keys", "expired_stale",
            "expired_time_cap", "evicted_", "keyspace_", "pubsub_", "used_cpu_", "number_of_cached_scripts",
            "rdb_changes_since_last_save", "sync_", "unexpected_error_replies", "dump_payload_sanitizations",
            "cluster_connections", "io_threaded_", "lazyfree", "migrate_cached_sockets", "active_defrag_",
            "maxmemory", "acl_access_denied_", "client_recent_max_", "current_eviction_exceeded_time" };
        if (f == "maxmemory_policy")
            return false;
        for (const char* p : prefixes) {
            if (f.startsWith(p))
                return true;
        }
        return false;
    }

    // "1.50M", as Redis writes its *_human fields.
    QByteArray humanBytes(double n)
    {
        static const char units[] = { 'B', 'K', 'M', 'G', 'T', 'P' };
        int u = 0;
        while (n >= 1024.0 && u < 5) {
            n /= 1024.0;
            ++u;
        }
        return u == 0 ? QByteArray::number(qint64(n)) + 'B' : QByteArray::number(n, 'f', 2) + units[u];
    }

    // "k1=v1,k2=v2" lines (dbN, cmdstat_*): numbers summed per key, in first-seen order.
    QByteArray sumPairs(const QList<QByteArray>& lines, bool commandStats)
    {
        QList<QByteArray> keys;
        QHash<QByteArray, double> sums;
        double ttlWeighted = 0;
        for (const QByteArray& line : lines) {
            qint64 expires = 0;
            qint64 ttl = 0;
            for (const QByteArray& part : line.split(',')) {
                const qsizetype eq = part.indexOf('=');
                if (eq <= 0)
                    continue;
                const QByteArray k = part.left(eq);
                if (!sums.contains(k))
                    keys.append(k);
                sums[k] += part.mid(eq + 1).toDouble();
                if (k == "expires")
                    expires = part.mid(eq + 1).toLongLong();
                else if (k == "avg_ttl")
                    ttl = part.mid(eq + 1).toLongLong();
            }
            ttlWeighted += double(expires) * double(ttl);
        }
        QByteArray out;
        for (const QByteArray& k : std::as_const(keys)) {
            double v = sums.value(k);
            if (commandStats && k == "usec_per_call") {
                const double calls = sums.value("calls");
                out += k + '=' + QByteArray::number(calls > 0 ? sums.value("usec") / calls : 0.0, 'f', 2) + ',';
                continue;
            }
            if (!commandStats && k == "avg_ttl") {
                const double expires = sums.value("expires");
                v = expires > 0 ? ttlWeighted / expires : 0;
            }
            out += k + '=' + QByteArray::number(qint64(v)) + ',';
        }
        out.chop(1);
        return out;
    }

} // namespace

ServerInfo ServerInfo::sum(const QList<ServerInfo>& servers)
{
    if (servers.size() == 1)
        return servers.first();
    // Every (section, field) in first-seen order, with each server's value.
    QList<QString> sectionOrder;
    QHash<QString, QList<QByteArray>> fieldOrder;
    QHash<QString, QHash<QByteArray, QList<QByteArray>>> values;
    for (const ServerInfo& s : servers) {
        for (const Section& section : s.m_sections) {
            if (!values.contains(section.name))
                sectionOrder.append(section.name);
            auto& fields = values[section.name];
            for (const auto& [k, v] : section.fields) {
                if (!fields.contains(k))
                    fieldOrder[section.name].append(k);
                fields[k].append(v);
            }
        }
    }
    qint64 usedMemory = 0;
    qint64 rss = 0;
    for (const ServerInfo& s : servers) {
        usedMemory += s.integer("used_memory");
        rss += s.integer("used_memory_rss");
    }
    ServerInfo out;
    for (const QString& name : std::as_const(sectionOrder)) {
        Section section { name, {} };
        const auto& fields = values.value(name);
        for (const QByteArray& k : fieldOrder.value(name)) {
            const QList<QByteArray> vs = fields.value(k);
            QByteArray v;
            if (k.startsWith("cmdstat_") || k.startsWith("errorstat_") || (k.startsWith("db") && vs.first().startsWith("keys="))) {
                v = sumPairs(vs, k.startsWith("cmdstat_"));
            } else if (k == "mem_fragmentation_ratio") {
                v = usedMemory > 0 ? QByteArray::number(double(rss) / double(usedMemory), 'f', 2) : vs.first();
            } else if (k == "uptime_in_seconds" || k == "uptime_in_days") {
                qint64 least = vs.first().toLongLong();
                for (const QByteArray& x : vs)
                    least = std::min(least, x.toLongLong());
                v = QByteArray::number(least);
            } else if (k.endsWith("_human") && fields.contains(k.chopped(6))) {
                double total = 0;
                for (const QByteArray& x : fields.value(k.chopped(6)))
                    total += x.toDouble();
                v = humanBytes(total);
            } else if (isSummed(k)) {
                bool integral = true;
                double total = 0;
                qint64 itotal = 0;
                for (const QByteArray& x : vs) {
                    bool ok = false;
                    const qint64 i = x.toLongLong(&ok);
                    integral = integral && ok;
                    itotal += ok ? i : 0;
                    total += x.toDouble();
                }
                v = integral ? QByteArray::number(itotal) : QByteArray::number(total, 'f', 2);
            } else {
                QList<QByteArray> distinct;
                for (const QByteArray& x : vs) {
                    if (!distinct.contains(x))
                        distinct.append(x);
                }
                v = distinct.join(',');
            }
            section.fields.append({ k, v });
            if (!out.m_index.contains(k))
                out.m_index.insert(k, v);
        }
        out.m_sections.append(section);
    }
    return out;
}

QByteArray ServerInfo::value(const QByteArray& field, const QByteArray& fallback) const
{
    return m_index.value(field, fallback);
}

qint64 ServerInfo::integer(const QByteArray& field, qint64 fallback) const
{
    bool ok = false;
    const qint64 v = m_index.value(field).toLongLong(&ok);
    return ok ? v : fallback;
}

qint64 ServerInfo::totalKeys() const
{
    qint64 total = 0;
    for (auto it = m_index.cbegin(); it != m_index.cend(); ++it) {
        if (!it.key().startsWith("db"))
            continue;
        // db0:keys=42,expires=0,avg_ttl=0
        for (const QByteArray& part : it.value().split(',')) {
            if (part.startsWith("keys="))
                total += part.mid(5).toLongLong();
        }
    }
    return total;
}

QString formatBytes(qint64 bytes)
{
    static const char* const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
    double v = double(bytes);
    int u = 0;
    while (v >= 1024.0 && u < 4) {
        v /= 1024.0;
        ++u;
    }
    return u == 0 ? QStringLiteral("%1 B").arg(bytes)
                  : QStringLiteral("%1 %2").arg(v, 0, 'f', 1).arg(QLatin1String(units[u]));
}

} // namespace bullpen
