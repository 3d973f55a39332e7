// SPDX-License-Identifier: MIT
#include "queuemetricschart.h"

#include "bullmq/futurewatch.h"
#include "bullmq/queuemetrics.h"
#include "redisclient.h"
#include "serverchart.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace bullpen {

using bullmq::QueueMetricsModel;
using bullmq::QueueRef;

namespace {
    constexpr int kRefreshMs = 30000;
}

QueueMetricsChart::QueueMetricsChart(QWidget* parent)
    : QWidget(parent)
    , m_model(new QueueMetricsModel(this))
    , m_timer(new QTimer(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Queue:"), this));
    m_queues = new QComboBox(this);
    m_queues->setObjectName(QStringLiteral("metricsQueue"));
    m_queues->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_queues->setToolTip(tr("Queues whose workers record metrics (the worker option metrics: { maxDataPoints })"));
    bar->addWidget(m_queues);
    m_pointsBox = new QComboBox(this);
    m_pointsBox->setObjectName(QStringLiteral("metricsPoints"));
    for (const auto& [label, points] : { std::pair { tr("last hour"), 60 }, std::pair { tr("last 6 hours"), 360 },
             std::pair { tr("last day"), 1440 } })
        m_pointsBox->addItem(label, points);
    bar->addWidget(m_pointsBox);
    m_refresh = new QPushButton(tr("Refresh"), this);
    m_refresh->setObjectName(QStringLiteral("metricsRefresh"));
    bar->addWidget(m_refresh);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("metricsStatus"));
    m_status->setTextFormat(Qt::PlainText); // queue names and server errors
    bar->addWidget(m_status, 1);
    layout->addLayout(bar);

    m_chart = new ServerChart(
        tr("Jobs per minute"), m_model, { QueueMetricsModel::CompletedColumn, QueueMetricsModel::FailedColumn }, this);
    m_chart->setRangeSeconds(m_points * 60);
    layout->addWidget(m_chart, 1);

    m_timer->setSingleShot(true);
    m_timer->setInterval(kRefreshMs);
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (isVisible())
            loadCurrent();
    });
    connect(m_queues, &QComboBox::currentIndexChanged, this, &QueueMetricsChart::loadCurrent);
    connect(m_pointsBox, &QComboBox::currentIndexChanged, this,
        [this](int) { setPoints(m_pointsBox->currentData().toInt()); });
    connect(m_refresh, &QPushButton::clicked, this, &QueueMetricsChart::refresh);
    connect(m_model, &QueueMetricsModel::loaded, this, &QueueMetricsChart::onLoaded);
    connect(m_model, &QueueMetricsModel::loadFailed, this, [this](const QString& message) {
        m_status->setText(tr("Reading metrics failed: %1").arg(message));
        m_timer->start();
    });
}

QueueMetricsChart::~QueueMetricsChart() = default;

void QueueMetricsChart::setClient(RedisClient* client)
{
    m_client = client;
    m_timer->stop();
    ++m_listGeneration;
    {
        const QSignalBlocker block(m_queues);
        m_queues->clear();
    }
    m_model->load(nullptr, {});
    m_status->clear();
    m_listed = false;
    // Discovery SCANs the whole keyspace: only once the tab is shown, not at every connect.
    if (client && isVisible())
        refresh();
}

void QueueMetricsChart::setPoints(int points)
{
    m_points = std::clamp(points, 1, int(bullmq::kMaxMetricsPoints));
    const int index = m_pointsBox->findData(m_points);
    if (index >= 0 && index != m_pointsBox->currentIndex()) {
        const QSignalBlocker block(m_pointsBox);
        m_pointsBox->setCurrentIndex(index);
    }
    loadCurrent();
}

void QueueMetricsChart::refresh()
{
    if (!m_client)
        return;
    const quint64 gen = ++m_listGeneration;
    m_listed = true;
    m_status->setText(tr("Looking for queues with metrics…"));
    bullmq::whenReady(
        this, bullmq::fetchQueuesWithMetrics(m_client), [this, gen](const bullmq::MetricsQueuesResult& r) {
            if (gen != m_listGeneration)
                return;
            if (!r.error.isEmpty()) {
                m_status->setText(tr("Looking for queues failed: %1").arg(r.error));
                return;
            }
            const QString current = m_queues->currentText();
            {
                const QSignalBlocker block(m_queues);
                m_queues->clear();
                for (const QueueRef& q : r.queues)
                    m_queues->addItem(q.displayName(), QVariant::fromValue(QList<QByteArray> { q.prefix, q.name }));
                const int keep = m_queues->findText(current);
                m_queues->setCurrentIndex(keep >= 0 ? keep : (m_queues->count() > 0 ? 0 : -1));
            }
            Q_EMIT queuesListed();
            if (r.queues.isEmpty()) {
                m_model->load(nullptr, {});
                m_status->setText(
                    tr("No queue records metrics (workers do with the option metrics: { maxDataPoints })."));
                return;
            }
            loadCurrent();
        });
}

void QueueMetricsChart::loadCurrent()
{
    m_timer->stop();
    const QList<QByteArray> ref = m_queues->currentData().value<QList<QByteArray>>();
    if (!m_client || ref.size() != 2)
        return;
    m_status->setText(tr("Reading %1…").arg(m_queues->currentText()));
    m_model->load(m_client, QueueRef { ref.at(0), ref.at(1) }, m_points);
}

void QueueMetricsChart::onLoaded()
{
    const bullmq::QueueMetrics& c = m_model->completed();
    const bullmq::QueueMetrics& f = m_model->failed();
    m_status->setText(
        tr("%1: %2 completed and %3 failed in all; this minute so far %4 and %5; %6 and %7 minutes stored")
            .arg(m_model->queue().displayName())
            .arg(c.count)
            .arg(f.count)
            .arg(c.openMinuteCount())
            .arg(f.openMinuteCount())
            .arg(c.points)
            .arg(f.points));
    // Both series whole: the two lists may end in different minutes.
    const int rows = m_model->rowCount();
    m_chart->setRangeSeconds(rows > 1 ? int((m_model->timeAt(rows - 1) - m_model->timeAt(0)) / 1000) + 60 : 60);
    m_timer->start();
    Q_EMIT loaded();
}

void QueueMetricsChart::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (!m_client)
        return;
    if (!m_listed)
        refresh();
    else if (!m_model->isLoading() && !m_timer->isActive())
        loadCurrent();
}

QString QueueMetricsChart::statusText() const
{
    return m_status->text();
}

} // namespace bullpen
