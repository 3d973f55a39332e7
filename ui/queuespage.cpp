// SPDX-License-Identifier: MIT
#include "queuespage.h"

#include "addjobdialog.h"
#include "bullmq/futurewatch.h"
#include "bullmq/jobdetail.h"
#include "bullmq/joblistmodel.h"
#include "bullmq/queuelistmodel.h"
#include "jobinspector.h"
#include "keys/keyname.h"
#include "redisclient.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace bullpen {

using bullmq::ActionKind;
using bullmq::ActionRequest;
using bullmq::ActionResult;
using bullmq::Generation;
using bullmq::JobListModel;
using bullmq::Library;
using bullmq::QueueListModel;
using bullmq::QueueRef;
using bullmq::QueueSnapshot;

namespace {
    constexpr int kDefaultIntervalMs = 5000;

    /// "waiting-children" → "Waiting children"
    QString stateTitle(const QString& state)
    {
        QString t = state;
        t.replace(QLatin1Char('-'), QLatin1Char(' '));
        if (!t.isEmpty())
            t[0] = t.at(0).toUpper();
        return t;
    }

    QString libraryText(const QueueSnapshot& s)
    {
        switch (s.library) {
        case Library::BullMQ:
            return s.generation == Generation::Unknown ? QStringLiteral("BullMQ")
                                                       : QStringLiteral("BullMQ ") + bullmq::toString(s.generation);
        case Library::Bull:
            return QStringLiteral("Bull");
        case Library::Unknown:
            break;
        }
        return QObject::tr("unknown library");
    }

    /// The container name our remove script expects for a listed state.
    QByteArray actionState(const QString& state)
    {
        return state == QLatin1String("waiting") ? QByteArrayLiteral("wait") : state.toUtf8();
    }

    QLabel* plainLabel(QWidget* parent, const char* name)
    {
        auto* l = new QLabel(parent);
        l->setObjectName(QLatin1String(name));
        l->setTextFormat(Qt::PlainText); // queue names, ids and server errors come from Redis
        return l;
    }

    /// Times as "2024-11-25 23:59:12" (local): sortable at a glance, and narrower than the locale's.
    class TimeDelegate : public QStyledItemDelegate
    {
    public:
        using QStyledItemDelegate::QStyledItemDelegate;
        QString displayText(const QVariant& value, const QLocale& locale) const override
        {
            if (value.typeId() == QMetaType::QDateTime)
                return value.toDateTime().toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
            return QStyledItemDelegate::displayText(value, locale);
        }
    };

    QPushButton* button(QWidget* parent, const QString& text, const char* name)
    {
        auto* b = new QPushButton(text, parent);
        b->setObjectName(QLatin1String(name));
        return b;
    }
} // namespace

