// SPDX-License-Identifier: MIT
#include "servermetricsmodel.h"

#include "serversample.h"

namespace bullpen {

using U = TimeSeriesModel::Unit;

ServerMetricsModel::ServerMetricsModel(int capacity, QObject* parent)
    : TimeSeriesModel({ tr("Used memory"), tr("RSS"), tr("Fragmentation"), tr("Max memory"), tr("Ops/s"),
                          tr("Clients"), tr("Blocked"), tr("Hit ratio"), tr("Net in"), tr("Net out"),
                          tr("Expired/s"), tr("Evicted/s") },
        { U::Bytes, U::Bytes, U::Factor, U::Bytes, U::PerSecond, U::Count, U::Count, U::Ratio, U::BytesPerSecond,
            U::BytesPerSecond, U::PerSecond, U::PerSecond },
        capacity, parent)
{
    static_assert(ColumnCount == 13);
}

ServerMetricsModel::~ServerMetricsModel() = default;

void ServerMetricsModel::appendSample(const ServerSample& s)
{
    append(s.timeMs,
        { double(s.usedMemory), double(s.usedMemoryRss), s.fragmentation, double(s.maxMemory), s.opsPerSecond,
            double(s.connectedClients), double(s.blockedClients), s.hitRatio, s.netInPerSecond, s.netOutPerSecond,
            s.expiredPerSecond, s.evictedPerSecond });
}

LatencyModel::LatencyModel(int capacity, QObject* parent)
    : TimeSeriesModel({ tr("Min"), tr("Median"), tr("p99"), tr("Max"), tr("Pings") },
        { U::Milliseconds, U::Milliseconds, U::Milliseconds, U::Milliseconds, U::Count }, capacity, parent)
{
}

LatencyModel::~LatencyModel() = default;

} // namespace bullpen
