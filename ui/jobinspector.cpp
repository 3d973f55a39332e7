// SPDX-License-Identifier: MIT
#include "jobinspector.h"

#include "redisclient.h"

namespace bullpen {

// Stub: the real widget follows; the API is the agreed one.
JobInspector::JobInspector(QWidget* parent)
    : QWidget(parent)
{
}

JobInspector::~JobInspector() = default;

void JobInspector::setClient(RedisClient* client)
{
    m_client = client;
    if (!client)
        clear();
}

void JobInspector::showJob(const bullmq::QueueSnapshot& queue, const QByteArray& id)
{
    m_queue = queue;
    m_id = id;
}

void JobInspector::clear()
{
    m_queue = {};
    m_id.clear();
}

void JobInspector::refresh() { }

QByteArray JobInspector::jobId() const { return m_id; }

QString JobInspector::jobJson() const { return {}; }

void JobInspector::retryJob() { }

void JobInspector::removeJob() { }

void JobInspector::promoteJob() { }

} // namespace bullpen
