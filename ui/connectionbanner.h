// SPDX-License-Identifier: MIT
#pragma once

#include "redisconnection.h" // ConnectionState

#include <QWidget>

class QFrame;
class QLabel;

namespace bullpen {

/// An inline, colored message bar that tells the connection state: Connecting, Ready,
/// Disconnected (with the reason, while reconnecting) or Failed (with the reason). Reasons
/// come from the server or the network and are shown as plain text.
class ConnectionBanner : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectionBanner(QWidget* parent = nullptr);
    ~ConnectionBanner() override;

    /// A new connection to `address` is being opened: shows Connecting.
    void reset(const QString& address);
    /// Follows the client's stateChanged(). A reconnect attempt after a lost connection keeps
    /// showing "Disconnected" (with the last reason) instead of flickering to "Connecting".
    void setConnectionState(bullpen::ConnectionState state, const QString& reason);
    /// Shows a failure that is not the connection's, e.g. a URL that cannot be parsed.
    void showFailure(const QString& message);

    ConnectionState state() const { return m_state; }
    QString text() const;

private:
    void apply(ConnectionState state, const QString& text);

    QFrame* m_frame = nullptr;
    QLabel* m_icon = nullptr;
    QLabel* m_label = nullptr;
    QString m_address;
    QString m_lastReason;
    ConnectionState m_state = ConnectionState::Disconnected;
    bool m_everReady = false;
};

} // namespace bullpen
