// SPDX-License-Identifier: MIT
#include "keyspage.h"

#include "bullmq/futurewatch.h"
#include "keys/keyactions.h"
#include "keys/keyname.h"
#include "keys/keytreemodel.h"
#include "keyvalueviewer.h"
#include "redisclient.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTreeView>
#include <QVBoxLayout>

#include <functional>

namespace bullpen {

using keys::KeyTreeModel;

namespace {
    // QTreeView asks for more on every layout of a parent that canFetchMore(), so a paused scan
    // would be pulled on batch after batch. The page fetches on demand only: when the tree is
    // scrolled to its end (or does not fill the view), and when a folder is expanded.
    class OnDemandProxy final : public QSortFilterProxyModel
    {
    public:
        using QSortFilterProxyModel::QSortFilterProxyModel;
        std::function<bool()> demand;

        bool canFetchMore(const QModelIndex& parent) const override
        {
            return demand && demand() && QSortFilterProxyModel::canFetchMore(parent);
        }
        void fetchMore(const QModelIndex& parent) override
        {
            if (canFetchMore(parent))
                QSortFilterProxyModel::fetchMore(parent);
        }
    };
} // namespace

KeysPage::KeysPage(QWidget* parent)
    : ClientPage(parent)
    , m_model(new KeyTreeModel(this))
    , m_proxy(new OnDemandProxy(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(KeyTreeModel::SortRole);

    auto* layout = new QVBoxLayout(this);
    auto* filters = new QHBoxLayout;
    m_match = new QLineEdit(this);
    m_match->setObjectName(QStringLiteral("matchEdit"));
    m_match->setPlaceholderText(tr("SCAN MATCH pattern, e.g. user:*"));
    m_match->setClearButtonEnabled(true);
    m_type = new QComboBox(this);
    m_type->setObjectName(QStringLiteral("typeBox"));
    m_type->addItem(tr("All types"));
    for (const char* t : { "string", "hash", "list", "set", "zset", "stream" })
        m_type->addItem(QString::fromLatin1(t), QByteArray(t));
    m_delimiter = new QLineEdit(QStringLiteral(":"), this);
    m_delimiter->setObjectName(QStringLiteral("delimiterEdit"));
    m_delimiter->setMaximumWidth(40);
    m_delimiter->setToolTip(tr("Delimiter that splits key names into folders"));
    m_reload = new QPushButton(tr("Scan"), this);
    m_reload->setObjectName(QStringLiteral("scanButton"));
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("stopButton"));
    m_cancel->setToolTip(tr("Stop scanning; the tree keeps what it has and fetches no more until the next Scan"));
    filters->addWidget(m_match, 1);
    filters->addWidget(m_type);
    filters->addWidget(new QLabel(tr("Delimiter"), this));
    filters->addWidget(m_delimiter);
    filters->addWidget(m_reload);
    filters->addWidget(m_cancel);
    layout->addLayout(filters);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("keysError"));
    m_error->setTextFormat(Qt::PlainText); // server errors quote key names
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("QLabel { background: #fdecea; color: #611a15; padding: 4px; border-radius: 3px; }"));
    m_error->hide();
    layout->addWidget(m_error);

    auto* splitter = new QSplitter(this);
    m_view = new QTreeView(splitter);
    m_view->setObjectName(QStringLiteral("keyTree"));
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(KeyTreeModel::Name, Qt::AscendingOrder);
    m_view->setUniformRowHeights(true); // millions of rows: no per-row size hints
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setSectionResizeMode(KeyTreeModel::Name, QHeaderView::Stretch);
    m_view->setColumnWidth(KeyTreeModel::Type, 60);
    m_view->setColumnWidth(KeyTreeModel::Ttl, 70);
    m_view->setColumnWidth(KeyTreeModel::Memory, 75);
    m_view->setColumnWidth(KeyTreeModel::Encoding, 75);
    m_view->setColumnWidth(KeyTreeModel::Keys, 55);
    auto* right = new QWidget(splitter);
    auto* rl = new QVBoxLayout(right);
    rl->setContentsMargins(0, 0, 0, 0);
    auto* actions = new QHBoxLayout;
    m_ttl = new QPushButton(tr("Set TTL…"), right);
    m_ttl->setObjectName(QStringLiteral("ttlButton"));
    m_persist = new QPushButton(tr("Persist"), right);
    m_persist->setObjectName(QStringLiteral("persistButton"));
    m_rename = new QPushButton(tr("Rename…"), right);
    m_rename->setObjectName(QStringLiteral("renameButton"));
    m_delete = new QPushButton(tr("Delete…"), right);
    m_delete->setObjectName(QStringLiteral("deleteButton"));
    m_memory = new QPushButton(tr("Folder memory"), right);
    m_memory->setObjectName(QStringLiteral("memoryButton"));
    for (QPushButton* b : { m_ttl, m_persist, m_rename, m_delete, m_memory })
        actions->addWidget(b);
    actions->addStretch(1);
    rl->addLayout(actions);
    m_viewer = new KeyValueViewer(right);
    rl->addWidget(m_viewer, 1);
    splitter->addWidget(m_view);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);

    auto* statusBar = new QHBoxLayout;
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("keysStatus"));
    m_status->setTextFormat(Qt::PlainText);
    statusBar->addWidget(m_status, 1);
    m_busy = new QProgressBar(this);
    m_busy->setObjectName(QStringLiteral("scanBusy"));
    m_busy->setRange(0, 0); // a scan's total is unknown: busy, with the count in the label
    m_busy->setMaximumWidth(120);
    m_busy->setMaximumHeight(m_status->sizeHint().height());
    m_busy->setTextVisible(false);
    m_busy->hide();
    statusBar->addWidget(m_busy);
    layout->addLayout(statusBar);

    connect(m_reload, &QPushButton::clicked, this, &KeysPage::applyFilter);
    connect(m_match, &QLineEdit::returnPressed, this, &KeysPage::applyFilter);
    connect(m_cancel, &QPushButton::clicked, m_model, &KeyTreeModel::cancel);
    connect(m_ttl, &QPushButton::clicked, this, &KeysPage::setTtlOfSelected);
    connect(m_persist, &QPushButton::clicked, this, &KeysPage::persistSelected);
    connect(m_rename, &QPushButton::clicked, this, &KeysPage::renameSelected);
    connect(m_delete, &QPushButton::clicked, this, &KeysPage::deleteSelected);
    connect(m_memory, &QPushButton::clicked, this, &KeysPage::computeFolderMemory);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, &KeysPage::onCurrentChanged);
    connect(m_view, &QTreeView::customContextMenuRequested, this, &KeysPage::contextMenu);
    static_cast<OnDemandProxy*>(m_proxy)->demand = [this] {
        const QScrollBar* bar = m_view->verticalScrollBar();
        return bar->value() >= bar->maximum();
    };
    connect(m_view, &QTreeView::expanded, this, [this](const QModelIndex& proxyIndex) {
        // The folder may have more keys in the part of the keyspace not scanned yet.
        const QModelIndex source = m_proxy->mapToSource(proxyIndex);
        if (m_model->canFetchMore(source))
            m_model->fetchMore(source);
    });
    connect(m_view, &QTreeView::doubleClicked, this, [this](const QModelIndex& i) {
        const QString queue = i.data(KeyTreeModel::QueueRole).toString();
        if (!queue.isEmpty())
            Q_EMIT openQueueRequested(queue);
    });
    connect(m_model, &KeyTreeModel::loadingChanged, this, [this] {
        updateStatus();
        updateActions();
    });
    connect(m_model, &KeyTreeModel::progress, this, [this] {
        updateStatus();
        tryReveal();
    });
    connect(m_model, &KeyTreeModel::finished, this, [this] {
        updateStatus();
        tryReveal();
        Q_EMIT loaded();
    });
    connect(m_model, &KeyTreeModel::failed, this, &KeysPage::showError);
    connect(m_model, &KeyTreeModel::memoryUnavailable, this, &KeysPage::updateStatus);
    connect(m_model, &KeyTreeModel::folderMemoryDone, this, &KeysPage::updateActions);
    connect(m_viewer, &KeyValueViewer::failed, this, &KeysPage::showError);
    updateActions();
    updateStatus();
}

