// SPDX-License-Identifier: MIT
#include "serverchartspage.h"

#include "nodeselector.h"

#include "bullmq/futurewatch.h"
#include "clusterclient.h"
#include "queuemetricschart.h"
#include "redisclient.h"
#include "server/commandstatsmodel.h"
#include "server/latencyprobe.h"
#include "server/servermetricsmodel.h"
#include "server/serversample.h"
#include "server/serversampler.h"
#include "server/servertablemodels.h"
#include "serverchart.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace bullpen {

namespace {
    using M = ServerMetricsModel;
    using L = LatencyModel;
    constexpr char kIntervalKey[] = "charts/sampleIntervalMs";
}

ServerChartsPage::ServerChartsPage(QWidget* parent)
    : ClientPage(parent)
    , m_sampler(new ServerSampler(this))
    , m_probe(new LatencyProbe(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* bar = new QHBoxLayout;
    // On a cluster: the masters summed, or one of them.
    m_node = createNodeSelector(this);
    bar->addWidget(m_node);
    bar->addWidget(new QLabel(tr("Range:"), this));
    m_range = new QComboBox(this);
    m_range->setObjectName(QStringLiteral("range"));
    for (const auto& [label, seconds] : { std::pair { tr("1 min"), 60 }, std::pair { tr("5 min"), 300 },
             std::pair { tr("15 min"), 900 }, std::pair { tr("1 hour"), 3600 } })
        m_range->addItem(label, seconds);
    m_range->setCurrentIndex(1);
    bar->addWidget(m_range);
    bar->addWidget(new QLabel(tr("Sample every:"), this));
    m_interval = new QComboBox(this);
    m_interval->setObjectName(QStringLiteral("sampleInterval"));
    m_interval->setToolTip(tr("How often INFO is read (remembered for every connection)"));
    for (const auto& [label, ms] : { std::pair { tr("1 s"), 1000 }, std::pair { tr("2 s"), 2000 },
             std::pair { tr("5 s"), 5000 }, std::pair { tr("10 s"), 10000 }, std::pair { tr("30 s"), 30000 } })
        m_interval->addItem(label, ms);
    bar->addWidget(m_interval);
    m_pause = new QCheckBox(tr("Pause"), this);
    m_pause->setObjectName(QStringLiteral("pause"));
    bar->addWidget(m_pause);
    auto* csv = new QPushButton(tr("Export CSV…"), this);
    auto* png = new QPushButton(tr("Export PNG…"), this);
    bar->addWidget(csv);
    bar->addWidget(png);
    m_kill = new QPushButton(tr("Kill client…"), this);
    m_kill->setObjectName(QStringLiteral("killClient"));
    m_kill->setEnabled(false);
    m_kill->setToolTip(tr("CLIENT KILL the client selected in the Clients tab (read-write connections only)"));
    bar->addWidget(m_kill);
    m_info = new QLabel(this);
    m_info->setTextFormat(Qt::PlainText); // server figures
    bar->addWidget(m_info);
    m_status = new QLabel(this);
    m_status->setTextFormat(Qt::PlainText); // outcomes and errors, quoting the server
    bar->addWidget(m_status, 1);
    layout->addLayout(bar);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    m_chartArea = new QWidget(splitter);
    auto* grid = new QGridLayout(m_chartArea);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(2);
    M* metrics = m_sampler->metrics();
    m_latencyChart = new ServerChart(tr("Latency (ms, probe)"), m_probe->model(),
        { L::MedianColumn, L::P99Column, L::MaxColumn }, m_chartArea);
    m_charts = {
        new ServerChart(tr("Memory"), metrics, { M::UsedMemoryColumn, M::RssColumn }, m_chartArea),
        new ServerChart(tr("Operations per second"), metrics, { M::OpsColumn }, m_chartArea),
        m_latencyChart,
        new ServerChart(tr("Clients"), metrics, { M::ClientsColumn, M::BlockedColumn }, m_chartArea),
        new ServerChart(tr("Network"), metrics, { M::NetInColumn, M::NetOutColumn }, m_chartArea),
        new ServerChart(tr("Keys per second"), metrics, { M::ExpiredColumn, M::EvictedColumn }, m_chartArea),
    };
    for (qsizetype i = 0; i < m_charts.size(); ++i)
        grid->addWidget(m_charts.at(i), int(i / 3), int(i % 3));

    auto* tables = new QTabWidget(splitter);
    const auto table = [this, tables](const QString& name, const QString& title, QAbstractItemModel* model, int sortRole,
                           int sortColumn) {
        auto* view = new QTableView(tables);
        view->setObjectName(name);
        auto* proxy = new QSortFilterProxyModel(view);
        proxy->setSourceModel(model);
        proxy->setSortRole(sortRole);
        view->setModel(proxy);
        view->setSortingEnabled(true);
        view->sortByColumn(sortColumn, Qt::DescendingOrder);
        view->verticalHeader()->hide();
        view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 4);
        view->horizontalHeader()->setStretchLastSection(true);
        view->setWordWrap(false);
        // Columns fit the first rows that fill an empty table (a timestamp, a command), each at
        // most ~60 characters wide so that one long command cannot push the others away.
        connect(proxy, &QAbstractItemModel::rowsInserted, view, [view](const QModelIndex&, int first, int last) {
            if (view->model()->rowCount() != last - first + 1)
                return;
            view->resizeColumnsToContents();
            const int widest = view->fontMetrics().averageCharWidth() * 60;
            for (int c = 0; c < view->model()->columnCount(); ++c) {
                if (view->columnWidth(c) > widest)
                    view->setColumnWidth(c, widest);
            }
        });
        tables->addTab(view, title);
        return view;
    };
    m_commands = table(QStringLiteral("commandStats"), tr("Commands"), m_sampler->commandStats(),
        CommandStatsModel::SortRole, CommandStatsModel::CallsColumn);
    m_slowlogView
        = table(QStringLiteral("slowlog"), tr("Slowlog"), m_sampler->slowlog(), SlowlogModel::SortRole, SlowlogModel::TimeColumn);
    m_clientsView = table(
        QStringLiteral("clients"), tr("Clients"), m_sampler->clients(), ClientListModel::SortRole, ClientListModel::IdleColumn);
    m_clientsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_clientsView->setSelectionMode(QAbstractItemView::SingleSelection);
    showNodeColumns();
    m_queueMetrics = new QueueMetricsChart(tables);
    m_queueMetrics->setObjectName(QStringLiteral("queueMetrics"));
    tables->addTab(m_queueMetrics, tr("Queue metrics"));
    connect(m_kill, &QPushButton::clicked, this, [this] {
        const QModelIndex current = m_clientsView->currentIndex();
        if (!current.isValid()) {
            m_status->setText(tr("Select a client in the Clients tab first."));
            return;
        }
        const QModelIndex row = current.siblingAtColumn(ClientListModel::IdColumn);
        confirmKill(row.data(ClientListModel::IdRole).toLongLong(),
            current.siblingAtColumn(ClientListModel::AddressColumn).data().toString() + QLatin1Char(' ')
                + current.siblingAtColumn(ClientListModel::NameColumn).data().toString());
    });
    splitter->addWidget(m_chartArea);
    splitter->addWidget(tables);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);

    connect(m_range, &QComboBox::currentIndexChanged, this,
        [this](int) { setRangeSeconds(m_range->currentData().toInt()); });
    connect(m_pause, &QCheckBox::toggled, this, &ServerChartsPage::setPaused);
    setSampleInterval(QSettings().value(QLatin1String(kIntervalKey), 1000).toInt());
    connect(m_interval, &QComboBox::currentIndexChanged, this, [this](int) {
        const int ms = m_interval->currentData().toInt();
        m_sampler->setInterval(ms);
        QSettings().setValue(QLatin1String(kIntervalKey), ms);
    });
    connect(csv, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export CSV"), QStringLiteral("server.csv"),
            tr("CSV files (*.csv)"));
        QString error;
        if (!path.isEmpty() && !exportCsv(path, &error))
            m_status->setText(error);
    });
    connect(png, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export PNG"), QStringLiteral("server.png"),
            tr("PNG images (*.png)"));
        if (!path.isEmpty() && !exportPng(path))
            m_status->setText(tr("Cannot write %1").arg(path));
    });
    connect(m_node, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index < 0)
            return;
        m_sampler->setNode(m_node->itemData(index).toString());
        showNodeColumns();
        if (m_probe->isActive())
            startProbe(); // the new node's own round trips
        for (ServerChart* c : std::as_const(m_charts))
            c->refresh();
    });
    connect(m_sampler, &ServerSampler::nodesChanged, this, [this](const QStringList& nodes) {
        setNodeChoices(m_node, nodes, m_sampler->node());
        showNodeColumns();
        m_kill->setEnabled(canKill());
        m_kill->setToolTip(nodes.isEmpty()
                ? tr("CLIENT KILL the client selected in the Clients tab (read-write connections only)")
                : tr("Not on a cluster: CLIENT KILL would reach the seed node, not the client's node"));
    });
    connect(m_sampler, &ServerSampler::sampled, this, &ServerChartsPage::onSample);
    connect(m_sampler, &ServerSampler::failed, this, [this](const QString& message) {
        m_samplerError = tr("INFO failed: %1").arg(message);
        m_status->setText(m_samplerError);
    });
    connect(m_probe, &LatencyProbe::failed, this,
        [this](const QString& message) { m_status->setText(tr("Latency probe: %1").arg(message)); });
}

