// SPDX-License-Identifier: MIT
#pragma once

#include "redisconnection.h" // PubSubMessage

#include <QAbstractTableModel>

#include <vector>

namespace bullpen {

/// The last N pub/sub messages (default 100,000) in a ring buffer, oldest first, with gap
/// markers where the subscriber lost its connection. While paused, new messages wait in a
/// buffer of the same bound and appear on resume; the view stays still meanwhile.
class MessageLogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns { TimeColumn, ChannelColumn, PatternColumn, SizeColumn, PayloadColumn, ColumnCount };
    enum Roles {
        SortRole = Qt::UserRole,
        PayloadRole, ///< QByteArray, the raw payload
        ChannelRole, ///< QByteArray
        IsGapRole, ///< bool: a marker row for messages lost while disconnected
        DetailRole, ///< QString: the payload for a detail view (JSON pretty-printed, else text or hex)
    };

    explicit MessageLogModel(int capacity = 100000, QObject* parent = nullptr);
    ~MessageLogModel() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void append(const QList<PubSubMessage>& batch);
    /// A marker row: `text` says what happened (connection lost at …, resubscribed).
    void appendGap(qint64 timeMs, const QString& text);
    void clear();

    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    void setCapacity(int capacity); ///< clears
    int capacity() const { return m_capacity; }
    /// Messages pushed out of the buffer (or out of the pause buffer) so far.
    qint64 evicted() const { return m_evicted; }

    /// Text for a table cell: UTF-8 text when printable, else hex ("\x00…" style: "0x" + hex).
    static QString previewText(const QByteArray& payload, int maxChars = 200);
    /// Pretty-printed JSON when the payload is JSON, else text, else a hex dump.
    static QString detailText(const QByteArray& payload);
    static bool isPrintableUtf8(const QByteArray& bytes);

private:
    struct Entry {
        PubSubMessage message;
        QString gap; ///< non-empty for marker rows
    };
    void push(std::vector<Entry>&& entries);
    /// Evicts the oldest rows so that `n` more fit.
    void makeRoom(int n);
    const Entry& at(int row) const { return m_ring[size_t((m_head + row) % m_capacity)]; }

    int m_capacity;
    std::vector<Entry> m_ring;
    int m_head = 0;
    int m_count = 0;
    bool m_paused = false;
    std::vector<Entry> m_pending; // while paused, bounded by m_capacity
    qint64 m_evicted = 0;
};

} // namespace bullpen
