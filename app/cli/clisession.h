// SPDX-License-Identifier: MIT
#pragma once

#include "clioptions.h"
#include "exitcode.h"
#include "redisclient.h"

#include <QObject>

#include <memory>

class QJsonValue;
class QTimer;

namespace bullpen::cli {

class CliCommand;

/// One run of bullpen-cli: opens the connection, waits for it to be ready (or to fail), runs
/// the command, prints, and ends the event loop with the exit code. Lives on the main thread;
/// the network happens in the RedisClient's thread.
class CliSession : public QObject
{
    Q_OBJECT
public:
    CliSession(CliOptions options, std::unique_ptr<CliCommand> command, QObject* parent = nullptr);
    ~CliSession() override;

    /// Opens the connection; call with the event loop running or about to run.
    void start();

    RedisClient* client() const { return m_client; }
    const CliOptions& options() const { return m_options; }
    bool json() const { return m_options.json; }
    /// Per-call options from the command line (--allow-dangerous).
    CallOptions callOptions() const;

    /// Prints the reply (human or JSON) and finishes with its exit code; errors go through fail().
    void finishWithReply(const Reply& reply);
    /// Prints the error (JSON on stdout with --json; a message on stderr always) and finishes with
    /// its exit code. `hint` is added to the stderr message only.
    void fail(const Reply& error, const QString& hint = {});
    /// Prints a text (human mode) or JSON value and finishes with ExitCode::Ok.
    void finishWithText(const QString& text);
    void finishWithJson(const QJsonValue& value);
    void finish(ExitCode code);

    bool isFinished() const { return m_finished; }

private:
    void onStateChanged(ConnectionState state, const QString& reason);
    void connectionFailed(const QString& reason);

    CliOptions m_options;
    std::unique_ptr<CliCommand> m_command;
    RedisClient* m_client = nullptr;
    QTimer* m_backstop = nullptr;
    bool m_running = false;
    bool m_finished = false;
};

} // namespace bullpen::cli
