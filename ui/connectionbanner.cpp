// SPDX-License-Identifier: MIT
#include "connectionbanner.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>

namespace bullpen {

namespace {

    struct Look
    {
        const char* background;
        const char* border;
        const char* text;
        QStyle::StandardPixmap icon;
    };

    Look lookFor(ConnectionState state)
    {
        switch (state) {
        case ConnectionState::Connecting:
            return { "#e0ecfb", "#8fb5e8", "#173a66", QStyle::SP_MessageBoxInformation };
        case ConnectionState::Ready:
            return { "#e1f5e4", "#8ccf98", "#16461f", QStyle::SP_DialogApplyButton };
        case ConnectionState::Disconnected:
            return { "#fdf1d6", "#e8c06a", "#5c3d00", QStyle::SP_MessageBoxWarning };
        case ConnectionState::Failed:
            return { "#fbe3e1", "#e59a93", "#6b1710", QStyle::SP_MessageBoxCritical };
        }
        return { "#ffffff", "#cccccc", "#000000", QStyle::SP_MessageBoxInformation };
    }

} // namespace

ConnectionBanner::ConnectionBanner(QWidget* parent)
    : QWidget(parent)
    , m_frame(new QFrame(this))
    , m_icon(new QLabel(m_frame))
    , m_label(new QLabel(m_frame))
{
    m_frame->setObjectName(QStringLiteral("bannerFrame"));
    m_label->setObjectName(QStringLiteral("bannerText"));
    m_icon->setTextFormat(Qt::PlainText);
    m_label->setTextFormat(Qt::PlainText); // reasons come from the server and the network
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_label->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);

    auto* inner = new QHBoxLayout(m_frame);
    inner->setContentsMargins(10, 6, 10, 6);
    inner->setSpacing(8);
    inner->addWidget(m_icon, 0, Qt::AlignTop);
    inner->addWidget(m_label, 1);

    auto* outer = new QHBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_frame);

    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    apply(ConnectionState::Disconnected, tr("Not connected"));
}

ConnectionBanner::~ConnectionBanner() = default;

QString ConnectionBanner::text() const
{
    return m_label->text();
}

void ConnectionBanner::reset(const QString& address)
{
    m_address = address;
    m_lastReason.clear();
    m_everReady = false;
    apply(ConnectionState::Connecting, tr("Connecting to %1…").arg(m_address));
}

void ConnectionBanner::setConnectionState(ConnectionState state, const QString& reason)
{
    switch (state) {
    case ConnectionState::Connecting:
        // A retry after a lost or refused connection: keep telling why we are not connected.
        if (m_state == ConnectionState::Disconnected)
            return;
        apply(ConnectionState::Connecting, tr("Connecting to %1…").arg(m_address));
        return;
    case ConnectionState::Ready:
        m_everReady = true;
        m_lastReason.clear();
        apply(ConnectionState::Ready, tr("Connected to %1").arg(m_address));
        return;
    case ConnectionState::Disconnected:
        m_lastReason = reason.isEmpty() ? tr("connection closed") : reason;
        apply(ConnectionState::Disconnected,
            (m_everReady ? tr("Disconnected from %1: %2. Reconnecting…") : tr("Cannot reach %1: %2. Retrying…"))
                .arg(m_address, m_lastReason));
        return;
    case ConnectionState::Failed:
        m_lastReason = reason;
        apply(ConnectionState::Failed,
            tr("Cannot connect to %1: %2").arg(m_address, reason.isEmpty() ? tr("unknown error") : reason));
        return;
    }
}

void ConnectionBanner::showFailure(const QString& message)
{
    m_everReady = false;
    apply(ConnectionState::Failed, message);
}

void ConnectionBanner::apply(ConnectionState state, const QString& text)
{
    const Look look = lookFor(state);
    if (state != m_state || styleSheet().isEmpty()) {
        setStyleSheet(QStringLiteral("QFrame#bannerFrame { background: %1; border: 1px solid %2; border-radius: 4px; }"
                                     "QLabel { color: %3; background: transparent; border: none; }")
                          .arg(QLatin1String(look.background), QLatin1String(look.border), QLatin1String(look.text)));
        const int size = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
        m_icon->setPixmap(style()->standardIcon(look.icon, nullptr, this).pixmap(size, size));
    }
    m_state = state;
    m_label->setText(text);
    setAccessibleName(text);
}

} // namespace bullpen
