// SPDX-License-Identifier: MIT
#include "keytreemodel.h"

#include "bullmq/futurewatch.h"
#include "bullmq/queuediscovery.h"
#include "keyname.h"
#include "redisclient.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QSet>
#include <QTimer>

namespace bullpen::keys {

namespace {
    constexpr int kMetaBatch = 200; // keys per pipeline (4 commands each)
    constexpr int kMemoryBatch = 500;

    qint64 now()
    {
        return QDateTime::currentMSecsSinceEpoch();
    }

    QByteArray intern(const QByteArray& encoding)
    {
        // A handful of encodings exist: share their bytes instead of one copy per row.
        static QSet<QByteArray> pool;
        const auto it = pool.constFind(encoding);
        if (it != pool.constEnd())
            return *it;
        pool.insert(encoding);
        return encoding;
    }

    bool memoryRefused(const Reply& r)
    {
        if (!r.isError())
            return false;
        if (r.errorKind() == Reply::ErrorKind::Refused)
            return true;
        const QByteArray& b = r.bytes();
        return b.startsWith("NOPERM") || b.contains("unknown command") || b.contains("unknown subcommand");
    }
} // namespace

KeyType keyTypeFromName(const QByteArray& name)
{
    if (name == "string")
        return KeyType::String;
    if (name == "hash")
        return KeyType::Hash;
    if (name == "list")
        return KeyType::List;
    if (name == "set")
        return KeyType::Set;
    if (name == "zset")
        return KeyType::ZSet;
    if (name == "stream")
        return KeyType::Stream;
    if (name == "none")
        return KeyType::None;
    return name.isEmpty() ? KeyType::Unknown : KeyType::Other;
}

QString keyTypeName(KeyType type)
{
    switch (type) {
    case KeyType::Unknown:
        return {};
    case KeyType::None:
        return QStringLiteral("gone");
    case KeyType::String:
        return QStringLiteral("string");
    case KeyType::Hash:
        return QStringLiteral("hash");
    case KeyType::List:
        return QStringLiteral("list");
    case KeyType::Set:
        return QStringLiteral("set");
    case KeyType::ZSet:
        return QStringLiteral("zset");
    case KeyType::Stream:
        return QStringLiteral("stream");
    case KeyType::Other:
        return QStringLiteral("other");
    }
    return {};
}

KeyTreeModel::KeyTreeModel(QObject* parent)
    : QAbstractItemModel(parent)
    , m_tree(std::make_unique<KeyTree>(m_options.delimiter, m_options.maxDepth))
    , m_ttlTimer(new QTimer(this))
{
    m_ttlTimer->setInterval(1000);
    connect(m_ttlTimer, &QTimer::timeout, this, &KeyTreeModel::tick);
}

KeyTreeModel::~KeyTreeModel() = default;

void KeyTreeModel::setClient(RedisClient* client)
{
    m_client = client;
    rebuild();
    if (m_client)
        reload();
}

void KeyTreeModel::setOptions(const Options& options)
{
    m_options = options;
}

void KeyTreeModel::rebuild()
{
    const bool wasLoading = isLoading();
    beginResetModel();
    ++m_generation;
    ++m_memoryGeneration;
    delete m_scanner;
    m_scanner = nullptr;
    m_tree = std::make_unique<KeyTree>(m_options.delimiter, m_options.maxDepth);
    m_meta.clear();
    m_wanted.clear();
    m_metaInFlight = false;
    m_folderMemory.clear();
    m_memoryFolder = KeyTree::kNone;
    m_memoryTodo.clear();
    m_memoryReason.clear();
    m_queueBases.clear();
    m_firstPage = false;
    m_cancelled = false;
    m_fetchQueued = false;
    m_ttlTimer->stop();
    endResetModel();
    if (wasLoading)
        Q_EMIT loadingChanged(false);
}

void KeyTreeModel::reload()
{
    rebuild();
    if (!m_client)
        return;
    m_scanner = new KeyScanner(m_client, this);
    connect(m_scanner, &KeyScanner::page, this, &KeyTreeModel::onPage);
    connect(m_scanner, &KeyScanner::finished, this, [this] {
        Q_EMIT progress(loadedKeys());
        Q_EMIT loadingChanged(false);
        Q_EMIT finished();
    });
    connect(m_scanner, &KeyScanner::failed, this, [this](const QString& message) {
        Q_EMIT loadingChanged(false);
        Q_EMIT failed(message);
    });
    ScanOptions scan;
    scan.match = m_options.match;
    scan.type = m_options.type;
    scan.count = m_options.scanCount;
    scan.limit = m_options.keyLimit;
    m_lastProgress = 0;
    m_scanner->start(scan);
    Q_EMIT loadingChanged(true);
    if (m_options.detectQueues)
        discoverQueues();
}

void KeyTreeModel::cancel()
{
    if (!isLoading() && !m_fetchQueued)
        return;
    const bool wasLoading = isLoading();
    m_cancelled = true;
    m_fetchQueued = false;
    if (!wasLoading)
        return;
    m_scanner->cancel();
    Q_EMIT loadingChanged(false);
}

void KeyTreeModel::loadMore()
{
    if (!canLoadMore())
        return;
    m_cancelled = false;
    m_scanner->resume(m_options.keyLimit);
    Q_EMIT loadingChanged(true);
}

bool KeyTreeModel::canFetchMore(const QModelIndex& parent) const
{
    if (m_cancelled || m_fetchQueued || !canLoadMore())
        return false;
    if (!parent.isValid())
        return true;
    if (parent.column() != 0 || parent.model() != this)
        return false;
    const KeyTree::Id node = nodeOf(parent);
    return node != KeyTree::kNone && m_tree->isFolder(node);
}

void KeyTreeModel::fetchMore(const QModelIndex& parent)
{
    // Only requests the batch: its rows are announced as the SCAN pages arrive (onPage). Views
    // and testers ask from inside rowsInserted, while the scanner is still delivering the last
    // page of a batch: resume once that has unwound.
    if (!canFetchMore(parent))
        return;
    m_fetchQueued = true;
    const quint64 gen = m_generation;
    QMetaObject::invokeMethod(
        this,
        [this, gen] {
            if (gen != m_generation || !m_fetchQueued)
                return;
            m_fetchQueued = false;
            if (m_cancelled || !canLoadMore())
                return;
            loadMore();
            Q_EMIT fetchingMore();
        },
        Qt::QueuedConnection);
}

void KeyTreeModel::discoverQueues()
{
    const quint64 gen = m_generation;
    bullmq::whenReady(this, bullmq::discoverQueues(m_client), [this, gen](const bullmq::DiscoveryResult& found) {
        if (gen != m_generation || !found.error.isEmpty())
            return;
        for (const bullmq::QueueRef& q : found.queues) {
            m_queueBases.append(q.base());
            const QModelIndex folder = indexOfFolder(q.prefix + m_options.delimiter + q.name);
            if (folder.isValid())
                Q_EMIT dataChanged(folder, folder.siblingAtColumn(Type));
        }
    });
}

void KeyTreeModel::onPage(const Reply& names)
{
    for (const Reply& name : names.elements())
        m_tree->addKey(name.bytes());
    QList<KeyTree::Id> touched;
    m_tree->publish(
        [this, &touched](KeyTree::Id folder, int first, int last) {
            touched.append(folder);
            const QModelIndex parent = folder == 0 ? QModelIndex() : indexOfNode(m_tree->folderNode(folder));
            beginInsertRows(parent, first, last);
        },
        [this] { endInsertRows(); });
    // Counts of the folders that grew and of their ancestors.
    QSet<KeyTree::Id> seen;
    for (KeyTree::Id f : std::as_const(touched)) {
        while (f != 0 && !seen.contains(f)) {
            seen.insert(f);
            const QModelIndex i = indexOfNode(m_tree->folderNode(f), Keys);
            Q_EMIT dataChanged(i, i);
            f = m_tree->parentFolder(m_tree->folderNode(f));
        }
    }
    if (!m_firstPage) {
        m_firstPage = true;
        Q_EMIT firstPageShown();
    }
    static thread_local QElapsedTimer clock;
    if (!clock.isValid())
        clock.start();
    if (clock.elapsed() - m_lastProgress >= 100) {
        m_lastProgress = clock.elapsed();
        Q_EMIT progress(loadedKeys());
    }
}

KeyTree::Id KeyTreeModel::nodeOf(const QModelIndex& index) const
{
    if (!index.isValid())
        return KeyTree::kNone;
    return m_tree->child(KeyTree::Id(index.internalId()), index.row());
}

QModelIndex KeyTreeModel::indexOfNode(KeyTree::Id node, int column, int rowHint) const
{
    const KeyTree::Id parent = m_tree->parentFolder(node);
    int row = rowHint;
    if (row < 0 || row >= m_tree->visibleCount(parent) || m_tree->child(parent, row) != node)
        row = m_tree->rowOf(node);
    if (row < 0 || row >= m_tree->visibleCount(parent))
        return {};
    return createIndex(row, column, quintptr(parent));
}

QModelIndex KeyTreeModel::indexOfKey(const QByteArray& key) const
{
    const KeyTree::Id n = m_tree->findKey(key);
    return n == KeyTree::kNone ? QModelIndex() : indexOfNode(n);
}

QModelIndex KeyTreeModel::indexOfFolder(const QByteArray& path) const
{
    const KeyTree::Id f = m_tree->findFolder(path);
    return f == KeyTree::kNone || f == 0 ? QModelIndex() : indexOfNode(m_tree->folderNode(f));
}

int KeyTreeModel::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid())
        return m_tree->visibleCount(0);
    if (parent.column() != 0)
        return 0;
    const KeyTree::Id f = m_tree->folderOf(nodeOf(parent));
    return f == KeyTree::kNone ? 0 : m_tree->visibleCount(f);
}

int KeyTreeModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() && parent.column() != 0 ? 0 : ColumnCount;
}

bool KeyTreeModel::hasChildren(const QModelIndex& parent) const
{
    return rowCount(parent) > 0;
}

QModelIndex KeyTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    KeyTree::Id folder = 0;
    if (parent.isValid()) {
        if (parent.column() != 0)
            return {};
        folder = m_tree->folderOf(nodeOf(parent));
        if (folder == KeyTree::kNone)
            return {};
    }
    if (row >= m_tree->visibleCount(folder))
        return {};
    return createIndex(row, column, quintptr(folder));
}

QModelIndex KeyTreeModel::parent(const QModelIndex& child) const
{
    if (!child.isValid())
        return {};
    const auto folder = KeyTree::Id(child.internalId());
    if (folder == 0)
        return {};
    const KeyTree::Id node = m_tree->folderNode(folder);
    return createIndex(m_tree->folderRow(folder), 0, quintptr(m_tree->parentFolder(node)));
}

QString KeyTreeModel::queueOf(KeyTree::Id node) const
{
    if (m_queueBases.isEmpty())
        return {};
    QByteArray name = m_tree->fullName(node);
    if (m_tree->isFolder(node))
        name += m_options.delimiter;
    for (const QByteArray& base : m_queueBases) {
        if (name.startsWith(base))
            return displayBytes(base.chopped(1));
    }
    return {};
}