QueuesPage::QueuesPage(QWidget* parent)
    : ClientPage(parent)
    , m_queues(new QueueListModel(nullptr, this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_jobs(new JobListModel(nullptr, this))
    , m_timer(new QTimer(this))
{
    m_proxy->setSourceModel(m_queues);
    m_proxy->setSortRole(QueueListModel::SortRole);
    m_proxy->setFilterKeyColumn(QueueListModel::Name);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_timer->setSingleShot(true); // re-armed after each answer: never two refreshes in flight
    connect(m_timer, &QTimer::timeout, this, &QueuesPage::refreshTick);
    buildLayout();
    createActions();
    setClient(nullptr);
}

QueuesPage::~QueuesPage() = default;

void QueuesPage::buildLayout()
{
    auto* layout = new QVBoxLayout(this);

    auto* top = new QHBoxLayout;
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("queueFilter"));
    m_filter->setPlaceholderText(tr("Filter queues (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    m_interval = new QComboBox(this);
    m_interval->setObjectName(QStringLiteral("refreshInterval"));
    m_interval->setToolTip(tr("How often the page reads the queues again"));
    m_interval->addItem(tr("Refresh: off"), 0);
    for (int s : { 2, 5, 10, 30 })
        m_interval->addItem(tr("Refresh: %1 s").arg(s), s * 1000);
    m_interval->setCurrentIndex(m_interval->findData(kDefaultIntervalMs));
    m_pauseRefresh = new QCheckBox(tr("Pause"), this);
    m_pauseRefresh->setObjectName(QStringLiteral("pauseRefresh"));
    m_pauseRefresh->setToolTip(tr("Stop refreshing for now (F5 still refreshes)"));
    m_refresh = button(this, tr("Refresh"), "refreshQueues");
    m_refresh->setToolTip(tr("Read the queues, the jobs and the shown job again (F5)"));
    m_staleLabel = plainLabel(this, "staleLabel");
    m_staleLabel->setStyleSheet(QStringLiteral("QLabel { color: #6b7280; }"));
    m_staleLabel->hide();
    top->addWidget(m_filter, 1);
    top->addWidget(m_staleLabel);
    top->addWidget(m_interval);
    top->addWidget(m_pauseRefresh);
    top->addWidget(m_refresh);
    layout->addLayout(top);

    m_error = plainLabel(this, "queuesError");
    m_error->setWordWrap(true);
    m_error->setStyleSheet(
        QStringLiteral("QLabel { background: #fdecea; color: #611a15; padding: 4px; border-radius: 3px; }"));
    m_error->hide();
    layout->addWidget(m_error);

    auto* splitter = new QSplitter(this);
    splitter->setObjectName(QStringLiteral("queuesSplitter"));
    splitter->setChildrenCollapsible(false);

    // Left: every queue.
    auto* left = new QWidget(splitter);
    auto* ll = new QVBoxLayout(left);
    ll->setContentsMargins(0, 0, 0, 0);
    m_queueView = new QTableView(left);
    m_queueView->setObjectName(QStringLiteral("queueTable"));
    m_queueView->setModel(m_proxy);
    m_queueView->setSortingEnabled(true);
    m_queueView->sortByColumn(QueueListModel::Name, Qt::AscendingOrder);
    m_queueView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_queueView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_queueView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_queueView->setAlternatingRowColors(true);
    m_queueView->setWordWrap(false);
    m_queueView->verticalHeader()->hide();
    m_queueView->verticalHeader()->setDefaultSectionSize(m_queueView->fontMetrics().height() + 8);
    m_queueView->horizontalHeader()->setHighlightSections(false);
    m_queueView->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_queueView->horizontalHeader()->setStretchLastSection(false);
    // The prefix and the library are in the header on the right; the version column says "bull"
    // for Bull queues.
    // Prioritized and waiting-children counts are in the state tabs; the header's context menu
    // shows them here too.
    for (int c : { QueueListModel::Prefix, QueueListModel::Library, QueueListModel::Prioritized,
             QueueListModel::WaitingChildren })
        m_queueView->setColumnHidden(c, true);
    m_queueView->setColumnWidth(QueueListModel::Name, 110);
    m_queueView->setColumnWidth(QueueListModel::Generation, 54);
    m_queueView->setColumnWidth(QueueListModel::Paused, 54);
    for (int c = QueueListModel::Waiting; c < QueueListModel::ColumnCount; ++c)
        m_queueView->setColumnWidth(c, 56);
    m_queueView->setColumnWidth(QueueListModel::Completed, 76);
    m_queueView->horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_queueView->horizontalHeader(), &QHeaderView::customContextMenuRequested, this, [this](const QPoint& pos) {
        auto* menu = new QMenu(this);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        for (int c = QueueListModel::Prefix; c < QueueListModel::ColumnCount; ++c) {
            QAction* a = menu->addAction(m_queues->headerData(c, Qt::Horizontal).toString());
            a->setCheckable(true);
            a->setChecked(!m_queueView->isColumnHidden(c));
            connect(a, &QAction::toggled, this, [this, c](bool on) { m_queueView->setColumnHidden(c, !on); });
        }
        menu->popup(m_queueView->horizontalHeader()->mapToGlobal(pos));
    });
    ll->addWidget(m_queueView, 1);
    m_totals = plainLabel(left, "queueTotals");
    m_totals->setWordWrap(true);
    ll->addWidget(m_totals);

    // Right: the selected queue.
    auto* right = new QWidget(splitter);
    auto* rl = new QVBoxLayout(right);
    rl->setContentsMargins(0, 0, 0, 0);
    auto* head = new QHBoxLayout;
    m_title = plainLabel(right, "queueTitle");
    QFont big = m_title->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.25);
    m_title->setFont(big);
    m_pausedBadge = plainLabel(right, "pausedBadge");
    m_pausedBadge->setText(tr("paused"));
    m_pausedBadge->setStyleSheet(QStringLiteral(
        "QLabel { background: #d97706; color: white; border-radius: 4px; padding: 1px 8px; font-weight: bold; }"));
    m_pausedBadge->hide();
    m_subtitle = plainLabel(right, "queueSubtitle");
    m_subtitle->setStyleSheet(QStringLiteral("QLabel { color: #4b5563; }"));
    head->addWidget(m_title);
    head->addWidget(m_pausedBadge);
    head->addSpacing(8);
    head->addWidget(m_subtitle, 1);
    rl->addLayout(head);

    auto* queueActions = new QHBoxLayout;
    m_pauseQueue = button(right, tr("Pause queue"), "pauseQueue");
    m_retryAll = button(right, tr("Retry failed…"), "retryAllFailed");
    m_promoteAll = button(right, tr("Promote delayed…"), "promoteAllDelayed");
    m_clean = button(right, tr("Clean…"), "cleanQueue");
    m_removeAll = button(right, tr("Remove all…"), "removeAllInState");
    m_addJob = button(right, tr("Add job…"), "addJob");
    for (QPushButton* b : { m_pauseQueue, m_retryAll, m_promoteAll, m_clean, m_removeAll, m_addJob })
        queueActions->addWidget(b);
    queueActions->addStretch(1);
    rl->addLayout(queueActions);

    m_states = new QTabBar(right);
    m_states->setObjectName(QStringLiteral("stateTabs"));
    m_states->setExpanding(false);
    m_states->setDrawBase(true);
    m_states->setUsesScrollButtons(true);
    m_states->setStyleSheet(QStringLiteral("QTabBar::tab { padding: 4px 7px; }")); // eight states fit side by side
    rl->addWidget(m_states);

    auto* jobsSplit = new QSplitter(Qt::Vertical, right);
    jobsSplit->setChildrenCollapsible(false);
    auto* jobsBox = new QWidget(jobsSplit);
    auto* jl = new QVBoxLayout(jobsBox);
    jl->setContentsMargins(0, 0, 0, 0);
    m_jobView = new QTableView(jobsBox);
    m_jobView->setObjectName(QStringLiteral("jobTable"));
    m_jobView->setModel(m_jobs);
    m_jobView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_jobView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_jobView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_jobView->setAlternatingRowColors(true);
    m_jobView->setWordWrap(false);
    m_jobView->verticalHeader()->hide();
    m_jobView->verticalHeader()->setDefaultSectionSize(m_jobView->fontMetrics().height() + 8);
    m_jobView->horizontalHeader()->setHighlightSections(false);
    m_jobView->horizontalHeader()->setStretchLastSection(true);
    m_jobView->setItemDelegate(new TimeDelegate(m_jobView));
    jl->addWidget(m_jobView, 1);
    auto* jobActions = new QHBoxLayout;
    m_retrySelected = button(jobsBox, tr("Retry selected…"), "retrySelected");
    m_removeSelected = button(jobsBox, tr("Remove selected…"), "removeSelected");
    jobActions->addWidget(m_retrySelected);
    jobActions->addWidget(m_removeSelected);
    jobActions->addStretch(1);
    m_find = new QLineEdit(jobsBox);
    m_find->setObjectName(QStringLiteral("findJob"));
    m_find->setPlaceholderText(tr("Find job by id (Enter)"));
    m_find->setClearButtonEnabled(true);
    m_find->setMinimumWidth(160);
    jobActions->addWidget(m_find);
    jl->addLayout(jobActions);
    m_inspector = new JobInspector(jobsSplit);
    m_inspector->setObjectName(QStringLiteral("jobInspector"));
    jobsSplit->addWidget(jobsBox);
    jobsSplit->addWidget(m_inspector);
    jobsSplit->setStretchFactor(0, 1);
    jobsSplit->setStretchFactor(1, 1);
    rl->addWidget(jobsSplit, 1);

    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({ 540, 740 }); // a ratio until the page gets its real width
    layout->addWidget(splitter, 1);

    auto* bottom = new QHBoxLayout;
    m_status = plainLabel(this, "queuesStatus");
    m_status->setWordWrap(true);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("actionProgress"));
    m_progress->setMaximumWidth(260);
    m_progress->hide();
    m_cancel = button(this, tr("Cancel"), "cancelAction");
    m_cancel->setToolTip(tr("Stop after the batch in flight"));
    m_cancel->hide();
    bottom->addWidget(m_status, 1);
    bottom->addWidget(m_progress);
    bottom->addWidget(m_cancel);
    layout->addLayout(bottom);

    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_proxy->setFilterFixedString(text);
        updateTotals();
    });
    connect(m_interval, &QComboBox::currentIndexChanged, this, [this] {
        m_timer->stop();
        scheduleRefresh();
    });
    connect(m_pauseRefresh, &QCheckBox::toggled, this, [this] {
        m_timer->stop();
        scheduleRefresh();
    });
    connect(m_refresh, &QPushButton::clicked, this, &QueuesPage::refreshNow);
    connect(m_queueView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &QueuesPage::onCurrentQueueChanged);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &QueuesPage::updateTotals);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &QueuesPage::updateTotals);
    connect(m_states, &QTabBar::currentChanged, this, &QueuesPage::onStateTabChanged);
    connect(m_find, &QLineEdit::returnPressed, this, &QueuesPage::findJob);
    connect(m_pauseQueue, &QPushButton::clicked, this, &QueuesPage::togglePause);
    connect(m_clean, &QPushButton::clicked, this, &QueuesPage::cleanQueue);
    connect(m_retryAll, &QPushButton::clicked, this, &QueuesPage::retryAllFailed);
    connect(m_promoteAll, &QPushButton::clicked, this, &QueuesPage::promoteAllDelayed);
    connect(m_removeAll, &QPushButton::clicked, this, &QueuesPage::removeAllInState);
    connect(m_addJob, &QPushButton::clicked, this, &QueuesPage::addJob);
    connect(m_removeSelected, &QPushButton::clicked, this, &QueuesPage::removeSelected);
    connect(m_retrySelected, &QPushButton::clicked, this, &QueuesPage::retrySelected);
    connect(m_cancel, &QPushButton::clicked, this, &QueuesPage::cancelAction);
    connect(m_inspector, &JobInspector::jobChanged, this, &QueuesPage::refreshNow);
    connect(m_inspector, &JobInspector::openJobRequested, this, &QueuesPage::openJob);
}

