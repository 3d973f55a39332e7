// SPDX-License-Identifier: MIT
#include "jobpage.h"

#include "redisclient.h"

#include <QPromise>
#include <QSet>

#include <memory>

namespace bullpen::bullmq {

QList<QByteArray> stateContainers(Generation generation, const QString& state)
{
    if (!listableStates(generation).contains(state) && state != QLatin1String("wait"))
        return {};
    if (state == QLatin1String("waiting") || state == QLatin1String("wait")) {
        // BullMQ before 6 lists "waiting" as wait + paused (sanitizeJobTypes adds "paused").
        if (generation == Generation::V4 || generation == Generation::V5 || generation == Generation::Unknown)
            return { "wait", "paused" };
        return { "wait" };
    }
    return { state.toUtf8() };
}

namespace {

constexpr int kMaxBackfill = 5; // BullMQ's GET_JOBS_MAX_BACKFILL_ITERATIONS

const QList<QByteArray>& rowFields()
{
    static const QList<QByteArray> fields { "name", "timestamp", "processedOn", "finishedOn", "attemptsMade", "atm",
        "ats", "failedReason", "progress", "delay", "priority", "parentKey", "rjk", "pb" };
    return fields;
}

std::optional<qint64> optInt(const Reply& r)
{
    if (r.isNil())
        return std::nullopt;
    bool ok = false;
    const qint64 v = r.bytes().trimmed().toLongLong(&ok);
    if (ok)
        return v;
    // parseInt semantics: a leading number, else nothing
    const double d = r.bytes().toDouble(&ok);
    return ok ? std::optional<qint64>(qint64(d)) : std::nullopt;
}

struct Container {
    QByteArray suffix;
    bool list = false;
    qint64 length = 0;
    bool tailMarker = false;
    qint64 cursor = 0;
    int iterations = 0;
    bool done = false;
    QList<JobSummary> entries;
    QList<std::pair<QByteArray, std::optional<double>>> pending; // ids read, hashes not yet checked
    qint64 pendingFirstIndex = 0;
};

struct PageFetch {
    RedisClient* client = nullptr;
    QueueSnapshot queue;
    PageRequest req;
    QPromise<JobPage> promise;
    JobPage page;
    QList<Container> containers;
    bool firstRound = true;

    bool bounded() const { return req.start >= 0 && req.end >= 0; }
    bool backfills() const
    {
        return queue.generation == Generation::V5 || queue.generation == Generation::V6
            || queue.generation == Generation::Unknown;
    }
    qint64 needed() const { return req.end - req.start + 1; }

