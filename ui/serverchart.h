// SPDX-License-Identifier: MIT
#pragma once

#include <QChartView>

#include <QPointer>

class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace bullpen {

class TimeSeriesModel;

/// One chart of some columns of a TimeSeriesModel. Holds no data: the series are redrawn from
/// the model (the visible time range only) when rows arrive, unless paused. Hovering a line
/// shows the values of every column of the chart at that time.
class ServerChart : public QChartView
{
    Q_OBJECT
public:
    ServerChart(const QString& title, TimeSeriesModel* model, const QList<int>& columns, QWidget* parent = nullptr);
    ~ServerChart() override;

    /// Seconds of history shown (ending at the newest sample).
    void setRangeSeconds(int seconds);
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    /// Redraws from the model now.
    void refresh();
    /// Points drawn in the series of `column` (for tests).
    int pointCount(int column) const;
    /// The tooltip text for time `timeMs` (for tests and hover).
    QString valuesAt(qint64 timeMs) const;

private:
    void scheduleRefresh();

    QPointer<TimeSeriesModel> m_model;
    QList<int> m_columns;
    QList<QLineSeries*> m_series;
    QDateTimeAxis* m_x = nullptr;
    QValueAxis* m_y = nullptr;
    int m_rangeSeconds = 300;
    bool m_paused = false;
    bool m_pending = false;
    QString m_title;
};

} // namespace bullpen