void QueuesPage::createActions()
{
    const auto add = [this](const QString& text, const QKeySequence& keys, const char* name, auto slot) {
        auto* a = new QAction(text, this);
        a->setObjectName(QLatin1String(name));
        a->setShortcut(keys);
        // Scoped to this page: the same keys mean something else on the other tabs.
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(a, &QAction::triggered, this, slot);
        addAction(a);
        return a;
    };
    m_findAction = add(tr("Find queue"), QKeySequence::Find, "findAction", [this] {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });
    m_copyAction = add(tr("Copy job as JSON"), QKeySequence::Copy, "copyJobAction", &QueuesPage::copySelectedJob);
    m_deleteAction
        = add(tr("Remove selected jobs"), QKeySequence::Delete, "removeJobsAction", &QueuesPage::removeSelected);
    m_retryAction = add(
        tr("Retry selected jobs"), QKeySequence(Qt::CTRL | Qt::Key_R), "retryJobsAction", &QueuesPage::retrySelected);
}

void QueuesPage::setClient(RedisClient* client)
{
    if (m_client)
        disconnect(m_client, nullptr, this, nullptr);
    if (m_runner) {
        // The runner holds the client only weakly; its result is for a connection that is gone.
        disconnect(m_runner, nullptr, this, nullptr);
        m_runner->cancel();
        m_runner->deleteLater();
        m_runner = nullptr;
    }
    if (m_confirm)
        m_confirm->close();
    m_timer->stop();
    m_client = client;

    // The models hold their client for life: a new connection gets new models.
    auto* queues = new QueueListModel(client, this);
    auto* jobs = new JobListModel(client, this);
    m_proxy->setSourceModel(queues);
    QItemSelectionModel* oldSelection = m_jobView->selectionModel();
    m_jobView->setModel(jobs); // a new selection model, and new header sections
    delete oldSelection;
    m_jobView->setColumnWidth(JobListModel::Id, 60);
    m_jobView->setColumnWidth(JobListModel::Name, 120);
    for (int c : { JobListModel::Created, JobListModel::Processed, JobListModel::Finished })
        m_jobView->setColumnWidth(c, 140);
    for (int c : { JobListModel::Attempts, JobListModel::Progress, JobListModel::DataSize })
        m_jobView->setColumnWidth(c, 64);
    delete m_queues;
    delete m_jobs;
    m_queues = queues;
    m_jobs = jobs;
    connect(m_queues, &QueueListModel::refreshed, this, &QueuesPage::onQueuesRefreshed);
    connect(m_queues, &QueueListModel::failed, this, &QueuesPage::onQueuesFailed);
    connect(m_queues, &QueueListModel::dataChanged, this, &QueuesPage::updateTotals);
    connect(m_jobs, &JobListModel::failed, this,
        [this](const QString& message) { showError(tr("Could not read the jobs: %1").arg(message), true); });
    for (auto signal : { &JobListModel::pageLoaded, &JobListModel::refreshed }) {
        connect(m_jobs, signal, this, [this] {
            selectJobRow();
            updateActions();
        });
    }
    connect(
        m_jobView->selectionModel(), &QItemSelectionModel::selectionChanged, this, &QueuesPage::onJobSelectionChanged);
    connect(
        m_jobView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &QueuesPage::onJobSelectionChanged);

    m_inspector->setClient(client);
    m_current = {};
    m_shownSnapshot = {};
    m_pendingJob.reset();
    m_lastRefresh = {};
    m_refreshWhenShown = false;
    m_stale = false;
    m_error->hide();
    m_progress->hide();
    m_cancel->hide();
    m_status->setText(client ? tr("Reading queues…") : tr("Not connected"));
    m_statusShowsAction = false;
    updateHeader();
    updateStateTabs(true);
    updateTotals();
    updateStale();
    updateActions();
    if (!client)
        return;
    connect(client, &RedisClient::stateChanged, this, [this](ConnectionState state) {
        if (state == ConnectionState::Ready) {
            // Back (or first up): read at once rather than at the next tick.
            if (m_lastRefresh.isValid())
                refreshNow();
        } else if (m_lastRefresh.isValid()) {
            m_stale = true;
        }
        updateStale();
    });
    m_queues->refresh();
}

