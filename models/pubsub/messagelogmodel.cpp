// SPDX-License-Identifier: MIT
#include "messagelogmodel.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QStringDecoder>

namespace bullpen {

MessageLogModel::MessageLogModel(int capacity, QObject* parent)
    : QAbstractTableModel(parent)
    , m_capacity(std::max(1, capacity))
{
    // The ring grows with the log (makeRoom): a window that never subscribes does not allocate
    // and touch 100,000 empty rows (~10 MB) while it starts.
}

MessageLogModel::~MessageLogModel() = default;

int MessageLogModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_count;
}

int MessageLogModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool MessageLogModel::isPrintableUtf8(const QByteArray& bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder(bytes);
    if (decoder.hasError())
        return false;
    for (const QChar c : text) {
        if (c.category() == QChar::Other_Control && c != QLatin1Char('\n') && c != QLatin1Char('\t')
            && c != QLatin1Char('\r'))
            return false;
    }
    return true;
}

QString MessageLogModel::previewText(const QByteArray& payload, int maxChars)
{
    if (isPrintableUtf8(payload)) {
        QString text = QString::fromUtf8(payload);
        text.replace(QLatin1Char('\n'), QChar(0x21B5));
        return text.size() > maxChars ? text.left(maxChars) + QChar(0x2026) : text;
    }
    const QByteArray head = payload.left(maxChars / 2);
    return QStringLiteral("0x") + QString::fromLatin1(head.toHex())
        + (head.size() < payload.size() ? QString(QChar(0x2026)) : QString());
}

QString MessageLogModel::detailText(const QByteArray& payload)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(payload, &error);
    if (error.error == QJsonParseError::NoError && !doc.isNull())
        return QString::fromUtf8(doc.toJson(QJsonDocument::Indented)).trimmed();
    if (isPrintableUtf8(payload))
        return QString::fromUtf8(payload);
    // Hex dump, 16 bytes a line.
    QString out;
    for (qsizetype i = 0; i < payload.size(); i += 16) {
        const QByteArray line = payload.mid(i, 16);
        out += QStringLiteral("%1  %2\n").arg(i, 8, 16, QLatin1Char('0')).arg(QString::fromLatin1(line.toHex(' ')));
    }
    return out.trimmed();
}

QVariant MessageLogModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry& e = at(index.row());
    const PubSubMessage& m = e.message;
    const bool gap = !e.gap.isEmpty();
    switch (role) {
    case IsGapRole:
        return gap;
    case PayloadRole:
        return m.payload;
    case ChannelRole:
        return m.channel;
    case DetailRole:
        return gap ? e.gap : detailText(m.payload);
    case SortRole:
        switch (index.column()) {
        case TimeColumn:
            return m.receivedMs;
        case ChannelColumn:
            return QString::fromUtf8(m.channel);
        case PatternColumn:
            return QString::fromUtf8(m.pattern);
        case SizeColumn:
            return qint64(m.payload.size());
        case PayloadColumn:
            return gap ? e.gap : previewText(m.payload);
        }
        return {};
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return QDateTime::fromMSecsSinceEpoch(m.receivedMs).toString(QStringLiteral("HH:mm:ss.zzz"));
        case ChannelColumn:
            return gap ? QString() : previewText(m.channel, 120);
        case PatternColumn:
            return QString::fromUtf8(m.pattern);
        case SizeColumn:
            return gap ? QString() : QString::number(m.payload.size());
        case PayloadColumn:
            return gap ? e.gap : previewText(m.payload);
        }
        return {};
    case Qt::TextAlignmentRole:
        return index.column() == SizeColumn ? QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    default:
        return {};
    }
}

QVariant MessageLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case ChannelColumn:
        return tr("Channel");
    case PatternColumn:
        return tr("Pattern");
    case SizeColumn:
        return tr("Bytes");
    case PayloadColumn:
        return tr("Message");
    }
    return {};
}

void MessageLogModel::append(const QList<PubSubMessage>& batch)
{
    // Only the newest `capacity` of a huge batch can stay.
    const qsizetype skip = std::max<qsizetype>(0, batch.size() - m_capacity);
    m_evicted += skip;
    if (m_paused) {
        std::vector<Entry> entries;
        entries.reserve(size_t(batch.size() - skip));
        for (qsizetype i = skip; i < batch.size(); ++i)
            entries.push_back({ batch.at(i), {} });
        push(std::move(entries));
        return;
    }
    // Straight into the ring: no intermediate copy per message.
    const int n = int(batch.size() - skip);
    if (n == 0)
        return;
    makeRoom(n);
    beginInsertRows({}, m_count, m_count + n - 1);
    for (int i = 0; i < n; ++i) {
        Entry& e = m_ring[size_t((m_head + m_count + i) % m_capacity)];
        e.message = batch.at(skip + i);
        e.gap.clear();
    }
    m_count += n;
    endInsertRows();
}

void MessageLogModel::makeRoom(int n)
{
    // The ring only wraps once it is full, so until then rows sit at [0, m_count) and growing
    // it keeps them in place.
    const size_t want = size_t(std::min(m_capacity, m_count + n));
    if (m_ring.size() < want)
        m_ring.resize(std::min(size_t(m_capacity), std::max(want, m_ring.size() * 2)));
    const int overflow = m_count + n - m_capacity;
    if (overflow <= 0)
        return;
    beginRemoveRows({}, 0, overflow - 1);
    for (int i = 0; i < overflow; ++i)
        m_ring[size_t((m_head + i) % m_capacity)] = {}; // free the payloads now
    m_head = (m_head + overflow) % m_capacity;
    m_count -= overflow;
    m_evicted += overflow;
    endRemoveRows();
}

void MessageLogModel::appendGap(qint64 timeMs, const QString& text)
{
    PubSubMessage m;
    m.receivedMs = timeMs;
    std::vector<Entry> entries;
    entries.push_back({ m, text });
    push(std::move(entries));
}

void MessageLogModel::push(std::vector<Entry>&& entries)
{
    if (entries.empty())
        return;
    if (m_paused) {
        for (Entry& e : entries)
            m_pending.push_back(std::move(e));
        if (m_pending.size() > size_t(m_capacity)) {
            const size_t drop = m_pending.size() - size_t(m_capacity);
            m_evicted += qint64(drop);
            m_pending.erase(m_pending.begin(), m_pending.begin() + qsizetype(drop));
        }
        return;
    }
    const int n = int(entries.size());
    Q_ASSERT(n <= m_capacity);
    makeRoom(n);
    beginInsertRows({}, m_count, m_count + n - 1);
    for (int i = 0; i < n; ++i)
        m_ring[size_t((m_head + m_count + i) % m_capacity)] = std::move(entries[size_t(i)]);
    m_count += n;
    endInsertRows();
    Q_ASSERT(m_count <= m_capacity);
}

void MessageLogModel::clear()
{
    m_pending.clear();
    if (m_count == 0)
        return;
    beginRemoveRows({}, 0, m_count - 1);
    m_ring.clear(); // grows again with the log
    m_head = 0;
    m_count = 0;
    endRemoveRows();
}

void MessageLogModel::setPaused(bool paused)
{
    if (paused == m_paused)
        return;
    m_paused = paused;
    if (!paused) {
        std::vector<Entry> pending;
        pending.swap(m_pending);
        push(std::move(pending));
    }
}

void MessageLogModel::setCapacity(int capacity)
{
    capacity = std::max(1, capacity);
    if (capacity == m_capacity)
        return;
    clear();
    m_capacity = capacity;
    m_ring.clear();
}

} // namespace bullpen
