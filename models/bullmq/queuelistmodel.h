// SPDX-License-Identifier: MIT
#pragma once

#include "queuesnapshot.h"

#include <QAbstractTableModel>
#include <QPointer>

#include <algorithm>

namespace bullpen {
class RedisClient;
}

namespace bullpen::bullmq {

/// Every queue of the server with its library, generation, paused flag and counts. Rows are
/// merged by queue (prefix + name), never reset, so selection and scroll survive. One refresh in
/// flight at a time.
///
/// Two ways to refresh (the policy of issue #6, see docs/queue-refresh.md):
/// - refresh() (first read, F5, after an action): rediscovers every queue (SCAN of the whole
///   keyspace) and reads all counts in one pipeline.
/// - tick() (the page's timer): first asks the server whether anything was written since the
///   last read (INFO persistence: rdb_changes_since_last_save and rdb_last_save_time, one
///   command); when nothing was, the rows stand as they are (they are exact: nothing changed).
///   Otherwise it reads the counts of the queues already listed, without SCAN. Every
///   rediscoverEvery()-th tick (and the tick after a listed queue's meta vanished) rediscovers
///   (SCAN), whatever the server says: new queues appear and removed ones go within that many
///   ticks (30 s at the default 5 s interval and 6 ticks). When nothing was written, that tick
///   reads the counts of new queues only: the listed rows are still exact.
/// Discovery accepts queues already listed without re-verifying their keys, and a listed queue
/// keeps its detected library and generation until its meta "version" changes.
/// A cluster client has no single write counter: its ticks always read the counts.
class QueueListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns { Name, Prefix, Library, Generation, Paused, Waiting, Active, Prioritized, Delayed, WaitingChildren,
        Completed, Failed, ColumnCount };
    enum Roles { SortRole = Qt::UserRole, QueueNameRole, QueuePrefixRole };

    explicit QueueListModel(RedisClient* client, QObject* parent = nullptr);
    ~QueueListModel() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// What the last finished refresh did.
    enum class RefreshKind { None, Discovery, Counts, Unchanged };
    Q_ENUM(RefreshKind)

    /// Starts a full refresh (discovery + counts) unless one is running; refreshed() or
    /// failed() follows.
    void refresh();
    /// Starts a periodic refresh (see the class comment) unless one is running; refreshed() or
    /// failed() follows.
    void tick();
    void setRediscoverEvery(int ticks) { m_rediscoverEvery = std::max(1, ticks); }
    int rediscoverEvery() const { return m_rediscoverEvery; }
    RefreshKind lastRefreshKind() const { return m_lastKind; }
    bool isRefreshing() const { return m_inFlight; }
    const QueueSnapshot& snapshot(int row) const { return m_rows.at(row); }
    int rowOf(const QueueRef& ref) const;

Q_SIGNALS:
    void refreshed();
    void failed(const QString& message);

private:
    void start(bool discover, bool gate);
    void readCounts(RedisClient* client, quint64 gen, const QList<QueueSnapshot>& previous, RefreshKind kind,
        const QByteArray& token);
    void merge(const QList<QueueSnapshot>& fresh);
    QVariant cell(const QueueSnapshot& s, int column) const;

    QPointer<RedisClient> m_client;
    QList<QueueSnapshot> m_rows;
    quint64 m_generation = 0;
    bool m_inFlight = false;
    QByteArray m_token; ///< the server's write counter before the rows were last read; empty: unknown
    int m_rediscoverEvery = 6;
    int m_ticksSinceDiscovery = 0;
    bool m_rediscoverSoon = false;
    RefreshKind m_lastKind = RefreshKind::None;
};

} // namespace bullpen::bullmq
