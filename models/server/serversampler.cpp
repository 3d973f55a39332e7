// SPDX-License-Identifier: MIT
#include "serversampler.h"

#include "commandstatsmodel.h"
#include "servermetricsmodel.h"
#include "servertablemodels.h"
#include "bullmq/futurewatch.h"

#include <QDateTime>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <utility>

namespace bullpen {

ServerSampler::ServerSampler(QObject* parent)
    : QObject(parent)
    , m_timer(new QTimer(this))
    , m_metrics(new ServerMetricsModel(3600, this))
    , m_commands(new CommandStatsModel(this))
    , m_slowlog(new SlowlogModel(this))
    , m_clients(new ClientListModel(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &ServerSampler::poll);
}

ServerSampler::~ServerSampler() = default;

void ServerSampler::setClient(RedisClient* client)
{
    Q_ASSERT(QThread::currentThread() == thread());
    ++m_generation;
    m_client = client;
    m_timer->stop();
    m_inFlight = false;
    m_last.reset();
    m_latency.clear();
    m_metrics->clear();
    m_commands->clear();
    m_slowlog->clear();
    m_clients->clear();
    m_nodeLast.clear();
    qDeleteAll(m_history);
    m_history.clear();
    if (!m_nodes.isEmpty()) {
        m_nodes.clear();
        Q_EMIT nodesChanged(m_nodes);
    }
    if (m_active && m_client)
        poll();
}

void ServerSampler::setInterval(int ms)
{
    m_intervalMs = std::max(10, ms);
    if (m_timer->isActive())
        schedule(); // the next sample comes at the new interval, not after the old one
}

void ServerSampler::start()
{
    m_active = true;
    if (!m_inFlight && !m_timer->isActive())
        poll();
}

void ServerSampler::stop()
{
    m_active = false;
    m_timer->stop();
}

void ServerSampler::poll()
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (!m_active || !m_client || m_inFlight)
        return;
    m_inFlight = true;
    ++m_requests;
    m_sentAtMs = QDateTime::currentMSecsSinceEpoch();
    const quint64 gen = m_generation;
    // "INFO all": everything but modules, with commandstats. INFO first: the commands after it
    // are counted in the next sample's total, and left out of its ops/s.
    QList<Command> commands { { "INFO", "all" }, { "LATENCY", "LATEST" } };
    if ((m_requests - 1) % m_tablesEvery == 0 || std::exchange(m_tablesSoon, false))
        commands.append({ { "SLOWLOG", "GET", "128" }, { "CLIENT", "LIST" } });
    m_sentCommands = int(commands.size());
    if (auto* cluster = qobject_cast<ClusterClient*>(m_client.data())) {
        bullmq::whenReady(this, cluster->pipelineOnEachMaster(commands),
            [this, gen](const QList<ClusterClient::NodePipeline>& nodes) { onClusterReplies(gen, nodes); });
        return;
    }
    bullmq::whenReady(this, m_client->pipeline(commands),
        [this, gen](const QList<Reply>& replies) { onReplies(gen, replies); });
}

void ServerSampler::schedule()
{
    if (!m_active || !m_client)
        return;
    const qint64 elapsed = QDateTime::currentMSecsSinceEpoch() - m_sentAtMs;
    m_timer->start(int(std::clamp<qint64>(m_intervalMs - elapsed, 0, m_intervalMs)));
}

void ServerSampler::onReplies(quint64 generation, const QList<Reply>& replies)
{
    if (generation != m_generation)
        return; // a previous client's
    m_inFlight = false;
    const Reply info = replies.value(0);
    if (info.isError() || !info.isString()) {
        Q_EMIT failed(info.isError() ? info.errorMessage() : tr("unexpected INFO reply"));
        schedule();
        return;
    }
    // Rates are per wall-clock second between the moments the requests were sent.
    const ServerSample sample
        = ServerSample::fromInfo(ServerInfo::parse(info.bytes()), m_sentAtMs, m_last ? &*m_last : nullptr, m_ownCommands);
    m_ownCommands = m_sentCommands;
    publish(sample, replies);
}

void ServerSampler::setNode(const QString& node)
{
    if (node == m_node)
        return;
    m_node = node;
    // That view's series so far (kept for every view while sampling).
    m_metrics->clear();
    if (const ServerMetricsModel* h = m_history.value(node)) {
        for (int row = 0; row < h->rowCount(); ++row) {
            QList<double> values;
            for (int c = 1; c < h->columnCount(); ++c)
                values.append(h->valueAt(row, c));
            m_metrics->append(h->timeAt(row), values);
        }
    }
    if (const auto it = m_nodeLast.constFind(node); it != m_nodeLast.cend()) {
        m_last = *it;
        m_commands->setStats(it->commands);
    } else {
        m_last.reset();
        m_commands->clear();
    }
    m_slowlog->clear();
    m_clients->clear();
    m_latency.clear();
    m_tablesSoon = true; // that view's tables with the next sample
}

