// SPDX-License-Identifier: MIT
#include "channeltrafficmodel.h"

#include "messagelogmodel.h"
#include "server/serverinfo.h"

#include <QDateTime>
#include <QLocale>
#include <QSet>

namespace bullpen {

ChannelTrafficModel::ChannelTrafficModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

ChannelTrafficModel::~ChannelTrafficModel() = default;

int ChannelTrafficModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ChannelTrafficModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ChannelTrafficModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& r = m_rows.at(index.row());
    if (role == ChannelRole)
        return r.channel;
    if (role == LastPayloadRole)
        return r.lastPayload;
    if (role == SortRole) {
        switch (index.column()) {
        case ChannelColumn:
            return QString::fromUtf8(r.channel);
        case SubscribersColumn:
            return r.subscribers;
        case MessagesPerSecondColumn:
            return r.rate;
        case BytesPerSecondColumn:
            return r.byteRate;
        case TotalColumn:
            return r.total;
        case LastMessageColumn:
            return MessageLogModel::previewText(r.lastPayload);
        case LastTimeColumn:
            return r.lastMs;
        }
        return {};
    }
    if (role == Qt::DisplayRole) {
        const QLocale c = QLocale::c();
        switch (index.column()) {
        case ChannelColumn:
            return MessageLogModel::previewText(r.channel, 120);
        case SubscribersColumn:
            return r.subscribers < 0 ? QString() : c.toString(r.subscribers);
        case MessagesPerSecondColumn:
            return c.toString(r.rate, 'f', r.rate < 10 ? 1 : 0);
        case BytesPerSecondColumn:
            return QString(formatBytes(qint64(r.byteRate)) + QStringLiteral("/s"));
        case TotalColumn:
            return c.toString(r.total);
        case LastMessageColumn:
            return r.lastMs ? MessageLogModel::previewText(r.lastPayload, 80) : QString();
        case LastTimeColumn:
            return r.lastMs ? QDateTime::fromMSecsSinceEpoch(r.lastMs).toString(QStringLiteral("HH:mm:ss")) : QString();
        }
        return {};
    }
    if (role == Qt::TextAlignmentRole && index.column() != ChannelColumn && index.column() != LastMessageColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant ChannelTrafficModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole && section == SubscribersColumn)
        return tr("Clients subscribed to this channel by name (PUBSUB NUMSUB). Pattern subscribers, "
                  "Bullpen's own among them, are not counted here: the line above the table gives "
                  "their number (NUMPAT).");
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ChannelColumn:
        return tr("Channel");
    case SubscribersColumn:
        return tr("Subscribers");
    case MessagesPerSecondColumn:
        return tr("Msg/s");
    case BytesPerSecondColumn:
        return tr("Bytes/s");
    case TotalColumn:
        return tr("Total");
    case LastMessageColumn:
        return tr("Last message");
    case LastTimeColumn:
        return tr("Last");
    }
    return {};
}

int ChannelTrafficModel::ensureRows(const QList<QByteArray>& channels)
{
    QList<QByteArray> fresh;
    QSet<QByteArray> seen;
    for (const QByteArray& c : channels) {
        if (!m_index.contains(c) && !seen.contains(c)) {
            seen.insert(c);
            fresh.append(c);
        }
    }
    if (fresh.isEmpty())
        return 0;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(fresh.size()) - 1);
    for (const QByteArray& c : fresh) {
        m_index.insert(c, int(m_rows.size()));
        Row r;
        r.channel = c;
        m_rows.append(r);
    }
    endInsertRows();
    return int(fresh.size());
}

void ChannelTrafficModel::count(const QList<PubSubMessage>& batch)
{
    // Messages of one channel mostly share the channel's bytes (the subscriber connection hands
    // out one copy per channel) and come in runs: the hash is only asked when the bytes change.
    const auto sameBytes = [](const QByteArray& a, const QByteArray& b) {
        return a.constData() == b.constData() && a.size() == b.size();
    };
    QList<QByteArray> unseen;
    const QByteArray* previous = nullptr;
    for (const PubSubMessage& m : batch) {
        if (previous && sameBytes(*previous, m.channel))
            continue;
        previous = &m.channel;
        if (!m_index.contains(m.channel))
            unseen.append(m.channel);
    }
    ensureRows(unseen);
    Row* row = nullptr;
    previous = nullptr;
    qint64 bytes = 0;
    for (qsizetype i = 0; i < batch.size(); ++i) {
        const PubSubMessage& m = batch.at(i);
        if (!previous || !sameBytes(*previous, m.channel)) {
            previous = &m.channel;
            row = &m_rows[m_index.value(m.channel)];
        }
        ++row->total;
        row->bytes += m.payload.size();
        bytes += m.payload.size();
        // The last message of a run is the channel's last message so far.
        if (i + 1 == batch.size() || !sameBytes(m.channel, batch.at(i + 1).channel)) {
            row->lastPayload = m.payload;
            row->lastMs = m.receivedMs;
        }
    }
    m_totalMessages += batch.size();
    m_totalBytes += bytes;
}

void ChannelTrafficModel::tick(qint64 nowMs)
{
    const double dt = m_lastTickMs > 0 ? double(nowMs - m_lastTickMs) / 1000.0 : 0;
    m_lastTickMs = nowMs;
    for (Row& r : m_rows) {
        r.rate = dt > 0 ? double(r.total - r.totalAtTick) / dt : 0;
        r.byteRate = dt > 0 ? double(r.bytes - r.bytesAtTick) / dt : 0;
        r.totalAtTick = r.total;
        r.bytesAtTick = r.bytes;
    }
    m_allRate = dt > 0 ? double(m_totalMessages - m_messagesAtTick) / dt : 0;
    m_allByteRate = dt > 0 ? double(m_totalBytes - m_bytesAtTick) / dt : 0;
    m_messagesAtTick = m_totalMessages;
    m_bytesAtTick = m_totalBytes;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

void ChannelTrafficModel::setSubscribers(const QList<QPair<QByteArray, qint64>>& numsub)
{
    QList<QByteArray> names;
    for (const auto& [c, n] : numsub)
        names.append(c);
    ensureRows(names);
    for (const auto& [c, n] : numsub) {
        const int row = m_index.value(c);
        m_rows[row].subscribers = n;
        Q_EMIT dataChanged(index(row, SubscribersColumn), index(row, SubscribersColumn));
    }
}

void ChannelTrafficModel::clear()
{
    m_totalMessages = m_totalBytes = m_messagesAtTick = m_bytesAtTick = 0;
    m_allRate = m_allByteRate = 0;
    m_lastTickMs = 0;
    if (m_rows.isEmpty())
        return;
    beginRemoveRows({}, 0, int(m_rows.size()) - 1);
    m_rows.clear();
    m_index.clear();
    endRemoveRows();
}

qint64 ChannelTrafficModel::total(const QByteArray& channel) const
{
    const int row = rowOf(channel);
    return row < 0 ? 0 : m_rows.at(row).total;
}

qint64 ChannelTrafficModel::totalBytes(const QByteArray& channel) const
{
    const int row = rowOf(channel);
    return row < 0 ? 0 : m_rows.at(row).bytes;
}

double ChannelTrafficModel::messagesPerSecond(const QByteArray& channel) const
{
    const int row = rowOf(channel);
    return row < 0 ? 0 : m_rows.at(row).rate;
}

double ChannelTrafficModel::bytesPerSecond(const QByteArray& channel) const
{
    const int row = rowOf(channel);
    return row < 0 ? 0 : m_rows.at(row).byteRate;
}

} // namespace bullpen
