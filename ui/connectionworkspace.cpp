// SPDX-License-Identifier: MIT
#include "connectionworkspace.h"

#include "bullmq/futurewatch.h"
#include "clientpage.h"
#include "clusterclient.h"
#include "connectionbanner.h"
#include "connectionoptions.h"
#include "keyspage.h"
#include "pubsubpage.h"
#include "queuespage.h"
#include "redisclient.h"
#include "serverchartspage.h"
#include "serversummarypage.h"

#include <QPointer>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace bullpen {

namespace {

    // A failover or resharding shows up in the sidebar within this time (one CLUSTER SHARDS).
    constexpr int kClusterTopologyMs = 15000;

    QStringList describe(const cluster::SlotMap& map)
    {
        QStringList lines;
        const int covered = map.coveredSlots();
        const int masters = int(map.shards.size());
        const QString count = masters == 1 ? ConnectionWorkspace::tr("1 master")
                                           : ConnectionWorkspace::tr("%1 masters").arg(masters);
        lines << (covered == cluster::slotCount
                ? ConnectionWorkspace::tr("Cluster: %1, all slots served").arg(count)
                : ConnectionWorkspace::tr("Cluster: %1, %2 of %3 slots served").arg(count).arg(covered).arg(cluster::slotCount));
        // In slot order (the map's own order varies from one read to the next).
        QList<QPair<int, qsizetype>> order; // first slot, shard
        for (qsizetype i = 0; i < map.shards.size(); ++i)
            order.append({ int(map.owner.indexOf(qint16(i))), i });
        std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
            return (a.first < 0 ? cluster::slotCount : a.first) < (b.first < 0 ? cluster::slotCount : b.first);
        });
        for (const auto& [first, i] : std::as_const(order)) {
            Q_UNUSED(first)
            int served = 0;
            int ranges = 0;
            for (int slot = 0; slot < cluster::slotCount; ++slot) {
                if (map.owner.at(slot) != i)
                    continue;
                ++served;
                if (slot == 0 || map.owner.at(slot - 1) != i)
                    ++ranges;
            }
            const cluster::SlotMap::Shard& shard = map.shards.at(i);
            // Short: the sidebar is narrow (the tooltip has the same lines).
            lines << ConnectionWorkspace::tr("%1 · %2 %3, %4 %5")
                         .arg(shard.master.toString())
                         .arg(served)
                         .arg(served == 1 ? ConnectionWorkspace::tr("slot") : ConnectionWorkspace::tr("slots"))
                         .arg(ranges)
                         .arg(ranges == 1 ? ConnectionWorkspace::tr("range") : ConnectionWorkspace::tr("ranges"));
            for (const cluster::NodeAddress& replica : shard.replicas)
                lines << ConnectionWorkspace::tr("  ↳ replica %1").arg(replica.toString());
        }
        return lines;
    }

} // namespace

