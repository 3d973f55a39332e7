// SPDX-License-Identifier: MIT
#pragma once

#include "bullmq/actions.h"
#include "bullmq/queueref.h"
#include "bullmq/queuesnapshot.h"
#include "clientpage.h"

#include <QDateTime>
#include <QPointer>

#include <optional>

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QMessageBox;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QTabBar;
class QTableView;
class QTimer;

namespace bullpen {

class JobInspector;
class RedisClient;
namespace bullmq {
    class JobListModel;
    class QueueListModel;
}

/// The queue dashboard: every queue with its counts on the left (filtered, sorted, totals), the
/// selected queue on the right with one tab per state its library has, the state's jobs (paged
/// lazily) and the job inspector. Queue and job actions run in batches (ActionRunner) after a
/// confirmation that states the number of jobs, with an inline progress bar and Cancel. The page
/// refreshes itself on a timer (re-armed only after the previous refresh answered), merging, so
/// selection and scroll survive; on a lost connection the last data stays and is marked stale.
class QueuesPage : public ClientPage
{
    Q_OBJECT
public:
    explicit QueuesPage(QWidget* parent = nullptr);
    ~QueuesPage() override;

    void setClient(RedisClient* client) override;
    /// F5: queues, jobs and the shown job, at once.
    void refreshNow() override;

    /// Auto-refresh interval in ms; 0 turns it off.
    void setRefreshInterval(int ms);
    int refreshInterval() const;

    bullmq::QueueListModel* queueModel() const { return m_queues; }
    bullmq::JobListModel* jobModel() const { return m_jobs; }
    QSortFilterProxyModel* queueProxy() const { return m_proxy; }
    QTableView* queueView() const { return m_queueView; }
    QTableView* jobView() const { return m_jobView; }
    QTabBar* stateTabs() const { return m_states; }
    JobInspector* inspector() const { return m_inspector; }
    /// The queue shown on the right (empty name: none).
    bullmq::QueueRef currentQueue() const { return m_current; }
    /// The state whose jobs are listed ("failed", …; empty: none).
    QString currentState() const;
    /// Selects a state tab by its name; false when the queue has no such state.
    bool selectState(const QString& state);
    QString statusText() const;
    QString errorText() const;
    bool isStale() const { return m_stale; }
    bool isActionRunning() const { return m_runner != nullptr; }
    /// A refresh came due while the page was hidden: it runs when the page is shown.
    bool isRefreshDeferred() const { return m_refreshWhenShown; }

public Q_SLOTS:
    /// Selects that queue now, or as soon as a refresh lists it.
    void showQueue(const bullpen::bullmq::QueueRef& ref);
    /// The same, on the tab of `state` with its first job opened (e.g. a failed list's key).
    void showQueue(const bullpen::bullmq::QueueRef& ref, const QString& state);
    /// Shows the job in the inspector, switching queue and state tab to where it is.
    void openJob(const bullpen::bullmq::QueueRef& ref, const QByteArray& id);

    // Queue actions (buttons call these); each asks for a confirmation first.
    void togglePause();
    void cleanQueue();
    void retryAllFailed();
    void promoteAllDelayed();
    void removeAllInState();
    /// Opens the Add job dialog for the shown queue (the new job opens when added).
    void addJob();
    // On the selected jobs of the table.
    void removeSelected();
    void retrySelected();
    void copySelectedJob();
    void cancelAction();

Q_SIGNALS:
    /// A refresh of the queue list arrived and is on screen.
    void refreshed();
    /// An action finished; its result is in the status line.
    void actionFinished(const bullpen::bullmq::ActionResult& result);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void buildLayout();
    void createActions();
    void scheduleRefresh();
    void refreshTick();
    void onQueuesRefreshed();
    void onQueuesFailed(const QString& message);
    void onCurrentQueueChanged();
    void onStateTabChanged();
    void onJobSelectionChanged();
    void updateHeader();
    void updateStateTabs(bool rebuild);
    void updateTotals();
    void updateActions();
    void updateStale();
    void selectPending();
    void selectJobRow();
    void findJob();
    void showError(const QString& message, bool fromRefresh = false);
    void setStatus(const QString& text);
    const bullmq::QueueSnapshot* currentSnapshot() const;
    QList<QByteArray> selectedJobIds() const;
    qint64 stateCount(const bullmq::QueueSnapshot& s, const QString& state) const;
    /// Asks `question` (the number of jobs stated), then runs `request` on the current queue.
    void confirmAndRun(
        const QString& title, const QString& question, const bullmq::ActionRequest& request, qint64 expected);
    void run(const bullmq::QueueSnapshot& queue, const bullmq::ActionRequest& request, qint64 expected);
    void actionDone(const bullmq::ActionResult& result);
    QString readOnlyReason() const;

    QPointer<RedisClient> m_client;
    bullmq::QueueListModel* m_queues = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    bullmq::JobListModel* m_jobs = nullptr;
    QTimer* m_timer = nullptr;
    QPointer<bullmq::ActionRunner> m_runner;
    QPointer<QMessageBox> m_confirm;
    bullmq::QueueRef m_current;
    bullmq::QueueSnapshot m_shownSnapshot; ///< the snapshot the job list and tabs were built for
    bullmq::QueueRef m_pending; ///< showQueue() before the queue was listed
    QString m_pendingState; ///< showQueue(ref, state): that tab, with its first job
    bool m_selectFirstJob = false;
    std::optional<std::pair<bullmq::QueueRef, QByteArray>> m_pendingJob; ///< openJob()/find: shown once its queue is
    bool m_pendingRequested = false; ///< m_pendingJob's state is being read
    QByteArray m_selectJob; ///< select this job's row once its page is loaded
    bool m_keepInspector = false;
    bool m_errorFromRefresh = false;
    bool m_statusShowsAction = false;
    bool m_refreshWhenShown = false; ///< a timer tick came while the page was hidden
    QDateTime m_lastRefresh;
    bool m_stale = false;
    bool m_updatingTabs = false;
    quint64 m_findGeneration = 0;
    QString m_actionLabel;
    qint64 m_actionExpected = 0;

    QLineEdit* m_filter = nullptr;
    QComboBox* m_interval = nullptr;
    QCheckBox* m_pauseRefresh = nullptr;
    QPushButton* m_refresh = nullptr;
    QLabel* m_staleLabel = nullptr;
    QLabel* m_error = nullptr;
    QTableView* m_queueView = nullptr;
    QLabel* m_totals = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_subtitle = nullptr;
    QLabel* m_pausedBadge = nullptr;
    QPushButton* m_pauseQueue = nullptr;
    QPushButton* m_clean = nullptr;
    QPushButton* m_retryAll = nullptr;
    QPushButton* m_promoteAll = nullptr;
    QPushButton* m_addJob = nullptr;
    QPushButton* m_removeAll = nullptr;
    QPushButton* m_removeSelected = nullptr;
    QPushButton* m_retrySelected = nullptr;
    QLineEdit* m_find = nullptr;
    QTabBar* m_states = nullptr;
    QTableView* m_jobView = nullptr;
    JobInspector* m_inspector = nullptr;
    QProgressBar* m_progress = nullptr;
    QPushButton* m_cancel = nullptr;
    QLabel* m_status = nullptr;
    QAction* m_findAction = nullptr;
    QAction* m_copyAction = nullptr;
    QAction* m_deleteAction = nullptr;
    QAction* m_retryAction = nullptr;
};

} // namespace bullpen
