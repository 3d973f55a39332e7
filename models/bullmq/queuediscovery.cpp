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
    Scan scan;
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

// One walk of the keyspace finds both kinds of key: MATCH "*:[im][de]*" lets through every
// "…:meta" and "…:id" (and a few others, dropped here by their suffix). Two walks filtered by
// TYPE, as before, read the whole keyspace twice; the key's type is checked by verify() instead
// (HMGET on a string, GET on a hash answer WRONGTYPE).
void scanStep(const std::shared_ptr<DiscoveryState>& state)
{
    Scan& s = state->scan;
    if (s.done) {
        verify(state);
        return;
    }
    const QByteArray match = (state->options.prefix.isEmpty() ? QByteArray("*") : globEscape(state->options.prefix) + ":*")
        + ":[im][de]*";
    ++state->result.roundTrips;
    state->client
        ->command(Command { "SCAN", s.cursor, "MATCH", match, "COUNT", QByteArray::number(std::max(1, state->options.scanCount)) })
        .then(state->client, [state](const Reply& r) {
            if (r.isError() || !r.isArray() || r.size() != 2) {
                state->fail(r.isError() ? r : Reply::failure(Reply::ErrorKind::Protocol, QStringLiteral("unexpected SCAN reply")));
                return;
            }
            Scan& s = state->scan;
            s.cursor = r.at(0).bytes();
            s.done = s.cursor == "0";
            for (const Reply& k : r.at(1).elements()) {
                const QByteArray& key = k.bytes();
                const bool meta = key.endsWith(":meta");
                if (!meta && !key.endsWith(":id"))
                    continue;
                if (state->seenKeys.contains(key))
                    continue; // SCAN may return a key twice
                state->seenKeys.insert(key);
                if (auto ref = queueFromKey(key, meta ? QByteArray("meta") : QByteArray("id"), state->options.prefix))
                    state->candidates.append({ *ref, key, meta });
            }
            scanStep(state);
        });
}

// A ":meta" hash with job fields is a job whose custom id ends in ":meta"; an ":id" string that
// is not a counter is someone else's key.
void verify(const std::shared_ptr<DiscoveryState>& state)
{
    // Queues the caller verified before need no second look.
    QSet<QueueRef> accepted;
    QList<Candidate> unknown;
    for (const Candidate& c : std::as_const(state->candidates)) {
        if (state->options.known.contains(c.ref))
            accepted.insert(c.ref);
        else
            unknown.append(c);
    }
    state->candidates = unknown;
    const auto finishWith = [state](const QSet<QueueRef>& queues) {
        state->result.queues = QList<QueueRef>(queues.cbegin(), queues.cend());
        std::sort(state->result.queues.begin(), state->result.queues.end());
        state->finish();
    };
    if (state->candidates.isEmpty()) {
        finishWith(accepted);
        return;
    }
    state->result.verified = int(state->candidates.size());
    QList<Command> commands;
    for (const Candidate& c : std::as_const(state->candidates)) {
        if (c.fromMeta)
            commands.append(Command { "HMGET", c.key, "data", "opts" });
        else
            commands.append(Command { "GET", c.key });
    }
    ++state->result.roundTrips;
    state->client->pipeline(commands).then(state->client, [state, accepted, finishWith](const QList<Reply>& replies) mutable {
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
        finishWith(accepted);
    });
}

} // namespace

QFuture<DiscoveryResult> discoverQueues(RedisClient* client, DiscoveryOptions options)
{
    auto state = std::make_shared<DiscoveryState>();
    state->client = client;
    state->options = std::move(options);
    state->promise.start();
    QFuture<DiscoveryResult> future = state->promise.future();
    scanStep(state);
    return future;
}

} // namespace bullpen::bullmq