void KeyTreeModel::want(KeyTree::Id node, int row) const
{
    auto it = m_meta.find(node);
    if (it != m_meta.end())
        return;
    Meta m;
    m.rowHint = row;
    m_meta.insert(node, m);
    m_wanted.append({ node, row });
    if (!m_flushQueued) {
        m_flushQueued = true;
        QMetaObject::invokeMethod(const_cast<KeyTreeModel*>(this), &KeyTreeModel::flushWanted, Qt::QueuedConnection);
    }
}

void KeyTreeModel::flushWanted()
{
    m_flushQueued = false;
    if (m_metaInFlight || m_wanted.isEmpty() || !m_client)
        return;
    const QList<QPair<KeyTree::Id, int>> batch = m_wanted.mid(0, kMetaBatch);
    m_wanted.remove(0, batch.size());
    const bool withMemory = m_memoryReason.isEmpty();
    QList<Command> cmds;
    cmds.reserve(batch.size() * 4);
    for (const auto& [node, row] : batch) {
        const QByteArray key = m_tree->fullName(node);
        cmds << Command { QByteArrayLiteral("TYPE"), key } << Command { QByteArrayLiteral("PTTL"), key }
             << Command { QByteArrayLiteral("OBJECT"), QByteArrayLiteral("ENCODING"), key };
        if (withMemory)
            cmds << Command { QByteArrayLiteral("MEMORY"), QByteArrayLiteral("USAGE"), key };
    }
    m_metaInFlight = true;
    const quint64 gen = m_generation;
    bullmq::whenReady(this, m_client->pipeline(cmds), [this, gen, batch, withMemory](const QList<Reply>& replies) {
        if (gen != m_generation)
            return;
        m_metaInFlight = false;
        const int per = withMemory ? 4 : 3;
        const qint64 t = now();
        bool anyTtl = false;
        for (int i = 0; i < batch.size(); ++i) {
            const auto it = m_meta.find(batch.at(i).first);
            if (it == m_meta.end())
                continue; // removed meanwhile
            Meta& m = *it;
            const Reply type = replies.value(i * per);
            const Reply pttl = replies.value(i * per + 1);
            const Reply enc = replies.value(i * per + 2);
            m.type = type.isString() ? keyTypeFromName(type.bytes()) : KeyType::Unknown;
            m.gone = m.type == KeyType::None;
            const qint64 ms = pttl.isInteger() ? pttl.integer() : -1;
            m.expiresAt = ms >= 0 ? t + ms : -1;
            anyTtl = anyTtl || ms >= 0;
            if (ms == -2)
                m.gone = true;
            m.encoding = enc.isString() ? intern(enc.bytes()) : QByteArray();
            if (withMemory) {
                const Reply mem = replies.value(i * per + 3);
                if (memoryRefused(mem) && m_memoryReason.isEmpty()) {
                    m_memoryReason = mem.errorMessage();
                    Q_EMIT memoryUnavailable(m_memoryReason);
                }
                m.memory = mem.isInteger() ? mem.integer() : -1;
            }
            const QModelIndex first = indexOfNode(batch.at(i).first, Type, m.rowHint);
            if (first.isValid()) {
                m.rowHint = first.row();
                Q_EMIT dataChanged(first, first.siblingAtColumn(Encoding));
            }
        }
        if (anyTtl && !m_ttlTimer->isActive())
            m_ttlTimer->start();
        if (!m_memoryReason.isEmpty() && withMemory) {
            // Every Memory cell now explains why it is empty.
            Q_EMIT headerDataChanged(Qt::Horizontal, Memory, Memory);
        }
        flushWanted();
    });
}

