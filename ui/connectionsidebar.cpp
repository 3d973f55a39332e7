// SPDX-License-Identifier: MIT
#include "connectionsidebar.h"

#include "connectionworkspace.h"

#include <QMenu>
#include <QPainter>
#include <QPointer>

namespace bullpen {

namespace {

    constexpr int kWorkspaceRole = Qt::UserRole;

    // A colour bar for the tag (empty when none) and a dot for the state.
    QIcon entryIcon(const QString& tagHex, const QString& stateHex)
    {
        QPixmap pixmap(22, 14);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        if (!tagHex.isEmpty()) {
            painter.setPen(Qt::NoPen);
            painter.setBrush(QColor(tagHex));
            painter.drawRoundedRect(QRectF(0, 0, 5, 14), 1.5, 1.5);
        }
        painter.setPen(QPen(QColor(stateHex).darker(130), 1));
        painter.setBrush(QColor(stateHex));
        painter.drawEllipse(QRectF(9.5, 2.5, 9, 9));
        return QIcon(pixmap);
    }

} // namespace

ConnectionSidebar::ConnectionSidebar(QWidget* parent)
    : QListWidget(parent)
{
    setObjectName(QStringLiteral("sidebar"));
    setIconSize(QSize(22, 14));
    setContextMenuPolicy(Qt::CustomContextMenu);
    setSelectionMode(QAbstractItemView::SingleSelection);
    connect(this, &QWidget::customContextMenuRequested, this, &ConnectionSidebar::showMenu);
}

ConnectionSidebar::~ConnectionSidebar() = default;

QString ConnectionSidebar::stateColour(const ConnectionWorkspace* workspace)
{
    if (!workspace->client())
        return workspace->state() == ConnectionState::Failed ? QStringLiteral("#d32f2f") : QStringLiteral("#9e9e9e");
    switch (workspace->state()) {
    case ConnectionState::Ready:
        return QStringLiteral("#43a047");
    case ConnectionState::Connecting:
        return QStringLiteral("#1e88e5");
    case ConnectionState::Disconnected:
        return QStringLiteral("#fb8c00");
    case ConnectionState::Failed:
        return QStringLiteral("#d32f2f");
    }
    return QStringLiteral("#9e9e9e");
}

void ConnectionSidebar::addWorkspace(ConnectionWorkspace* workspace)
{
    auto* item = new QListWidgetItem(this);
    item->setData(kWorkspaceRole, QVariant::fromValue<QObject*>(workspace));
    connect(workspace, &ConnectionWorkspace::changed, this, [this, workspace] { refresh(workspace); });
    refresh(workspace);
}

void ConnectionSidebar::removeWorkspace(ConnectionWorkspace* workspace)
{
    disconnect(workspace, nullptr, this, nullptr);
    const int row = rowOf(workspace);
    if (row >= 0)
        delete takeItem(row);
}

ConnectionWorkspace* ConnectionSidebar::workspaceAt(int row) const
{
    const QListWidgetItem* it = item(row);
    return it ? qobject_cast<ConnectionWorkspace*>(it->data(kWorkspaceRole).value<QObject*>()) : nullptr;
}

int ConnectionSidebar::rowOf(const ConnectionWorkspace* workspace) const
{
    for (int row = 0; row < count(); ++row) {
        if (workspaceAt(row) == workspace)
            return row;
    }
    return -1;
}

void ConnectionSidebar::refresh(ConnectionWorkspace* workspace)
{
    QListWidgetItem* it = item(rowOf(workspace));
    if (!it)
        return;
    const QString state = workspace->client() ? stateName(workspace->state()) : tr("not connected");
    it->setText(workspace->title()); // item text is never rich text
    it->setIcon(entryIcon(connections::colourTagHex(workspace->profile().colour), stateColour(workspace)));
    QString tip = workspace->address().isEmpty() ? state : workspace->address() + QStringLiteral(" — ") + state;
    if (workspace->client() && workspace->profile().readOnly)
        tip += tr(" (read-only)");
    it->setToolTip(tip.toHtmlEscaped());
    it->setData(Qt::AccessibleDescriptionRole, state);
}

void ConnectionSidebar::showMenu(const QPoint& pos)
{
    QListWidgetItem* it = itemAt(pos);
    if (!it)
        return;
    QPointer<ConnectionWorkspace> workspace = workspaceAt(row(it));
    auto* menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    QAction* edit = menu->addAction(tr("&Edit Connection…"));
    edit->setEnabled(!workspace->profile().id.isEmpty());
    connect(edit, &QAction::triggered, this, [this, workspace] {
        if (workspace)
            Q_EMIT editRequested(workspace);
    });
    QAction* forget = menu->addAction(tr("&Forget Saved Connection…"));
    forget->setEnabled(!workspace->profile().id.isEmpty());
    connect(forget, &QAction::triggered, this, [this, workspace] {
        if (workspace)
            Q_EMIT forgetRequested(workspace);
    });
    menu->addSeparator();
    QAction* close = menu->addAction(tr("&Close Connection"));
    close->setShortcut(QKeySequence::Close);
    connect(close, &QAction::triggered, this, [this, workspace] {
        if (workspace)
            Q_EMIT closeRequested(workspace);
    });
    menu->popup(viewport()->mapToGlobal(pos));
}

} // namespace bullpen