void QueuesPage::setRefreshInterval(int ms)
{
    int index = m_interval->findData(ms);
    if (index < 0) {
        m_interval->addItem(tr("Refresh: %1 ms").arg(ms), ms);
        index = m_interval->count() - 1;
    }
    m_interval->setCurrentIndex(index);
}

int QueuesPage::refreshInterval() const
{
    return m_interval->currentData().toInt();
}

void QueuesPage::scheduleRefresh()
{
    const int ms = refreshInterval();
    if (!m_client || ms <= 0 || m_pauseRefresh->isChecked() || m_queues->isRefreshing() || m_timer->isActive())
        return;
    m_timer->start(ms);
}

void QueuesPage::refreshTick()
{
    if (!m_client)
        return;
    if (!isVisible()) {
        // Discovery SCANs the keyspace: not for a tab nobody looks at. Showing it refreshes.
        m_refreshWhenShown = true;
        return;
    }
    // One refresh in flight: the answer (or the request timeout) re-arms the timer. A tick reads
    // only what changed (QueueListModel::tick); F5 and actions rediscover (refreshNow).
    m_queues->tick();
}

void QueuesPage::showEvent(QShowEvent* event)
{
    ClientPage::showEvent(event);
    if (m_refreshWhenShown) {
        m_refreshWhenShown = false;
        refreshNow();
    }
}

void QueuesPage::refreshNow()
{
    if (!m_client)
        return;
    m_timer->stop();
    m_queues->refresh();
    if (!m_jobs->isBusy())
        m_jobs->refresh();
    m_inspector->refresh();
}

void QueuesPage::onQueuesRefreshed()
{
    m_lastRefresh = QDateTime::currentDateTime();
    m_stale = false;
    if (m_errorFromRefresh)
        m_error->hide();
    if (m_queues->lastRefreshKind() == QueueListModel::RefreshKind::Unchanged) {
        // Nothing was written on the server since the last read: the rows, the jobs and the
        // header are still exact; only the timer needs re-arming.
        updateStale();
        scheduleRefresh();
        Q_EMIT refreshed();
        return;
    }
    const int row = m_current.name.isEmpty() ? -1 : m_queues->rowOf(m_current);
    if (row >= 0) {
        const QueueSnapshot& fresh = m_queues->snapshot(row);
        const bool rebuild = fresh.generation != m_shownSnapshot.generation || fresh.library != m_shownSnapshot.library;
        m_shownSnapshot = fresh;
        updateHeader();
        updateStateTabs(rebuild);
        if (!rebuild && !m_jobs->isBusy())
            m_jobs->refresh();
    } else if (!m_current.name.isEmpty()) {
        // The queue is gone (obliterated): nothing to show for it any more.
        m_current = {};
        m_shownSnapshot = {};
        m_inspector->clear();
        updateHeader();
        updateStateTabs(true);
    }
    selectPending();
    if (m_current.name.isEmpty() && m_pending.name.isEmpty() && m_proxy->rowCount() > 0)
        m_queueView->setCurrentIndex(m_proxy->index(0, QueueListModel::Name));
    // The status line keeps the outcome of the last action; the totals count the queues.
    if (!m_runner && !m_statusShowsAction)
        m_status->setText(m_queues->rowCount() == 0 ? tr("No BullMQ or Bull queues on this server") : QString());
    updateTotals();
    updateStale();
    updateActions();
    scheduleRefresh();
    Q_EMIT refreshed();
}

void QueuesPage::onQueuesFailed(const QString& message)
{
    // The model keeps its rows: the last data stays on screen, marked stale.
    m_stale = m_lastRefresh.isValid();
    showError(tr("Could not read the queues: %1").arg(message), true);
    updateStale();
    scheduleRefresh();
}

void QueuesPage::updateStale()
{
    const bool stale = m_client && m_lastRefresh.isValid() && (m_stale || m_client->state() != ConnectionState::Ready);
    m_stale = stale;
    if (stale) {
        m_staleLabel->setText(tr("stale — last refreshed %1").arg(m_lastRefresh.toString(QStringLiteral("HH:mm:ss"))));
        m_staleLabel->show();
    } else {
        m_staleLabel->hide();
    }
}

void QueuesPage::showQueue(const QueueRef& ref)
{
    for (QWidget* w = parentWidget(); w; w = w->parentWidget()) {
        if (auto* tabs = qobject_cast<QTabWidget*>(w)) {
            tabs->setCurrentWidget(this);
            break;
        }
    }
    m_pending = ref;
    m_pendingState.clear();
    selectPending();
}

void QueuesPage::showQueue(const QueueRef& ref, const QString& state)
{
    showQueue(ref);
    if (m_pending.name.isEmpty() && ref == m_current) {
        m_selectFirstJob = selectState(state);
        selectJobRow();
    } else {
        m_pendingState = state;
    }
}

