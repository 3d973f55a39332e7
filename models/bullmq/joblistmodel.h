// SPDX-License-Identifier: MIT
#pragma once

#include "jobpage.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace bullpen {
class RedisClient;
}

namespace bullpen::bullmq {

/// The jobs of one queue state in the library's order, loaded lazily a page at a time
/// (canFetchMore/fetchMore). Rows hold the small fields, the data size and a preview of small
/// data only. refresh() re-reads the loaded range and merges by job id (update, insert, move,
/// remove), never resetting; setSource() resets, because the rows then mean something else.
class JobListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns { Id, Name, Created, Processed, Finished, Attempts, Progress, DataSize, Reason, ColumnCount };
    enum Roles { SortRole = Qt::UserRole, JobIdRole, MissingRole, DataPreviewRole };

    explicit JobListModel(RedisClient* client, QObject* parent = nullptr);
    ~JobListModel() override;

    void setSource(const QueueSnapshot& queue, const QString& state);
    void setPageSize(int rows) { m_pageSize = std::max(1, rows); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent = {}) const override;
    void fetchMore(const QModelIndex& parent = {}) override;

    void refresh();
    bool isBusy() const { return m_inFlight; }
    qint64 total() const { return m_total; }
    const JobSummary& job(int row) const { return m_rows.at(row); }

    static constexpr qint64 kPreviewBytes = 512;

Q_SIGNALS:
    void pageLoaded();
    void refreshed();
    void failed(const QString& message);

private:
    void merge(const QList<JobSummary>& fresh);

    QPointer<RedisClient> m_client;
    QueueSnapshot m_queue;
    QString m_state;
    QList<JobSummary> m_rows;
    qint64 m_nextOffset = 0; ///< container position of the next page (rows + skipped ids)
    qint64 m_total = 0;
    int m_pageSize = 100;
    bool m_exhausted = true;
    bool m_inFlight = false;
    quint64 m_generation = 0;
};

} // namespace bullpen::bullmq
