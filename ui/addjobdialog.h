// SPDX-License-Identifier: MIT
#pragma once

#include "bullmq/actions.h"
#include "bullmq/queuesnapshot.h"

#include <QDialog>
#include <QPointer>

class QCheckBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QSpinBox;
class QTimer;

namespace bullpen {

class RedisClient;
namespace bullmq {
    struct JobDetail;
}

/// Adds one job to a queue as the library's queue.add(name, data, {delay, priority, attempts})
/// does, through ActionRunner(ActionKind::Add) on the client itself. Non-modal and deletes itself
/// on close, so a caller only needs `(new AddJobDialog(client, queue, this))->show()`. On success
/// it emits jobAdded(id) and closes; errors keep it open with the message.
class AddJobDialog : public QDialog
{
    Q_OBJECT
public:
    /// BullMQ's highest priority (2^21); 0 means none.
    static constexpr int MaxPriority = 2097152;
    /// A duplicated job's data above this size (or not UTF-8) is kept as it is, not edited.
    static constexpr qsizetype MaxEditableBytes = 256 * 1024;

    AddJobDialog(RedisClient* client, const bullmq::QueueSnapshot& queue, QWidget* parent = nullptr);
    ~AddJobDialog() override;

    /// Pre-fills name, data, attempts and priority from an existing job (Duplicate): the copy
    /// runs now, so the delay stays 0. Data above MaxEditableBytes or not UTF-8 is copied as is.
    void setFromJob(const bullmq::JobDetail& job);

    /// The request the fields make now (data compacted); empty data is "{}".
    bullmq::ActionRequest request() const;
    /// Empty when the fields make a job that can be added, else why not (shown in the dialog).
    QString problem() const;
    bool isAdding() const { return m_runner != nullptr; }

public Q_SLOTS:
    void reject() override; ///< ignored while the job is being added (the script is one call)

Q_SIGNALS:
    void jobAdded(const QByteArray& id);

private:
    void validate();
    void updateState();
    void addJob();
    void setStatus(const QString& text);

    QPointer<RedisClient> m_client;
    bullmq::QueueSnapshot m_queue;
    QPointer<bullmq::ActionRunner> m_runner;
    QString m_dataError; ///< from compactJson; empty when the data is JSON
    QByteArray m_compactData;
    QByteArray m_keptData; ///< null unless a duplicated job's data is copied without editing

    QLabel* m_header = nullptr;
    QLineEdit* m_name = nullptr;
    QPlainTextEdit* m_data = nullptr;
    QLabel* m_dataStatus = nullptr;
    QDoubleSpinBox* m_delay = nullptr; ///< ms; a double for delays beyond int's 24 days
    QLabel* m_delayText = nullptr;
    QSpinBox* m_priority = nullptr;
    QCheckBox* m_setAttempts = nullptr;
    QSpinBox* m_attempts = nullptr;
    QLabel* m_status = nullptr;
    QProgressBar* m_busy = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    QTimer* m_validateLater = nullptr;
};

} // namespace bullpen
