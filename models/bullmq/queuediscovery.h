// SPDX-License-Identifier: MIT
#pragma once

#include "queueref.h"
#include "reply.h"

#include <QFuture>
#include <QSet>

#include <optional>

namespace bullpen {
class RedisClient;
}

namespace bullpen::bullmq {

struct DiscoveryOptions {
    QByteArray prefix; ///< only queues with exactly this prefix; empty: any prefix
    /// SCAN COUNT hint per call: bounded work per round trip. On 100,000 keys 5,000 took about
    /// 3 ms of server time per call (1,000: 0.7 ms; 10,000: 15 ms) and 20 round trips, not 100.
    int scanCount = 5000;
    /// Queues verified before (a caller's detection cache): found again, they are accepted without
    /// the GET/HMGET that tells a queue's key from someone else's (a queue stays a queue).
    QSet<QueueRef> known;
};

struct DiscoveryResult {
    QList<QueueRef> queues; ///< sorted by prefix, then name
    QString error; ///< empty on success
    Reply::ErrorKind errorKind = Reply::ErrorKind::None;
    int roundTrips = 0;
    int verified = 0; ///< candidates read to tell queues from other keys (not in `known`)
};

/// Finds every BullMQ and Bull queue by SCAN (never KEYS) of `*:meta` hashes and `*:id`
/// strings, iterated to the end: one walk of the keyspace (MATCH `*:[im][de]*`), the type of
/// each hit checked by the read that verifies it. Hits that are not queues are dropped: relay keys
/// (`P::relay:…`), job hashes whose custom id ends in ":meta", counters that are not integers.
///
/// Continuations run on `client`'s thread, which needs an event loop; `client` must outlive the
/// returned future. The future always finishes (errors are in the result).
QFuture<DiscoveryResult> discoverQueues(RedisClient* client, DiscoveryOptions options = {});

/// Splits a key found by discovery ("P:Q:meta", "P:Q:id") into a queue, or nothing when it
/// cannot be one. With a prefix filter the name is everything after "prefix:" (Bull names may
/// hold ':'); without, the name is the last ':'-segment.
std::optional<QueueRef> queueFromKey(const QByteArray& key, const QByteArray& suffix, const QByteArray& prefixFilter);

/// Escapes glob metacharacters so that `text` matches itself in SCAN MATCH.
QByteArray globEscape(const QByteArray& text);

} // namespace bullpen::bullmq
