// SPDX-License-Identifier: MIT
#pragma once

#include "jobdetail.h"

#include <QAbstractTableModel>
#include <QJsonValue>
#include <QPointer>

namespace bullpen {
class RedisClient;
}

namespace bullpen::bullmq {

/// One job as (field, value) rows: every decoded field, state, logs, lock and children, and the
/// stored fields no library defines. refresh() merges by field name.
class JobDetailModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns { Field, Value, ColumnCount };
    enum Roles { SortRole = Qt::UserRole, JsonRole };

    explicit JobDetailModel(RedisClient* client, QObject* parent = nullptr);
    ~JobDetailModel() override;

    void setJob(const QueueSnapshot& queue, const QByteArray& id);
    void refresh();
    bool exists() const { return m_detail.exists; }
    const JobDetail& detail() const { return m_detail; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void refreshed();
    void failed(const QString& message);

private:
    struct Row {
        QString field;
        QJsonValue value;
    };
    void merge(const QList<Row>& fresh);

    QPointer<RedisClient> m_client;
    QueueSnapshot m_queue;
    QByteArray m_id;
    JobDetail m_detail;
    QList<Row> m_rows;
    quint64 m_generation = 0;
    bool m_inFlight = false;
};

} // namespace bullpen::bullmq
