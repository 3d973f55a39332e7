// SPDX-License-Identifier: MIT
#pragma once

#include "timeseriesmodel.h"

namespace bullpen {

struct ServerSample;

/// The INFO time series: one row per sample, an hour at 1 s by default.
class ServerMetricsModel : public TimeSeriesModel
{
    Q_OBJECT
public:
    enum Columns {
        TimeColumn,
        UsedMemoryColumn,
        RssColumn,
        FragmentationColumn,
        MaxMemoryColumn,
        OpsColumn,
        ClientsColumn,
        BlockedColumn,
        HitRatioColumn,
        NetInColumn,
        NetOutColumn,
        ExpiredColumn,
        EvictedColumn,
        ColumnCount
    };

    explicit ServerMetricsModel(int capacity = 3600, QObject* parent = nullptr);
    ~ServerMetricsModel() override;

    void appendSample(const ServerSample& sample);
};

/// Latency of the probe connection, one row per window: min, median, p99 and max round trip.
class LatencyModel : public TimeSeriesModel
{
    Q_OBJECT
public:
    enum Columns { TimeColumn, MinColumn, MedianColumn, P99Column, MaxColumn, SamplesColumn, ColumnCount };

    explicit LatencyModel(int capacity = 3600, QObject* parent = nullptr);
    ~LatencyModel() override;
};

} // namespace bullpen
