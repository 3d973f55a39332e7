// SPDX-License-Identifier: MIT
#pragma once

#include "serverinfo.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>

#include <limits>

namespace bullpen {

/// The figures of one INFO sample, with rates computed against the previous sample.
/// Rates are NaN for the first sample and after a restart (counters went backwards).
struct ServerSample {
    static constexpr double nan = std::numeric_limits<double>::quiet_NaN();

    struct CommandStat {
        QByteArray name; ///< "get", "client|list"
        qint64 calls = 0;
        qint64 usec = 0;
        double usecPerCall = 0;
        double callsPerSecond = nan;
    };
    struct Keyspace {
        int db = 0;
        qint64 keys = 0;
        qint64 expires = 0;
        qint64 avgTtlMs = 0;
    };

    qint64 timeMs = 0;
    double intervalSeconds = nan;
    QByteArray runId;

    qint64 usedMemory = 0;
    qint64 usedMemoryRss = 0;
    double fragmentation = nan;
    qint64 maxMemory = 0;
    QByteArray evictionPolicy;

    qint64 totalCommands = 0;
    double opsPerSecond = nan; ///< from total_commands_processed, without the sampler's own INFO
    qint64 connectedClients = 0;
    qint64 blockedClients = 0;
    qint64 keyspaceHits = 0;
    qint64 keyspaceMisses = 0;
    double hitRatio = nan; ///< hits / lookups in the interval; all-time when there were none
    qint64 netInputBytes = 0;
    qint64 netOutputBytes = 0;
    double netInPerSecond = nan;
    double netOutPerSecond = nan;
    qint64 expiredKeys = 0;
    qint64 evictedKeys = 0;
    double expiredPerSecond = nan;
    double evictedPerSecond = nan;

    QList<CommandStat> commands; ///< from the Commandstats section, in server order
    QList<Keyspace> keyspace;

    /// Figures of `info` taken at `timeMs`; rates against `previous` (may be null).
    /// `ownCommands`: commands the sampler itself sent per sample, left out of ops/s.
    static ServerSample fromInfo(
        const ServerInfo& info, qint64 timeMs, const ServerSample* previous = nullptr, int ownCommands = 1);
};

} // namespace bullpen

Q_DECLARE_METATYPE(bullpen::ServerSample)
