// SPDX-License-Identifier: MIT
#include "serversummarypage.h"
#include "ui_serversummarypage.h"

#include "nodeselector.h"

#include "redisclient.h"
#include "server/serverinfopoller.h"

#include <QComboBox>
#include "server/serversummarymodel.h"

#include <QHeaderView>
#include <QLocale>

namespace bullpen {

namespace {

    QString count(qint64 n, const QString& one, const QString& many)
    {
        return QStringLiteral("%1 %2").arg(QLocale().toString(n), n == 1 ? one : many);
    }

    // "Redis 7.0.15 · standalone master · 1.2 MiB used · 3 clients · 42 keys"
    QString headlineFor(const ServerInfo& info)
    {
        const QString version = QString::fromUtf8(info.value("redis_version", "?"));
        const QString mode = QString::fromUtf8(info.value("redis_mode", "standalone"));
        QString role = QString::fromUtf8(info.value("role"));
        if (role == QLatin1String("slave"))
            role = ServerSummaryPage::tr("replica");
        return ServerSummaryPage::tr("Redis %1 · %2 %3 · %4 used · %5 · %6")
            .arg(version, mode, role, formatBytes(info.integer("used_memory")),
                count(info.integer("connected_clients"), ServerSummaryPage::tr("client"),
                    ServerSummaryPage::tr("clients")),
                count(info.totalKeys(), ServerSummaryPage::tr("key"), ServerSummaryPage::tr("keys")));
    }

} // namespace

ServerSummaryPage::ServerSummaryPage(QWidget* parent)
    : ClientPage(parent)
    , m_ui(std::make_unique<Ui::ServerSummaryPage>())
    , m_model(new ServerSummaryModel(this))
    , m_poller(new ServerInfoPoller(this))
{
    m_ui->setupUi(this);
    QFont big = m_ui->headline->font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    big.setBold(true);
    m_ui->headline->setFont(big);
    m_ui->headline->setContentsMargins(2, 6, 2, 4);
    m_ui->status->setContentsMargins(2, 2, 2, 2);

    m_ui->view->setModel(m_model);
    m_ui->view->setHeaderHidden(true); // "field: value" speaks for itself
    m_ui->view->header()->setStretchLastSection(true);
    m_ui->view->header()->setSectionResizeMode(ServerSummaryModel::FieldColumn, QHeaderView::ResizeToContents);
    m_ui->view->setStyleSheet(QStringLiteral("QTreeView::item { padding: 4px 10px 4px 6px; }"));

    // On a cluster: the masters summed, or one of them.
    m_node = createNodeSelector(this);
    m_ui->layout->insertWidget(0, m_node, 0, Qt::AlignLeft);
    connect(m_node, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index >= 0)
            m_poller->setNode(m_node->itemData(index).toString());
    });
    connect(m_poller, &ServerInfoPoller::nodesChanged, this, &ServerSummaryPage::onNodes);
    connect(m_poller, &ServerInfoPoller::infoReceived, this, &ServerSummaryPage::onInfo);
    connect(m_poller, &ServerInfoPoller::failed, this, &ServerSummaryPage::onFailed);
    connect(m_model, &ServerSummaryModel::staleChanged, this, &ServerSummaryPage::updateStatus);
    updateStatus();
}

ServerSummaryPage::~ServerSummaryPage() = default;

void ServerSummaryPage::setClient(RedisClient* client)
{
    if (m_client)
        m_client->disconnect(this);
    m_client = client;
    m_model->clear();
    m_error.clear();
    m_state = client ? client->state() : ConnectionState::Disconnected;
    if (client)
        connect(client, &RedisClient::stateChanged, this, &ServerSummaryPage::onState);
    m_poller->setClient(client);
    if (client)
        m_poller->start();
    else
        m_poller->stop();
    updateStatus();
}

void ServerSummaryPage::onNodes(const QStringList& nodes)
{
    setNodeChoices(m_node, nodes, m_poller->node());
}

void ServerSummaryPage::refreshNow()
{
    m_poller->refreshNow();
}

bool ServerSummaryPage::isStale() const
{
    return m_model->isStale();
}

QString ServerSummaryPage::headline() const
{
    return m_ui->headline->text();
}

QString ServerSummaryPage::statusText() const
{
    return m_ui->status->text();
}

void ServerSummaryPage::onState(ConnectionState state, const QString& reason)
{
    Q_UNUSED(reason); // the banner tells why
    m_state = state;
    if (state == ConnectionState::Ready) {
        m_error.clear();
        m_poller->refreshNow(); // fresh values as soon as we are back
    } else if (m_model->hasData()) {
        m_model->setStale(true);
    }
    updateStatus();
}

void ServerSummaryPage::onInfo(const ServerInfo& info, const QDateTime& when)
{
    m_error.clear();
    m_model->setInfo(info, when);
    updateStatus();
    Q_EMIT updated();
}

void ServerSummaryPage::onFailed(const QString& message)
{
    m_error = message;
    if (m_model->hasData())
        m_model->setStale(true);
    updateStatus();
}

void ServerSummaryPage::updateStatus()
{
    const bool stale = m_model->isStale();
    const QString when = m_model->updatedAt().toString(QStringLiteral("HH:mm:ss"));

    if (!m_model->hasData())
        m_ui->headline->setText(m_client ? tr("Waiting for the server…") : tr("Not connected"));
    else if (!m_poller->nodes().isEmpty())
        m_ui->headline->setText((m_poller->node().isEmpty()
                                        ? tr("Cluster, %n masters summed", nullptr, int(m_poller->nodes().size()))
                                        : tr("Cluster master %1").arg(m_poller->node()))
            + QStringLiteral(" · ") + headlineFor(m_model->info()));
    else
        m_ui->headline->setText(headlineFor(m_model->info()));

    QString status;
    if (!m_client)
        status = tr("Choose File › Connect to URL… to open a server.");
    else if (!m_model->hasData())
        status = m_error.isEmpty() ? tr("No data yet.") : tr("No data yet: %1").arg(m_error);
    else if (stale && m_state != ConnectionState::Ready)
        status = tr("Stale: not connected. Showing values from %1.").arg(when);
    else if (stale)
        status = tr("Stale: refresh failed (%1). Showing values from %2.").arg(m_error, when);
    else
        status = tr("Updated %1 · refreshed every %2 s · F5 refreshes now")
                     .arg(when)
                     .arg(m_poller->interval() / 1000.0, 0, 'g', 3);
    m_ui->status->setText(status);

    QPalette pal = m_ui->status->palette();
    QColor muted = palette().color(QPalette::WindowText);
    muted.setAlpha(150);
    pal.setColor(QPalette::WindowText, stale ? QColor(0x8a, 0x5a, 0x00) : muted);
    m_ui->status->setPalette(pal);
    m_ui->headline->setEnabled(!stale);
}

} // namespace bullpen
