// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

namespace bullpen {

/// The text of an INFO reply, parsed: sections in server order, fields by name.
class ServerInfo
{
public:
    struct Section {
        QString name; ///< as printed after "# ", e.g. "Server"
        QList<QPair<QByteArray, QByteArray>> fields;
    };

    static ServerInfo parse(const QByteArray& infoText);
    /// The INFO of several servers (the masters of a cluster) as one. Counters, sizes, rates
    /// and client counts are summed (used_memory, total_commands_processed, connected_clients,
    /// instantaneous_ops_per_sec, keyspace_hits, total_net_input_bytes, maxmemory, …), each
    /// "dbN" line and "cmdstat_*" line field by field (usec_per_call and avg_ttl recomputed);
    /// mem_fragmentation_ratio is the summed RSS over the summed used memory, "*_human" fields
    /// are written again from their summed figure, uptime is the shortest. Any other field
    /// keeps its value when every server has the same, else the values joined with ",".
    /// Sections and fields in first-seen order.
    static ServerInfo sum(const QList<ServerInfo>& servers);

    const QList<Section>& sections() const { return m_sections; }
    /// Field value by name (first match across sections), or `fallback`.
    QByteArray value(const QByteArray& field, const QByteArray& fallback = {}) const;
    qint64 integer(const QByteArray& field, qint64 fallback = 0) const;
    bool contains(const QByteArray& field) const { return m_index.contains(field); }

    /// Number of keys over all databases (from the Keyspace section).
    qint64 totalKeys() const;

private:
    QList<Section> m_sections;
    QHash<QByteArray, QByteArray> m_index;
};

/// "1.5 MiB" for people.
QString formatBytes(qint64 bytes);

} // namespace bullpen