void KeyTreeModel::tick()
{
    bool any = false;
    const qint64 t = now();
    for (auto it = m_meta.begin(); it != m_meta.end(); ++it) {
        if (it->expiresAt < 0 || it->gone)
            continue;
        any = true;
        const QModelIndex i = indexOfNode(it.key(), Ttl, it->rowHint);
        if (!i.isValid())
            continue;
        it->rowHint = i.row();
        if (it->expiresAt <= t) {
            // Expired by now: read it again, the server has the last word.
            it->gone = true;
        }
        Q_EMIT dataChanged(i, i);
    }
    if (!any)
        m_ttlTimer->stop();
}

void KeyTreeModel::invalidate(const QModelIndex& index)
{
    const KeyTree::Id n = nodeOf(index);
    if (n == KeyTree::kNone)
        return;
    m_meta.remove(n);
    want(n, index.row());
}

void KeyTreeModel::dropRow(const QModelIndex& index)
{
    KeyTree::Id n = nodeOf(index.siblingAtColumn(0));
    if (n == KeyTree::kNone)
        return;
    if (m_memoryFolder != KeyTree::kNone)
        cancelFolderMemory();
    while (true) {
        const KeyTree::Id parentFolder = m_tree->parentFolder(n);
        const QModelIndex i = indexOfNode(n);
        if (!i.isValid())
            return;
        beginRemoveRows(i.parent(), i.row(), i.row());
        if (m_tree->isFolder(n)) {
            m_tree->forEachKey(m_tree->folderOf(n), [this](KeyTree::Id k) {
                m_meta.remove(k);
                return true;
            });
            m_folderMemory.remove(m_tree->folderOf(n));
        }
        m_meta.remove(n);
        m_tree->remove(n);
        endRemoveRows();
        if (parentFolder == 0 || m_tree->visibleCount(parentFolder) > 0)
            break;
        n = m_tree->folderNode(parentFolder); // an empty folder goes too
    }
    for (KeyTree::Id f = m_tree->parentFolder(n); f != 0; f = m_tree->parentFolder(m_tree->folderNode(f))) {
        const QModelIndex i = indexOfNode(m_tree->folderNode(f), Keys);
        Q_EMIT dataChanged(i, i);
    }
}