void QueuesPage::selectPending()
{
    if (!m_pending.name.isEmpty()) {
        const int row = m_queues->rowOf(m_pending);
        if (row < 0)
            return; // not listed yet: the next refresh tries again
        if (!m_filter->text().isEmpty())
            m_filter->clear(); // a filtered-out queue cannot be selected
        const QModelIndex proxy = m_proxy->mapFromSource(m_queues->index(row, QueueListModel::Name));
        m_pending = {};
        m_queueView->setCurrentIndex(proxy);
        m_queueView->scrollTo(proxy);
        if (!m_pendingState.isEmpty()) {
            m_selectFirstJob = selectState(m_pendingState);
            m_pendingState.clear();
            selectJobRow();
        }
    }
    if (!m_pendingJob || m_pendingJob->first != m_current || m_pendingRequested || !m_client)
        return;
    // Where is it? Its state picks the tab; the inspector then reads it for itself.
    m_pendingRequested = true;
    const quint64 gen = ++m_findGeneration;
    const QByteArray id = m_pendingJob->second;
    bullmq::DetailOptions small;
    small.logLimit = 1;
    small.childLimit = 1;
    bullmq::whenReady(this, bullmq::fetchJobDetail(m_client, m_shownSnapshot, id, small),
        [this, gen, id](const bullmq::JobDetail& d) {
            if (gen != m_findGeneration || !m_pendingJob || m_pendingJob->first != m_current)
                return; // superseded, or another queue is shown now
            m_pendingJob.reset();
            if (!d.error.isEmpty()) {
                showError(tr("Could not read job %1: %2").arg(keys::displayBytes(id), d.error));
                return;
            }
            if (!d.exists) {
                showError(tr("There is no job %1 in %2.").arg(keys::displayBytes(id), m_current.displayName()));
                return;
            }
            m_error->hide();
            m_keepInspector = true; // the tab switch must not clear the job we are about to show
            selectState(d.state);
            m_keepInspector = false;
            if (m_inspector->jobId() != id)
                m_inspector->showJob(m_shownSnapshot, id);
            m_selectJob = id;
            selectJobRow();
        });
}

void QueuesPage::selectJobRow()
{
    if (m_selectFirstJob && m_jobs->rowCount() > 0) {
        m_selectFirstJob = false;
        m_jobView->setCurrentIndex(m_jobs->index(0, JobListModel::Id));
        return;
    }
    if (m_selectJob.isEmpty())
        return;
    const int rows = m_jobs->rowCount();
    for (int r = 0; r < rows; ++r) {
        if (m_jobs->job(r).id == m_selectJob) {
            m_selectJob.clear();
            const QModelIndex index = m_jobs->index(r, JobListModel::Id);
            m_jobView->setCurrentIndex(index);
            m_jobView->scrollTo(index);
            return;
        }
    }
    // Not in the loaded pages (yet): the inspector shows it anyway; a later page may select it.
}

void QueuesPage::openJob(const QueueRef& ref, const QByteArray& id)
{
    if (id.isEmpty())
        return;
    m_pendingJob = std::make_pair(ref, id);
    m_pendingRequested = false;
    if (ref == m_current)
        selectPending();
    else
        showQueue(ref);
}

void QueuesPage::findJob()
{
    const QByteArray id = m_find->text().trimmed().toUtf8();
    if (id.isEmpty() || m_current.name.isEmpty())
        return;
    m_error->hide();
    m_pendingJob = std::make_pair(m_current, id);
    m_pendingRequested = false;
    selectPending();
}

const QueueSnapshot* QueuesPage::currentSnapshot() const
{
    return m_current.name.isEmpty() ? nullptr : &m_shownSnapshot;
}

void QueuesPage::onCurrentQueueChanged()
{
    const QModelIndex index = m_queueView->currentIndex();
    QueueRef ref;
    if (index.isValid()) {
        ref.name = index.data(QueueListModel::QueueNameRole).toByteArray();
        ref.prefix = index.data(QueueListModel::QueuePrefixRole).toByteArray();
    }
    if (ref == m_current)
        return;
    const int row = ref.name.isEmpty() ? -1 : m_queues->rowOf(ref);
    m_current = row < 0 ? QueueRef {} : ref;
    m_shownSnapshot = row < 0 ? QueueSnapshot {} : m_queues->snapshot(row);
    m_inspector->clear();
    m_selectJob.clear();
    updateHeader();
    updateStateTabs(true);
    selectPending();
    updateActions();
}

qint64 QueuesPage::stateCount(const QueueSnapshot& s, const QString& state) const
{
    const qint64 n = s.count(state);
    // BullMQ before 6 lists the paused list under "waiting" too (getJobs(['waiting'])).
    if (state == QLatin1String("waiting")
        && (s.generation == Generation::V4 || s.generation == Generation::V5 || s.generation == Generation::Unknown))
        return std::max<qint64>(0, n) + std::max<qint64>(0, s.count(QStringLiteral("paused")));
    return n;
}

void QueuesPage::updateStateTabs(bool rebuild)
{
    const QString previous = currentState();
    const QStringList states
        = m_current.name.isEmpty() ? QStringList() : bullmq::listableStates(m_shownSnapshot.generation);
    m_updatingTabs = true;
    if (rebuild || m_states->count() != states.size()) {
        while (m_states->count() > 0)
            m_states->removeTab(m_states->count() - 1);
        for (const QString& s : states) {
            const int i = m_states->addTab(QString());
            m_states->setTabData(i, s);
        }
    }
    for (int i = 0; i < m_states->count(); ++i) {
        const QString s = m_states->tabData(i).toString();
        const qint64 n = stateCount(m_shownSnapshot, s);
        m_states->setTabText(i, n < 0 ? stateTitle(s) : tr("%1 (%2)").arg(stateTitle(s)).arg(n));
        m_states->setTabTextColor(i, s == QLatin1String("failed") && n > 0 ? QColor(0xdc, 0x26, 0x26) : QColor());
    }
    m_updatingTabs = false;
    if (!rebuild)
        return;
    int select = -1;
    for (int i = 0; i < m_states->count(); ++i) {
        if (m_states->tabData(i).toString() == previous)
            select = i;
    }
    if (select < 0 && m_states->count() > 0)
        select = 0;
    m_updatingTabs = true;
    m_states->setCurrentIndex(select);
    m_updatingTabs = false;
    onStateTabChanged();
}

QString QueuesPage::currentState() const
{
    return m_states->currentIndex() < 0 ? QString() : m_states->tabData(m_states->currentIndex()).toString();
}

bool QueuesPage::selectState(const QString& state)
{
    for (int i = 0; i < m_states->count(); ++i) {
        if (m_states->tabData(i).toString() == state) {
            m_states->setCurrentIndex(i); // currentChanged → onStateTabChanged (if it changed)
            return true;
        }
    }
    return false;
}

