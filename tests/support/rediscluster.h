// SPDX-License-Identifier: MIT
#pragma once

#include "redisserver.h"

#include <QByteArray>
#include <QList>
#include <QStringList>

#include <memory>

namespace bullpen::test {

/// A throwaway Redis Cluster of `masters` masters, each with `replicasPerMaster` replicas, for
/// one test: each node a RedisServer with `--cluster-enabled yes` in its own temp dir on a free
/// port (its bus port, port+10000, free too), joined with `redis-cli --cluster create …
/// --cluster-replicas N --cluster-yes` (slots split evenly), ready when every node's CLUSTER INFO
/// says cluster_state:ok, all agree on the slot map and every replica's link to its master is
/// up. Which node became a master is redis-cli's choice: ask isMaster() / replicasOf(). The
/// nodes are killed when the object dies.
class RedisCluster
{
public:
    explicit RedisCluster(int masters = 3, int replicasPerMaster = 0);
    ~RedisCluster();
    RedisCluster(const RedisCluster&) = delete;
    RedisCluster& operator=(const RedisCluster&) = delete;

    /// Starts the nodes, creates the cluster and waits until it is ok. False with `error()` set.
    bool start();

    int size() const { return int(m_nodes.size()); }
    RedisServer& node(int i) { return *m_nodes.at(i); }
    const RedisServer& node(int i) const { return *m_nodes.at(i); }
    QString error() const { return m_error; }

    /// Options for the first node (the seed a client starts from).
    ConnectionOptions options() const { return node(0).options(); }
    /// "redis://127.0.0.1:PORT" of the first node.
    QString url() const { return node(0).url(); }

    /// Whether node `i` is a master (ROLE), as the cluster was created.
    bool isMaster(int i) const { return m_masterOf.value(i, -1) < 0; }
    /// The indexes of the replicas of master `i`.
    QList<int> replicasOf(int i) const;
    /// The index of the first master.
    int firstMaster() const;

    /// The node id (CLUSTER MYID) of node `i`.
    QByteArray nodeId(int i) const;
    /// The index of the node that serves `slot`, according to node 0; -1 when unknown.
    int ownerOf(int slot) const;
    /// Moves `slot` from its owner to node `to` the way redis-cli does: SETSLOT IMPORTING on
    /// the target, MIGRATING on the source, MIGRATE every key, SETSLOT NODE on all nodes. With
    /// `finish` false it stops after MIGRATE of the first `keysToMove` keys (-1: all), leaving
    /// the slot in migration. False with `error()` set.
    bool migrateSlot(int slot, int to, bool finish = true, int keysToMove = -1);
    /// Waits until every node agrees that node `owner` serves `slot`.
    bool waitForOwner(int slot, int owner, int timeoutMs = 10000);
    /// Waits until every node reports cluster_state:ok.
    bool waitForOk(int timeoutMs = 20000);

private:
    bool readRoles();

    int m_masters;
    int m_replicasPerMaster;
    QList<int> m_masterOf; ///< per node: the index of its master, -1 for a master
    std::vector<std::unique_ptr<RedisServer>> m_nodes;
    QString m_error;
};

} // namespace bullpen::test
