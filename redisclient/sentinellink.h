// SPDX-License-Identifier: MIT
#pragma once

#include "connectionoptions.h"
#include "reply.h"

#include <QObject>

#include <memory>

class QTcpSocket;
class QTimer;

namespace bullpen {

class RespDecoder;

/// A small side connection to one Redis Sentinel, used by RedisConnection on its own thread:
/// once to ask for the master's address, or for good to listen to failover events.
/// With Transport::Tls in the options the link is TLS, with the options' CA, client certificate,
/// SNI name and `insecure` (the commands are written once the handshake is done).
///
/// open() connects, authenticates when the options carry a sentinel password, names the
/// connection and sends the given commands in one write. Every reply to those commands, and
/// every message pushed afterwards, arrives through replyReceived() in order. Any failure
/// (connect, AUTH, timeout, protocol, closed by the peer) emits failed() once; the link is then
/// closed and stays silent. The timeout runs from open() until disarm().
class SentinelLink : public QObject
{
    Q_OBJECT
public:
    SentinelLink(ConnectionOptions::SentinelNode node, const ConnectionOptions& options, const QString& purpose,
        QObject* parent = nullptr);
    ~SentinelLink() override;

    void open(const QList<Command>& commands, int timeoutMs);
    void disarm();
    /// "host:port" of the sentinel.
    QString address() const;
    const ConnectionOptions::SentinelNode& node() const { return m_node; }

Q_SIGNALS:
    void replyReceived(const bullpen::Reply& reply);
    void failed(const QString& reason);

private:
    void onReadyRead();
    void fail(const QString& reason);

    ConnectionOptions::SentinelNode m_node;
    QString m_user;
    QString m_password;
    QString m_name;
    ConnectionOptions m_tls; ///< transport and TLS settings
    QTcpSocket* m_socket = nullptr;
    QTimer* m_timer = nullptr;
    std::unique_ptr<RespDecoder> m_decoder;
    int m_preamble = 0; ///< replies of AUTH and CLIENT SETNAME still to come, not passed on
    bool m_authPending = false;
    bool m_dead = false;
};

} // namespace bullpen