void KeyTreeModel::computeFolderMemory(const QModelIndex& folder, int maxKeys)
{
    const KeyTree::Id node = nodeOf(folder.siblingAtColumn(0));
    if (node == KeyTree::kNone || !m_tree->isFolder(node) || !m_client)
        return;
    cancelFolderMemory();
    const KeyTree::Id f = m_tree->folderOf(node);
    m_memoryTodo.clear();
    FolderMemory fm;
    m_tree->forEachKey(f, [this, maxKeys, &fm](KeyTree::Id k) {
        if (int(m_memoryTodo.size()) >= maxKeys) {
            fm.truncated = true;
            return false;
        }
        m_memoryTodo.push_back(k);
        return true;
    });
    fm.total = m_memoryTodo.size();
    m_folderMemory.insert(f, fm);
    m_memoryFolder = f;
    memoryStep();
}

void KeyTreeModel::cancelFolderMemory()
{
    ++m_memoryGeneration;
    if (m_memoryFolder != KeyTree::kNone) {
        m_folderMemory.remove(m_memoryFolder);
        const QModelIndex i = indexOfNode(m_tree->folderNode(m_memoryFolder), Memory);
        m_memoryFolder = KeyTree::kNone;
        if (i.isValid())
            Q_EMIT dataChanged(i, i);
    }
    m_memoryTodo.clear();
}

void KeyTreeModel::memoryStep()
{
    const KeyTree::Id f = m_memoryFolder;
    const QModelIndex cell = indexOfNode(m_tree->folderNode(f), Memory);
    if (m_memoryTodo.empty() || !m_memoryReason.isEmpty() || !m_client) {
        m_memoryFolder = KeyTree::kNone;
        if (cell.isValid())
            Q_EMIT dataChanged(cell, cell);
        Q_EMIT folderMemoryDone(cell.siblingAtColumn(0));
        return;
    }
    const size_t n = std::min<size_t>(kMemoryBatch, m_memoryTodo.size());
    QList<Command> cmds;
    for (size_t i = m_memoryTodo.size() - n; i < m_memoryTodo.size(); ++i)
        cmds << Command { QByteArrayLiteral("MEMORY"), QByteArrayLiteral("USAGE"), m_tree->fullName(m_memoryTodo[i]) };
    m_memoryTodo.resize(m_memoryTodo.size() - n);
    const quint64 gen = m_memoryGeneration;
    bullmq::whenReady(this, m_client->pipeline(cmds), [this, gen, f](const QList<Reply>& replies) {
        if (gen != m_memoryGeneration)
            return;
        FolderMemory& fm = m_folderMemory[f];
        for (const Reply& r : replies) {
            if (memoryRefused(r) && m_memoryReason.isEmpty()) {
                m_memoryReason = r.errorMessage();
                Q_EMIT memoryUnavailable(m_memoryReason);
            }
            if (r.isInteger())
                fm.bytes += r.integer();
            ++fm.done;
        }
        const QModelIndex cell = indexOfNode(m_tree->folderNode(f), Memory);
        if (cell.isValid())
            Q_EMIT dataChanged(cell, cell);
        memoryStep();
    });
}

