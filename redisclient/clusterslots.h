// SPDX-License-Identifier: MIT
#pragma once

#include "reply.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace bullpen {

/// Redis Cluster key slots: CRC16 (XMODEM, as in the Redis Cluster specification), hash tags,
/// which arguments of a command are keys, and the slot map read from CLUSTER SHARDS or
/// CLUSTER SLOTS. Plain functions and values, no I/O.
namespace cluster {

    constexpr int slotCount = 16384;

    /// CRC16-CCITT (XMODEM): polynomial 0x1021, initial value 0, no reflection.
    quint16 crc16(const QByteArray& data);

    /// The part of `key` that is hashed: the bytes between the first '{' and the first '}' after
    /// it, when that is not empty; else the whole key ("foo{}{bar}" hashes all of it,
    /// "foo{{bar}}zap" hashes "{bar").
    QByteArray hashTag(const QByteArray& key);

    /// The slot of `key`: crc16(hashTag(key)) mod 16384.
    int keySlot(const QByteArray& key);

    /// The indexes in `argv` of the arguments that are keys, for the commands Bullpen sends
    /// (strings, hashes, lists, sets, sorted sets, streams, keyspace commands, EVAL/EVALSHA/FCALL
    /// with numkeys, XREAD/XREADGROUP … STREAMS). Nothing for commands without keys (PING, INFO,
    /// SCAN, CLUSTER …) and for unknown commands (they go to any node; a MOVED reply corrects it).
    QList<qsizetype> keyIndexes(const Command& argv);

    /// The slot of a command: that of its first key; -1 when it has no key. `crossSlot`, when
    /// given, is set when its keys are in different slots (the server will refuse it with CROSSSLOT).
    int commandSlot(const Command& argv, bool* crossSlot = nullptr);

    /// A cluster node's address, as clients reach it.
    struct NodeAddress
    {
        QString host;
        quint16 port = 0;
        QByteArray id; ///< node id when known (CLUSTER SHARDS, CLUSTER SLOTS of Redis ≥ 4)

        QString toString() const { return host + QLatin1Char(':') + QString::number(port); }
        bool operator==(const NodeAddress& o) const { return host == o.host && port == o.port; }
    };

    /// Which master (and which replicas) serve each slot.
    struct SlotMap
    {
        struct Shard
        {
            NodeAddress master;
            QList<NodeAddress> replicas;
        };
        QList<Shard> shards;
        /// For each slot, an index into `shards`, or -1 when no node serves it.
        QList<qint16> owner = QList<qint16>(slotCount, qint16(-1));

        bool isEmpty() const { return shards.isEmpty(); }
        /// The master of `slot`, or nothing when no node serves it.
        std::optional<NodeAddress> masterOf(int slot) const;
        /// Number of slots that some node serves.
        int coveredSlots() const;
        /// Sets the master of `slot` (after a MOVED reply), adding the node when new.
        void assign(int slot, const NodeAddress& master);
    };

    /// Parses a CLUSTER SHARDS reply (Redis ≥ 7). `seedHost` replaces an endpoint that is empty or
    /// "?" (nodes announce no address of their own): the host the client reached the cluster at.
    /// `tls` picks each node's tls-port. Nothing, with `error` set, when the reply is not one.
    std::optional<SlotMap> parseShards(const Reply& reply, const QString& seedHost, bool tls, QString* error);
    /// Parses a CLUSTER SLOTS reply (all versions). Same conventions.
    std::optional<SlotMap> parseSlots(const Reply& reply, const QString& seedHost, QString* error);

    /// A -MOVED or -ASK redirection: "MOVED 3999 127.0.0.1:6381". An empty host in the reply
    /// ("MOVED 3999 :6381") means the host of the node that sent it: `fromHost`.
    struct Redirect
    {
        bool ask = false;
        int slot = -1;
        NodeAddress target;
    };
    std::optional<Redirect> parseRedirect(const Reply& reply, const QString& fromHost);

} // namespace cluster
} // namespace bullpen
