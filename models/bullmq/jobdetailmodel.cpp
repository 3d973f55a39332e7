// SPDX-License-Identifier: MIT
#include "jobdetailmodel.h"

#include "jobjson.h"
#include "futurewatch.h"
#include "redisclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace bullpen::bullmq {

JobDetailModel::JobDetailModel(RedisClient* client, QObject* parent)
    : QAbstractTableModel(parent)
    , m_client(client)
{
}

JobDetailModel::~JobDetailModel() = default;

void JobDetailModel::setJob(const QueueSnapshot& queue, const QByteArray& id)
{
    beginResetModel();
    ++m_generation;
    m_queue = queue;
    m_id = id;
    m_detail = {};
    m_rows.clear();
    m_inFlight = false;
    endResetModel();
    refresh();
}

void JobDetailModel::refresh()
{
    if (m_inFlight || !m_client || m_id.isEmpty())
        return;
    m_inFlight = true;
    const quint64 gen = m_generation;
    whenReady(this, fetchJobDetail(m_client, m_queue, m_id), [this, gen](const JobDetail& d) {
        if (gen != m_generation)
            return;
        m_inFlight = false;
        if (!d.error.isEmpty()) {
            Q_EMIT failed(d.error);
            return;
        }
        m_detail = d;
        QList<Row> rows;
        if (d.exists) {
            const QJsonObject o = toJson(d);
            for (auto it = o.begin(); it != o.end(); ++it)
                rows.append({ it.key(), it.value() });
        }
        merge(rows);
        Q_EMIT refreshed();
    });
}

void JobDetailModel::merge(const QList<Row>& fresh)
{
    // Field names come in a fixed (sorted) order, so a merge is remove-absent, insert-new, update.
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        const bool keep = std::any_of(fresh.cbegin(), fresh.cend(), [&](const Row& r) { return r.field == m_rows.at(row).field; });
        if (!keep) {
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
        }
    }
    for (int i = 0; i < fresh.size(); ++i) {
        if (i < m_rows.size() && m_rows.at(i).field == fresh.at(i).field) {
            if (m_rows.at(i).value != fresh.at(i).value) {
                m_rows[i].value = fresh.at(i).value;
                Q_EMIT dataChanged(index(i, Value), index(i, Value));
            }
            continue;
        }
        beginInsertRows({}, i, i);
        m_rows.insert(i, fresh.at(i));
        endInsertRows();
    }
    Q_ASSERT(m_rows.size() == fresh.size());
}

int JobDetailModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int JobDetailModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant JobDetailModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& r = m_rows.at(index.row());
    if (role == JsonRole)
        return r.value.toVariant();
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    if (index.column() == Field)
        return r.field;
    const QJsonValue& v = r.value;
    if (v.isNull())
        return {};
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return v.toDouble();
    if (v.isBool())
        return v.toBool();
    const QByteArray text = v.isArray() ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                                        : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(text);
}

QVariant JobDetailModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == Field ? tr("Field") : section == Value ? tr("Value") : QVariant();
}

} // namespace bullpen::bullmq
