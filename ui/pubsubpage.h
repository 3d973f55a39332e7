// SPDX-License-Identifier: MIT
#pragma once

#include "clientpage.h"

#include <QPointer>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace bullpen {

class PubSubMonitor;
class RedisClient;
enum class SubscriberOverflow;

/// Pub/sub traffic on a subscriber connection of its own: patterns typed by the user, the
/// PUBSUB overview, a live table of channels and a bounded message log with filter and pause
/// (counting goes on while paused). A lost subscriber is said plainly and marked in the log.
/// Publish is offered on read-write connections only.
class PubSubPage : public ClientPage
{
    Q_OBJECT
public:
    explicit PubSubPage(QWidget* parent = nullptr);
    ~PubSubPage() override;

    void setClient(RedisClient* client) override;
    void refreshNow() override;

    PubSubMonitor* monitor() const { return m_monitor; }
    /// Subscribes to the space-separated patterns/channels (as typed in the field).
    void subscribeTo(const QString& text);
    void setFilter(const QString& text);
    void setPaused(bool paused);
    /// Messages the log keeps (default 100,000); clears the log. The choice is kept in
    /// QSettings ("pubsub/logCapacity") and read by every new page.
    void setLogCapacity(int messages);
    int logCapacity() const;
    /// What happens when the page falls behind the messages: Hold lets Redis buffer them (nothing
    /// lost; Redis may cut the connection at its client-output-buffer-limit, shown as a gap),
    /// Drop drops them here and counts them (spares the server). Takes effect at once. Kept in
    /// QSettings per kind of connection ("pubsub/whenBehind/readWrite", ".../readOnly"): Hold by
    /// default, Drop for read-only connections (production profiles are read-only by default).
    void setOverflow(SubscriberOverflow policy);
    SubscriberOverflow overflow() const;
    QTableView* channelView() const { return m_channels; }
    QTableView* logView() const { return m_log; }
    QString statusText() const;
    QString detailText() const;
    bool canPublish() const;
    /// PUBLISH on the page's client (read-write only); the reply's receiver count arrives later.
    void publish(const QByteArray& channel, const QByteArray& message);
    /// Opens the publish dialog (non-modal; returns it).
    QWidget* showPublishDialog();

private:
    void updateCounters();
    void showDetail();
    void showOverflow(SubscriberOverflow policy);

    PubSubMonitor* m_monitor = nullptr;
    QPointer<RedisClient> m_client;
    QLineEdit* m_patterns = nullptr;
    QLineEdit* m_filter = nullptr;
    QCheckBox* m_pause = nullptr;
    QComboBox* m_capacity = nullptr;
    QComboBox* m_whenBehind = nullptr;
    bool m_readOnly = false; ///< of the current client: which remembered overflow choice applies
    QPushButton* m_publish = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_counters = nullptr;
    QTableView* m_channels = nullptr;
    QTableView* m_log = nullptr;
    QSortFilterProxyModel* m_logProxy = nullptr;
    QPlainTextEdit* m_detail = nullptr;
};

} // namespace bullpen
