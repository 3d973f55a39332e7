// SPDX-License-Identifier: MIT
#include "sentinellink.h"

#include "respcodec.h"
#include "tlsconfig.h"

#include <QPointer>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

namespace bullpen {

SentinelLink::SentinelLink(
    ConnectionOptions::SentinelNode node, const ConnectionOptions& options, const QString& purpose, QObject* parent)
    : QObject(parent)
    , m_node(std::move(node))
    , m_user(options.sentinelUser)
    , m_password(options.sentinelPassword)
    , m_name(QStringLiteral("bullpen:%1:%2").arg(options.role, purpose))
{
    m_tls.transport = options.transport;
    m_tls.caFile = options.caFile;
    m_tls.certFile = options.certFile;
    m_tls.keyFile = options.keyFile;
    m_tls.serverName = options.serverName;
    m_tls.insecure = options.insecure;
}

SentinelLink::~SentinelLink()
{
    m_dead = true;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

QString SentinelLink::address() const
{
    ConnectionOptions o;
    o.host = m_node.host;
    o.port = m_node.port;
    return o.displayAddress();
}

void SentinelLink::open(const QList<Command>& commands, int timeoutMs)
{
    m_decoder = std::make_unique<RespDecoder>();
    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this,
        [this, timeoutMs] { fail(QStringLiteral("no answer within %1 ms").arg(timeoutMs)); });
    const bool tls = m_tls.transport == ConnectionOptions::Transport::Tls;
    QSslSocket* ssl = nullptr;
    if (tls) {
        ssl = new QSslSocket(this);
        m_socket = ssl;
    } else {
        m_socket = new QTcpSocket(this);
    }
    QByteArray out;
    m_authPending = !m_password.isEmpty();
    if (m_authPending) {
        encodeCommand(m_user.isEmpty() ? Command { "AUTH", m_password.toUtf8() }
                                       : Command { "AUTH", m_user.toUtf8(), m_password.toUtf8() },
            out);
        ++m_preamble;
    }
    encodeCommand({ "CLIENT", "SETNAME", m_name.toUtf8() }, out);
    ++m_preamble;
    for (const Command& c : commands)
        encodeCommand(c, out);
    const auto writeAll = [this, out] {
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_socket->write(out);
    };
    if (ssl) {
        connect(ssl, &QSslSocket::encrypted, this, writeAll);
        connect(ssl, &QSslSocket::sslErrors, this, [this](const QList<QSslError>& errors) {
            // Not ignored: the handshake is aborted. Say why instead of "remote host closed".
            QStringList texts;
            for (const auto& e : errors)
                texts << e.errorString();
            fail(QStringLiteral("TLS: certificate verification failed: ") + texts.join(QStringLiteral("; ")));
        });
    } else {
        connect(m_socket, &QTcpSocket::connected, this, writeAll);
    }
    connect(m_socket, &QTcpSocket::readyRead, this, &SentinelLink::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this,
        [this] { fail(QStringLiteral("the sentinel closed the connection")); });
    connect(m_socket, &QTcpSocket::errorOccurred, this,
        [this](QAbstractSocket::SocketError) { fail(m_socket->errorString()); });
    m_timer->start(timeoutMs);
    if (ssl) {
        QString error;
        const auto config = tlsConfiguration(m_tls, &error);
        if (!config) {
            // Reported from the event loop, as every other failure: the caller connects first.
            QTimer::singleShot(0, this, [this, error] { fail(error); });
            return;
        }
        ssl->setSslConfiguration(*config);
        ssl->connectToHostEncrypted(
            m_node.host, m_node.port, m_tls.serverName.isEmpty() ? m_node.host : m_tls.serverName);
    } else {
        m_socket->connectToHost(m_node.host, m_node.port);
    }
}

void SentinelLink::disarm()
{
    if (m_timer)
        m_timer->stop();
}

void SentinelLink::onReadyRead()
{
    if (m_dead)
        return;
    // A receiver may delete this link (deleteLater) or fail it from within a signal.
    const QPointer<SentinelLink> self(this);
    m_decoder->feed(m_socket->readAll());
    while (self && !m_dead) {
        auto reply = m_decoder->next();
        if (!reply)
            break;
        if (m_preamble > 0) {
            --m_preamble;
            if (m_authPending) {
                m_authPending = false;
                if (reply->isError()) {
                    fail(QStringLiteral("authentication failed: %1").arg(reply->errorMessage()));
                    return;
                }
            }
            // CLIENT SETNAME may be refused to a restricted user: no reason to fail.
            continue;
        }
        Q_EMIT replyReceived(*reply);
    }
    if (self && !m_dead && m_decoder->hasError())
        fail(m_decoder->errorString());
}

void SentinelLink::fail(const QString& reason)
{
    if (m_dead)
        return;
    m_dead = true;
    if (m_timer)
        m_timer->stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    Q_EMIT failed(reason);
}

} // namespace bullpen