KeysPage::~KeysPage() = default;

void KeysPage::setClient(RedisClient* client)
{
    m_client = client;
    m_error->hide();
    m_viewer->setClient(client);
    // The first SCAN of a big keyspace is the heaviest thing a new connection does, and the
    // Keys tab is rarely the first one looked at: it starts when the page is first shown.
    m_clientPending = client && !isVisible();
    m_model->setClient(m_clientPending ? nullptr : client);
    updateActions();
    updateStatus();
}

void KeysPage::showEvent(QShowEvent* event)
{
    ClientPage::showEvent(event);
    if (!m_clientPending)
        return;
    m_clientPending = false;
    m_model->setClient(m_client);
    updateActions();
    updateStatus();
}

void KeysPage::refreshNow()
{
    applyFilter();
}

void KeysPage::applyFilter()
{
    KeyTreeModel::Options o = m_model->options();
    o.match = m_match->text().toUtf8();
    o.type = m_type->currentData().toByteArray();
    o.delimiter = m_delimiter->text().toUtf8();
    m_model->setOptions(o);
    m_error->hide();
    m_viewer->clear();
    m_model->reload();
    updateActions();
}

QString KeysPage::statusText() const
{
    return m_status->text();
}

QString KeysPage::errorText() const
{
    return m_error->isVisible() ? m_error->text() : QString();
}

