// SPDX-License-Identifier: MIT
#include "queuelistmodel.h"

#include "queuediscovery.h"
#include "futurewatch.h"
#include "clusterclient.h"
#include "redisclient.h"

#include <QHash>

namespace bullpen::bullmq {

QueueListModel::QueueListModel(RedisClient* client, QObject* parent)
    : QAbstractTableModel(parent)
    , m_client(client)
{
}

QueueListModel::~QueueListModel() = default;

int QueueListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int QueueListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

int QueueListModel::rowOf(const QueueRef& ref) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).ref == ref)
            return i;
    }
    return -1;
}

QVariant QueueListModel::cell(const QueueSnapshot& s, int column) const
{
    const auto count = [&](const char* state) -> QVariant {
        const qint64 n = s.count(QLatin1String(state));
        return n < 0 ? QVariant() : QVariant(n);
    };
    switch (column) {
    case Name:
        return QString::fromUtf8(s.ref.name);
    case Prefix:
        return QString::fromUtf8(s.ref.prefix);
    case Library:
        return toString(s.library);
    case Generation:
        return toString(s.generation);
    case Paused:
        return s.paused;
    case Waiting: {
        // "Waiting" as people mean it: ready to run, whichever list holds it (paused list ≤ 5).
        const qint64 w = s.count(QStringLiteral("waiting"));
        const qint64 p = s.generation == Generation::V6 ? 0 : std::max<qint64>(0, s.count(QStringLiteral("paused")));
        return w + p;
    }
    case Active:
        return count("active");
    case Prioritized:
        return count("prioritized");
    case Delayed:
        return count("delayed");
    case WaitingChildren:
        return count("waiting-children");
    case Completed:
        return count("completed");
    case Failed:
        return count("failed");
    default:
        break;
    }
    return {};
}

QVariant QueueListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QueueSnapshot& s = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == Paused)
            return s.paused ? tr("paused") : QString();
        return cell(s, index.column());
    case SortRole:
        return cell(s, index.column());
    case Qt::ToolTipRole:
        return index.column() == Generation ? s.evidence.toHtmlEscaped() : QVariant();
    case QueueNameRole:
        return s.ref.name;
    case QueuePrefixRole:
        return s.ref.prefix;
    default:
        break;
    }
    return {};
}

QVariant QueueListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Queue");
    case Prefix:
        return tr("Prefix");
    case Library:
        return tr("Library");
    case Generation:
        return tr("Version");
    case Paused:
        return tr("Paused");
    case Waiting:
        return tr("Waiting");
    case Active:
        return tr("Active");
    case Prioritized:
        return tr("Prioritized");
    case Delayed:
        return tr("Delayed");
    case WaitingChildren:
        return tr("Waiting children");
    case Completed:
        return tr("Completed");
    case Failed:
        return tr("Failed");
    default:
        break;
    }
    return {};
}

namespace {

/// The server's write counter from INFO persistence: it moves with every write to any key (a
/// save resets it, and moves rdb_last_save_time). Empty when the server does not say.
QByteArray changeToken(const QByteArray& info)
{
    QByteArray changes;
    QByteArray saved;
    for (const QByteArray& line : info.split('\n')) {
        const QByteArray l = line.trimmed();
        if (l.startsWith("rdb_changes_since_last_save:"))
            changes = l.mid(l.indexOf(':') + 1);
        else if (l.startsWith("rdb_last_save_time:"))
            saved = l.mid(l.indexOf(':') + 1);
    }
    return changes.isEmpty() || saved.isEmpty() ? QByteArray() : changes + '@' + saved;
}

} // namespace

void QueueListModel::refresh()
{
    start(true, false);
}

void QueueListModel::tick()
{
    if (m_inFlight || !m_client)
        return;
    // Also on a server without queues: a new one needs a write, so an unchanged server has none.
    const bool discover = m_rediscoverSoon || ++m_ticksSinceDiscovery >= m_rediscoverEvery;
    start(discover, true);
}

