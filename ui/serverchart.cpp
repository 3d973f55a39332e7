// SPDX-License-Identifier: MIT
#include "serverchart.h"

#include "server/timeseriesmodel.h"

#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QGraphicsLayout>
#include <QLineSeries>
#include <QTimer>
#include <QToolTip>
#include <QValueAxis>

#include <cmath>

namespace bullpen {

ServerChart::ServerChart(const QString& title, TimeSeriesModel* model, const QList<int>& columns, QWidget* parent)
    : QChartView(parent)
    , m_model(model)
    , m_columns(columns)
    , m_x(new QDateTimeAxis(this))
    , m_y(new QValueAxis(this))
{
    m_title = title;
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(2, 2, 2, 2));
    chart->layout()->setContentsMargins(0, 0, 0, 0);
    chart->setBackgroundRoundness(0);
    m_x->setFormat(QStringLiteral("HH:mm:ss"));
    m_x->setTickCount(4);
    m_y->setLabelFormat(QStringLiteral("%.3g"));
    m_y->setTickCount(4);
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    for (const int column : columns) {
        auto* series = new QLineSeries(this);
        series->setName(model->columnName(column));
        chart->addSeries(series);
        series->attachAxis(m_x);
        series->attachAxis(m_y);
        connect(series, &QLineSeries::hovered, this, [this](const QPointF& point, bool state) {
            if (!state) {
                QToolTip::hideText();
                return;
            }
            QToolTip::showText(QCursor::pos(), valuesAt(qint64(point.x())).toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>")), this);
        });
        m_series.append(series);
    }
    // The view made a default chart of its own: setChart() releases it without deleting it.
    QChart* unused = this->chart();
    setChart(chart);
    delete unused;
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(150);
    connect(model, &QAbstractItemModel::rowsInserted, this, &ServerChart::scheduleRefresh);
    connect(model, &QAbstractItemModel::modelReset, this, &ServerChart::scheduleRefresh);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &ServerChart::scheduleRefresh);
    refresh();
}

ServerChart::~ServerChart() = default;

void ServerChart::setRangeSeconds(int seconds)
{
    m_rangeSeconds = std::max(10, seconds);
    refresh();
}

void ServerChart::setPaused(bool paused)
{
    m_paused = paused;
    if (!paused)
        refresh();
}

void ServerChart::scheduleRefresh()
{
    // Coalesce: a removal and an insertion per sample arrive together.
    if (m_paused || m_pending)
        return;
    m_pending = true;
    QTimer::singleShot(0, this, [this] {
        m_pending = false;
        if (!m_paused)
            refresh();
    });
}

void ServerChart::refresh()
{
    if (!m_model)
        return;
    const int rows = m_model->rowCount();
    const qint64 end = rows > 0 ? m_model->timeAt(rows - 1) : QDateTime::currentMSecsSinceEpoch();
    // The range, or less while the history is shorter (so a fresh page is not a thin sliver).
    const qint64 start = std::max(end - qint64(m_rangeSeconds) * 1000, rows > 0 ? m_model->timeAt(0) : end - 1000);
    const int first = m_model->firstRowAtOrAfter(start);
    // Bytes are drawn in KiB or MiB, so axis labels stay short.
    const TimeSeriesModel::Unit unit = m_columns.isEmpty() ? TimeSeriesModel::Unit::Count : m_model->unit(m_columns.first());
    const bool bytes = unit == TimeSeriesModel::Unit::Bytes || unit == TimeSeriesModel::Unit::BytesPerSecond;
    double peak = 0;
    for (int r = first; r < rows; ++r) {
        for (const int c : std::as_const(m_columns)) {
            const double v = m_model->valueAt(r, c);
            if (!std::isnan(v))
                peak = std::max(peak, v);
        }
    }
    double scale = 1;
    QString suffix;
    if (bytes) {
        scale = peak >= 10 * 1024 * 1024 ? 1024.0 * 1024.0 : peak >= 10 * 1024 ? 1024.0 : 1.0;
        suffix = scale > 1024 ? QStringLiteral("MiB") : scale > 1 ? QStringLiteral("KiB") : QStringLiteral("B");
        if (unit == TimeSeriesModel::Unit::BytesPerSecond)
            suffix += QStringLiteral("/s");
    }
    chart()->setTitle(suffix.isEmpty() ? m_title : m_title + QStringLiteral(" (") + suffix + QLatin1Char(')'));
    double lo = 0, hi = 0;
    bool any = false;
    for (qsizetype i = 0; i < m_columns.size(); ++i) {
        QList<QPointF> points;
        points.reserve(rows - first);
        for (int r = first; r < rows; ++r) {
            const double v = m_model->valueAt(r, m_columns.at(i)) / scale;
            if (std::isnan(v))
                continue;
            points.append(QPointF(double(m_model->timeAt(r)), v));
            lo = any ? std::min(lo, v) : v;
            hi = any ? std::max(hi, v) : v;
            any = true;
        }
        m_series.at(i)->replace(points);
    }
    m_x->setRange(QDateTime::fromMSecsSinceEpoch(start), QDateTime::fromMSecsSinceEpoch(end));
    lo = std::min(lo, 0.0);
    if (hi <= lo)
        hi = lo + 1;
    m_y->setRange(lo, hi * 1.1);
    m_y->setLabelFormat(hi * 1.1 >= 100 ? QStringLiteral("%.0f") : QStringLiteral("%.2g"));
}

int ServerChart::pointCount(int column) const
{
    const qsizetype i = m_columns.indexOf(column);
    return i < 0 ? -1 : int(m_series.at(i)->count());
}

QString ServerChart::valuesAt(qint64 timeMs) const
{
    if (!m_model || m_model->rowCount() == 0)
        return {};
    int row = m_model->firstRowAtOrAfter(timeMs);
    // The nearer of the samples around timeMs.
    if (row >= m_model->rowCount() || (row > 0 && timeMs - m_model->timeAt(row - 1) < m_model->timeAt(row) - timeMs))
        row = std::max(0, row - 1);
    QStringList lines { QDateTime::fromMSecsSinceEpoch(m_model->timeAt(row)).toString(QStringLiteral("HH:mm:ss")) };
    for (const int c : m_columns)
        lines << m_model->columnName(c) + QStringLiteral(": ")
                + TimeSeriesModel::formatValue(m_model->valueAt(row, c), m_model->unit(c));
    return lines.join(QLatin1Char('\n'));
}

} // namespace bullpen