void KeysPage::showError(const QString& message)
{
    m_error->setText(message);
    m_error->show();
}

void KeysPage::updateStatus()
{
    QString text;
    const quint64 n = m_model->loadedKeys();
    if (!m_client)
        text = tr("Not connected");
    else if (m_model->isLoading())
        text = tr("Scanning… %1 keys so far").arg(n);
    else if (m_model->isCancelled())
        text = tr("%1 keys loaded; scan cancelled (Scan starts again)").arg(n);
    else if (m_model->canLoadMore())
        text = tr("%1 keys loaded so far; scroll to the end or expand a folder to scan on").arg(n);
    else
        text = tr("%1 keys").arg(n);
    if (m_client && m_client->isReadOnly())
        text += tr(" · read-only connection: no edits");
    if (!m_model->memoryUnavailableReason().isEmpty())
        text += tr(" · memory not shown: %1").arg(m_model->memoryUnavailableReason());
    m_status->setText(text);
}

QModelIndex KeysPage::currentSource() const
{
    return m_proxy->mapToSource(m_view->currentIndex()).siblingAtColumn(0);
}

void KeysPage::select(const QModelIndex& proxyIndex)
{
    m_view->setCurrentIndex(proxyIndex);
    m_view->scrollTo(proxyIndex);
}

void KeysPage::revealKey(const QByteArray& key)
{
    // Brought to the front when the page is a tab.
    for (QWidget* w = parentWidget(); w; w = w->parentWidget()) {
        if (auto* tabs = qobject_cast<QTabWidget*>(w)) {
            tabs->setCurrentWidget(this);
            break;
        }
    }
    m_reveal = key;
    tryReveal();
}

void KeysPage::tryReveal()
{
    if (m_reveal.isEmpty())
        return;
    const QModelIndex source = m_model->indexOfKey(m_reveal);
    if (!source.isValid()) {
        if (!m_model->isLoading() && m_client && !m_clientPending)
            m_reveal.clear(); // scanned to the end (or the limit) without it
        return;
    }
    m_reveal.clear();
    const QModelIndex proxy = m_proxy->mapFromSource(source);
    for (QModelIndex p = proxy.parent(); p.isValid(); p = p.parent())
        m_view->expand(p);
    select(proxy);
}

void KeysPage::onCurrentChanged()
{
    const QModelIndex s = currentSource();
    if (s.isValid() && !s.data(KeyTreeModel::IsFolderRole).toBool())
        m_viewer->showKey(s.data(KeyTreeModel::KeyNameRole).toByteArray());
    else
        m_viewer->clear();
    updateActions();
}

void KeysPage::updateActions()
{
    const QModelIndex s = currentSource();
    const bool writable = m_client && !m_client->isReadOnly();
    const bool isKey = s.isValid() && !s.data(KeyTreeModel::IsFolderRole).toBool();
    const bool isFolder = s.isValid() && s.data(KeyTreeModel::IsFolderRole).toBool();
    m_ttl->setEnabled(writable && isKey);
    m_persist->setEnabled(writable && isKey);
    m_rename->setEnabled(writable && isKey);
    m_delete->setEnabled(writable && (isKey || isFolder));
    const QString why = writable ? QString() : tr("The connection is read-only");
    for (QPushButton* b : { m_ttl, m_persist, m_rename, m_delete })
        b->setToolTip(why);
    m_memory->setEnabled(isFolder && !m_model->isComputingMemory());
    m_cancel->setEnabled(m_model->isLoading());
    m_busy->setVisible(m_model->isLoading());
    m_reload->setEnabled(m_client != nullptr);
}

