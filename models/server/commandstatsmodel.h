// SPDX-License-Identifier: MIT
#pragma once

#include "serversample.h"

#include <QAbstractTableModel>

namespace bullpen {

/// Per-command statistics of the last sample (INFO commandstats), merged by command name.
class CommandStatsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns { CommandColumn, CallsColumn, CallsPerSecondColumn, UsecPerCallColumn, UsecColumn, ColumnCount };
    enum Roles { SortRole = Qt::UserRole, NameRole };

    explicit CommandStatsModel(QObject* parent = nullptr);
    ~CommandStatsModel() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setStats(const QList<ServerSample::CommandStat>& stats);
    void clear();
    int rowOf(const QByteArray& name) const;

private:
    QList<ServerSample::CommandStat> m_rows;
};

} // namespace bullpen
