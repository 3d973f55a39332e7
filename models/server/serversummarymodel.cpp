// SPDX-License-Identifier: MIT
#include "serversummarymodel.h"

#include <QFont>
#include <QGuiApplication>
#include <QLocale>
#include <QPalette>

#include <algorithm>

namespace bullpen {

namespace {

    QString number(qint64 v)
    {
        return QLocale().toString(v);
    }

    // "db3" -> 3, anything else -> -1
    int databaseNumber(const QByteArray& field)
    {
        if (!field.startsWith("db") || field.size() < 3)
            return -1;
        bool ok = false;
        const int n = field.mid(2).toInt(&ok);
        return ok && n >= 0 ? n : -1;
    }

    // "keys=42,expires=3,avg_ttl=0" -> value of `name`
    qint64 keyspaceValue(const QByteArray& text, const QByteArray& name)
    {
        for (const QByteArray& part : text.split(',')) {
            const qsizetype eq = part.indexOf('=');
            if (eq > 0 && part.left(eq) == name)
                return part.mid(eq + 1).toLongLong();
        }
        return 0;
    }

    QString fieldTooltip(const QByteArray& field)
    {
        return ServerSummaryModel::tr("INFO field <code>%1</code>").arg(QString::fromUtf8(field).toHtmlEscaped());
    }

} // namespace

QString formatDuration(qint64 seconds)
{
    if (seconds < 0)
        return QStringLiteral("—");
    const qint64 d = seconds / 86400;
    const qint64 h = seconds / 3600 % 24;
    const qint64 m = seconds / 60 % 60;
    const qint64 s = seconds % 60;
    if (d > 0)
        return QStringLiteral("%1 d %2 h").arg(d).arg(h);
    if (h > 0)
        return QStringLiteral("%1 h %2 min").arg(h).arg(m);
    if (m > 0)
        return QStringLiteral("%1 min %2 s").arg(m).arg(s);
    return QStringLiteral("%1 s").arg(s);
}

ServerSummaryModel::ServerSummaryModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

ServerSummaryModel::~ServerSummaryModel() = default;

int ServerSummaryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ServerSummaryModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ServerSummaryModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows.at(index.row());
    const bool value = index.column() == ValueColumn;
    switch (role) {
    case Qt::DisplayRole:
        return value ? row.value : row.label;
    case Qt::ToolTipRole:
        if (m_stale)
            return tr("%1<br>Not connected: shown as of %2")
                .arg(row.tooltip, m_updatedAt.toString(QStringLiteral("HH:mm:ss")).toHtmlEscaped());
        return row.tooltip;
    case Qt::ForegroundRole:
        if (m_stale)
            return QGuiApplication::palette().brush(QPalette::Disabled, QPalette::WindowText);
        return {};
    case Qt::FontRole:
        if (m_stale && value) {
            QFont f;
            f.setItalic(true);
            return f;
        }
        return {};
    case KeyRole:
        return row.key;
    case SortRole:
        return value ? row.sortValue : QVariant(row.label);
    case StaleRole:
        return m_stale;
    default:
        return {};
    }
}

QVariant ServerSummaryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case FieldColumn:
        return tr("Field");
    case ValueColumn:
        return tr("Value");
    default:
        return {};
    }
}

