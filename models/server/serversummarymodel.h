// SPDX-License-Identifier: MIT
#pragma once

#include "serverinfo.h"

#include <QAbstractTableModel>
#include <QDateTime>

namespace bullpen {

/// The headline fields of one INFO reply as a flat two-column table (field, value).
///
/// Rows are keyed by a stable id (the INFO field name, "keys_total", or "db<N>" for the keys
/// of one database): setInfo() merges by that key, so selection and scroll survive a refresh.
/// When the connection is lost the last values stay, flagged stale (StaleRole, greyed text).
class ServerSummaryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns { FieldColumn, ValueColumn, ColumnCount };
    enum Roles {
        KeyRole = Qt::UserRole, ///< the row's stable id (QByteArray), e.g. "redis_version", "db0"
        SortRole, ///< raw value: qint64 for numbers, QString otherwise
        StaleRole, ///< bool: the values are from an earlier connection
    };

    explicit ServerSummaryModel(QObject* parent = nullptr);
    ~ServerSummaryModel() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Merges the fields of `info` (received at `when`) and clears the stale flag.
    void setInfo(const ServerInfo& info, const QDateTime& when = QDateTime::currentDateTime());
    /// Marks the values as old (connection lost) or current again.
    void setStale(bool stale);
    /// Removes every row (a different server was chosen).
    void clear();

    bool isStale() const { return m_stale; }
    bool hasData() const { return !m_rows.isEmpty(); }
    const ServerInfo& info() const { return m_info; }
    QDateTime updatedAt() const { return m_updatedAt; }

    /// Row of the stable key, or -1.
    int rowOf(const QByteArray& key) const;
    /// Display text of the value for `key`, or a null string when there is no such row.
    QString valueText(const QByteArray& key) const;

Q_SIGNALS:
    void staleChanged(bool stale);

private:
    struct Row
    {
        QByteArray key;
        QString label;
        QString value;
        QVariant sortValue;
        QString tooltip;
    };
    static QList<Row> rowsFor(const ServerInfo& info);

    QList<Row> m_rows;
    ServerInfo m_info;
    QDateTime m_updatedAt;
    bool m_stale = false;
};

/// "3 d 4 h", "2 h 5 min", "42 s" for people.
QString formatDuration(qint64 seconds);

} // namespace bullpen
