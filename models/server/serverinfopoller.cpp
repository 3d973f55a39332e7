// SPDX-License-Identifier: MIT
#include "serverinfopoller.h"

#include "bullmq/futurewatch.h"
#include "redisclient.h"

#include <QThread>
#include <QTimer>

#include <algorithm>

namespace bullpen {

ServerInfoPoller::ServerInfoPoller(QObject* parent)
    : QObject(parent)
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &ServerInfoPoller::poll);
}

ServerInfoPoller::~ServerInfoPoller() = default;

void ServerInfoPoller::setClient(RedisClient* client)
{
    Q_ASSERT(QThread::currentThread() == thread());
    ++m_generation; // whatever is pending belongs to the previous client
    m_client = client;
    m_timer->stop();
    setBusy(false);
    m_nodeInfo.clear();
    if (!m_nodes.isEmpty()) {
        m_nodes.clear();
        Q_EMIT nodesChanged(m_nodes);
    }
    if (m_active && m_client)
        poll();
}

void ServerInfoPoller::setInterval(int ms)
{
    m_intervalMs = std::max(0, ms);
}

void ServerInfoPoller::start()
{
    m_active = true;
    if (!m_inFlight)
        poll();
}

void ServerInfoPoller::stop()
{
    m_active = false;
    m_timer->stop();
}

void ServerInfoPoller::refreshNow()
{
    if (m_inFlight || !m_client)
        return;
    m_timer->stop();
    poll();
}

void ServerInfoPoller::poll()
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (!m_client || m_inFlight)
        return;
    const quint64 gen = ++m_generation;
    setBusy(true);
    if (auto* cluster = qobject_cast<ClusterClient*>(m_client.data())) {
        bullmq::whenReady(this, cluster->forEachMaster({ QByteArrayLiteral("INFO") }),
            [this, gen](const QList<ClusterClient::NodeReply>& replies) { onClusterReply(gen, replies); });
        return;
    }
    // whenReady, not .then(this): a reply already there must not be handled inside poll() (a
    // caller that polls and then starts would ask twice), and the poller may die first.
    bullmq::whenReady(this, m_client->command({ QByteArrayLiteral("INFO") }), [this, gen](const Reply& reply) {
        onReply(gen, reply);
    });
}

void ServerInfoPoller::setNode(const QString& node)
{
    if (node == m_node)
        return;
    m_node = node;
    if (m_nodeInfo.contains(node))
        Q_EMIT infoReceived(m_nodeInfo.value(node), m_nodeInfoAt);
}

void ServerInfoPoller::onClusterReply(quint64 generation, const QList<ClusterClient::NodeReply>& replies)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (generation != m_generation)
        return;
    setBusy(false);
    QString error;
    QList<ServerInfo> infos;
    QStringList nodes;
    QHash<QString, ServerInfo> byNode;
    for (const auto& r : replies) {
        const QString name = r.node.toString();
        if (r.reply.isError() || !r.reply.isString()) {
            error = name + QStringLiteral(": ")
                + (r.reply.isError() ? r.reply.errorMessage()
                                     : tr("INFO returned an unexpected reply: %1").arg(r.reply.toDisplayString()));
            break;
        }
        infos.append(ServerInfo::parse(r.reply.bytes()));
        byNode.insert(name, infos.last());
        nodes.append(name);
    }
    if (error.isEmpty() && infos.isEmpty())
        error = tr("no cluster master answered");
    if (!error.isEmpty()) {
        Q_EMIT failed(error);
    } else {
        std::sort(nodes.begin(), nodes.end());
        byNode.insert(QString(), ServerInfo::sum(infos));
        m_nodeInfo = byNode;
        m_nodeInfoAt = QDateTime::currentDateTime();
        if (nodes != m_nodes) {
            m_nodes = nodes;
            Q_EMIT nodesChanged(m_nodes);
        }
        if (!m_nodeInfo.contains(m_node))
            m_node.clear(); // that master is gone: the sum
        Q_EMIT infoReceived(m_nodeInfo.value(m_node), m_nodeInfoAt);
    }
    if (m_active && m_client)
        m_timer->start(m_intervalMs);
}

void ServerInfoPoller::onReply(quint64 generation, const Reply& reply)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (generation != m_generation)
        return; // superseded: another client, or a reply after setClient()
    setBusy(false);
    if (reply.isError())
        Q_EMIT failed(reply.errorMessage());
    else if (!reply.isString())
        Q_EMIT failed(tr("INFO returned an unexpected reply: %1").arg(reply.toDisplayString()));
    else
        Q_EMIT infoReceived(ServerInfo::parse(reply.bytes()), QDateTime::currentDateTime());
    // Re-armed only now, so a slow server never has more than one INFO from us queued.
    if (m_active && m_client)
        m_timer->start(m_intervalMs);
}

void ServerInfoPoller::setBusy(bool busy)
{
    if (busy == m_inFlight)
        return;
    m_inFlight = busy;
    Q_EMIT busyChanged(busy);
}

} // namespace bullpen