void QueuesPage::onStateTabChanged()
{
    if (m_updatingTabs)
        return;
    const QString state = currentState();
    m_jobs->setSource(m_shownSnapshot, state);
    m_jobView->setColumnHidden(JobListModel::Reason, state != QLatin1String("failed"));
    m_jobView->setColumnHidden(
        JobListModel::Finished, state != QLatin1String("failed") && state != QLatin1String("completed"));
    if (!m_keepInspector) {
        m_inspector->clear();
        m_selectJob.clear();
        m_selectFirstJob = false;
    }
    if (m_jobs->canFetchMore())
        m_jobs->fetchMore();
    updateActions();
}

void QueuesPage::onJobSelectionChanged()
{
    const QModelIndex current = m_jobView->currentIndex();
    const bool selected = current.isValid() && m_jobView->selectionModel()->isRowSelected(current.row(), {});
    if (selected) {
        const QByteArray id
            = m_jobs->data(m_jobs->index(current.row(), JobListModel::Id), JobListModel::JobIdRole).toByteArray();
        if (!id.isEmpty() && id != m_inspector->jobId())
            m_inspector->showJob(m_shownSnapshot, id);
    }
    updateActions();
}

QList<QByteArray> QueuesPage::selectedJobIds() const
{
    QList<int> rows;
    for (const QModelIndex& i : m_jobView->selectionModel()->selectedRows(JobListModel::Id))
        rows.append(i.row());
    std::sort(rows.begin(), rows.end());
    QList<QByteArray> ids;
    for (int r : std::as_const(rows))
        ids.append(m_jobs->job(r).id);
    return ids;
}

void QueuesPage::updateHeader()
{
    const QueueSnapshot* s = currentSnapshot();
    if (!s) {
        m_title->setText(m_client ? tr("No queue selected") : tr("Not connected"));
        m_subtitle->clear();
        m_pausedBadge->hide();
        return;
    }
    m_title->setText(QString::fromUtf8(s->ref.name));
    QString sub = tr("prefix %1 · %2").arg(QString::fromUtf8(s->ref.prefix), libraryText(*s));
    if (!s->version.isEmpty())
        sub += tr(" (meta version %1)").arg(QString::fromUtf8(s->version));
    m_subtitle->setText(sub);
    m_subtitle->setToolTip(s->evidence.toHtmlEscaped());
    m_pausedBadge->setVisible(s->paused);
}

void QueuesPage::updateTotals()
{
    static const std::pair<int, const char*> columns[] = { { QueueListModel::Waiting, "waiting" },
        { QueueListModel::Active, "active" }, { QueueListModel::Prioritized, "prioritized" },
        { QueueListModel::Delayed, "delayed" }, { QueueListModel::WaitingChildren, "waiting-children" },
        { QueueListModel::Completed, "completed" }, { QueueListModel::Failed, "failed" } };
    const int rows = m_proxy->rowCount();
    QStringList parts;
    parts << (rows == m_queues->rowCount() ? tr("%n queue(s)", nullptr, rows)
                                           : tr("%1 of %n queue(s)", nullptr, m_queues->rowCount()).arg(rows));
    for (const auto& [column, name] : columns) {
        qint64 sum = 0;
        for (int r = 0; r < rows; ++r)
            sum += std::max<qint64>(0, m_proxy->index(r, column).data(QueueListModel::SortRole).toLongLong());
        parts << tr("%1 %2").arg(sum).arg(QLatin1String(name));
    }
    m_totals->setText(tr("Total: %1").arg(parts.join(QStringLiteral(" · "))));
}

void QueuesPage::addJob()
{
    const QueueSnapshot* s = currentSnapshot();
    if (!s || !m_addJob->isEnabled())
        return;
    auto* dialog = new AddJobDialog(m_client, *s, this); // deletes itself when closed
    const QueueRef ref = s->ref;
    connect(dialog, &AddJobDialog::jobAdded, this, [this, ref](const QByteArray& id) {
        refreshNow();
        openJob(ref, id);
    });
    dialog->show();
}

QString QueuesPage::readOnlyReason() const
{
    if (!m_client)
        return tr("Not connected");
    if (m_client->isReadOnly())
        return tr("Read-only connection: queues and jobs cannot be changed");
    return {};
}

void QueuesPage::updateActions()
{
    const QueueSnapshot* s = currentSnapshot();
    const QString readOnly = readOnlyReason();
    const QString busy = m_runner ? tr("Another action is running") : QString();
    const QString state = currentState();
    const QList<QByteArray> selected = selectedJobIds();
    const auto set = [&](QPushButton* b, const QString& blocker, const QString& help) {
        QString why = !readOnly.isEmpty() ? readOnly : !busy.isEmpty() ? busy : !s ? tr("Select a queue") : blocker;
        b->setEnabled(why.isEmpty());
        b->setToolTip(why.isEmpty() ? help : why);
    };
    const qint64 failed = s ? std::max<qint64>(0, s->count(QStringLiteral("failed"))) : 0;
    const qint64 delayed = s ? std::max<qint64>(0, s->count(QStringLiteral("delayed"))) : 0;
    const qint64 inState = s && !state.isEmpty() ? std::max<qint64>(0, stateCount(*s, state)) : 0;
    m_pauseQueue->setText(s && s->paused ? tr("Resume queue") : tr("Pause queue"));
    set(m_pauseQueue, {}, s && s->paused ? tr("Workers take jobs again") : tr("Workers stop taking new jobs"));
    set(m_retryAll, failed > 0 ? QString() : tr("No failed jobs"), tr("Move every failed job back to waiting"));
    set(m_promoteAll, delayed > 0 ? QString() : tr("No delayed jobs"), tr("Run every delayed job now"));
    set(m_clean, {}, tr("Remove jobs of a state older than a grace period"));
    m_removeAll->setText(state.isEmpty() ? tr("Remove all…") : tr("Remove all %1…").arg(state));
    set(m_removeAll, inState > 0 ? QString() : tr("No jobs in this state"), tr("Remove every job of this state"));
    set(m_addJob, {}, tr("Add a job to this queue, as queue.add() does"));
    set(m_removeSelected, selected.isEmpty() ? tr("Select jobs in the table") : QString(),
        tr("Remove the selected jobs (Delete)"));
    const bool retryable
        = state == QLatin1String("failed") || (state == QLatin1String("completed") && s && s->library != Library::Bull);
    set(m_retrySelected,
        selected.isEmpty() ? tr("Select jobs in the table")
            : !retryable   ? tr("Only failed or completed jobs can be retried")
                           : QString(),
        tr("Retry the selected jobs (Ctrl+R)"));
    m_deleteAction->setEnabled(m_removeSelected->isEnabled());
    m_retryAction->setEnabled(m_retrySelected->isEnabled());
    m_find->setEnabled(s != nullptr);
    m_refresh->setEnabled(m_client != nullptr);
}

