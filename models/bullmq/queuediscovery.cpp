// SPDX-License-Identifier: MIT
#include "queuediscovery.h"

#include "redisclient.h"

#include <QPromise>
#include <QSet>

#include <algorithm>
#include <memory>

namespace bullpen::bullmq {

QByteArray globEscape(const QByteArray& text)
{
    QByteArray out;
    out.reserve(text.size());
    for (const char c : text) {
        if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\')
            out.append('\\');
        out.append(c);
    }
    return out;
}

std::optional<QueueRef> queueFromKey(const QByteArray& key, const QByteArray& suffix, const QByteArray& prefixFilter)
{
    const QByteArray tail = QByteArray(':' + suffix);
    if (!key.endsWith(tail))
        return std::nullopt;
    const QByteArray rest = key.left(key.size() - tail.size());
    // BullMQ 6's relay lives under "P::relay:…": an empty segment never belongs to a queue.
    if (rest.contains("::relay:") || rest.endsWith("::relay"))
        return std::nullopt;
    QueueRef ref;
    if (!prefixFilter.isEmpty()) {
        if (!rest.startsWith(QByteArray(prefixFilter + ':')))
            return std::nullopt;
        ref.prefix = prefixFilter;
        ref.name = rest.mid(prefixFilter.size() + 1);
    } else {
        const qsizetype colon = rest.lastIndexOf(':');
        if (colon <= 0)
            return std::nullopt;
        ref.prefix = rest.left(colon);
        ref.name = rest.mid(colon + 1);
    }
    if (ref.name.isEmpty() || ref.prefix.isEmpty() || ref.prefix.endsWith(':'))
        return std::nullopt;
    return ref;
}

namespace {

struct Scan {
    QByteArray suffix; // "meta" or "id"
    QByteArray type; // SCAN TYPE filter
    QByteArray cursor = "0";
    bool done = false;
};

struct Candidate {
    QueueRef ref;
    QByteArray key;
    bool fromMeta = false;
};

struct DiscoveryState {
    RedisClient* client = nullptr;
    DiscoveryOptions options;
    QPromise<DiscoveryResult> promise;
    DiscoveryResult result;
    QList<Scan> scans;
    QList<Candidate> candidates;
    QSet<QByteArray> seenKeys;

    void finish()
    {
        promise.addResult(result);
        promise.finish();
    }
    void fail(const Reply& reply)
    {
        result.queues.clear();
        result.error = reply.errorMessage();
        result.errorKind = reply.errorKind();
        finish();
    }
};

void verify(const std::shared_ptr<DiscoveryState>& state);

void scanStep(const std::shared_ptr<DiscoveryState>& state)
{
    QList<Command> commands;
    QList<int> which;
    for (int i = 0; i < state->scans.size(); ++i) {
        const Scan& s = state->scans.at(i);
        if (s.done)
            continue;
        const QByteArray match = (state->options.prefix.isEmpty() ? QByteArray("*") : globEscape(state->options.prefix) + ":*")
            + ':' + s.suffix;
        commands.append(Command { "SCAN", s.cursor, "MATCH", match, "COUNT",
            QByteArray::number(std::max(1, state->options.scanCount)), "TYPE", s.type });
        which.append(i);
    }
    if (commands.isEmpty()) {
        verify(state);
        return;
    }
    ++state->result.roundTrips;
    state->client->pipeline(commands).then(state->client, [state, which](const QList<Reply>& replies) {
        for (int n = 0; n < which.size(); ++n) {
            const Reply& r = replies.value(n);
            if (r.isError() || !r.isArray() || r.size() != 2) {
                state->fail(r.isError() ? r : Reply::failure(Reply::ErrorKind::Protocol, QStringLiteral("unexpected SCAN reply")));
                return;
            }
            Scan& s = state->scans[which.at(n)];
            s.cursor = r.at(0).bytes();
            s.done = s.cursor == "0";
            for (const Reply& k : r.at(1).elements()) {
                const QByteArray& key = k.bytes();
                if (state->seenKeys.contains(key))
                    continue; // SCAN may return a key twice
                state->seenKeys.insert(key);
                if (auto ref = queueFromKey(key, s.suffix, state->options.prefix))
                    state->candidates.append({ *ref, key, s.suffix == "meta" });
            }
        }
        scanStep(state);
    });
}

// A ":meta" hash with job fields is a job whose custom id ends in ":meta"; an ":id" string that
// is not a counter is someone else's key.
void verify(const std::shared_ptr<DiscoveryState>& state)
{
    if (state->candidates.isEmpty()) {
        state->finish();
        return;
    }
    QList<Command> commands;
    for (const Candidate& c : std::as_const(state->candidates)) {
        if (c.fromMeta)
            commands.append(Command { "HMGET", c.key, "data", "opts" });
        else
            commands.append(Command { "GET", c.key });
    }
    ++state->result.roundTrips;
    state->client->pipeline(commands).then(state->client, [state](const QList<Reply>& replies) {
        QSet<QueueRef> accepted;
        for (int i = 0; i < state->candidates.size(); ++i) {
            const Reply& r = replies.value(i);
            const Candidate& c = state->candidates.at(i);
            if (r.isError() && r.errorKind() != Reply::ErrorKind::Server) {
                state->fail(r);
                return;
            }
            bool ok = false;
            if (c.fromMeta) {
                ok = r.isArray() && r.size() == 2 && r.at(0).isNil() && r.at(1).isNil();
            } else {
                r.toInteger(&ok);
            }
            if (ok)
                accepted.insert(c.ref);
        }
        state->result.queues = QList<QueueRef>(accepted.cbegin(), accepted.cend());
        std::sort(state->result.queues.begin(), state->result.queues.end());
        state->finish();
    });
}

} // namespace

QFuture<DiscoveryResult> discoverQueues(RedisClient* client, DiscoveryOptions options)
{
    auto state = std::make_shared<DiscoveryState>();
    state->client = client;
    state->options = std::move(options);
    state->scans = { Scan { "meta", "hash" }, Scan { "id", "string" } };
    state->promise.start();
    QFuture<DiscoveryResult> future = state->promise.future();
    scanStep(state);
    return future;
}

} // namespace bullpen::bullmq
