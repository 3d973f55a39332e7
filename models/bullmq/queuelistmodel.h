// SPDX-License-Identifier: MIT
#pragma once

#include "queuesnapshot.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace bullpen {
class RedisClient;
}

namespace bullpen::bullmq {

/// Every queue of the server with its library, generation, paused flag and counts. refresh()
/// rediscovers (SCAN) and reads all counts in one pipeline; rows are merged by queue (prefix +
/// name), never reset, so selection and scroll survive. One refresh in flight at a time.
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

    /// Starts a refresh unless one is running; refreshed() or failed() follows.
    void refresh();
    bool isRefreshing() const { return m_inFlight; }
    const QueueSnapshot& snapshot(int row) const { return m_rows.at(row); }
    int rowOf(const QueueRef& ref) const;

Q_SIGNALS:
    void refreshed();
    void failed(const QString& message);

private:
    void merge(const QList<QueueSnapshot>& fresh);
    QVariant cell(const QueueSnapshot& s, int column) const;

    QPointer<RedisClient> m_client;
    QList<QueueSnapshot> m_rows;
    quint64 m_generation = 0;
    bool m_inFlight = false;
};

} // namespace bullpen::bullmq