void KeysPage::contextMenu(const QPoint& pos)
{
    const QModelIndex proxy = m_view->indexAt(pos);
    if (!proxy.isValid())
        return;
    select(proxy);
    auto* menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    const QString queue = proxy.data(KeyTreeModel::QueueRole).toString();
    if (!queue.isEmpty())
        menu->addAction(tr("Open queue %1").arg(queue), this, [this, queue] { Q_EMIT openQueueRequested(queue); });
    if (proxy.data(KeyTreeModel::IsFolderRole).toBool())
        menu->addAction(m_memory->text(), this, &KeysPage::computeFolderMemory)->setEnabled(m_memory->isEnabled());
    menu->addAction(m_delete->text(), this, &KeysPage::deleteSelected)->setEnabled(m_delete->isEnabled());
    menu->popup(m_view->viewport()->mapToGlobal(pos));
}

void KeysPage::computeFolderMemory()
{
    m_model->computeFolderMemory(currentSource());
    updateActions();
}

namespace {
    QMessageBox* confirmBox(QWidget* parent, const QString& name, const QString& title, const QString& text)
    {
        auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Yes | QMessageBox::Cancel, parent);
        box->setObjectName(name);
        box->setTextFormat(Qt::PlainText); // the text quotes key names
        box->setDefaultButton(QMessageBox::Cancel);
        box->setAttribute(Qt::WA_DeleteOnClose);
        return box;
    }
} // namespace

void KeysPage::deleteSelected()
{
    const QModelIndex s = currentSource();
    if (!s.isValid() || !m_client || m_client->isReadOnly())
        return;
    if (s.data(KeyTreeModel::IsFolderRole).toBool()) {
        deleteFolder(s);
        return;
    }
    const QByteArray key = s.data(KeyTreeModel::KeyNameRole).toByteArray();
    auto* box = confirmBox(this, QStringLiteral("confirmDelete"), tr("Delete key"),
        tr("Delete the key %1? This cannot be undone.").arg(keys::displayBytes(key)));
    const QPersistentModelIndex row(s);
    connect(box, &QMessageBox::finished, this, [this, box, key, row] {
        if (box->clickedButton() != box->button(QMessageBox::Yes) || !m_client)
            return;
        bullmq::whenReady(this, keys::unlinkKey(m_client, key), [this, key, row](const Reply& r) {
            if (r.isError()) {
                showError(tr("Could not delete %1: %2").arg(keys::displayBytes(key), r.errorMessage()));
                return;
            }
            if (row.isValid())
                m_model->dropRow(row);
            if (m_viewer->key() == key)
                m_viewer->clear();
            updateActions();
            updateStatus();
        });
    });
    box->open();
}

void KeysPage::deleteFolder(const QModelIndex& source)
{
    const QByteArray path = source.data(KeyTreeModel::KeyNameRole).toByteArray();
    const QByteArray pattern = keys::folderPattern(path, m_model->options().delimiter);
    auto* deleter = new keys::FolderDeleter(m_client, pattern, this);
    const QPersistentModelIndex row(source);
    connect(deleter, &keys::FolderDeleter::failed, this, [this, deleter](const QString& message) {
        showError(tr("Folder delete failed: %1").arg(message));
        deleter->deleteLater();
    });
    connect(deleter, &keys::FolderDeleter::progress, this,
        [this](qint64 n) { m_status->setText(tr("Deleting… %1 keys so far").arg(n)); });
    connect(deleter, &keys::FolderDeleter::done, this, [this, deleter, row](qint64 n) {
        deleter->deleteLater();
        if (row.isValid())
            m_model->dropRow(row);
        updateStatus();
        m_status->setText(m_status->text() + tr(" · deleted %1 keys").arg(n));
        updateActions();
    });
    connect(deleter, &keys::FolderDeleter::counted, this, [this, deleter, path, pattern](qint64 n) {
        auto* box = confirmBox(this, QStringLiteral("confirmDeleteFolder"), tr("Delete folder"),
            tr("Delete all %n key(s) matching %1 (folder %2)? This cannot be undone.", nullptr, int(n))
                .arg(keys::displayBytes(pattern), keys::displayBytes(path)));
        connect(box, &QMessageBox::finished, this, [box, deleter] {
            if (box->clickedButton() == box->button(QMessageBox::Yes))
                deleter->run();
            else
                deleter->deleteLater();
        });
        box->open();
    });
    m_status->setText(tr("Counting the keys of %1…").arg(keys::displayBytes(path)));
    deleter->count();
}

