// SPDX-License-Identifier: MIT
#pragma once

#include "clientpage.h"
#include "redisclient.h"

#include <QPointer>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QModelIndex;
class QPushButton;
class QSortFilterProxyModel;
class QTreeView;

namespace bullpen {

class KeyValueViewer;
class RedisClient;
namespace keys {
    class KeyTreeModel;
}

/// The key browser: a tree of the keyspace (SCAN pages as they arrive, never KEYS) on the left,
/// the selected key's value on the right. Edits (TTL, persist, rename, delete, delete a folder)
/// are offered on read-write connections only, and each is confirmed in a dialog that does not
/// block the event loop.
class KeysPage : public ClientPage
{
    Q_OBJECT
public:
    explicit KeysPage(QWidget* parent = nullptr);
    ~KeysPage() override;

    void setClient(RedisClient* client) override;
    /// Scans again with the current filter. Further batches are scanned when the tree asks
    /// (scrolled to the end, a folder expanded: the model's fetchMore), until Cancel.
    void refreshNow() override;

    keys::KeyTreeModel* model() const { return m_model; }
    QSortFilterProxyModel* proxy() const { return m_proxy; }
    QTreeView* view() const { return m_view; }
    KeyValueViewer* viewer() const { return m_viewer; }
    QString statusText() const;
    QString errorText() const;

    /// Selects a row (a proxy index) and shows it.
    void select(const QModelIndex& proxyIndex);
    /// Expands the folders above `key` and opens it, now or as soon as the scan has loaded it.
    void revealKey(const QByteArray& key);

    // The edit actions on the current selection (buttons and context menu call these).
    void deleteSelected();
    void setTtlOfSelected();
    void persistSelected();
    void renameSelected();
    void computeFolderMemory();

Q_SIGNALS:
    /// A row of a detected queue was activated (double click, or "Open queue").
    void openQueueRequested(const QString& queue);
    /// The current scan finished (or reached its limit).
    void loaded();

protected:
    void showEvent(QShowEvent* event) override;

private:
    QModelIndex currentSource() const;
    void onCurrentChanged();
    void updateActions();
    void updateStatus();
    void showError(const QString& message);
    void applyFilter();
    void contextMenu(const QPoint& pos);
    void deleteFolder(const QModelIndex& source);
    void tryReveal();

    QPointer<RedisClient> m_client;
    bool m_clientPending = false; ///< a client came while the page was hidden: the scan starts when shown
    keys::KeyTreeModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QTreeView* m_view = nullptr;
    KeyValueViewer* m_viewer = nullptr;
    QLineEdit* m_match = nullptr;
    QComboBox* m_type = nullptr;
    QLineEdit* m_delimiter = nullptr;
    QPushButton* m_reload = nullptr;
    QPushButton* m_cancel = nullptr;
    QPushButton* m_ttl = nullptr;
    QPushButton* m_persist = nullptr;
    QPushButton* m_rename = nullptr;
    QPushButton* m_delete = nullptr;
    QPushButton* m_memory = nullptr;
    QLabel* m_status = nullptr;
    QProgressBar* m_busy = nullptr; // shown while a batch is scanned
    QLabel* m_error = nullptr;
    QByteArray m_reveal;
};

} // namespace bullpen
