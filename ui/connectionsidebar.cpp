// SPDX-License-Identifier: MIT
#include "connectionsidebar.h"

#include "connectionworkspace.h"

#include <QApplication>
#include <QMenu>
#include <QPainter>
#include <QPointer>
#include <QStyledItemDelegate>

namespace bullpen {

namespace {

    constexpr int kWorkspaceRole = Qt::UserRole;
    constexpr int kTopologyRole = Qt::UserRole + 1; // QStringList, painted under the name

    QFont smallFont(const QFont& base)
    {
        QFont font = base;
        font.setPointSizeF(base.pointSizeF() * 0.85);
        return font;
    }

    // The entry as QListWidget paints it, then the topology lines below in smaller type. Text is
    // drawn as plain text (host names come from the servers).
    class EntryDelegate : public QStyledItemDelegate
    {
    public:
        using QStyledItemDelegate::QStyledItemDelegate;

        QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override
        {
            QSize size = QStyledItemDelegate::sizeHint(option, index);
            const QStringList lines = index.data(kTopologyRole).toStringList();
            if (!lines.isEmpty()) {
                const QFontMetrics metrics(smallFont(option.font));
                int width = 0;
                for (const QString& line : lines)
                    width = std::max(width, metrics.horizontalAdvance(line));
                size.setHeight(size.height() + int(lines.size()) * metrics.lineSpacing() + 4);
                size.setWidth(std::max(size.width(), width + kIndent + 8));
            }
            return size;
        }

        void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override
        {
            const QStringList lines = index.data(kTopologyRole).toStringList();
            if (lines.isEmpty()) {
                QStyledItemDelegate::paint(painter, option, index);
                return;
            }
            QStyleOptionViewItem opt = option;
            initStyleOption(&opt, index);
            const QWidget* widget = option.widget;
            QStyle* style = widget ? widget->style() : QApplication::style();
            // Background (selection, hover) over the whole entry, then the first line on top.
            style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, widget);
            const QFontMetrics metrics(smallFont(option.font));
            const int extra = int(lines.size()) * metrics.lineSpacing() + 4;
            QStyleOptionViewItem top = option;
            top.rect.setHeight(option.rect.height() - extra);
            QStyledItemDelegate::paint(painter, top, index);

            painter->save();
            painter->setFont(smallFont(option.font));
            const bool selected = option.state & QStyle::State_Selected;
            QColor colour = option.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
            if (!selected)
                colour.setAlphaF(0.7f);
            painter->setPen(colour);
            int y = top.rect.bottom() + 1;
            for (const QString& line : lines) {
                const QRect rect(option.rect.left() + kIndent, y, option.rect.width() - kIndent - 4, metrics.lineSpacing());
                painter->drawText(rect, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine,
                    metrics.elidedText(line, Qt::ElideRight, rect.width()));
                y += metrics.lineSpacing();
            }
            painter->restore();
        }

    private:
        static constexpr int kIndent = 12; // past the colour tag
    };

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
    setItemDelegate(new EntryDelegate(this));
    setUniformItemSizes(false);
    // Long lines are elided (the tooltip has them whole), never scrolled sideways.
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
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

QStringList ConnectionSidebar::topologyText(const ConnectionWorkspace* workspace) const
{
    const QListWidgetItem* it = item(rowOf(workspace));
    return it ? it->data(kTopologyRole).toStringList() : QStringList();
}

void ConnectionSidebar::refresh(ConnectionWorkspace* workspace)
{
    QListWidgetItem* it = item(rowOf(workspace));
    if (!it)
        return;
    const QString state = workspace->client() ? stateName(workspace->state()) : tr("not connected");
    it->setText(workspace->title()); // item text is never rich text
    it->setIcon(entryIcon(connections::colourTagHex(workspace->profile().colour), stateColour(workspace)));
    const QStringList topology = workspace->topology();
    if (it->data(kTopologyRole).toStringList() != topology) {
        it->setData(kTopologyRole, topology);
        scheduleDelayedItemsLayout(); // the entry's height changed
    }
    QString tip = workspace->address().isEmpty() ? state : workspace->address() + QStringLiteral(" — ") + state;
    if (workspace->client() && workspace->profile().readOnly)
        tip += tr(" (read-only)");
    for (const QString& line : topology)
        tip += QLatin1Char('\n') + line.trimmed();
    it->setToolTip(tip.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>")));
    it->setData(Qt::AccessibleDescriptionRole,
        topology.isEmpty() ? state : state + QStringLiteral("; ") + topology.join(QStringLiteral("; ")));
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