ServerChartsPage::~ServerChartsPage() = default;

void ServerChartsPage::setSampleInterval(int ms)
{
    int index = m_interval->findData(ms);
    if (index < 0) { // a value written by hand: offered as it is
        m_interval->addItem(tr("%1 ms").arg(std::max(100, ms)), std::max(100, ms));
        index = m_interval->count() - 1;
    }
    m_interval->setCurrentIndex(index);
    m_sampler->setInterval(m_interval->itemData(index).toInt());
}

int ServerChartsPage::sampleInterval() const
{
    return m_sampler->interval();
}

void ServerChartsPage::setClient(RedisClient* client)
{
    m_client = client;
    m_sampler->setClient(client);
    m_queueMetrics->setClient(client);
    if (client) {
        m_sampler->start();
        if (isVisible())
            startProbe();
        else
            m_probe->stop(); // showEvent starts it
    } else {
        m_sampler->stop();
        m_probe->stop();
    }
    m_status->clear();
    m_kill->setEnabled(canKill());
}

void ServerChartsPage::showEvent(QShowEvent* event)
{
    ClientPage::showEvent(event);
    if (m_client && !m_probe->isActive())
        startProbe();
}

void ServerChartsPage::showNodeColumns()
{
    // Only the sum of a cluster's masters mixes rows of several nodes.
    const bool sum = !m_sampler->nodes().isEmpty() && m_sampler->node().isEmpty();
    m_slowlogView->setColumnHidden(SlowlogModel::NodeColumn, !sum);
    m_clientsView->setColumnHidden(ClientListModel::NodeColumn, !sum);
}

