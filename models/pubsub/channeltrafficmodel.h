// SPDX-License-Identifier: MIT
#pragma once

#include "redisconnection.h" // PubSubMessage

#include <QAbstractTableModel>
#include <QHash>

namespace bullpen {

/// Traffic per channel: messages/s and bytes/s over the last tick, totals and the last message.
/// Counting happens on every batch (count()); rates are computed and shown once per tick().
/// Rows are keyed by channel name and never reset while the subscriber lives; channels the
/// PUBSUB overview names get a row too (with their subscriber count).
class ChannelTrafficModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns {
        ChannelColumn,
        SubscribersColumn,
        MessagesPerSecondColumn,
        BytesPerSecondColumn,
        TotalColumn,
        LastTimeColumn,
        LastMessageColumn,
        ColumnCount
    };
    enum Roles { SortRole = Qt::UserRole, ChannelRole, LastPayloadRole };

    explicit ChannelTrafficModel(QObject* parent = nullptr);
    ~ChannelTrafficModel() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void count(const QList<PubSubMessage>& batch);
    /// Computes rates since the previous tick and refreshes the view.
    void tick(qint64 nowMs);
    /// Subscriber counts from PUBSUB NUMSUB (adds rows for channels not seen yet).
    void setSubscribers(const QList<QPair<QByteArray, qint64>>& numsub);
    void clear();

    int rowOf(const QByteArray& channel) const { return m_index.value(channel, -1); }
    qint64 total(const QByteArray& channel) const;
    qint64 totalBytes(const QByteArray& channel) const;
    double messagesPerSecond(const QByteArray& channel) const;
    double bytesPerSecond(const QByteArray& channel) const;
    qint64 totalMessages() const { return m_totalMessages; }
    qint64 totalBytesAll() const { return m_totalBytes; }
    double allMessagesPerSecond() const { return m_allRate; }
    double allBytesPerSecond() const { return m_allByteRate; }

private:
    struct Row {
        QByteArray channel;
        qint64 subscribers = -1;
        qint64 total = 0;
        qint64 bytes = 0;
        qint64 totalAtTick = 0;
        qint64 bytesAtTick = 0;
        double rate = 0;
        double byteRate = 0;
        QByteArray lastPayload;
        qint64 lastMs = 0;
    };
    int ensureRows(const QList<QByteArray>& channels);

    QList<Row> m_rows;
    QHash<QByteArray, int> m_index;
    qint64 m_lastTickMs = 0;
    qint64 m_totalMessages = 0;
    qint64 m_totalBytes = 0;
    qint64 m_messagesAtTick = 0;
    qint64 m_bytesAtTick = 0;
    double m_allRate = 0;
    double m_allByteRate = 0;
};

} // namespace bullpen
