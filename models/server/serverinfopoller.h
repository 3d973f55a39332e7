// SPDX-License-Identifier: MIT
#pragma once

#include "redisclient.h"
#include "serverinfo.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>

class QTimer;

namespace bullpen {

/// Polls INFO on one client: at most one request in flight, the next one scheduled only
/// after the previous reply (or error) arrived, replies of a previous client dropped.
class ServerInfoPoller : public QObject
{
    Q_OBJECT
public:
    explicit ServerInfoPoller(QObject* parent = nullptr);
    ~ServerInfoPoller() override;

    /// Polls `client` from now on (nullptr: stop). A reply still pending for the previous
    /// client is ignored when it arrives.
    void setClient(RedisClient* client);
    RedisClient* client() const { return m_client; }

    /// Pause between a reply and the next request (default 2000 ms).
    void setInterval(int ms);
    int interval() const { return m_intervalMs; }

    /// Starts polling (first request at once).
    void start();
    void stop();
    bool isActive() const { return m_active; }

    /// Asks now, unless a request is already in flight (its reply is just as fresh).
    void refreshNow();
    /// True while a request is in flight.
    bool isBusy() const { return m_inFlight; }

Q_SIGNALS:
    void infoReceived(const bullpen::ServerInfo& info, const QDateTime& when);
    void failed(const QString& message);
    void busyChanged(bool busy);

private:
    void poll();
    void onReply(quint64 generation, const Reply& reply);
    void setBusy(bool busy);

    QPointer<RedisClient> m_client;
    QTimer* m_timer = nullptr;
    quint64 m_generation = 0;
    int m_intervalMs = 2000;
    bool m_active = false;
    bool m_inFlight = false;
};

} // namespace bullpen
