// SPDX-License-Identifier: MIT
#include "clisession.h"

#include "clicommand.h"
#include "clioutput.h"
#include "clusterclient.h"

#include <QCoreApplication>
#include <QTimer>

namespace bullpen::cli {

CliSession::CliSession(CliOptions options, std::unique_ptr<CliCommand> command, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_command(std::move(command))
    , m_client(m_options.cluster ? new ClusterClient(m_options.connection, this)
                                 : new RedisClient(m_options.connection, this))
    , m_backstop(new QTimer(this))
{
    connect(m_client, &RedisClient::stateChanged, this, &CliSession::onStateChanged);
    m_backstop->setSingleShot(true);
    connect(m_backstop, &QTimer::timeout, this,
        [this] { connectionFailed(QStringLiteral("no connection within %1 ms").arg(m_backstop->interval())); });
}

CliSession::~CliSession()
{
    // The client first: its thread fails whatever is pending while the command still exists.
    delete m_client;
    m_client = nullptr;
}

void CliSession::start()
{
    // The connection gives up on its own after the connect timeout (connect, then handshake);
    // this is only a backstop so the CLI can never wait forever.
    m_backstop->start(2 * m_options.connection.connectTimeoutMs + 1000);
    m_client->open();
}

CallOptions CliSession::callOptions() const
{
    CallOptions call;
    call.allowDangerous = m_options.allowDangerous;
    return call;
}

void CliSession::onStateChanged(ConnectionState state, const QString& reason)
{
    if (m_finished || m_running)
        return; // once the command runs, its reply tells what happened
    switch (state) {
    case ConnectionState::Connecting:
        break;
    case ConnectionState::Ready:
        m_backstop->stop();
        m_running = true;
        m_command->run(*this);
        break;
    case ConnectionState::Failed:
        connectionFailed(reason);
        break;
    case ConnectionState::Disconnected:
        // Without reconnect a failed attempt ends here, not in Failed.
        if (!reason.isEmpty())
            connectionFailed(reason);
        break;
    }
}

void CliSession::connectionFailed(const QString& reason)
{
    if (m_finished)
        return;
    const QString message
        = QStringLiteral("cannot connect to %1: %2")
              .arg(m_options.connection.displayAddress(), reason.isEmpty() ? QStringLiteral("unknown error") : reason);
    fail(Reply::failure(Reply::ErrorKind::Connection, message));
}

void CliSession::finishWithReply(const Reply& reply)
{
    if (reply.isError()) {
        fail(reply);
        return;
    }
    if (json())
        finishWithJson(replyToJson(reply));
    else
        finishWithText(reply.toDisplayString());
}

void CliSession::fail(const Reply& error, const QString& hint)
{
    if (m_finished)
        return;
    if (json())
        writeOut(toJsonText(replyToJson(error)) + '\n');
    if (error.errorKind() == Reply::ErrorKind::Server)
        writeErr(error.toDisplayString() + QLatin1Char('\n'));
    else
        writeErr(QStringLiteral("bullpen-cli: ") + error.errorMessage() + hint + QLatin1Char('\n'));
    finish(exitCodeFor(error));
}

void CliSession::finishWithText(const QString& text)
{
    if (m_finished)
        return;
    if (json())
        writeOut(toJsonText(text) + '\n');
    else
        writeOut(text.toUtf8() + '\n');
    finish(ExitCode::Ok);
}

void CliSession::finishWithJson(const QJsonValue& value)
{
    if (m_finished)
        return;
    writeOut(toJsonText(value) + '\n');
    finish(ExitCode::Ok);
}

void CliSession::finish(ExitCode code)
{
    if (m_finished)
        return;
    m_finished = true;
    m_backstop->stop();
    // Queued: exit() does nothing unless the loop runs, and a command may finish synchronously.
    QMetaObject::invokeMethod(
        QCoreApplication::instance(), [code] { QCoreApplication::exit(int(code)); }, Qt::QueuedConnection);
}

} // namespace bullpen::cli
