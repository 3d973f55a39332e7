// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractTableModel>
#include <QStringList>

#include <vector>

namespace bullpen {

/// A fixed-capacity ring buffer of samples as a table: column 0 is the time, the other columns
/// are numbers (NaN: no value for that sample). Appending to a full buffer removes the oldest
/// row first (rowsRemoved(0, 0), then rowsInserted at the end), so memory never grows past the
/// capacity. Charts read from here and hold no data of their own.
///
/// DisplayRole gives raw values (QDateTime for the time, double otherwise) because chart code
/// and proxies read numbers; TextRole gives text for people.
class TimeSeriesModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Roles {
        SortRole = Qt::UserRole, ///< raw value: qint64 ms since the epoch for the time, double otherwise
        TimeMsRole, ///< qint64 ms since the epoch of the row, in every column
        TextRole, ///< formatted text (units applied)
    };
    enum class Unit { Count, Bytes, BytesPerSecond, PerSecond, Ratio, Milliseconds, Factor };

    /// `columns`: headers of the value columns (column 0, "Time", comes first).
    TimeSeriesModel(const QStringList& columns, const QList<Unit>& units, int capacity, QObject* parent = nullptr);
    ~TimeSeriesModel() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Appends one sample; `values` has one entry per value column (columnCount() - 1).
    void append(qint64 timeMs, const QList<double>& values);
    /// Removes every sample.
    void clear();
    /// Changes the capacity; keeps the newest samples that fit.
    void setCapacity(int capacity);
    int capacity() const { return m_capacity; }

    qint64 timeAt(int row) const;
    double valueAt(int row, int column) const;
    Unit unit(int column) const { return m_units.value(column - 1, Unit::Count); }
    QString columnName(int column) const;
    /// First row whose time is ≥ `timeMs` (rowCount() when none).
    int firstRowAtOrAfter(qint64 timeMs) const;
    /// The rows from `fromMs` on, as CSV (header line, ISO times, raw numbers).
    QByteArray toCsv(qint64 fromMs = 0) const;

    static QString formatValue(double value, Unit unit);

private:
    int slot(int row) const { return int((m_head + row) % m_capacity); }

    QStringList m_columns;
    QList<Unit> m_units;
    int m_capacity;
    int m_head = 0; // slot of row 0
    int m_count = 0;
    std::vector<qint64> m_times;
    std::vector<double> m_values; // m_capacity × value columns
};

} // namespace bullpen