void QueuesPage::showError(const QString& message, bool fromRefresh)
{
    m_error->setText(message);
    m_errorFromRefresh = fromRefresh; // the next successful refresh takes it away
    m_error->show();
}

void QueuesPage::setStatus(const QString& text)
{
    m_statusShowsAction = true;
    m_status->setText(text);
}

QString QueuesPage::statusText() const
{
    return m_status->text();
}

QString QueuesPage::errorText() const
{
    return m_error->isVisible() ? m_error->text() : QString();
}

void QueuesPage::copySelectedJob()
{
    const QString json = m_inspector->jobJson();
    if (json.isEmpty()) {
        setStatus(tr("No job to copy: select one"));
        return;
    }
    QApplication::clipboard()->setText(json);
    setStatus(tr("Copied job %1 as JSON").arg(keys::displayBytes(m_inspector->jobId())));
}

// --- actions ---------------------------------------------------------------------------------

void QueuesPage::togglePause()
{
    const QueueSnapshot* s = currentSnapshot();
    if (!s || !m_pauseQueue->isEnabled())
        return;
    ActionRequest r;
    r.kind = s->paused ? ActionKind::Resume : ActionKind::Pause;
    const qint64 waiting = std::max<qint64>(0, stateCount(*s, QStringLiteral("waiting")));
    confirmAndRun(s->paused ? tr("Resume queue") : tr("Pause queue"),
        s->paused
            ? tr("Resume %1? Workers take its %n waiting job(s) again.", nullptr, int(waiting))
                  .arg(s->ref.displayName())
            : tr("Pause %1? Workers stop taking its %n waiting job(s); active jobs finish.", nullptr, int(waiting))
                  .arg(s->ref.displayName()),
        r, 0);
}

void QueuesPage::retryAllFailed()
{
    const QueueSnapshot* s = currentSnapshot();
    if (!s || !m_retryAll->isEnabled())
        return;
    const qint64 n = std::max<qint64>(0, s->count(QStringLiteral("failed")));
    ActionRequest r;
    r.kind = ActionKind::Retry;
    r.state = "failed";
    r.all = true;
    confirmAndRun(tr("Retry failed jobs"),
        tr("Retry all %n failed job(s) of %1? They move back to waiting and workers run them again.", nullptr, int(n))
            .arg(s->ref.displayName()),
        r, n);
}

void QueuesPage::promoteAllDelayed()
{
    const QueueSnapshot* s = currentSnapshot();
    if (!s || !m_promoteAll->isEnabled())
        return;
    const qint64 n = std::max<qint64>(0, s->count(QStringLiteral("delayed")));
    ActionRequest r;
    r.kind = ActionKind::Promote;
    r.all = true;
    confirmAndRun(tr("Promote delayed jobs"),
        tr("Promote all %n delayed job(s) of %1? They move to waiting now.", nullptr, int(n)).arg(s->ref.displayName()),
        r, n);
}

void QueuesPage::removeAllInState()
{
    const QueueSnapshot* s = currentSnapshot();
    const QString state = currentState();
    if (!s || state.isEmpty() || !m_removeAll->isEnabled())
        return;
    const qint64 n = std::max<qint64>(0, stateCount(*s, state));
    ActionRequest r;
    r.kind = ActionKind::Remove;
    r.state = actionState(state);
    r.all = true;
    confirmAndRun(tr("Remove jobs"),
        tr("Remove all %n %1 job(s) of %2, with their logs and children? Jobs locked by a worker are skipped. "
           "This cannot be undone.",
            nullptr, int(n))
            .arg(state, s->ref.displayName()),
        r, n);
}

void QueuesPage::removeSelected()
{
    const QueueSnapshot* s = currentSnapshot();
    const QList<QByteArray> ids = selectedJobIds();
    if (!s || ids.isEmpty() || !m_removeSelected->isEnabled())
        return;
    ActionRequest r;
    r.kind = ActionKind::Remove;
    r.state = actionState(currentState());
    r.ids = ids;
    confirmAndRun(tr("Remove jobs"),
        tr("Remove %n selected job(s) of %1 (%2), with their logs and children? This cannot be undone.", nullptr,
            int(ids.size()))
            .arg(s->ref.displayName(),
                ids.size() == 1 ? tr("job %1").arg(keys::displayBytes(ids.first())) : currentState()),
        r, ids.size());
}

void QueuesPage::retrySelected()
{
    const QueueSnapshot* s = currentSnapshot();
    const QList<QByteArray> ids = selectedJobIds();
    if (!s || ids.isEmpty() || !m_retrySelected->isEnabled())
        return;
    ActionRequest r;
    r.kind = ActionKind::Retry;
    r.state = currentState().toUtf8();
    r.ids = ids;
    confirmAndRun(tr("Retry jobs"),
        tr("Retry %n selected %1 job(s) of %2 (%3)? They move back to waiting.", nullptr, int(ids.size()))
            .arg(currentState(), s->ref.displayName(),
                ids.size() == 1 ? tr("job %1").arg(keys::displayBytes(ids.first())) : tr("%1 jobs").arg(ids.size())),
        r, ids.size());
}

