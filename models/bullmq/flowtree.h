// SPDX-License-Identifier: MIT
#pragma once

#include "jobdetail.h"

#include <QFuture>
#include <QJsonValue>

namespace bullpen {
class RedisClient;
}

namespace bullpen::bullmq {

/// One job of a flow with the children BullMQ's FlowProducer.getFlow() would list under it:
/// processed, pending (unprocessed), failed and ignored children, in that order, each list cut at
/// maxChildren. A child whose hash is gone stays in the tree with exists = false (getFlow leaves
/// an empty slot there).
struct FlowNode {
    QueueRef ref;
    QByteArray id;
    bool exists = false;
    QByteArray name;
    QString state;
    QString error; ///< this node could not be read (the rest of the tree still is)
    Reply::ErrorKind errorKind = Reply::ErrorKind::None;
    /// All children the job's bookkeeping names, whether or not they are in `children` (cut by
    /// depth or maxChildren).
    qint64 childCount = 0;
    QList<FlowNode> children;
};

struct FlowOptions {
    int depth = 10; ///< as getFlow: levels read, the root included
    int maxChildren = 20; ///< per child collection
};

/// Splits a full job key "prefix:queue:id" as BullMQ does (the prefix may hold ':'); false when
/// the key has fewer than three parts.
bool parseJobKey(const QByteArray& key, QueueRef* ref, QByteArray* id);

/// The child keys of a job in getFlow()'s order, at most `maxChildren` from each collection.
QList<QByteArray> childKeys(const JobDetail& job, int maxChildren);

/// Reads the flow below job `id` of `queue`, level by level: one pipelined round trip per job,
/// the jobs of a level in flight together. Children in other queues are read with the
/// generation of `queue` (flows are a BullMQ feature and span the queues of one server).
/// Continuations run on `client`'s thread; the future always finishes.
QFuture<FlowNode> fetchFlow(RedisClient* client, const QueueSnapshot& queue, const QByteArray& id,
    FlowOptions options = {});

/// The node as JSON shaped like getFlow(): {"job": {...}, "children": [...]}; a missing job is null.
QJsonValue flowToJson(const FlowNode& node);

} // namespace bullpen::bullmq
