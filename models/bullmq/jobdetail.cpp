// SPDX-License-Identifier: MIT
#include "jobdetail.h"

#include "redisclient.h"

#include <cmath>

namespace bullpen::bullmq {

bool JobDetail::has(const QByteArray& name) const
{
    for (const auto& [k, v] : fields) {
        if (k == name)
            return true;
    }
    return false;
}

QByteArray JobDetail::field(const QByteArray& name) const
{
    for (const auto& [k, v] : fields) {
        if (k == name)
            return v;
    }
    return {};
}

std::optional<qint64> JobDetail::runAt() const
{
    if (!delayedScore)
        return std::nullopt;
    return qint64(std::floor(*delayedScore / 4096.0));
}

QString stateFromProbes(Generation generation, bool completed, bool failed, bool delayed, bool prioritized,
    bool active, bool wait, bool paused, bool waitingChildren)
{
    if (completed)
        return QStringLiteral("completed");
    if (failed)
        return QStringLiteral("failed");
    if (delayed)
        return QStringLiteral("delayed");
    if (generation == Generation::Bull) {
        if (active)
            return QStringLiteral("active");
        if (wait)
            return QStringLiteral("waiting");
        if (paused)
            return QStringLiteral("paused");
        return QStringLiteral("stuck");
    }
    if (prioritized)
        return QStringLiteral("prioritized");
    if (active)
        return QStringLiteral("active");
    if (wait || paused)
        return QStringLiteral("waiting");
    if (waitingChildren)
        return QStringLiteral("waiting-children");
    return QStringLiteral("unknown");
}

namespace {

enum Slot : qsizetype {
    Hash,
    InCompleted,
    InFailed,
    InDelayed,
    InPrioritized,
    InActive,
    InWait,
    InPaused,
    InWaitingChildren,
    LogLen,
    LogRange,
    LockValue,
    LockTtl,
    Stalled,
    DepsCount,
    Deps,
    ProcessedCount,
    Processed,
    IgnoredCount,
    Ignored,
    UnsuccessfulCount,
    Unsuccessful,
    SlotCount
};

std::optional<double> score(const Reply& r)
{
    if (!r.isString())
        return std::nullopt;
    bool ok = false;
    const double v = r.bytes().toDouble(&ok);
    return ok ? std::optional<double>(v) : std::nullopt;
}

QList<std::pair<QByteArray, QByteArray>> pairs(const Reply& r)
{
    QList<std::pair<QByteArray, QByteArray>> out;
    for (qsizetype i = 0; i + 1 < r.size(); i += 2)
        out.append({ r.at(i).bytes(), r.at(i + 1).bytes() });
    return out;
}

} // namespace

QFuture<JobDetail> fetchJobDetail(RedisClient* client, const QueueSnapshot& queue, const QByteArray& id,
    DetailOptions options)
{
    const QueueRef q = queue.ref;
    const QByteArray job = q.key(id);
    const QByteArray limit = QByteArray::number(std::max<qint64>(1, options.childLimit));
    QList<Command> c(SlotCount);
    c[Hash] = { "HGETALL", job };
    c[InCompleted] = { "ZSCORE", q.key("completed"), id };
    c[InFailed] = { "ZSCORE", q.key("failed"), id };
    c[InDelayed] = { "ZSCORE", q.key("delayed"), id };
    c[InPrioritized] = { "ZSCORE", q.key("prioritized"), id };
    c[InActive] = { "LPOS", q.key("active"), id };
    c[InWait] = { "LPOS", q.key("wait"), id };
    c[InPaused] = { "LPOS", q.key("paused"), id };
    c[InWaitingChildren] = { "ZSCORE", q.key("waiting-children"), id };
    c[LogLen] = { "LLEN", job + ":logs" };
    c[LogRange] = { "LRANGE", job + ":logs", "0", QByteArray::number(std::max<qint64>(1, options.logLimit) - 1) };
    c[LockValue] = { "GET", job + ":lock" };
    c[LockTtl] = { "PTTL", job + ":lock" };
    c[Stalled] = { "SISMEMBER", q.key("stalled"), id };
    c[DepsCount] = { "SCARD", job + ":dependencies" };
    c[Deps] = { "SSCAN", job + ":dependencies", "0", "COUNT", limit };
    c[ProcessedCount] = { "HLEN", job + ":processed" };
    c[Processed] = { "HSCAN", job + ":processed", "0", "COUNT", limit };
    c[IgnoredCount] = { "HLEN", job + ":failed" };
    c[Ignored] = { "HSCAN", job + ":failed", "0", "COUNT", limit };
    c[UnsuccessfulCount] = { "ZCARD", job + ":unsuccessful" };
    c[Unsuccessful] = { "ZRANGE", job + ":unsuccessful", "0", QByteArray::number(options.childLimit - 1), "WITHSCORES" };
    const Generation generation = queue.generation;
    return client->pipeline(c).then(client, [q, id, generation](const QList<Reply>& r) {
        JobDetail d;
        d.ref = q;
        d.id = id;
        d.generation = generation;
        for (qsizetype i = 0; i < SlotCount; ++i) {
            const Reply& x = r.value(i);
            if (x.isError() && x.errorKind() != Reply::ErrorKind::Server) {
                d.error = x.errorMessage();
                d.errorKind = x.errorKind();
                return d;
            }
        }
        d.fields = pairs(r.at(Hash));
        d.exists = !d.fields.isEmpty();
        const auto isMember = [&](Slot s) { return !r.at(s).isNil() && !r.at(s).isError(); };
        d.state = stateFromProbes(generation, isMember(InCompleted), isMember(InFailed), isMember(InDelayed),
            isMember(InPrioritized), isMember(InActive), isMember(InWait), isMember(InPaused),
            isMember(InWaitingChildren));
        d.delayedScore = score(r.at(InDelayed));
        d.prioritizedScore = score(r.at(InPrioritized));
        d.logCount = r.at(LogLen).integer();
        for (const Reply& line : r.at(LogRange).elements())
            d.logs.append(line.bytes());
        d.lockToken = r.at(LockValue).bytes();
        d.lockTtlMs = r.at(LockTtl).integer();
        d.inStalledSet = r.at(Stalled).integer() == 1;
        d.children.pendingCount = r.at(DepsCount).integer();
        if (r.at(Deps).size() == 2) {
            for (const Reply& k : r.at(Deps).at(1).elements())
                d.children.pending.append(k.bytes());
        }
        d.children.processedCount = r.at(ProcessedCount).integer();
        if (r.at(Processed).size() == 2)
            d.children.processed = pairs(r.at(Processed).at(1));
        d.children.ignoredCount = r.at(IgnoredCount).integer();
        if (r.at(Ignored).size() == 2)
            d.children.ignored = pairs(r.at(Ignored).at(1));
        d.children.failedCount = r.at(UnsuccessfulCount).integer();
        for (const auto& [k, v] : pairs(r.at(Unsuccessful)))
            d.children.failed.append({ k, v.toDouble() });
        return d;
    });
}

} // namespace bullpen::bullmq
