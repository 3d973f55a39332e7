// SPDX-License-Identifier: MIT
#pragma once

#include "bullmq/actions.h"
#include "bullmq/queueref.h"
#include "bullmq/queuesnapshot.h"

#include <QByteArray>
#include <QJsonObject>
#include <QPointer>
#include <QWidget>

class QLabel;
class QListWidget;
class QMessageBox;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QTreeWidget;
class QTreeWidgetItem;

namespace bullpen {

class RedisClient;
class JsonTreeView;
namespace bullmq {
    class JobDetailModel;
    struct JobDetail;
}

/// Everything about one job, with the actions its state allows.
class JobInspector : public QWidget
{
    Q_OBJECT
public:
    /// Raw views show at most this many bytes of a value (with a note saying so).
    static constexpr qsizetype MaxRawBytes = 1024 * 1024;

    explicit JobInspector(QWidget* parent = nullptr);
    ~JobInspector() override;

    void setClient(RedisClient* client); ///< nullptr: forget the client and clear
    void showJob(const bullmq::QueueSnapshot& queue, const QByteArray& id); ///< loads lazily, async
    void clear();
    void refresh(); ///< re-read the shown job (merge, no reset)
    QByteArray jobId() const;
    QString jobJson() const; ///< the whole job as pretty JSON (for Ctrl+C)

    /// The job as last read (exists == false before the first read and for a vanished job).
    const bullmq::JobDetail& detail() const;
    /// Empty when the action may run on the shown job now, else why not (for tooltips).
    QString actionBlocker(bullmq::ActionKind kind) const;

public Q_SLOTS:
    void retryJob(); ///< confirm → ActionRunner (no-op with a status message if not allowed)
    void removeJob(); ///< confirm → ActionRunner
    void promoteJob(); ///< confirm → ActionRunner
    /// Opens an AddJobDialog pre-filled from the shown job (name, data, attempts, priority); on
    /// success emits openJobRequested(queue, new id) and jobChanged().
    void duplicateJob();

Q_SIGNALS:
    /// A parent or child link was clicked; the job may live in another queue of the same server.
    void openJobRequested(const bullpen::bullmq::QueueRef& queue, const QByteArray& id);
    /// An action on the shown job finished (successfully or not): the caller refreshes its lists.
    void jobChanged();
    /// A read of the job arrived and is on screen (also when the job no longer exists).
    void loaded();
    /// Reading the job failed (connection, permissions); the last good view stays.
    void failed(const QString& message);

private:
    void render();
    void renderHeader();
    void renderData(bool first);
    void renderFailure();
    void renderLogs();
    void renderTimings();
    void renderFlow();
    void updateButtons();
    void confirmAction(bullmq::ActionKind kind);
    void runAction(bullmq::ActionKind kind);
    void setStatus(const QString& text);
    void childClicked(QTreeWidgetItem* item);
    QString actionName(bullmq::ActionKind kind) const;

    QPointer<RedisClient> m_client;
    bullmq::QueueSnapshot m_queue;
    QByteArray m_id;
    bullmq::JobDetailModel* m_model = nullptr;
    QPointer<bullmq::ActionRunner> m_runner;
    QPointer<QMessageBox> m_confirm;
    quint64 m_generation = 0;
    QJsonObject m_job; ///< toJson(detail()) of the last read, computed once per read

    QLabel* m_header = nullptr;
    QLabel* m_badge = nullptr;
    QLabel* m_attempts = nullptr;
    QPushButton* m_retry = nullptr;
    QPushButton* m_remove = nullptr;
    QPushButton* m_promote = nullptr;
    QPushButton* m_duplicate = nullptr;
    QPushButton* m_copyJson = nullptr;
    QLabel* m_status = nullptr;
    QStackedWidget* m_stack = nullptr;
    QLabel* m_message = nullptr;
    QTabWidget* m_tabs = nullptr;
    QTabWidget* m_dataViews = nullptr;
    JsonTreeView* m_dataTree = nullptr;
    QPlainTextEdit* m_dataRaw = nullptr;
    QLabel* m_dataNote = nullptr;
    QPushButton* m_copyData = nullptr;
    JsonTreeView* m_opts = nullptr;
    JsonTreeView* m_progress = nullptr;
    JsonTreeView* m_returnValue = nullptr;
    QPlainTextEdit* m_failure = nullptr;
    QListWidget* m_logs = nullptr;
    QLabel* m_logNote = nullptr;
    QLabel* m_timings = nullptr;
    QTreeWidget* m_flow = nullptr;
    JsonTreeView* m_all = nullptr;
};

} // namespace bullpen
