// SPDX-License-Identifier: MIT
#include "timeseriesmodel.h"

#include "serverinfo.h"

#include <QDateTime>
#include <QLocale>

#include <cmath>
#include <limits>

namespace bullpen {

TimeSeriesModel::TimeSeriesModel(const QStringList& columns, const QList<Unit>& units, int capacity, QObject* parent)
    : QAbstractTableModel(parent)
    , m_columns(columns)
    , m_units(units)
    , m_capacity(std::max(1, capacity))
{
    Q_ASSERT(m_units.size() == m_columns.size());
    m_times.resize(size_t(m_capacity));
    m_values.resize(size_t(m_capacity) * size_t(m_columns.size()));
}

TimeSeriesModel::~TimeSeriesModel() = default;

int TimeSeriesModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_count;
}

int TimeSeriesModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size()) + 1;
}

qint64 TimeSeriesModel::timeAt(int row) const
{
    return row >= 0 && row < m_count ? m_times[size_t(slot(row))] : 0;
}

double TimeSeriesModel::valueAt(int row, int column) const
{
    if (row < 0 || row >= m_count || column < 1 || column > m_columns.size())
        return std::numeric_limits<double>::quiet_NaN();
    return m_values[size_t(slot(row)) * size_t(m_columns.size()) + size_t(column - 1)];
}

QString TimeSeriesModel::columnName(int column) const
{
    return column == 0 ? tr("Time") : m_columns.value(column - 1);
}

QString TimeSeriesModel::formatValue(double value, Unit unit)
{
    if (std::isnan(value))
        return QStringLiteral("–");
    const QLocale c = QLocale::c();
    switch (unit) {
    case Unit::Count:
        return c.toString(qint64(std::llround(value)));
    case Unit::Bytes:
        return formatBytes(qint64(std::llround(value)));
    case Unit::BytesPerSecond:
        return formatBytes(qint64(std::llround(value))) + QStringLiteral("/s");
    case Unit::PerSecond:
        return c.toString(value, 'f', value < 10 ? 1 : 0) + QStringLiteral("/s");
    case Unit::Ratio:
        return c.toString(value * 100.0, 'f', 1) + QStringLiteral(" %");
    case Unit::Milliseconds:
        return c.toString(value, 'f', value < 10 ? 2 : 1) + QStringLiteral(" ms");
    case Unit::Factor:
        return c.toString(value, 'f', 2);
    }
    return {};
}

QVariant TimeSeriesModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const int column = index.column();
    if (role == TimeMsRole)
        return timeAt(row);
    if (column == 0) {
        switch (role) {
        case Qt::DisplayRole:
            return QDateTime::fromMSecsSinceEpoch(timeAt(row));
        case SortRole:
            return timeAt(row);
        case TextRole:
            return QDateTime::fromMSecsSinceEpoch(timeAt(row)).toString(QStringLiteral("HH:mm:ss"));
        default:
            return {};
        }
    }
    const double v = valueAt(row, column);
    switch (role) {
    case Qt::DisplayRole:
    case SortRole:
        return v;
    case TextRole:
        return formatValue(v, unit(column));
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    default:
        return {};
    }
}

QVariant TimeSeriesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= columnCount())
        return {};
    return columnName(section);
}

void TimeSeriesModel::append(qint64 timeMs, const QList<double>& values)
{
    Q_ASSERT(values.size() == m_columns.size());
    if (m_count == m_capacity) {
        beginRemoveRows({}, 0, 0);
        m_head = (m_head + 1) % m_capacity;
        --m_count;
        endRemoveRows();
    }
    beginInsertRows({}, m_count, m_count);
    const int s = slot(m_count);
    m_times[size_t(s)] = timeMs;
    const size_t width = size_t(m_columns.size());
    for (size_t i = 0; i < width; ++i)
        m_values[size_t(s) * width + i]
            = qsizetype(i) < values.size() ? values.at(qsizetype(i)) : std::numeric_limits<double>::quiet_NaN();
    ++m_count;
    endInsertRows();
    Q_ASSERT(m_count <= m_capacity);
}

void TimeSeriesModel::clear()
{
    if (m_count == 0)
        return;
    beginRemoveRows({}, 0, m_count - 1);
    m_count = 0;
    m_head = 0;
    endRemoveRows();
}

void TimeSeriesModel::setCapacity(int capacity)
{
    capacity = std::max(1, capacity);
    if (capacity == m_capacity)
        return;
    const int keep = std::min(m_count, capacity);
    if (keep < m_count) {
        beginRemoveRows({}, 0, m_count - keep - 1);
        m_head = slot(m_count - keep);
        m_count = keep;
        endRemoveRows();
    }
    // Re-pack the kept rows into buffers of the new size (no rows change).
    const size_t width = size_t(m_columns.size());
    std::vector<qint64> times(static_cast<size_t>(capacity));
    std::vector<double> values(size_t(capacity) * width);
    for (int r = 0; r < m_count; ++r) {
        times[size_t(r)] = m_times[size_t(slot(r))];
        for (size_t i = 0; i < width; ++i)
            values[size_t(r) * width + i] = m_values[size_t(slot(r)) * width + i];
    }
    m_times.swap(times);
    m_values.swap(values);
    m_capacity = capacity;
    m_head = 0;
}

int TimeSeriesModel::firstRowAtOrAfter(qint64 timeMs) const
{
    int lo = 0;
    int hi = m_count;
    while (lo < hi) { // times only grow
        const int mid = (lo + hi) / 2;
        if (timeAt(mid) < timeMs)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

QByteArray TimeSeriesModel::toCsv(qint64 fromMs) const
{
    QByteArray out = "time";
    for (const QString& c : m_columns)
        out += ',' + c.toUtf8();
    out += '\n';
    for (int r = firstRowAtOrAfter(fromMs); r < m_count; ++r) {
        out += QDateTime::fromMSecsSinceEpoch(timeAt(r)).toUTC().toString(Qt::ISODateWithMs).toLatin1();
        for (int c = 1; c <= m_columns.size(); ++c) {
            const double v = valueAt(r, c);
            out += ',';
            if (!std::isnan(v))
                out += QByteArray::number(v, 'g', 12);
        }
        out += '\n';
    }
    return out;
}

} // namespace bullpen
