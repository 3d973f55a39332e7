// SPDX-License-Identifier: MIT
#pragma once

#include "keytreemodel.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace bullpen::keys {

/// The elements of one hash, list, set, sorted set or stream, read page by page as a view
/// scrolls (canFetchMore/fetchMore): HSCAN, LRANGE, SSCAN, ZRANGE … WITHSCORES, XRANGE. Never
/// reads a whole collection at once. Strings are read by StringValue.
class KeyValueModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    /// First: field, index, member or entry id; Second: value, score or entry fields.
    enum Columns { First, Second, ColumnCount };
    enum Roles { SortRole = Qt::UserRole, RawRole /* QByteArray */ };

    explicit KeyValueModel(QObject* parent = nullptr);
    ~KeyValueModel() override;

    /// Starts reading `key` of `type` (a reset); the first page follows.
    void load(RedisClient* client, const QByteArray& key, KeyType type, int pageSize = 200);
    void clear();

    QByteArray key() const { return m_key; }
    KeyType type() const { return m_type; }
    /// HLEN/LLEN/SCARD/ZCARD/XLEN as read at load(); -1 before.
    qint64 length() const { return m_length; }
    bool isLoading() const { return m_inFlight; }
    bool atEnd() const { return m_atEnd; }
    /// Stream only: consumer groups and their consumers, one line each (XINFO GROUPS/CONSUMERS).
    QStringList streamGroups() const { return m_groups; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

Q_SIGNALS:
    void pageLoaded();
    void lengthChanged(qint64 length);
    void streamGroupsChanged();
    void failed(const QString& message);

private:
    struct Row {
        QByteArray first;
        QByteArray second;
        double score = 0;
    };
    void append(QList<Row> rows);
    void readGroups();

    QPointer<RedisClient> m_client;
    QByteArray m_key;
    KeyType m_type = KeyType::Unknown;
    int m_pageSize = 200;
    QList<Row> m_rows;
    QByteArray m_cursor = QByteArrayLiteral("0");
    QByteArray m_lastId;
    qint64 m_length = -1;
    qint64 m_offset = 0;
    bool m_atEnd = true;
    bool m_inFlight = false;
    quint64 m_generation = 0;
    QStringList m_groups;
};

/// The bytes of one string key, bounded: the first `head` bytes (GETRANGE) and the length
/// (STRLEN) at load(), more on demand. A 50 MB value never lands in memory unless asked for.
class StringValue : public QObject
{
    Q_OBJECT
public:
    explicit StringValue(QObject* parent = nullptr);
    ~StringValue() override;

    void load(RedisClient* client, const QByteArray& key, int head = 64 * 1024);
    /// Reads the next `chunk` bytes.
    void loadMore(int chunk = 1024 * 1024);
    void clear();

    QByteArray key() const { return m_key; }
    const QByteArray& bytes() const { return m_bytes; }
    qint64 length() const { return m_length; }
    bool isComplete() const { return m_length >= 0 && m_bytes.size() >= m_length; }
    bool isLoading() const { return m_inFlight; }

Q_SIGNALS:
    void loaded();
    void failed(const QString& message);

private:
    QPointer<RedisClient> m_client;
    QByteArray m_key;
    QByteArray m_bytes;
    qint64 m_length = -1;
    quint64 m_generation = 0;
    bool m_inFlight = false;
};

/// Renderings of value bytes for people.
namespace format {
    /// Printable UTF-8 as is, line breaks and tabs kept, every other byte as \xHH.
    QString text(const QByteArray& bytes);
    /// Indented JSON, or a null QString when `bytes` is not a JSON object or array.
    QString prettyJson(const QByteArray& bytes);
    /// "00000000  68 65 6c 6c 6f …  |hello|" lines, at most `maxBytes` of input.
    QString hex(const QByteArray& bytes, qsizetype maxBytes = 64 * 1024);
} // namespace format

} // namespace bullpen::keys
