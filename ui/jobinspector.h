// SPDX-License-Identifier: MIT
#pragma once

#include "bullmq/queueref.h"
#include "bullmq/queuesnapshot.h"

#include <QByteArray>
#include <QPointer>
#include <QWidget>

namespace bullpen {

class RedisClient;

/// Everything about one job, with the actions its state allows.
class JobInspector : public QWidget
{
    Q_OBJECT
public:
    explicit JobInspector(QWidget* parent = nullptr);
    ~JobInspector() override;

    void setClient(RedisClient* client); ///< nullptr: forget the client and clear
    void showJob(const bullmq::QueueSnapshot& queue, const QByteArray& id); ///< loads lazily, async
    void clear();
    void refresh(); ///< re-read the shown job (merge, no reset)
    QByteArray jobId() const;
    QString jobJson() const; ///< the whole job as pretty JSON (for Ctrl+C)

public Q_SLOTS:
    void retryJob(); ///< confirm → ActionRunner (no-op with a status message if not allowed)
    void removeJob(); ///< confirm → ActionRunner
    void promoteJob(); ///< confirm → ActionRunner

Q_SIGNALS:
    /// A parent or child link was clicked; the job may live in another queue of the same server.
    void openJobRequested(const bullpen::bullmq::QueueRef& queue, const QByteArray& id);
    /// An action on the shown job finished (successfully or not): the caller refreshes its lists.
    void jobChanged();

private:
    QPointer<RedisClient> m_client;
    bullmq::QueueSnapshot m_queue;
    QByteArray m_id;
};

} // namespace bullpen
