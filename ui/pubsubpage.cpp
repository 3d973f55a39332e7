// SPDX-License-Identifier: MIT
#include "pubsubpage.h"

#include "pubsub/channeltrafficmodel.h"
#include "bullmq/futurewatch.h"
#include "pubsub/messagelogmodel.h"
#include "pubsub/pubsubmonitor.h"
#include "redisclient.h"
#include "server/serverinfo.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace bullpen {

namespace {
    constexpr char kCapacityKey[] = "pubsub/logCapacity";
    constexpr char kWhenBehindReadWriteKey[] = "pubsub/whenBehind/readWrite";
    constexpr char kWhenBehindReadOnlyKey[] = "pubsub/whenBehind/readOnly";

    QString whenBehindKey(bool readOnly)
    {
        return QLatin1String(readOnly ? kWhenBehindReadOnlyKey : kWhenBehindReadWriteKey);
    }

    SubscriberOverflow rememberedOverflow(bool readOnly)
    {
        // Read-only connections are the production ones: there the server's memory comes first.
        const QString fallback = readOnly ? QStringLiteral("drop") : QStringLiteral("hold");
        return QSettings().value(whenBehindKey(readOnly), fallback).toString() == QLatin1String("drop")
            ? SubscriberOverflow::Drop
            : SubscriberOverflow::Hold;
    }
}

