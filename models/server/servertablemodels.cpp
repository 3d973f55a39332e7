// SPDX-License-Identifier: MIT
#include "servertablemodels.h"

#include "serverinfo.h"

#include <QDateTime>
#include <QSet>

#include <algorithm>

namespace bullpen {

namespace {
    QString printable(const QByteArray& bytes)
    {
        QString s = QString::fromUtf8(bytes);
        for (QChar& c : s) {
            if (c.category() == QChar::Other_Control)
                c = QChar(0xFFFD);
        }
        return s;
    }
}

SlowlogModel::SlowlogModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

SlowlogModel::~SlowlogModel() = default;

int SlowlogModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SlowlogModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SlowlogModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry& e = m_rows.at(index.row());
    if (role == IdRole)
        return e.id;
    const auto command = [&e] {
        QStringList words;
        for (const QByteArray& a : e.args)
            words << printable(a);
        return words.join(QLatin1Char(' '));
    };
    if (role == SortRole) {
        switch (index.column()) {
        case IdColumn:
            return e.id;
        case TimeColumn:
            // Seconds, then the id: many entries share a second, and a server's ids rise with
            // time, so equal seconds still sort newest first (ids of different nodes only meet
            // within one second, where either order is true). The time is clamped so that a
            // nonsense value from the server cannot overflow the key.
            return std::clamp<qint64>(e.timeSeconds, 0, 9000000000) * 1000000000 + e.id % 1000000000;
        case DurationColumn:
            return e.durationUs;
        case CommandColumn:
            return command();
        case ClientColumn:
            return QString::fromUtf8(e.client);
        case NodeColumn:
            return e.node;
        }
    }
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case IdColumn:
            return e.id;
        case TimeColumn:
            return QDateTime::fromSecsSinceEpoch(e.timeSeconds).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        case DurationColumn:
            return QStringLiteral("%1 µs").arg(e.durationUs);
        case CommandColumn:
            return command();
        case ClientColumn:
            return printable(e.client);
        case NodeColumn:
            return e.node;
        }
    }
    return {};
}

QVariant SlowlogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IdColumn:
        return tr("Id");
    case TimeColumn:
        return tr("Time");
    case DurationColumn:
        return tr("Duration");
    case CommandColumn:
        return tr("Command");
    case ClientColumn:
        return tr("Client");
    case NodeColumn:
        return tr("Node");
    }
    return {};
}

void SlowlogModel::setReply(const Reply& reply)
{
    if (reply.isArray())
        setReplies({ { QString(), reply } });
}

namespace {
    // Rows are told apart by node and id: ids count per server.
    using RowKey = std::pair<QString, qint64>;
}

void SlowlogModel::setReplies(const QList<std::pair<QString, Reply>>& perNode)
{
    QList<Entry> fresh;
    for (const auto& [node, reply] : perNode) {
        for (const Reply& r : reply.elements()) {
            if (r.size() < 4)
                continue;
            Entry e;
            e.id = r.at(0).toInteger();
            e.timeSeconds = r.at(1).toInteger();
            e.durationUs = r.at(2).toInteger();
            for (const Reply& a : r.at(3).elements())
                e.args.append(a.bytes());
            if (r.size() >= 6)
                e.client = r.at(4).bytes() + (r.at(5).bytes().isEmpty() ? QByteArray() : " (" + r.at(5).bytes() + ')');
            e.node = node;
            fresh.append(e);
        }
    }
    // Newest first: one server returns them so; several are interleaved by time.
    if (perNode.size() > 1)
        std::stable_sort(fresh.begin(), fresh.end(), [](const Entry& a, const Entry& b) { return a.timeSeconds > b.timeSeconds; });
    QSet<RowKey> keep;
    for (const Entry& e : std::as_const(fresh))
        keep.insert({ e.node, e.id });
    // Entries the server dropped (SLOWLOG RESET or the length limit) leave.
    QSet<RowKey> present;
    for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
        const RowKey key { m_rows.at(i).node, m_rows.at(i).id };
        if (!keep.contains(key)) {
            beginRemoveRows({}, i, i);
            m_rows.removeAt(i);
            endRemoveRows();
        } else {
            present.insert(key);
        }
    }
    // New entries are newer than those shown: they go to the top, in the servers' order.
    QList<Entry> added;
    for (const Entry& e : std::as_const(fresh)) {
        if (!present.contains({ e.node, e.id }))
            added.append(e);
    }
    if (!added.isEmpty()) {
        beginInsertRows({}, 0, int(added.size()) - 1);
        m_rows = added + m_rows;
        endInsertRows();
    }
}