QList<ServerSummaryModel::Row> ServerSummaryModel::rowsFor(const ServerInfo& info)
{
    QList<Row> rows;
    const auto text = [&](const char* field, const QString& label) {
        const QByteArray f(field);
        const QString v = info.contains(f) ? QString::fromUtf8(info.value(f)) : QStringLiteral("—");
        rows.append({ f, label, v, v, fieldTooltip(f) });
    };
    const auto integer = [&](const char* field, const QString& label, QString (*format)(qint64)) {
        const QByteArray f(field);
        if (!info.contains(f)) {
            rows.append({ f, label, QStringLiteral("—"), QVariant(qint64(-1)), fieldTooltip(f) });
            return;
        }
        const qint64 v = info.integer(f);
        rows.append({ f, label, format(v), QVariant(v), fieldTooltip(f) });
    };

    text("redis_version", tr("Redis version"));
    text("redis_mode", tr("Mode"));

    // Role, with the master's address and link state on a replica.
    {
        const QByteArray role = info.value("role");
        QString v = role.isEmpty() ? QStringLiteral("—") : QString::fromUtf8(role);
        if (role == "slave") {
            v = tr("replica of %1:%2 (link %3)")
                    .arg(QString::fromUtf8(info.value("master_host", "?")),
                        QString::fromUtf8(info.value("master_port", "?")),
                        QString::fromUtf8(info.value("master_link_status", "?")));
        } else if (role == "master" && info.integer("connected_slaves") > 0) {
            const qint64 n = info.integer("connected_slaves");
            v = (n == 1 ? tr("master with %1 replica") : tr("master with %1 replicas")).arg(n);
        }
        rows.append({ QByteArrayLiteral("role"), tr("Role"), v, QString::fromUtf8(role), fieldTooltip("role") });
    }

    integer("uptime_in_seconds", tr("Uptime"), &formatDuration);
    if (info.contains("used_memory")) {
        const qint64 used = info.integer("used_memory");
        QString v = formatBytes(used);
        if (info.contains("used_memory_peak"))
            v = tr("%1 (peak %2)").arg(v, formatBytes(info.integer("used_memory_peak")));
        rows.append(
            { QByteArrayLiteral("used_memory"), tr("Used memory"), v, QVariant(used), fieldTooltip("used_memory") });
    } else {
        rows.append({ QByteArrayLiteral("used_memory"), tr("Used memory"), QStringLiteral("—"), QVariant(qint64(-1)),
            fieldTooltip("used_memory") });
    }
    integer("connected_clients", tr("Connected clients"), &number);
    integer("instantaneous_ops_per_sec", tr("Operations per second"), &number);

    // Keys: the total, then one row per database that has keys (the Keyspace section omits
    // empty databases), in database order.
    QList<QPair<int, QByteArray>> dbs;
    for (const ServerInfo::Section& section : info.sections()) {
        for (const auto& [field, value] : section.fields) {
            const int n = databaseNumber(field);
            if (n >= 0 && value.contains("keys="))
                dbs.append({ n, value });
        }
    }
    std::sort(dbs.begin(), dbs.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    const qint64 total = info.totalKeys();
    rows.append({ QByteArrayLiteral("keys_total"), tr("Keys (all databases)"), number(total), QVariant(total),
        tr("Sum of <code>keys=</code> over the Keyspace section") });
    for (const auto& [n, value] : std::as_const(dbs)) {
        const qint64 keys = keyspaceValue(value, "keys");
        const qint64 expires = keyspaceValue(value, "expires");
        QString v = number(keys);
        if (expires > 0)
            v = tr("%1 (%2 with a TTL)").arg(v, number(expires));
        const QByteArray key = "db" + QByteArray::number(n);
        rows.append({ key, tr("Keys in db %1").arg(n), v, QVariant(keys), fieldTooltip(key) });
    }
    return rows;
}

void ServerSummaryModel::setInfo(const ServerInfo& info, const QDateTime& when)
{
    const QList<Row> next = rowsFor(info);
    // Both lists are in the same total order (fixed rows, then databases ascending), so a
    // single forward pass merges them: rows between the cursor and the next match are gone.
    int i = 0;
    for (const Row& row : next) {
        int found = -1;
        for (int j = i; j < m_rows.size(); ++j) {
            if (m_rows.at(j).key == row.key) {
                found = j;
                break;
            }
        }
        if (found < 0) {
            beginInsertRows({}, i, i);
            m_rows.insert(i, row);
            endInsertRows();
        } else {
            if (found > i) {
                beginRemoveRows({}, i, found - 1);
                m_rows.remove(i, found - i);
                endRemoveRows();
            }
            Row& current = m_rows[i];
            if (current.value != row.value || current.label != row.label || current.sortValue != row.sortValue
                || current.tooltip != row.tooltip) {
                current = row;
                Q_EMIT dataChanged(index(i, 0), index(i, ColumnCount - 1));
            }
        }
        ++i;
    }
    if (i < m_rows.size()) {
        beginRemoveRows({}, i, int(m_rows.size()) - 1);
        m_rows.resize(i);
        endRemoveRows();
    }
    Q_ASSERT(std::equal(m_rows.cbegin(), m_rows.cend(), next.cbegin(), next.cend(),
        [](const Row& a, const Row& b) { return a.key == b.key && a.value == b.value; }));

    m_info = info;
    m_updatedAt = when;
    setStale(false);
}

void ServerSummaryModel::setStale(bool stale)
{
    if (stale == m_stale)
        return;
    m_stale = stale;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1),
            { Qt::ForegroundRole, Qt::FontRole, Qt::ToolTipRole, StaleRole });
    Q_EMIT staleChanged(m_stale);
}

void ServerSummaryModel::clear()
{
    if (!m_rows.isEmpty()) {
        beginRemoveRows({}, 0, int(m_rows.size()) - 1);
        m_rows.clear();
        endRemoveRows();
    }
    m_info = {};
    m_updatedAt = {};
    setStale(false);
}

int ServerSummaryModel::rowOf(const QByteArray& key) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).key == key)
            return i;
    }
    return -1;
}

QString ServerSummaryModel::valueText(const QByteArray& key) const
{
    const int r = rowOf(key);
    return r < 0 ? QString() : m_rows.at(r).value;
}

} // namespace bullpen