PubSubPage::PubSubPage(QWidget* parent)
    : ClientPage(parent)
    , m_monitor(new PubSubMonitor(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* bar = new QHBoxLayout;
    m_patterns = new QLineEdit(this);
    m_patterns->setObjectName(QStringLiteral("patterns"));
    m_patterns->setPlaceholderText(tr("Channels or patterns, space separated (news:* bull:*:events)"));
    auto* subscribe = new QPushButton(tr("Subscribe"), this);
    auto* unsubscribeAll = new QPushButton(tr("Unsubscribe all"), this);
    m_publish = new QPushButton(tr("Publish…"), this);
    m_publish->setObjectName(QStringLiteral("publish"));
    m_publish->setEnabled(false);
    bar->addWidget(m_patterns, 1);
    bar->addWidget(subscribe);
    bar->addWidget(unsubscribeAll);
    bar->addWidget(m_publish);
    layout->addLayout(bar);

    m_status = new QLabel(this);
    m_status->setTextFormat(Qt::PlainText); // carries server errors
    m_status->setWordWrap(true);
    m_counters = new QLabel(this);
    m_counters->setTextFormat(Qt::PlainText);
    m_whenBehind = new QComboBox(this);
    m_whenBehind->setObjectName(QStringLiteral("whenBehind"));
    m_whenBehind->addItem(tr("let Redis buffer (nothing lost)"), int(SubscriberOverflow::Hold));
    m_whenBehind->addItem(tr("drop here (spares the server)"), int(SubscriberOverflow::Drop));
    m_whenBehind->setToolTip(
        tr("When messages arrive faster than Bullpen can show them (at most 200,000 wait here):\n"
           "let Redis buffer: Bullpen stops reading until it has caught up; nothing is lost, but Redis keeps "
           "the messages for us, and past its client-output-buffer-limit for pubsub it closes the connection "
           "(Bullpen says so, resubscribes and marks the gap).\n"
           "drop here: Bullpen reads on and drops what does not fit, counted and marked in the log.\n"
           "Remembered separately for read-only connections, where dropping is the default."));
    auto* whenBehindLabel = new QLabel(tr("When Bullpen falls behind:"), this);
    whenBehindLabel->setBuddy(m_whenBehind);
    auto* statusRow = new QHBoxLayout;
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(whenBehindLabel);
    statusRow->addWidget(m_whenBehind);
    layout->addLayout(statusRow);
    layout->addWidget(m_counters);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    m_channels = new QTableView(splitter);
    m_channels->setObjectName(QStringLiteral("channels"));
    auto* channelProxy = new QSortFilterProxyModel(this);
    channelProxy->setSourceModel(m_monitor->channels());
    channelProxy->setSortRole(ChannelTrafficModel::SortRole);
    m_channels->setModel(channelProxy);
    m_channels->setSortingEnabled(true);
    m_channels->sortByColumn(ChannelTrafficModel::MessagesPerSecondColumn, Qt::DescendingOrder);
    m_channels->verticalHeader()->hide();
    m_channels->horizontalHeader()->setStretchLastSection(true);
    m_channels->setWordWrap(false);
    m_channels->verticalHeader()->setDefaultSectionSize(m_channels->fontMetrics().height() + 4);

    auto* logPane = new QWidget(splitter);
    auto* logLayout = new QVBoxLayout(logPane);
    logLayout->setContentsMargins(0, 0, 0, 0);
    auto* logBar = new QHBoxLayout;
    m_filter = new QLineEdit(logPane);
    m_filter->setObjectName(QStringLiteral("filter"));
    m_filter->setPlaceholderText(tr("Filter messages"));
    m_filter->setClearButtonEnabled(true);
    m_pause = new QCheckBox(tr("Pause view (counting goes on)"), logPane);
    m_pause->setObjectName(QStringLiteral("pause"));
    m_capacity = new QComboBox(logPane);
    m_capacity->setObjectName(QStringLiteral("logCapacity"));
    m_capacity->setToolTip(tr("How many messages the log keeps (the oldest go first). Changing it clears the "
                              "log; remembered for every connection."));
    for (const int n : { 1000, 10000, 100000, 1000000 })
        m_capacity->addItem(tr("Keep %L1 messages").arg(n), n);
    logBar->addWidget(m_filter, 1);
    logBar->addWidget(m_capacity);
    logBar->addWidget(m_pause);
    logLayout->addLayout(logBar);
    auto* logSplit = new QSplitter(Qt::Horizontal, logPane);
    m_log = new QTableView(logSplit);
    m_log->setObjectName(QStringLiteral("log"));
    m_logProxy = new QSortFilterProxyModel(this);
    m_logProxy->setSourceModel(m_monitor->log());
    m_logProxy->setFilterKeyColumn(-1);
    m_logProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_log->setModel(m_logProxy);
    m_log->verticalHeader()->hide();
    m_log->verticalHeader()->setDefaultSectionSize(m_log->fontMetrics().height() + 4);
    m_log->horizontalHeader()->setStretchLastSection(true);
    m_log->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_log->setSelectionMode(QAbstractItemView::SingleSelection);
    m_log->setWordWrap(false);
    m_detail = new QPlainTextEdit(logSplit);
    m_detail->setObjectName(QStringLiteral("detail"));
    m_detail->setReadOnly(true);
    m_detail->setPlaceholderText(tr("Select a message to see it whole (JSON pretty-printed, binary as hex)"));
    logSplit->setStretchFactor(0, 3);
    logSplit->setStretchFactor(1, 1);
    logLayout->addWidget(logSplit, 1);
    splitter->addWidget(m_channels);
    splitter->addWidget(logPane);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);

    connect(subscribe, &QPushButton::clicked, this, [this] { subscribeTo(m_patterns->text()); });
    connect(m_patterns, &QLineEdit::returnPressed, this, [this] { subscribeTo(m_patterns->text()); });
    connect(unsubscribeAll, &QPushButton::clicked, this, [this] {
        m_monitor->unsubscribe(m_monitor->subscriptions());
        updateCounters();
    });
    connect(m_publish, &QPushButton::clicked, this, [this] { showPublishDialog(); });
    connect(m_filter, &QLineEdit::textChanged, this, &PubSubPage::setFilter);
    connect(m_pause, &QCheckBox::toggled, this, &PubSubPage::setPaused);
    setLogCapacity(QSettings().value(QLatin1String(kCapacityKey), 100000).toInt());
    connect(m_capacity, &QComboBox::currentIndexChanged, this, [this](int) {
        const int n = m_capacity->currentData().toInt();
        m_monitor->log()->setCapacity(n);
        QSettings().setValue(QLatin1String(kCapacityKey), n);
        updateCounters();
    });
    showOverflow(rememberedOverflow(m_readOnly));
    m_monitor->setOverflow(rememberedOverflow(m_readOnly));
    connect(m_whenBehind, &QComboBox::activated, this,
        [this](int index) { setOverflow(SubscriberOverflow(m_whenBehind->itemData(index).toInt())); });
    connect(m_log->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &PubSubPage::showDetail);
    connect(m_monitor, &PubSubMonitor::statusChanged, m_status, &QLabel::setText);
    connect(m_monitor, &PubSubMonitor::ticked, this, &PubSubPage::updateCounters);
    // Follow the tail while the view is at the bottom.
    connect(m_logProxy, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        QScrollBar* bar = m_log->verticalScrollBar();
        m_log->setProperty("follow", bar->value() >= bar->maximum() - 2);
    });
    connect(m_logProxy, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_log->property("follow").toBool())
            m_log->scrollToBottom();
    });
    // The overview (PUBSUB CHANNELS/NUMSUB/NUMPAT) every 5 s: three cheap commands.
    auto* overview = new QTimer(this);
    connect(overview, &QTimer::timeout, this, &PubSubPage::refreshNow);
    overview->start(5000);
    updateCounters();
}

PubSubPage::~PubSubPage() = default;

void PubSubPage::setClient(RedisClient* client)
{
    m_client = client;
    if (client) {
        m_readOnly = client->isReadOnly();
        const SubscriberOverflow policy = rememberedOverflow(m_readOnly);
        showOverflow(policy);
        m_monitor->setOverflow(policy);
        m_monitor->start(client->options());
        m_publish->setEnabled(!client->isReadOnly());
        m_publish->setToolTip(client->isReadOnly() ? tr("Read-only connection: publishing is disabled") : QString());
        refreshNow();
    } else {
        m_monitor->stop();
        m_publish->setEnabled(false);
    }
}