void ServerChartsPage::startProbe()
{
    // The probe is one plain connection: on a cluster, to the master on view (its own round
    // trips, not the seed's), or to the seed for the sum of all masters.
    ConnectionOptions o = m_client->options();
    if (const auto* cluster = qobject_cast<const ClusterClient*>(m_client.data())) {
        o = cluster->nodeOptions(cluster::NodeAddress { o.host, o.port, {} });
        for (const cluster::SlotMap::Shard& shard : cluster->slotMap().shards) {
            if (shard.master.toString() == m_sampler->node())
                o = cluster->nodeOptions(shard.master);
        }
    }
    m_probe->start(o);
    m_latencyChart->setToolTip(tr("PING round trips to %1 on a connection of its own, every %2 ms")
                                   .arg(m_probe->target())
                                   .arg(m_probe->interval()));
}

void ServerChartsPage::hideEvent(QHideEvent* event)
{
    ClientPage::hideEvent(event);
    m_probe->stop();
}

bool ServerChartsPage::canKill() const
{
    // CLIENT KILL has no key: on a cluster it would reach the seed, not the client's node.
    return m_client && !m_client->isReadOnly() && m_sampler->nodes().isEmpty();
}

QMessageBox* ServerChartsPage::confirmKill(qint64 id, const QString& label)
{
    if (!canKill())
        return nullptr;
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Kill client"),
        tr("Close the connection of client %1 (%2)? Its pending work fails and it may reconnect.").arg(id).arg(label),
        QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("confirmKill"));
    box->setTextFormat(Qt::PlainText); // names and addresses come from the server
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setDefaultButton(QMessageBox::Cancel);
    connect(box->button(QMessageBox::Yes), &QAbstractButton::clicked, this, [this, id] {
        if (!canKill())
            return;
        CallOptions call;
        call.allowDangerous = true; // confirmed by the user just now
        bullmq::whenReady(this, m_client->command({ "CLIENT", "KILL", "ID", QByteArray::number(id) }, call),
            [this, id](const Reply& r) {
                m_status->setText(r.isError() ? tr("CLIENT KILL failed: %1").arg(r.errorMessage())
                                              : tr("Client %1 killed.").arg(id));
            });
    });
    box->open();
    return box;
}