void QueueListModel::start(bool discover, bool gate)
{
    if (m_inFlight || !m_client)
        return;
    m_inFlight = true;
    const quint64 gen = ++m_generation;
    RedisClient* client = m_client;
    if (discover) {
        m_ticksSinceDiscovery = 0;
        m_rediscoverSoon = false;
    }
    // `unchanged`: the write counter has not moved since the rows were read, so they are exact
    // and a periodic rediscovery only has to read the queues it finds new.
    const auto read = [this, gen, client, discover](const QByteArray& token, bool unchanged) {
        if (!discover) {
            readCounts(client, gen, m_rows, RefreshKind::Counts, token);
            return;
        }
        DiscoveryOptions options;
        for (const QueueSnapshot& s : std::as_const(m_rows))
            options.known.insert(s.ref); // detection cache: these were verified before
        whenReady(this, discoverQueues(client, options), [this, gen, client, token, unchanged](const DiscoveryResult& found) {
            if (gen != m_generation)
                return; // superseded
            if (!found.error.isEmpty()) {
                m_inFlight = false;
                m_token.clear();
                Q_EMIT failed(found.error);
                return;
            }
            // Known queues keep their detection (lean read); new ones get the full read.
            QHash<QueueRef, qsizetype> known;
            for (qsizetype i = 0; i < m_rows.size(); ++i)
                known.insert(m_rows.at(i).ref, i);
            QList<QueueSnapshot> previous;
            QList<QueueSnapshot> fresh; // unchanged server: known rows as they are, new ones to read
            for (const QueueRef& ref : found.queues) {
                if (const auto it = known.constFind(ref); it != known.cend()) {
                    previous.append(m_rows.at(*it));
                } else {
                    QueueSnapshot s;
                    s.ref = ref;
                    s.error = QStringLiteral("new");
                    previous.append(s);
                    fresh.append(s);
                }
            }
            if (!unchanged) {
                readCounts(client, gen, previous, RefreshKind::Discovery, token);
                return;
            }
            whenReady(this, refreshSnapshots(client, fresh), [this, gen, token, previous](const QList<QueueSnapshot>& read) {
                if (gen != m_generation)
                    return;
                m_inFlight = false;
                QList<QueueSnapshot> rows;
                qsizetype next = 0;
                for (const QueueSnapshot& p : previous) {
                    const QueueSnapshot& s = p.error == QLatin1String("new") ? read.value(next++) : p;
                    if (!s.error.isEmpty()) {
                        m_token.clear();
                        Q_EMIT failed(s.error);
                        return;
                    }
                    rows.append(s);
                }
                m_token = token;
                m_lastKind = RefreshKind::Discovery;
                merge(rows);
                Q_EMIT refreshed();
            });
        });
    };
    if (qobject_cast<ClusterClient*>(client)) {
        read({}, false); // no single write counter to ask
        return;
    }
    // The write counter is read BEFORE the rows: if it is the same at the next tick, nothing was
    // written since, so the rows read after it are still exact.
    whenReady(this, client->command({ "INFO", "persistence" }), [this, gen, gate, discover, read](const Reply& reply) {
        if (gen != m_generation)
            return;
        if (reply.isError() && reply.errorKind() != Reply::ErrorKind::Server) {
            m_inFlight = false;
            m_token.clear();
            Q_EMIT failed(reply.errorMessage());
            return;
        }
        const QByteArray token = reply.isError() ? QByteArray() : changeToken(reply.bytes());
        const bool unchanged = gate && !token.isEmpty() && token == m_token;
        if (unchanged && !discover) {
            m_inFlight = false;
            m_lastKind = RefreshKind::Unchanged;
            Q_EMIT refreshed();
            return;
        }
        read(token, unchanged);
    });
}

void QueueListModel::readCounts(RedisClient* client, quint64 gen, const QList<QueueSnapshot>& previous, RefreshKind kind,
    const QByteArray& token)
{
    whenReady(this, refreshSnapshots(client, previous), [this, gen, kind, token, previous](const QList<QueueSnapshot>& fresh) {
        if (gen != m_generation)
            return;
        m_inFlight = false;
        for (const QueueSnapshot& s : fresh) {
            if (!s.error.isEmpty()) {
                m_token.clear();
                Q_EMIT failed(s.error);
                return;
            }
        }
        if (kind == RefreshKind::Counts) {
            // A listed queue whose meta is gone was most likely obliterated: rediscover next tick.
            for (qsizetype i = 0; i < fresh.size() && i < previous.size(); ++i) {
                if (fresh.at(i).meta.isEmpty() && !previous.at(i).version.isEmpty())
                    m_rediscoverSoon = true;
            }
        }
        m_token = token;
        m_lastKind = kind;
        merge(fresh);
        Q_EMIT refreshed();
    });
}

void QueueListModel::merge(const QList<QueueSnapshot>& fresh)
{
    QHash<QueueRef, qsizetype> incoming;
    for (qsizetype i = 0; i < fresh.size(); ++i)
        incoming.insert(fresh.at(i).ref, i);
    // Gone queues, from the end so the row numbers stay valid.
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (!incoming.contains(m_rows.at(row).ref)) {
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
        }
    }
    // Changed rows in place.
    QHash<QueueRef, int> present;
    for (int row = 0; row < m_rows.size(); ++row) {
        present.insert(m_rows.at(row).ref, row);
        const QueueSnapshot& s = fresh.at(incoming.value(m_rows.at(row).ref));
        const bool changed = s.counts != m_rows.at(row).counts || s.paused != m_rows.at(row).paused
            || s.generation != m_rows.at(row).generation || s.library != m_rows.at(row).library;
        m_rows[row] = s;
        if (changed)
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
    // New queues at the end (sorting is the proxies' job).
    QList<QueueSnapshot> added;
    for (const QueueSnapshot& s : fresh) {
        if (!present.contains(s.ref))
            added.append(s);
    }
    if (!added.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        m_rows.append(added);
        endInsertRows();
    }
    Q_ASSERT(m_rows.size() == fresh.size());
}

} // namespace bullpen::bullmq
