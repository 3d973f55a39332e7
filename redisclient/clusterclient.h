// SPDX-License-Identifier: MIT
#pragma once

#include "clusterslots.h"
#include "redisclient.h"

#include <QFuture>
#include <QStringList>

#include <memory>

namespace bullpen {

/// A Redis Cluster behind the RedisClient interface.
///
/// The base RedisClient is the connection to the seed node (`options`): open() opens it, and
/// state(), stateChanged() and options() are its. The slot map is read from the seed with
/// CLUSTER SHARDS (CLUSTER SLOTS on servers before 7.0) before the first request, and again
/// after every MOVED reply. Each master gets its own RedisClient (the seed's connection serves
/// its own slots), created and opened as the map names it.
///
/// command() and pipeline() keep RedisClient's contract (thread-safe, never block, futures
/// always finish, read-only mode and the safety guard apply) and route every command by the
/// slot of its key (keyIndexes()); commands without a key go to the seed. A pipeline is split
/// per node, sent as one pipeline to each, and its replies are put back in the original order.
/// With `readFromReplicas` each replica in the map gets a RedisClient too (read-only, READONLY
/// in every handshake): a command the command policy knows as read-only (isReadCommand()) that
/// has a key goes to a replica of its slot, the replicas of a shard taken in turn; writes,
/// unknown commands, keyless commands, WATCH, transactions, SCAN walks and forEachMaster() stay
/// on the masters. When a replica fails to answer (connection lost or refused, timeout, LOADING,
/// MASTERDOWN) the master answers instead, and that replica gets nothing more until its
/// connection is ready again; a replica that was never tried gets its first request (which
/// waits for the handshake).
/// A MOVED reply updates the map and the command is sent again to the node it names; an ASK
/// reply sends ASKING and the command to that node, once; at most 5 redirections per command.
/// Commands between MULTI and EXEC in a pipeline all go to the node of the first key among
/// them and are not redirected (the transaction would not survive being split).
///
/// SCAN through command() or pipeline() walks every master, one after the other, so that code
/// written for one server (the key browser, queue discovery) sees every key of the cluster:
/// the cursor is "0" at the start and the end and "<master>-<cursor on that master>" between
/// (opaque to callers, as SCAN cursors are). The masters are taken in address order at each
/// step; a resharding during the walk may show a moved key twice or not at all.
/// SCRIPT LOAD through command() goes to every master (EVALSHA runs on the node of its first
/// key, which needs the script in its own cache); its reply is the SHA, or the first error.
/// scanAll() and forEachMaster() fan out to every master at once (INFO per node, …).
class ClusterClient : public RedisClient
{
    Q_OBJECT
public:
    explicit ClusterClient(ConnectionOptions options, QObject* parent = nullptr);
    ~ClusterClient() override;

    QFuture<Reply> command(Command argv, CallOptions call = {}) override;
    QFuture<QList<Reply>> pipeline(QList<Command> commands, CallOptions call = {}) override;

    /// Reads the slot map again from the seed. True when a map with at least one master came
    /// back; false (and topologyError() set) otherwise. Concurrent calls share one request.
    QFuture<bool> refreshTopology();
    /// A copy of the current slot map (empty before the first refresh finished).
    cluster::SlotMap slotMap() const;
    /// The options of a plain connection to `node`: the seed's (credentials, TLS, timeouts) with
    /// that node's address, not in cluster mode. The cluster's own node connections use them, and
    /// so should a side connection to one node (the latency probe of a master on view).
    ConnectionOptions nodeOptions(const cluster::NodeAddress& node) const;
    /// Why the last refresh failed; empty after a successful one.
    QString topologyError() const;
    /// How many MOVED / ASK replies were followed since the client was created.
    qint64 redirections() const;

    struct NodeConnection
    {
        cluster::NodeAddress node;
        bool replica = false; ///< the READONLY connection to a replica (readFromReplicas)
        ConnectionState state = ConnectionState::Disconnected;
    };
    /// The node connections opened so far (masters first, then replicas, by address) and their
    /// states: the owner's view, updated from its event loop.
    QList<NodeConnection> nodeConnections() const;

    struct NodeReply
    {
        cluster::NodeAddress node;
        Reply reply;
    };
    /// Sends `argv` to every master of the current map (refreshed first when empty); one reply
    /// per master, in the map's order. For INFO, DBSIZE, CONFIG GET, SLOWLOG GET …
    QFuture<QList<NodeReply>> forEachMaster(Command argv, CallOptions call = {});

    struct NodePipeline
    {
        cluster::NodeAddress node;
        QList<Reply> replies; ///< one per command, in order
    };
    /// Sends `commands` as one pipeline to every master of the current map (refreshed first
    /// when empty); one entry per master, in the map's order. For samplers that need several
    /// figures of each node from the same moment (INFO with LATENCY LATEST, SLOWLOG GET, …).
    QFuture<QList<NodePipeline>> pipelineOnEachMaster(QList<Command> commands, CallOptions call = {});

    struct ScanResult
    {
        QList<QByteArray> keys; ///< every key once, in the order first seen
        QStringList errors; ///< one line per node whose scan failed: "host:port: reason"
        int passes = 0; ///< 1, or more when the slot owners changed during a pass
    };
    /// SCAN on every master, each cursor followed to the end (`count` keys per step, the
    /// server's COUNT hint), `match` and `type` as SCAN's MATCH and TYPE (empty: none). A key
    /// seen on two nodes (moved by a resharding between the two scans) is listed once. When the
    /// slot owners changed during the scan (a key may have moved from a node not yet scanned to
    /// one already scanned), the map is read again and every master scanned again, up to 3
    /// passes. Keys moved by a migration still in progress when the last pass ends (MIGRATE
    /// done, CLUSTER SETSLOT NODE not yet) can still be missed.
    QFuture<ScanResult> scanAll(const QByteArray& match = {}, const QByteArray& type = {}, int count = 1000);

private:
    /// A read a replica may serve (readFromReplicas): read-only by the command policy, not WATCH.
    bool forReplica(const Command& argv) const;

    struct Core;
    std::shared_ptr<Core> m_core;
};

} // namespace bullpen