void PubSubPage::setLogCapacity(int messages)
{
    messages = std::clamp(messages, 1, 10000000);
    int index = m_capacity->findData(messages);
    if (index < 0) { // a value written by hand: offered as it is
        m_capacity->addItem(tr("Keep %L1 messages").arg(messages), messages);
        index = m_capacity->count() - 1;
    }
    m_capacity->setCurrentIndex(index);
    m_monitor->log()->setCapacity(messages);
}

int PubSubPage::logCapacity() const
{
    return m_monitor->log()->capacity();
}

void PubSubPage::setOverflow(SubscriberOverflow policy)
{
    showOverflow(policy);
    m_monitor->setOverflow(policy);
    QSettings().setValue(
        whenBehindKey(m_readOnly), policy == SubscriberOverflow::Drop ? QStringLiteral("drop") : QStringLiteral("hold"));
}

SubscriberOverflow PubSubPage::overflow() const
{
    return m_monitor->overflow();
}

void PubSubPage::showOverflow(SubscriberOverflow policy)
{
    m_whenBehind->setCurrentIndex(m_whenBehind->findData(int(policy)));
}

void PubSubPage::refreshNow()
{
    if (m_client)
        m_monitor->refreshOverview(m_client);
}

void PubSubPage::subscribeTo(const QString& text)
{
    QList<QByteArray> entries;
    for (const QString& word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        entries.append(word.toUtf8());
    m_monitor->subscribe(entries);
    m_patterns->clear();
    updateCounters();
    // The overview now includes our own subscriptions.
    QTimer::singleShot(300, this, &PubSubPage::refreshNow);
}

void PubSubPage::setFilter(const QString& text)
{
    if (m_filter->text() != text)
        m_filter->setText(text);
    m_logProxy->setFilterFixedString(text);
}

void PubSubPage::setPaused(bool paused)
{
    if (m_pause->isChecked() != paused)
        m_pause->setChecked(paused);
    m_monitor->log()->setPaused(paused);
}

QString PubSubPage::statusText() const
{
    return m_status->text();
}

QString PubSubPage::detailText() const
{
    return m_detail->toPlainText();
}

bool PubSubPage::canPublish() const
{
    return m_client && !m_client->isReadOnly();
}

void PubSubPage::publish(const QByteArray& channel, const QByteArray& message)
{
    if (!canPublish())
        return;
    bullmq::whenReady(this, m_client->command({ "PUBLISH", channel, message }), [this, channel](const Reply& r) {
        if (r.isError())
            m_status->setText(tr("PUBLISH failed: %1").arg(r.errorMessage()));
        else
            m_status->setText(tr("Published to %1: %n receiver(s)", nullptr, int(r.integer()))
                                  .arg(QString::fromUtf8(channel)));
    });
}

QWidget* PubSubPage::showPublishDialog()
{
    auto* dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("publishDialog"));
    dialog->setWindowTitle(tr("Publish a message"));
    auto* form = new QFormLayout(dialog);
    auto* channel = new QLineEdit(dialog);
    channel->setObjectName(QStringLiteral("channel"));
    auto* message = new QPlainTextEdit(dialog);
    message->setObjectName(QStringLiteral("message"));
    form->addRow(tr("Channel:"), channel);
    form->addRow(tr("Message:"), message);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Publish"));
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, dialog, [this, dialog, channel, message] {
        if (channel->text().isEmpty())
            return;
        publish(channel->text().toUtf8(), message->toPlainText().toUtf8());
        dialog->accept();
    });
    dialog->open();
    return dialog;
}

void PubSubPage::updateCounters()
{
    const ChannelTrafficModel* c = m_monitor->channels();
    QStringList subs;
    for (const QByteArray& s : m_monitor->subscriptions())
        subs << QString::fromUtf8(s);
    m_counters->setText(tr("Subscribed: %1 · %2 msg/s · %3/s · %4 received · %5 dropped · %6 gap(s) · server: %7 "
                           "channel(s), %8 pattern(s)")
                            .arg(subs.isEmpty() ? tr("nothing") : subs.join(QLatin1Char(' ')))
                            .arg(c->allMessagesPerSecond(), 0, 'f', 0)
                            .arg(formatBytes(qint64(c->allBytesPerSecond())))
                            .arg(m_monitor->received())
                            .arg(m_monitor->dropped())
                            .arg(m_monitor->gaps())
                            .arg(m_monitor->serverChannelCount())
                            .arg(m_monitor->patternCount()));
}

void PubSubPage::showDetail()
{
    const QModelIndex current = m_log->currentIndex();
    if (!current.isValid()) {
        m_detail->clear();
        return;
    }
    m_detail->setPlainText(current.data(MessageLogModel::DetailRole).toString());
}

} // namespace bullpen