ConnectionWorkspace::ConnectionWorkspace(QWidget* parent)
    : QWidget(parent)
    , m_banner(new ConnectionBanner(this))
    , m_tabs(new QTabWidget(this))
    , m_topologyTimer(new QTimer(this))
{
    m_topologyTimer->setSingleShot(true);
    connect(m_topologyTimer, &QTimer::timeout, this, &ConnectionWorkspace::readClusterTopology);
    m_banner->setObjectName(QStringLiteral("banner"));
    m_tabs->setObjectName(QStringLiteral("pages"));
    m_tabs->setDocumentMode(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(8);
    layout->addWidget(m_banner);
    layout->addWidget(m_tabs, 1);
    createPages();
}

ConnectionWorkspace::~ConnectionWorkspace()
{
    closeConnection();
}

// The pages of every connection, in tab order. Adding a page is one line here.
void ConnectionWorkspace::createPages()
{
    addPage(m_summary = new ServerSummaryPage(this), tr("&Server"));
    auto* queues = new QueuesPage(this);
    addPage(queues, tr("Queues"));
    auto* keys = new KeysPage(this);
    addPage(keys, tr("Keys"));
    addPage(new ServerChartsPage(this), tr("Charts"));
    addPage(new PubSubPage(this), tr("Pub/Sub"));

    // A queue's keys in the key tree lead to its page: "prefix:name" (BullMQ and Bull queue names
    // hold no ':', the prefix may).
    connect(keys, &KeysPage::openQueueRequested, this, [this, queues](const QString& queue) {
        const qsizetype colon = queue.lastIndexOf(QLatin1Char(':'));
        if (colon <= 0)
            return;
        m_tabs->setCurrentWidget(queues);
        queues->showQueue(bullmq::QueueRef { queue.left(colon).toUtf8(), queue.mid(colon + 1).toUtf8() });
    });
}

void ConnectionWorkspace::addPage(ClientPage* page, const QString& title)
{
    m_pages.append(page);
    m_tabs->addTab(page, title);
    if (m_client)
        page->setClient(m_client);
}

ClientPage* ConnectionWorkspace::currentPage() const
{
    return qobject_cast<ClientPage*>(m_tabs->currentWidget());
}

void ConnectionWorkspace::setProfile(const connections::ConnectionProfile& profile)
{
    m_profile = profile;
    Q_EMIT changed();
}

QString ConnectionWorkspace::title() const
{
    if (!m_profile.name.isEmpty())
        return m_profile.name;
    return m_address.isEmpty() ? tr("Not connected") : m_address;
}

ConnectionState ConnectionWorkspace::state() const
{
    return m_banner->state();
}

void ConnectionWorkspace::connectTo(const ConnectionOptions& options, const connections::ConnectionProfile& profile)
{
    closeConnection();
    m_profile = profile;
    // A redis-cluster:// URL: one client per master behind the RedisClient interface.
    m_client = options.cluster ? new ClusterClient(options, this) : new RedisClient(options, this);
    m_address = options.displayAddress();
    // The banner names the profile and says read-only, so production is never mistaken.
    QString shown = profile.name.isEmpty() ? m_address : tr("%1 (%2)").arg(profile.name, m_address);
    if (options.readOnly)
        shown += tr(", read-only");
    m_banner->reset(shown);
    connect(m_client, &RedisClient::stateChanged, m_banner, &ConnectionBanner::setConnectionState);
    connect(m_client, &RedisClient::stateChanged, this, &ConnectionWorkspace::changed);
    if (options.isSentinel()) {
        const QString master = options.sentinelMaster;
        setTopology({ tr("Sentinel: master %1, asking the sentinels").arg(master) });
        connect(m_client, &RedisClient::serverAddressChanged, this, [this, master](const QString& address) {
            setTopology({ tr("Sentinel: master %1 at %2").arg(master, address) });
        });
    } else if (options.cluster) {
        setTopology({ tr("Cluster: reading the slot map") });
        connect(m_client, &RedisClient::stateChanged, this, [this](ConnectionState state) {
            if (state == ConnectionState::Ready && !m_topologyTimer->isActive())
                readClusterTopology();
        });
    }
    // Opened before the page sends its first INFO: a request that reaches the connection
    // before it started connecting fails with "not connected".
    m_client->open();
    for (ClientPage* page : std::as_const(m_pages))
        page->setClient(m_client);
    Q_EMIT changed();
}

void ConnectionWorkspace::closeConnection()
{
    ++m_topologyGeneration;
    m_topologyTimer->stop();
    m_topology.clear();
    if (!m_client)
        return;
    for (ClientPage* page : std::as_const(m_pages))
        page->setClient(nullptr);
    // Waits for the connection thread to stop: bounded, it only closes a socket.
    delete m_client;
    m_client = nullptr;
}

void ConnectionWorkspace::setTopology(const QStringList& lines)
{
    if (lines == m_topology)
        return;
    m_topology = lines;
    Q_EMIT changed();
}

void ConnectionWorkspace::readClusterTopology()
{
    QPointer<ClusterClient> cluster = qobject_cast<ClusterClient*>(m_client);
    if (!cluster)
        return;
    m_topologyTimer->stop();
    const quint64 gen = ++m_topologyGeneration;
    bullmq::whenReady(this, cluster->refreshTopology(), [this, gen, cluster](bool ok) {
        if (gen != m_topologyGeneration || !cluster)
            return; // closed or replaced meanwhile
        if (ok)
            setTopology(describe(cluster->slotMap()));
        else
            setTopology({ tr("Cluster: %1").arg(cluster->topologyError()) });
        m_topologyTimer->start(kClusterTopologyMs);
    });
}

void ConnectionWorkspace::showFailure(const QString& message)
{
    closeConnection();
    m_banner->showFailure(message);
    Q_EMIT changed();
}

} // namespace bullpen
