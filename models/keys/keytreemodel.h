// SPDX-License-Identifier: MIT
#pragma once

#include "keyscanner.h"
#include "keytree.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QPointer>

#include <memory>

class QTimer;

namespace bullpen {
class RedisClient;
}

namespace bullpen::keys {

/// Key types as TYPE reports them.
enum class KeyType : quint8 { Unknown, None, String, Hash, List, Set, ZSet, Stream, Other };
KeyType keyTypeFromName(const QByteArray& name);
QString keyTypeName(KeyType type);

/// The keyspace as a tree of folders (name segments split on a delimiter) and keys, built from
/// SCAN pages as they arrive: rows of the first level are usable while the scan runs. Type, TTL,
/// memory and encoding are read lazily, only for rows a view asks about, in pipelined batches;
/// TTLs count down. Folders show key counts, and summed memory on request.
///
/// Rows are in SCAN order; sort in a proxy (SortRole: folders first, then the name bytes).
class KeyTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Columns { Name, Type, Ttl, Memory, Encoding, Keys, ColumnCount };
    enum Roles {
        SortRole = Qt::UserRole,
        KeyNameRole, ///< QByteArray: the whole key name (folders: their path)
        IsFolderRole,
        KeyTypeRole, ///< int(KeyType)
        TtlRole, ///< qint64 ms remaining; -1 no TTL, -2 gone, -3 not read yet
        MemoryRole, ///< qint64 bytes, -1 unknown
        KeyCountRole, ///< quint64 keys below a folder (1 for a key)
        QueueRole, ///< QString "prefix:name" of the queue the row belongs to, or empty
    };

    struct Options {
        QByteArray delimiter = QByteArrayLiteral(":");
        QByteArray match; ///< SCAN MATCH
        QByteArray type; ///< SCAN TYPE
        int scanCount = 1000;
        qint64 keyLimit = 100000; ///< keys per batch: the scan pauses after each until fetchMore(); 0: no pause
        int maxDepth = 0;
        bool detectQueues = true;
    };

    explicit KeyTreeModel(QObject* parent = nullptr);
    ~KeyTreeModel() override;

    /// Drops everything (a reset) and, with a client, scans anew.
    void setClient(RedisClient* client);
    RedisClient* client() const { return m_client; }
    void setOptions(const Options& options);
    const Options& options() const { return m_options; }

    /// Scans from the start (a reset: the options or the server changed).
    void reload();
    /// Stops the scan; nothing more is fetched until reload().
    void cancel();
    /// Scans on for another keyLimit keys (what fetchMore() does when a view asks).
    void loadMore();
    bool isLoading() const { return m_scanner && m_scanner->isRunning(); }
    /// The scan paused after a batch, before the end of the keyspace.
    bool canLoadMore() const { return m_scanner && m_scanner->limitReached(); }
    bool isCancelled() const { return m_cancelled; }
    quint64 loadedKeys() const { return m_tree ? m_tree->keyCount() : 0; }
    const KeyTree* tree() const { return m_tree.get(); }

    /// Sums MEMORY USAGE over the loaded keys of a folder (at most `maxKeys`), in batches in the
    /// background; the folder's Memory cell shows the progress. One pass at a time.
    void computeFolderMemory(const QModelIndex& folder, int maxKeys = 100000);
    void cancelFolderMemory();
    bool isComputingMemory() const { return m_memoryFolder != KeyTree::kNone; }

    /// Why the Memory column is empty (MEMORY refused by the server or ACL), or empty.
    QString memoryUnavailableReason() const { return m_memoryReason; }

    /// The row of a key or folder path; invalid when not loaded.
    QModelIndex indexOfKey(const QByteArray& key) const;
    QModelIndex indexOfFolder(const QByteArray& path) const;
    /// Takes a key or folder row out (after it was deleted on the server); empty parents follow.
    void dropRow(const QModelIndex& index);
    /// Forgets what was read about a key, so it is read again (after an edit).
    void invalidate(const QModelIndex& index);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    bool hasChildren(const QModelIndex& parent = {}) const override;
    /// The keyspace is scanned in batches of keyLimit keys with one SCAN cursor (SCAN has no
    /// per-folder cursor; MATCH per folder would walk the whole keyspace again): the root and
    /// every folder can fetch more while the scan is paused after a batch, and fetchMore()
    /// scans the next batch (SCAN COUNT scanCount per call, never KEYS). Not after cancel().
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void loadingChanged(bool loading);
    /// Throttled: keys loaded so far.
    void progress(quint64 keys);
    /// A view asked for more rows (fetchMore) and the next batch is being scanned.
    void fetchingMore();
    /// The first page of names is in the model.
    void firstPageShown();
    /// The scan ended or reached the limit.
    void finished();
    void failed(const QString& message);
    void memoryUnavailable(const QString& reason);
    void folderMemoryDone(const QModelIndex& folder);

private:
    struct Meta {
        qint64 expiresAt = -1; // ms since epoch; -1 none
        qint64 memory = -1;
        QByteArray encoding;
        int rowHint = -1;
        KeyType type = KeyType::Unknown;
        bool gone = false;
    };
    struct FolderMemory {
        qint64 bytes = 0;
        quint64 done = 0;
        quint64 total = 0;
        bool truncated = false;
    };

    KeyTree::Id nodeOf(const QModelIndex& index) const;
    QModelIndex indexOfNode(KeyTree::Id node, int column = 0, int rowHint = -1) const;
    void onPage(const Reply& names);
    void want(KeyTree::Id node, int row) const;
    void flushWanted();
    void tick();
    void memoryStep();
    QString queueOf(KeyTree::Id node) const;
    void discoverQueues();
    void rebuild();

    QPointer<RedisClient> m_client;
    Options m_options;
    std::unique_ptr<KeyTree> m_tree;
    KeyScanner* m_scanner = nullptr;
    QTimer* m_ttlTimer = nullptr;
    bool m_firstPage = false;
    bool m_cancelled = false;
    bool m_fetchQueued = false; // fetchMore() asked; the batch starts on the next event-loop pass
    qint64 m_lastProgress = 0;

    mutable QHash<KeyTree::Id, Meta> m_meta;
    mutable QList<QPair<KeyTree::Id, int>> m_wanted;
    mutable bool m_flushQueued = false;
    bool m_metaInFlight = false;
    quint64 m_generation = 0;
    QString m_memoryReason;

    QList<QByteArray> m_queueBases; // "prefix:name:" of detected queues
    QHash<KeyTree::Id, FolderMemory> m_folderMemory;
    KeyTree::Id m_memoryFolder = KeyTree::kNone;
    std::vector<KeyTree::Id> m_memoryTodo;
    quint64 m_memoryGeneration = 0;
};

} // namespace bullpen::keys
