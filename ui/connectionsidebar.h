// SPDX-License-Identifier: MIT
#pragma once

#include <QListWidget>

namespace bullpen {

class ConnectionWorkspace;

/// The open connections, one entry each: name, colour tag and a state dot, and below the name in
/// smaller type the topology of a sentinel or cluster connection (ConnectionWorkspace::topology()).
/// Selecting an entry
/// shows that connection's workspace (the owner follows currentRowChanged). The context menu
/// edits the profile or closes the connection.
class ConnectionSidebar : public QListWidget
{
    Q_OBJECT
public:
    explicit ConnectionSidebar(QWidget* parent = nullptr);
    ~ConnectionSidebar() override;

    void addWorkspace(ConnectionWorkspace* workspace);
    void removeWorkspace(ConnectionWorkspace* workspace);
    ConnectionWorkspace* workspaceAt(int row) const;
    int rowOf(const ConnectionWorkspace* workspace) const;

    /// The topology lines shown under an entry (empty for a standalone server).
    QStringList topologyText(const ConnectionWorkspace* workspace) const;

    /// The dot colour of an entry (for tests): "#rrggbb".
    static QString stateColour(const ConnectionWorkspace* workspace);

Q_SIGNALS:
    void closeRequested(bullpen::ConnectionWorkspace* workspace);
    void editRequested(bullpen::ConnectionWorkspace* workspace);
    void forgetRequested(bullpen::ConnectionWorkspace* workspace);

private:
    void refresh(ConnectionWorkspace* workspace);
    void showMenu(const QPoint& pos);
};

} // namespace bullpen