    void fail(const Reply& r)
    {
        page.jobs.clear();
        page.error = r.errorMessage();
        page.errorKind = r.errorKind();
        promise.addResult(page);
        promise.finish();
    }
};

void readHashes(const std::shared_ptr<PageFetch>& f);
void readPreviews(const std::shared_ptr<PageFetch>& f);

// Reads the next slice of ids of every container that still needs some.
void readIds(const std::shared_ptr<PageFetch>& f)
{
    QList<Command> commands;
    QList<std::pair<int, int>> parts; // container index, number of commands
    for (int i = 0; i < f->containers.size(); ++i) {
        Container& c = f->containers[i];
        if (c.done)
            continue;
        const QByteArray key = f->queue.ref.key(c.suffix);
        int n = 0;
        if (f->firstRound) {
            commands.append(Command { c.list ? "LLEN" : "ZCARD", key });
            ++n;
            if (c.list) {
                commands.append(Command { "LINDEX", key, "-1" });
                ++n;
            }
        }
        const qint64 from = f->bounded() ? c.cursor : f->req.start;
        const qint64 to = f->bounded() ? c.cursor + f->needed() - 1 : f->req.end;
        if (c.list)
            commands.append(Command { "LRANGE", key, QByteArray::number(from), QByteArray::number(to) });
        else
            commands.append(Command { "ZREVRANGE", key, QByteArray::number(from), QByteArray::number(to), "WITHSCORES" });
        c.pendingFirstIndex = from;
        ++n;
        parts.append({ i, n });
    }
    if (commands.isEmpty()) {
        readPreviews(f);
        return;
    }
    const bool first = f->firstRound;
    f->firstRound = false;
    ++f->page.roundTrips;
    f->client->pipeline(commands).then(f->client, [f, parts, first](const QList<Reply>& replies) {
        qsizetype k = 0;
        for (const auto& [index, n] : parts) {
            Container& c = f->containers[index];
            for (int j = 0; j < n; ++j) {
                // A wrong-type key reads as empty; connection problems fail the page.
                const Reply& r = replies.value(k + j);
                if (r.isError() && r.errorKind() != Reply::ErrorKind::Server) {
                    f->fail(r);
                    return;
                }
            }
            if (first) {
                c.length = replies.value(k).integer();
                f->page.total += c.length;
                if (c.list)
                    c.tailMarker = replies.value(k + 1).bytes().startsWith("0:");
            }
            const Reply& range = replies.value(k + n - 1);
            c.pending.clear();
            if (c.list) {
                for (const Reply& id : range.elements())
                    c.pending.append({ id.bytes(), std::nullopt });
                // BullMQ 4's getRanges pops a legacy marker from the tail before reading.
                if (f->queue.generation == Generation::V4 && c.tailMarker && !c.pending.isEmpty()) {
                    qint64 from = c.pendingFirstIndex < 0 ? c.length + c.pendingFirstIndex : c.pendingFirstIndex;
                    if (from + c.pending.size() == c.length && c.pending.last().first.startsWith("0:"))
                        c.pending.removeLast();
                }
            } else {
                const QList<Reply>& e = range.elements();
                for (qsizetype j = 0; j + 1 < e.size(); j += 2) {
                    bool ok = false;
                    const double score = e.at(j + 1).bytes().toDouble(&ok);
                    c.pending.append({ e.at(j).bytes(), ok ? std::optional<double>(score) : std::nullopt });
                }
            }
            k += n;
        }
        readHashes(f);
    });
}

void readHashes(const std::shared_ptr<PageFetch>& f)
{
    QList<Command> commands;
    for (const Container& c : std::as_const(f->containers)) {
        for (const auto& [id, score] : c.pending) {
            const QByteArray key = f->queue.ref.key(id);
            commands.append(Command { "EXISTS", key });
            Command hmget { "HMGET", key };
            hmget.append(rowFields());
            commands.append(hmget);
            commands.append(Command { "HSTRLEN", key, "data" });
        }
    }
    if (commands.isEmpty()) {
        for (Container& c : f->containers)
            c.done = true;
        readPreviews(f);
        return;
    }
    ++f->page.roundTrips;
    f->client->pipeline(commands).then(f->client, [f](const QList<Reply>& replies) {
        qsizetype k = 0;
        const bool v5plus = f->queue.generation != Generation::V4 && f->queue.generation != Generation::Bull;
        for (Container& c : f->containers) {
            if (c.done)
                continue;
            for (const auto& [id, score] : std::as_const(c.pending)) {
                const Reply& exists = replies.value(k);
                const Reply& fields = replies.value(k + 1);
                const Reply& size = replies.value(k + 2);
                k += 3;
                for (const Reply* r : { &exists, &fields, &size }) {
                    if (r->isError() && r->errorKind() != Reply::ErrorKind::Server) {
                        f->fail(*r);
                        return;
                    }
                }
                JobSummary s;
                s.id = id;
                s.container = c.suffix;
                s.score = score;
                s.missing = exists.integer() == 0;
                if (s.missing && f->backfills()) {
                    f->page.skipped.append(id);
                    continue;
                }
                if (f->backfills() && f->bounded() && c.entries.size() >= f->needed())
                    continue; // the library stops at a full page
                if (!s.missing && fields.isArray()) {
                    const auto v = [&](int i) -> const Reply& { return fields.at(i); };
                    s.name = v(0).bytes();
                    s.timestamp = optInt(v(1));
                    s.processedOn = optInt(v(2));
                    s.finishedOn = optInt(v(3));
                    const auto attemptsMade = optInt(v(4));
                    const auto atm = optInt(v(5));
                    // BullMQ ≥5 reads `attemptsMade || atm || 0`; 4.x and Bull only attemptsMade.
                    s.attemptsMade = attemptsMade.value_or(0);
                    if (v5plus && s.attemptsMade == 0)
                        s.attemptsMade = atm.value_or(0);
                    s.attemptsStarted = optInt(v(6)).value_or(0);
                    if (!v(7).isNil())
                        s.failedReason = v(7).bytes();
                    s.progress = v(8).bytes();
                    s.delay = optInt(v(9));
                    s.priority = optInt(v(10));
                    s.parentKey = v(11).bytes();
                    s.repeatJobKey = v(12).bytes();
                    s.processedBy = v(13).bytes();
                    s.dataSize = size.isInteger() ? size.integer() : 0;
                }
                c.entries.append(s);
            }
            const qint64 read = c.pending.size();
            c.pending.clear();
            ++c.iterations;
            c.cursor += read;
            // Like BullMQ's getJobs script: refill a bounded page from further ids, a few times.
            c.done = !(f->backfills() && f->bounded() && read > 0 && c.entries.size() < f->needed()
                && c.iterations < kMaxBackfill);
        }
        readIds(f);
    });
}

void finish(const std::shared_ptr<PageFetch>& f)
{
    QSet<QByteArray> seen;
    // BullMQ 6 and 4 drop ids listed twice across containers; 5 and Bull keep them.
    const bool dedup = f->queue.generation == Generation::V6 || f->queue.generation == Generation::V4;
    for (const Container& c : std::as_const(f->containers)) {
        for (const JobSummary& s : c.entries) {
            if (dedup) {
                if (seen.contains(s.id))
                    continue;
                seen.insert(s.id);
            }
            f->page.jobs.append(s);
        }
    }
    f->promise.addResult(f->page);
    f->promise.finish();
}

void readPreviews(const std::shared_ptr<PageFetch>& f)
{
    QList<Command> commands;
    QList<std::pair<int, int>> targets;
    if (f->req.previewBytes > 0) {
        for (int i = 0; i < f->containers.size(); ++i) {
            const Container& c = f->containers.at(i);
            for (int j = 0; j < c.entries.size(); ++j) {
                const JobSummary& s = c.entries.at(j);
                if (!s.missing && s.dataSize <= f->req.previewBytes) {
                    commands.append(Command { "HGET", f->queue.ref.key(s.id), "data" });
                    targets.append({ i, j });
                }
            }
        }
    }
    if (commands.isEmpty()) {
        finish(f);
        return;
    }
    ++f->page.roundTrips;
    f->client->pipeline(commands).then(f->client, [f, targets](const QList<Reply>& replies) {
        for (qsizetype n = 0; n < targets.size(); ++n) {
            const Reply& r = replies.value(n);
            if (r.isError() && r.errorKind() != Reply::ErrorKind::Server) {
                f->fail(r);
                return;
            }
            JobSummary& s = f->containers[targets.at(n).first].entries[targets.at(n).second];
            s.dataPreview = r.bytes();
            s.hasPreview = !r.isNil();
        }
        finish(f);
    });
}

} // namespace

QFuture<JobPage> fetchJobPage(RedisClient* client, const QueueSnapshot& queue, PageRequest request)
{
    auto f = std::make_shared<PageFetch>();
    f->client = client;
    f->queue = queue;
    f->req = request;
    f->page.ref = queue.ref;
    f->page.generation = queue.generation;
    f->page.request = request;
    f->promise.start();
    QFuture<JobPage> future = f->promise.future();
    const QList<QByteArray> suffixes = stateContainers(queue.generation, request.state);
    if (suffixes.isEmpty()) {
        f->page.error = QStringLiteral("%1 has no state \"%2\" (%3: %4)")
                            .arg(queue.ref.displayName(), request.state,
                                toString(queue.generation) == QLatin1String("bull") ? QStringLiteral("Bull")
                                                                                     : QStringLiteral("BullMQ ") + toString(queue.generation),
                                listableStates(queue.generation).join(QStringLiteral(", ")));
        f->page.errorKind = Reply::ErrorKind::Refused;
        f->promise.addResult(f->page);
        f->promise.finish();
        return future;
    }
    for (const QByteArray& s : suffixes) {
        Container c;
        c.suffix = s;
        c.list = isListState(s);
        c.cursor = request.start;
        f->containers.append(c);
    }
    readIds(f);
    return future;
}

} // namespace bullpen::bullmq