void ServerChartsPage::refreshNow()
{
    for (ServerChart* c : std::as_const(m_charts))
        c->refresh();
}

void ServerChartsPage::setRangeSeconds(int seconds)
{
    m_rangeSeconds = seconds;
    const int index = m_range->findData(seconds);
    if (index >= 0 && index != m_range->currentIndex())
        m_range->setCurrentIndex(index);
    for (ServerChart* c : std::as_const(m_charts))
        c->setRangeSeconds(seconds);
}

void ServerChartsPage::setPaused(bool paused)
{
    if (m_pause->isChecked() != paused)
        m_pause->setChecked(paused);
    for (ServerChart* c : std::as_const(m_charts))
        c->setPaused(paused);
}

qint64 ServerChartsPage::rangeStartMs() const
{
    const ServerMetricsModel* m = m_sampler->metrics();
    const qint64 end = m->rowCount() ? m->timeAt(m->rowCount() - 1) : QDateTime::currentMSecsSinceEpoch();
    return end - qint64(m_rangeSeconds) * 1000;
}

bool ServerChartsPage::exportCsv(const QString& path, QString* error) const
{
    const QFileInfo info(path);
    const QString latencyPath = info.path() + QLatin1Char('/') + info.completeBaseName() + QStringLiteral("-latency.csv");
    const auto write = [error](const QString& file, const QByteArray& bytes) {
        QSaveFile out(file);
        if (out.open(QIODevice::WriteOnly) && out.write(bytes) == bytes.size() && out.commit())
            return true;
        if (error)
            *error = tr("Cannot write %1: %2").arg(file, out.errorString());
        return false;
    };
    const qint64 from = rangeStartMs();
    return write(path, m_sampler->metrics()->toCsv(from)) && write(latencyPath, m_probe->model()->toCsv(from));
}

bool ServerChartsPage::exportPng(const QString& path) const
{
    return m_chartArea->grab().save(path, "PNG");
}

QString ServerChartsPage::statusText() const
{
    return m_status->text();
}

QString ServerChartsPage::serverInfoText() const
{
    return m_info->text();
}

void ServerChartsPage::onSample(const ServerSample& s)
{
    // Sampling works again: its last failure (if nothing has been shown since) is over.
    if (!m_samplerError.isEmpty() && m_status->text() == m_samplerError)
        m_status->clear();
    m_samplerError.clear();
    QString text = tr("Max memory: %1, policy %2")
                       .arg(s.maxMemory ? formatBytes(s.maxMemory) : tr("none"), QString::fromUtf8(s.evictionPolicy));
    if (!m_sampler->latencyEvents().isEmpty()) {
        QStringList events;
        for (const auto& e : m_sampler->latencyEvents())
            events << QStringLiteral("%1 %2 ms").arg(QString::fromUtf8(e.name)).arg(e.latestMs);
        text += tr(" · LATENCY LATEST: %1").arg(events.join(QStringLiteral(", ")));
    }
    m_info->setText(text);
    Q_EMIT sampled();
}

} // namespace bullpen