void ServerSampler::onClusterReplies(quint64 generation, const QList<ClusterClient::NodePipeline>& nodes)
{
    if (generation != m_generation)
        return;
    m_inFlight = false;
    QStringList names;
    QList<ServerInfo> infos;
    QHash<QString, QList<Reply>> repliesOf;
    for (const auto& n : nodes) {
        const QString name = n.node.toString();
        const Reply info = n.replies.value(0);
        if (info.isError() || !info.isString()) {
            Q_EMIT failed(name + QStringLiteral(": ")
                + (info.isError() ? info.errorMessage() : tr("unexpected INFO reply")));
            schedule();
            return;
        }
        names.append(name);
        infos.append(ServerInfo::parse(info.bytes()));
        repliesOf.insert(name, n.replies);
    }
    if (names.isEmpty()) {
        Q_EMIT failed(tr("no cluster master answered"));
        schedule();
        return;
    }
    const int own = m_ownCommands;
    m_ownCommands = m_sentCommands;
    // Every view's sample, each against its own previous one.
    const auto sampleOf = [this](const QString& view, const ServerInfo& info, int ownCommands) {
        const auto it = m_nodeLast.constFind(view);
        ServerSample s = ServerSample::fromInfo(info, m_sentAtMs, it != m_nodeLast.cend() ? &*it : nullptr, ownCommands);
        m_nodeLast.insert(view, s);
        ServerMetricsModel*& h = m_history[view];
        if (!h)
            h = new ServerMetricsModel(m_metrics->capacity(), this);
        h->appendSample(s);
        return s;
    };
    QList<int> order(names.size());
    for (int i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&names](int a, int b) { return names.at(a) < names.at(b); });
    QStringList sorted;
    for (const int i : std::as_const(order))
        sorted.append(names.at(i));
    for (int i = 0; i < names.size(); ++i)
        sampleOf(names.at(i), infos.at(i), own);
    const ServerSample sum = sampleOf(QString(), ServerInfo::sum(infos), own * int(names.size()));
    if (sorted != m_nodes) {
        m_nodes = sorted;
        Q_EMIT nodesChanged(m_nodes);
    }
    if (!m_node.isEmpty() && !m_nodeLast.contains(m_node))
        setNode(QString()); // that master is gone
    if (!m_node.isEmpty()) {
        publish(m_nodeLast.value(m_node), repliesOf.value(m_node));
        return;
    }
    // The sum's tables: every master's slowlog entries, clients and latency events together,
    // each table row with its node.
    QList<Reply> latency;
    QList<std::pair<QString, Reply>> slowlogs;
    QList<std::pair<QString, QByteArray>> clients;
    for (const QString& name : std::as_const(sorted)) {
        const QList<Reply>& r = repliesOf[name];
        if (r.value(1).isArray())
            latency.append(r.value(1).elements());
        if (r.size() >= 4) {
            if (r.at(2).isArray())
                slowlogs.append({ name, r.at(2) });
            if (r.at(3).isString())
                clients.append({ name, r.at(3).bytes() });
        }
    }
    if (!slowlogs.isEmpty())
        m_slowlog->setReplies(slowlogs);
    if (!clients.isEmpty())
        m_clients->setTexts(clients);
    publish(sum, { Reply(), Reply::array(latency) });
}

void ServerSampler::publish(const ServerSample& sample, const QList<Reply>& replies)
{
    if (replies.size() >= 4) {
        m_slowlog->setReply(replies.at(2));
        if (replies.at(3).isString())
            m_clients->setText(replies.at(3).bytes());
    }
    m_last = sample;
    const Reply latest = replies.value(1);
    m_latency.clear();
    if (latest.isArray()) {
        for (const Reply& e : latest.elements()) {
            if (e.size() < 4)
                continue;
            m_latency.append({ e.at(0).bytes(), e.at(1).toInteger(), e.at(2).toInteger(), e.at(3).toInteger() });
        }
    }
    m_metrics->appendSample(sample);
    m_commands->setStats(sample.commands);
    Q_EMIT sampled(sample);
    schedule();
}

} // namespace bullpen