void KeysPage::setTtlOfSelected()
{
    const QModelIndex s = currentSource();
    if (!s.isValid() || !m_client || m_client->isReadOnly())
        return;
    const QByteArray key = s.data(KeyTreeModel::KeyNameRole).toByteArray();
    auto* dialog = new QInputDialog(this);
    dialog->setObjectName(QStringLiteral("ttlDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Set TTL"));
    dialog->setLabelText(tr("Seconds until %1 expires:").arg(keys::displayBytes(key)));
    if (auto* label = dialog->findChild<QLabel*>())
        label->setTextFormat(Qt::PlainText);
    dialog->setInputMode(QInputDialog::IntInput);
    dialog->setIntRange(1, INT_MAX);
    dialog->setIntValue(3600);
    const QPersistentModelIndex row(s);
    connect(dialog, &QInputDialog::intValueSelected, this, [this, key, row](int seconds) {
        bullmq::whenReady(this, keys::setTtl(m_client, key, qint64(seconds) * 1000), [this, key, row](const Reply& r) {
            if (r.isError())
                showError(tr("Could not set the TTL of %1: %2").arg(keys::displayBytes(key), r.errorMessage()));
            if (row.isValid())
                m_model->invalidate(row);
            if (m_viewer->key() == key)
                m_viewer->showKey(key);
        });
    });
    dialog->open();
}

void KeysPage::persistSelected()
{
    const QModelIndex s = currentSource();
    if (!s.isValid() || !m_client || m_client->isReadOnly())
        return;
    const QByteArray key = s.data(KeyTreeModel::KeyNameRole).toByteArray();
    auto* box = confirmBox(this, QStringLiteral("confirmPersist"), tr("Persist key"),
        tr("Remove the TTL of %1, so it never expires?").arg(keys::displayBytes(key)));
    const QPersistentModelIndex row(s);
    connect(box, &QMessageBox::finished, this, [this, box, key, row] {
        if (box->clickedButton() != box->button(QMessageBox::Yes) || !m_client)
            return;
        bullmq::whenReady(this, keys::persist(m_client, key), [this, key, row](const Reply& r) {
            if (r.isError())
                showError(tr("Could not persist %1: %2").arg(keys::displayBytes(key), r.errorMessage()));
            if (row.isValid())
                m_model->invalidate(row);
            if (m_viewer->key() == key)
                m_viewer->showKey(key);
        });
    });
    box->open();
}

void KeysPage::renameSelected()
{
    const QModelIndex s = currentSource();
    if (!s.isValid() || !m_client || m_client->isReadOnly())
        return;
    const QByteArray key = s.data(KeyTreeModel::KeyNameRole).toByteArray();
    auto* dialog = new QInputDialog(this);
    dialog->setObjectName(QStringLiteral("renameDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Rename key"));
    dialog->setLabelText(tr("New name for %1 (an existing key is never overwritten):").arg(keys::displayBytes(key)));
    if (auto* label = dialog->findChild<QLabel*>())
        label->setTextFormat(Qt::PlainText);
    dialog->setTextValue(QString::fromUtf8(key));
    const QPersistentModelIndex row(s);
    connect(dialog, &QInputDialog::textValueSelected, this, [this, key, row](const QString& text) {
        const QByteArray to = text.toUtf8();
        if (to.isEmpty() || to == key)
            return;
        bullmq::whenReady(this, keys::renameKey(m_client, key, to), [this, key, to, row](const Reply& r) {
            if (r.isError() || r.integer() == 0) {
                showError(r.isError() ? tr("Could not rename %1: %2").arg(keys::displayBytes(key), r.errorMessage())
                                      : tr("Not renamed: %1 exists already").arg(keys::displayBytes(to)));
                return;
            }
            if (row.isValid())
                m_model->dropRow(row);
            m_viewer->showKey(to);
        });
    });
    dialog->open();
}

} // namespace bullpen