void QueuesPage::cleanQueue()
{
    const QueueSnapshot* s = currentSnapshot();
    if (!s || !m_clean->isEnabled())
        return;
    auto* dialog = new QDialog(this);
    dialog->setObjectName(QStringLiteral("cleanDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Clean %1").arg(s->ref.displayName()));
    auto* form = new QFormLayout(dialog);
    auto* state = new QComboBox(dialog);
    state->setObjectName(QStringLiteral("cleanState"));
    const QStringList states = s->library == Library::Bull
        ? QStringList { QStringLiteral("completed"), QStringLiteral("failed"), QStringLiteral("delayed"),
              QStringLiteral("waiting"), QStringLiteral("paused"), QStringLiteral("active") }
        : QStringList { QStringLiteral("completed"), QStringLiteral("failed"), QStringLiteral("delayed"),
              QStringLiteral("prioritized"), QStringLiteral("waiting"), QStringLiteral("paused"),
              QStringLiteral("active") };
    for (const QString& st : states) {
        const qint64 n = stateCount(*s, st);
        if (n >= 0)
            state->addItem(tr("%1 (%2)").arg(stateTitle(st)).arg(n), st);
    }
    state->setCurrentIndex(std::max(0, state->findData(currentState())));
    auto* grace = new QSpinBox(dialog);
    grace->setObjectName(QStringLiteral("cleanGrace"));
    grace->setRange(0, 365 * 24 * 3600);
    grace->setValue(3600);
    grace->setSuffix(tr(" s"));
    grace->setToolTip(tr("Only jobs older than this (by finish time, else creation time)"));
    auto* limit = new QSpinBox(dialog);
    limit->setObjectName(QStringLiteral("cleanLimit"));
    limit->setRange(0, 100000000);
    limit->setSpecialValueText(tr("no limit"));
    form->addRow(tr("State"), state);
    form->addRow(tr("Older than"), grace);
    form->addRow(tr("At most"), limit);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Clean…"));
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    const QueueRef ref = s->ref;
    connect(dialog, &QDialog::accepted, this, [this, ref, state, grace, limit] {
        const QueueSnapshot* now = currentSnapshot();
        if (!now || now->ref != ref)
            return; // another queue is shown now
        const QString st = state->currentData().toString();
        ActionRequest r;
        r.kind = ActionKind::Clean;
        r.state = actionState(st);
        r.graceMs = qint64(grace->value()) * 1000;
        r.limit = limit->value();
        qint64 n = std::max<qint64>(0, stateCount(*now, st));
        if (r.limit > 0)
            n = std::min(n, r.limit);
        confirmAndRun(tr("Clean queue"),
            tr("Remove up to %n %1 job(s) of %2 older than %3 s? This cannot be undone.", nullptr, int(n))
                .arg(st, now->ref.displayName())
                .arg(grace->value()),
            r, n);
    });
    dialog->open();
}

void QueuesPage::confirmAndRun(
    const QString& title, const QString& question, const ActionRequest& request, qint64 expected)
{
    const QueueSnapshot* s = currentSnapshot();
    if (!s || m_runner || !readOnlyReason().isEmpty())
        return;
    if (m_confirm)
        m_confirm->close();
    auto* box = new QMessageBox(QMessageBox::Question, title, question, QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("confirmQueueAction"));
    box->setTextFormat(Qt::PlainText); // queue names and ids come from Redis
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setDefaultButton(QMessageBox::Cancel);
    const QueueSnapshot queue = *s;
    connect(box->button(QMessageBox::Yes), &QAbstractButton::clicked, this, [this, queue, request, expected] {
        if (queue.ref != m_current || !m_client)
            return; // another queue (or connection) meanwhile
        run(m_shownSnapshot, request, expected);
    });
    m_confirm = box;
    box->open();
}

void QueuesPage::run(const QueueSnapshot& queue, const ActionRequest& request, qint64 expected)
{
    if (m_runner || !m_client || !readOnlyReason().isEmpty())
        return;
    auto* runner = new bullmq::ActionRunner(m_client, queue, request, this);
    const QString why = runner->unsupportedReason();
    if (!why.isEmpty()) {
        delete runner;
        showError(tr("Cannot %1 on %2: %3").arg(bullmq::toString(request.kind), queue.ref.displayName(), why));
        return;
    }
    m_runner = runner;
    m_actionExpected = expected;
    m_actionLabel = tr("%1 on %2").arg(bullmq::toString(request.kind), queue.ref.displayName());
    m_error->hide();
    m_progress->setRange(0, expected > 0 ? int(std::min<qint64>(expected, INT_MAX)) : 0);
    m_progress->setValue(0);
    m_progress->setFormat(tr("%v of %m"));
    m_progress->show();
    m_cancel->setEnabled(true);
    m_cancel->show();
    setStatus(tr("%1…").arg(m_actionLabel));
    connect(runner, &bullmq::ActionRunner::progress, this, [this](qsizetype done, qsizetype skipped) {
        if (m_progress->maximum() > 0)
            m_progress->setValue(int(std::min<qsizetype>(done + skipped, m_progress->maximum())));
        setStatus(tr("%1: %2 done, %3 skipped so far…").arg(m_actionLabel).arg(done).arg(skipped));
    });
    connect(runner, &bullmq::ActionRunner::finished, this, [this, runner](const ActionResult& result) {
        runner->deleteLater();
        m_runner = nullptr;
        actionDone(result);
    });
    updateActions();
    runner->start();
}

void QueuesPage::cancelAction()
{
    if (!m_runner)
        return;
    m_runner->cancel();
    m_cancel->setEnabled(false);
    setStatus(tr("%1: cancelling after the batch in flight…").arg(m_actionLabel));
}

void QueuesPage::actionDone(const ActionResult& result)
{
    m_progress->hide();
    m_cancel->hide();
    QString text = tr("%1: %2 done, %3 skipped").arg(m_actionLabel).arg(result.done.size()).arg(result.skipped.size());
    if (!result.skipped.isEmpty())
        text += tr(" (e.g. job %1: %2)")
                    .arg(keys::displayBytes(result.skipped.first().first), result.skipped.first().second);
    if (result.cancelled)
        text += tr(", cancelled");
    if (!result.error.isEmpty()) {
        text += tr(", error: %1").arg(result.error);
        showError(tr("%1 failed: %2").arg(m_actionLabel, result.error));
    }
    setStatus(text);
    updateActions();
    // The counts, the list and the shown job all changed.
    if (!m_jobView->selectionModel()->selectedRows().isEmpty() && result.error.isEmpty())
        m_jobView->clearSelection();
    refreshNow();
    Q_EMIT actionFinished(result);
}

} // namespace bullpen