void SlowlogModel::clear()
{
    if (m_rows.isEmpty())
        return;
    beginRemoveRows({}, 0, int(m_rows.size()) - 1);
    m_rows.clear();
    endRemoveRows();
}

ClientListModel::ClientListModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

ClientListModel::~ClientListModel() = default;

int ClientListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ClientListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

namespace {
    const char* fieldOf(int column)
    {
        switch (column) {
        case ClientListModel::IdColumn:
            return "id";
        case ClientListModel::NameColumn:
            return "name";
        case ClientListModel::AddressColumn:
            return "addr";
        case ClientListModel::AgeColumn:
            return "age";
        case ClientListModel::IdleColumn:
            return "idle";
        case ClientListModel::DbColumn:
            return "db";
        case ClientListModel::CommandColumn:
            return "cmd";
        case ClientListModel::OutputMemoryColumn:
            return "omem";
        }
        return "";
    }
    bool numeric(int column)
    {
        return column != ClientListModel::NameColumn && column != ClientListModel::AddressColumn
            && column != ClientListModel::CommandColumn && column != ClientListModel::NodeColumn;
    }
}

QVariant ClientListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Client& c = m_rows.at(index.row());
    if (role == IdRole)
        return c.id;
    if (index.column() == NodeColumn)
        return role == Qt::DisplayRole || role == SortRole ? QVariant(c.node) : QVariant();
    const QByteArray value = c.fields.value(fieldOf(index.column()));
    if (role == SortRole)
        return numeric(index.column()) ? QVariant(value.toLongLong()) : QVariant(printable(value));
    if (role == Qt::DisplayRole) {
        if (index.column() == OutputMemoryColumn)
            return formatBytes(value.toLongLong());
        return printable(value);
    }
    return {};
}

QVariant ClientListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IdColumn:
        return tr("Id");
    case NameColumn:
        return tr("Name");
    case AddressColumn:
        return tr("Address");
    case AgeColumn:
        return tr("Age (s)");
    case IdleColumn:
        return tr("Idle (s)");
    case DbColumn:
        return tr("DB");
    case CommandColumn:
        return tr("Last command");
    case OutputMemoryColumn:
        return tr("Output buffer");
    case NodeColumn:
        return tr("Node");
    }
    return {};
}

void ClientListModel::setText(const QByteArray& text)
{
    setTexts({ { QString(), text } });
}

void ClientListModel::setTexts(const QList<std::pair<QString, QByteArray>>& perNode)
{
    QList<Client> fresh;
    for (const auto& [node, text] : perNode) {
        for (const QByteArray& line : text.split('\n')) {
            Client c;
            for (const QByteArray& pair : line.trimmed().split(' ')) {
                const qsizetype eq = pair.indexOf('=');
                if (eq > 0)
                    c.fields.insert(pair.left(eq), pair.mid(eq + 1));
            }
            if (!c.fields.contains("id"))
                continue;
            c.id = c.fields.value("id").toLongLong();
            c.node = node;
            fresh.append(c);
        }
    }
    QHash<RowKey, qsizetype> freshIndex;
    for (qsizetype i = 0; i < fresh.size(); ++i)
        freshIndex.insert({ fresh.at(i).node, fresh.at(i).id }, i);
    for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
        if (!freshIndex.contains({ m_rows.at(i).node, m_rows.at(i).id })) {
            beginRemoveRows({}, i, i);
            m_rows.removeAt(i);
            endRemoveRows();
        }
    }
    QSet<RowKey> present;
    for (int i = 0; i < m_rows.size(); ++i) {
        const RowKey key { m_rows.at(i).node, m_rows.at(i).id };
        m_rows[i] = fresh.at(freshIndex.value(key));
        present.insert(key);
    }
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
    QList<Client> added;
    for (const Client& c : std::as_const(fresh)) {
        if (!present.contains({ c.node, c.id }))
            added.append(c);
    }
    if (!added.isEmpty()) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + added.size()) - 1);
        m_rows.append(added);
        endInsertRows();
    }
}

void ClientListModel::clear()
{
    if (m_rows.isEmpty())
        return;
    beginRemoveRows({}, 0, int(m_rows.size()) - 1);
    m_rows.clear();
    endRemoveRows();
}

int ClientListModel::rowOfName(const QByteArray& name) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).fields.value("name") == name)
            return i;
    }
    return -1;
}

} // namespace bullpen
