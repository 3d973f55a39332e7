// SPDX-License-Identifier: MIT
#include "flowtree.h"

#include "redisclient.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QPointer>
#include <QPromise>

#include <memory>

namespace bullpen::bullmq {

bool parseJobKey(const QByteArray& key, QueueRef* ref, QByteArray* id)
{
    // BullMQ's parseNodeKey: the last part is the id, the one before it the queue, the rest the
    // prefix (which may itself contain ':').
    const qsizetype idColon = key.lastIndexOf(':');
    if (idColon <= 0)
        return false;
    const qsizetype queueColon = key.lastIndexOf(':', idColon - 1);
    if (queueColon <= 0)
        return false;
    ref->prefix = key.left(queueColon);
    ref->name = key.mid(queueColon + 1, idColon - queueColon - 1);
    *id = key.mid(idColon + 1);
    return !ref->name.isEmpty() && !id->isEmpty();
}

QList<QByteArray> childKeys(const JobDetail& job, int maxChildren)
{
    const qsizetype limit = std::max(1, maxChildren);
    QList<QByteArray> keys;
    const auto take = [&](const auto& list, auto keyOf) {
        for (qsizetype i = 0; i < list.size() && i < limit; ++i)
            keys.append(keyOf(list.at(i)));
    };
    const auto first = [](const auto& pair) { return pair.first; };
    take(job.children.processed, first);
    take(job.children.pending, [](const QByteArray& k) { return k; });
    take(job.children.failed, first);
    take(job.children.ignored, first);
    return keys;
}

namespace {

    struct TreeNode {
        FlowNode node;
        QList<std::shared_ptr<TreeNode>> kids;
    };

    struct FlowRead {
        QPointer<RedisClient> client;
        FlowOptions options;
        QueueSnapshot like; ///< library and generation for every queue of the flow
        std::shared_ptr<TreeNode> root;
        QPromise<FlowNode> promise;
        int outstanding = 0;
    };

    FlowNode assemble(const TreeNode& t)
    {
        FlowNode n = t.node;
        for (const auto& kid : t.kids)
            n.children.append(assemble(*kid));
        return n;
    }

    void read(const std::shared_ptr<FlowRead>& s, const std::shared_ptr<TreeNode>& target, int depth)
    {
        ++s->outstanding;
        QueueSnapshot queue = s->like;
        queue.ref = target->node.ref;
        DetailOptions options;
        options.logLimit = 1;
        options.childLimit = std::max(1, s->options.maxChildren);
        const auto done = [s] {
            if (--s->outstanding > 0)
                return;
            s->promise.addResult(assemble(*s->root));
            s->promise.finish();
        };
        if (!s->client) {
            target->node.error = QStringLiteral("the connection was closed");
            target->node.errorKind = Reply::ErrorKind::Connection;
            done();
            return;
        }
        fetchJobDetail(s->client, queue, target->node.id, options)
            .then(s->client, [s, target, depth, done](const JobDetail& d) {
                FlowNode& n = target->node;
                if (!d.error.isEmpty()) {
                    n.error = d.error;
                    n.errorKind = d.errorKind;
                    done();
                    return;
                }
                n.exists = d.exists;
                n.name = d.field("name");
                n.state = d.state;
                n.childCount = d.children.processedCount + d.children.pendingCount + d.children.failedCount
                    + d.children.ignoredCount;
                if (d.exists && depth > 1) {
                    for (const QByteArray& key : childKeys(d, s->options.maxChildren)) {
                        auto kid = std::make_shared<TreeNode>();
                        if (!parseJobKey(key, &kid->node.ref, &kid->node.id)) {
                            kid->node.id = key;
                            kid->node.error = QStringLiteral("not a job key: %1").arg(QString::fromUtf8(key));
                            target->kids.append(kid);
                            continue;
                        }
                        target->kids.append(kid);
                        read(s, kid, depth - 1);
                    }
                }
                done();
            })
            .onCanceled(s->client, [target, done] {
                target->node.error = QStringLiteral("the request was cancelled");
                target->node.errorKind = Reply::ErrorKind::Cancelled;
                done();
            });
    }

} // namespace

QFuture<FlowNode> fetchFlow(RedisClient* client, const QueueSnapshot& queue, const QByteArray& id, FlowOptions options)
{
    auto s = std::make_shared<FlowRead>();
    s->client = client;
    s->options = options;
    s->like = queue;
    s->root = std::make_shared<TreeNode>();
    s->root->node.ref = queue.ref;
    s->root->node.id = id;
    s->promise.start();
    QFuture<FlowNode> future = s->promise.future();
    read(s, s->root, std::max(1, options.depth));
    return future;
}

QJsonValue flowToJson(const FlowNode& node)
{
    if (!node.exists && node.error.isEmpty())
        return QJsonValue::Null;
    QJsonObject job {
        { QStringLiteral("id"), QString::fromUtf8(node.id) },
        { QStringLiteral("queueName"), QString::fromUtf8(node.ref.name) },
        { QStringLiteral("prefix"), QString::fromUtf8(node.ref.prefix) },
    };
    if (!node.error.isEmpty()) {
        job.insert(QStringLiteral("error"), node.error);
    } else {
        job.insert(QStringLiteral("name"), QString::fromUtf8(node.name));
        job.insert(QStringLiteral("state"), node.state);
        job.insert(QStringLiteral("childCount"), node.childCount);
    }
    QJsonObject out { { QStringLiteral("job"), job } };
    if (!node.children.isEmpty()) {
        QJsonArray children;
        for (const FlowNode& child : node.children)
            children.append(flowToJson(child));
        out.insert(QStringLiteral("children"), children);
    }
    return out;
}

} // namespace bullpen::bullmq
