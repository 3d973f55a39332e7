// SPDX-License-Identifier: MIT
#include "commandstatsmodel.h"

#include "timeseriesmodel.h"

#include <QSet>

namespace bullpen {

CommandStatsModel::CommandStatsModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

CommandStatsModel::~CommandStatsModel() = default;

int CommandStatsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CommandStatsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CommandStatsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto& c = m_rows.at(index.row());
    if (role == NameRole)
        return c.name;
    if (role == SortRole) {
        switch (index.column()) {
        case CommandColumn:
            return QString::fromUtf8(c.name);
        case CallsColumn:
            return c.calls;
        case CallsPerSecondColumn:
            return c.callsPerSecond;
        case UsecPerCallColumn:
            return c.usecPerCall;
        case UsecColumn:
            return c.usec;
        }
    }
    if (role == Qt::DisplayRole) {
        using U = TimeSeriesModel::Unit;
        switch (index.column()) {
        case CommandColumn:
            return QString::fromUtf8(c.name);
        case CallsColumn:
            return TimeSeriesModel::formatValue(double(c.calls), U::Count);
        case CallsPerSecondColumn:
            return TimeSeriesModel::formatValue(c.callsPerSecond, U::PerSecond);
        case UsecPerCallColumn:
            return QString::number(c.usecPerCall, 'f', 2);
        case UsecColumn:
            return TimeSeriesModel::formatValue(double(c.usec), U::Count);
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() != CommandColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant CommandStatsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case CommandColumn:
        return tr("Command");
    case CallsColumn:
        return tr("Calls");
    case CallsPerSecondColumn:
        return tr("Calls/s");
    case UsecPerCallColumn:
        return tr("µs/call");
    case UsecColumn:
        return tr("Total µs");
    }
    return {};
}

int CommandStatsModel::rowOf(const QByteArray& name) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).name == name)
            return i;
    }
    return -1;
}

void CommandStatsModel::setStats(const QList<ServerSample::CommandStat>& stats)
{
    QSet<QByteArray> names;
    for (const auto& s : stats)
        names.insert(s.name);
    // Remove rows that are gone (CONFIG RESETSTAT), back to front so indexes stay valid.
    for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
        if (!names.contains(m_rows.at(i).name)) {
            beginRemoveRows({}, i, i);
            m_rows.removeAt(i);
            endRemoveRows();
        }
    }
    for (const auto& s : stats) {
        const int row = rowOf(s.name);
        if (row >= 0) {
            m_rows[row] = s;
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        } else {
            const int at = int(m_rows.size());
            beginInsertRows({}, at, at);
            m_rows.append(s);
            endInsertRows();
        }
    }
    Q_ASSERT(m_rows.size() == stats.size());
}

void CommandStatsModel::clear()
{
    if (m_rows.isEmpty())
        return;
    beginRemoveRows({}, 0, int(m_rows.size()) - 1);
    m_rows.clear();
    endRemoveRows();
}

} // namespace bullpen