QVariant KeyTreeModel::data(const QModelIndex& index, int role) const
{
    const KeyTree::Id node = nodeOf(index);
    if (node == KeyTree::kNone)
        return {};
    const bool folder = m_tree->isFolder(node);
    const int column = index.column();
    if (role == KeyNameRole)
        return m_tree->fullName(node);
    if (role == IsFolderRole)
        return folder;
    if (role == KeyCountRole)
        return folder ? m_tree->keyCount(m_tree->folderOf(node)) : quint64(1);
    if (role == QueueRole)
        return queueOf(node);
    if (folder) {
        const KeyTree::Id f = m_tree->folderOf(node);
        const auto mem = m_folderMemory.constFind(f);
        switch (role) {
        case Qt::DisplayRole:
            switch (column) {
            case Name: {
                const QByteArrayView seg = m_tree->segment(node);
                return seg.isEmpty() ? tr("(empty)") : displayBytes(seg.toByteArray());
            }
            case Type:
                return queueOf(node).isEmpty() || !queueOf(m_tree->folderNode(m_tree->parentFolder(node))).isEmpty()
                    ? QVariant()
                    : QVariant(tr("queue"));
            case Memory:
                if (mem == m_folderMemory.constEnd())
                    return {};
                if (m_memoryFolder == f)
                    return tr("%1 (%2 %)").arg(formatBytes(mem->bytes)).arg(mem->total ? mem->done * 100 / mem->total : 0);
                return QString((mem->truncated ? QStringLiteral("≥ ") : QString()) + formatBytes(mem->bytes));
            case Keys:
                return QString::number(m_tree->keyCount(f));
            default:
                return {};
            }
        case SortRole:
            switch (column) {
            case Name:
                return QByteArray('\0' + m_tree->segment(node).toByteArray());
            case Memory:
                return mem == m_folderMemory.constEnd() ? qint64(-1) : mem->bytes;
            case Keys:
                return m_tree->keyCount(f);
            default:
                return QVariant(QString());
            }
        case Qt::ToolTipRole:
            if (column == Name)
                return tr("Folder %1 (%2 keys)")
                    .arg(displayBytes(m_tree->fullName(node)).toHtmlEscaped())
                    .arg(m_tree->keyCount(f));
            return {};
        case Qt::TextAlignmentRole:
            return column == Keys || column == Memory ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
        case MemoryRole:
            return mem == m_folderMemory.constEnd() ? qint64(-1) : mem->bytes;
        case TtlRole:
            return qint64(-3);
        case KeyTypeRole:
            return int(KeyType::Unknown);
        default:
            return {};
        }
    }

    // A key: what it shows beyond its name is read when a view first asks.
    if (column != Name && (role == Qt::DisplayRole || role == SortRole))
        want(node, index.row());
    const auto it = m_meta.constFind(node);
    const Meta* m = it == m_meta.constEnd() ? nullptr : &*it;
    const qint64 remaining = !m ? -3 : m->gone ? -2 : m->expiresAt < 0 ? -1 : std::max<qint64>(0, m->expiresAt - now());
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Name: {
            const QByteArrayView seg = m_tree->segment(node);
            return seg.isEmpty() ? tr("(empty)") : displayBytes(seg.toByteArray());
        }
        case Type:
            return m ? keyTypeName(m->gone ? KeyType::None : m->type) : QString();
        case Ttl:
            if (remaining == -2)
                return tr("expired");
            return remaining >= 0 ? formatDuration(remaining) : QString();
        case Memory:
            if (!m_memoryReason.isEmpty())
                return m_memoryReason.startsWith(QLatin1String("NOPERM")) ? tr("n/a (no permission)") : tr("n/a");
            return m && m->memory >= 0 ? formatBytes(m->memory) : QString();
        case Encoding:
            return m ? QString::fromLatin1(m->encoding) : QString();
        default:
            return {};
        }
    case SortRole:
        switch (column) {
        case Name:
            return QByteArray('\1' + m_tree->segment(node).toByteArray());
        case Type:
            return m ? keyTypeName(m->type) : QString();
        case Ttl:
            return remaining;
        case Memory:
            return m ? m->memory : qint64(-1);
        case Encoding:
            return m ? QString::fromLatin1(m->encoding) : QString();
        case Keys:
            return quint64(1);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (column == Name)
            return displayBytes(m_tree->fullName(node)).toHtmlEscaped();
        if (column == Memory && !m_memoryReason.isEmpty())
            return tr("MEMORY USAGE is not available: %1").arg(m_memoryReason.toHtmlEscaped());
        return {};
    case Qt::TextAlignmentRole:
        return column == Ttl || column == Memory ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case KeyTypeRole:
        return int(m ? m->type : KeyType::Unknown);
    case TtlRole:
        return remaining;
    case MemoryRole:
        return m ? m->memory : qint64(-1);
    default:
        return {};
    }
}

QVariant KeyTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole && section == Memory && !m_memoryReason.isEmpty())
        return tr("MEMORY USAGE is not available: %1").arg(m_memoryReason.toHtmlEscaped());
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Name");
    case Type:
        return tr("Type");
    case Ttl:
        return tr("TTL");
    case Memory:
        return tr("Memory");
    case Encoding:
        return tr("Encoding");
    case Keys:
        return tr("Keys");
    default:
        return {};
    }
}

} // namespace bullpen::keys
