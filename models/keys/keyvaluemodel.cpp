// SPDX-License-Identifier: MIT
#include "keyvaluemodel.h"

#include "bullmq/futurewatch.h"
#include "keyname.h"
#include "redisclient.h"

#include <QJsonDocument>

namespace bullpen::keys {

namespace {
    constexpr int kCellChars = 300; // a table cell shows the start; the viewer shows more
}

KeyValueModel::KeyValueModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

KeyValueModel::~KeyValueModel() = default;

void KeyValueModel::clear()
{
    beginResetModel();
    ++m_generation;
    m_rows.clear();
    m_key.clear();
    m_type = KeyType::Unknown;
    m_cursor = QByteArrayLiteral("0");
    m_lastId.clear();
    m_length = -1;
    m_offset = 0;
    m_atEnd = true;
    m_inFlight = false;
    m_groups.clear();
    endResetModel();
}

void KeyValueModel::load(RedisClient* client, const QByteArray& key, KeyType type, int pageSize)
{
    clear();
    m_client = client;
    m_key = key;
    m_type = type;
    m_pageSize = std::max(1, pageSize);
    QByteArray lengthCommand;
    switch (type) {
    case KeyType::Hash:
        lengthCommand = "HLEN";
        break;
    case KeyType::List:
        lengthCommand = "LLEN";
        break;
    case KeyType::Set:
        lengthCommand = "SCARD";
        break;
    case KeyType::ZSet:
        lengthCommand = "ZCARD";
        break;
    case KeyType::Stream:
        lengthCommand = "XLEN";
        break;
    default:
        return;
    }
    m_atEnd = false;
    const quint64 gen = m_generation;
    bullmq::whenReady(this, m_client->command({ lengthCommand, key }), [this, gen](const Reply& r) {
        if (gen != m_generation)
            return;
        if (r.isInteger()) {
            m_length = r.integer();
            Q_EMIT lengthChanged(m_length);
        }
    });
    fetchMore({});
    if (type == KeyType::Stream)
        readGroups();
}

void KeyValueModel::readGroups()
{
    const quint64 gen = m_generation;
    bullmq::whenReady(this, m_client->command({ "XINFO", "GROUPS", m_key }), [this, gen](const Reply& groups) {
        if (gen != m_generation || !groups.isArray())
            return;
        QList<Command> cmds;
        QStringList lines;
        QList<QByteArray> names;
        for (const Reply& g : groups.elements()) {
            QHash<QByteArray, Reply> f;
            for (qsizetype i = 0; i + 1 < g.size(); i += 2)
                f.insert(g.at(i).bytes(), g.at(i + 1));
            names << f.value("name").bytes();
            lines << tr("group %1: %2 consumers, %3 pending, last delivered %4")
                         .arg(displayBytes(f.value("name").bytes()))
                         .arg(f.value("consumers").integer())
                         .arg(f.value("pending").integer())
                         .arg(displayBytes(f.value("last-delivered-id").bytes()));
            cmds << Command { "XINFO", "CONSUMERS", m_key, names.last() };
        }
        if (cmds.isEmpty()) {
            m_groups = { tr("no consumer groups") };
            Q_EMIT streamGroupsChanged();
            return;
        }
        bullmq::whenReady(this, m_client->pipeline(cmds), [this, gen, lines](const QList<Reply>& replies) {
            if (gen != m_generation)
                return;
            QStringList out;
            for (int i = 0; i < lines.size(); ++i) {
                out << lines.at(i);
                for (const Reply& c : replies.value(i).elements()) {
                    QHash<QByteArray, Reply> f;
                    for (qsizetype k = 0; k + 1 < c.size(); k += 2)
                        f.insert(c.at(k).bytes(), c.at(k + 1));
                    out << tr("  consumer %1: %2 pending, idle %3")
                               .arg(displayBytes(f.value("name").bytes()))
                               .arg(f.value("pending").integer())
                               .arg(formatDuration(f.value("idle").integer()));
                }
            }
            m_groups = out;
            Q_EMIT streamGroupsChanged();
        });
    });
}

bool KeyValueModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && !m_atEnd && !m_inFlight && m_client;
}

void KeyValueModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent))
        return;
    const QByteArray count = QByteArray::number(m_pageSize);
    Command cmd;
    switch (m_type) {
    case KeyType::Hash:
        cmd = { "HSCAN", m_key, m_cursor, "COUNT", count };
        break;
    case KeyType::Set:
        cmd = { "SSCAN", m_key, m_cursor, "COUNT", count };
        break;
    case KeyType::List:
        cmd = { "LRANGE", m_key, QByteArray::number(m_offset), QByteArray::number(m_offset + m_pageSize - 1) };
        break;
    case KeyType::ZSet:
        cmd = { "ZRANGE", m_key, QByteArray::number(m_offset), QByteArray::number(m_offset + m_pageSize - 1),
            "WITHSCORES" };
        break;
    case KeyType::Stream:
        cmd = { "XRANGE", m_key, m_lastId.isEmpty() ? QByteArray("-") : '(' + m_lastId, "+", "COUNT", count };
        break;
    default:
        return;
    }
    m_inFlight = true;
    const quint64 gen = m_generation;
    bullmq::whenReady(this, m_client->command(cmd), [this, gen](const Reply& r) {
        if (gen != m_generation)
            return;
        m_inFlight = false;
        if (r.isError()) {
            m_atEnd = true;
            Q_EMIT failed(r.errorMessage());
            return;
        }
        QList<Row> rows;
        switch (m_type) {
        case KeyType::Hash:
        case KeyType::Set: {
            m_cursor = r.at(0).bytes();
            m_atEnd = m_cursor == "0";
            const Reply& items = r.at(1);
            const int step = m_type == KeyType::Hash ? 2 : 1;
            for (qsizetype i = 0; i + step - 1 < items.size(); i += step)
                rows.append({ items.at(i).bytes(), step == 2 ? items.at(i + 1).bytes() : QByteArray() });
            break;
        }
        case KeyType::List:
            for (qsizetype i = 0; i < r.size(); ++i)
                rows.append({ QByteArray::number(m_offset + i), r.at(i).bytes() });
            m_offset += r.size();
            m_atEnd = r.size() < m_pageSize;
            break;
        case KeyType::ZSet:
            for (qsizetype i = 0; i + 1 < r.size(); i += 2)
                rows.append({ r.at(i).bytes(), r.at(i + 1).bytes(), r.at(i + 1).bytes().toDouble() });
            m_offset += r.size() / 2;
            m_atEnd = r.size() / 2 < m_pageSize;
            break;
        case KeyType::Stream:
            for (const Reply& e : r.elements()) {
                QByteArray fields;
                const Reply& kv = e.at(1);
                for (qsizetype i = 0; i + 1 < kv.size(); i += 2) {
                    if (i)
                        fields += ' ';
                    fields += kv.at(i).bytes() + '=' + kv.at(i + 1).bytes();
                }
                rows.append({ e.at(0).bytes(), fields });
                m_lastId = e.at(0).bytes();
            }
            m_atEnd = r.size() < m_pageSize;
            break;
        default:
            break;
        }
        append(std::move(rows));
        Q_EMIT pageLoaded();
    });
}

void KeyValueModel::append(QList<Row> rows)
{
    if (rows.isEmpty())
        return;
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + rows.size() - 1));
    m_rows.append(std::move(rows));
    endInsertRows();
}

int KeyValueModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int KeyValueModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant KeyValueModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row& row = m_rows.at(index.row());
    const QByteArray& bytes = index.column() == First ? row.first : row.second;
    switch (role) {
    case Qt::DisplayRole: {
        if (m_type == KeyType::Set && index.column() == Second)
            return {};
        const QString s = displayBytes(bytes.left(kCellChars * 4));
        return s.size() > kCellChars ? s.left(kCellChars) + QStringLiteral("…") : s;
    }
    case RawRole:
        return bytes;
    case SortRole:
        if (m_type == KeyType::ZSet && index.column() == Second)
            return row.score;
        if (m_type == KeyType::List && index.column() == First)
            return row.first.toLongLong();
        return bytes;
    default:
        return {};
    }
}

QVariant KeyValueModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (m_type) {
    case KeyType::Hash:
        return section == First ? tr("Field") : tr("Value");
    case KeyType::List:
        return section == First ? tr("Index") : tr("Value");
    case KeyType::Set:
        return section == First ? tr("Member") : QString();
    case KeyType::ZSet:
        return section == First ? tr("Member") : tr("Score");
    case KeyType::Stream:
        return section == First ? tr("Entry ID") : tr("Fields");
    default:
        return section == First ? tr("Element") : tr("Value");
    }
}

StringValue::StringValue(QObject* parent)
    : QObject(parent)
{
}

StringValue::~StringValue() = default;

void StringValue::clear()
{
    ++m_generation;
    m_key.clear();
    m_bytes.clear();
    m_length = -1;
    m_inFlight = false;
}

void StringValue::load(RedisClient* client, const QByteArray& key, int head)
{
    clear();
    m_client = client;
    m_key = key;
    if (!m_client)
        return;
    m_inFlight = true;
    const quint64 gen = m_generation;
    const QList<Command> cmds { { "STRLEN", key }, { "GETRANGE", key, "0", QByteArray::number(std::max(1, head) - 1) } };
    bullmq::whenReady(this, m_client->pipeline(cmds), [this, gen](const QList<Reply>& r) {
        if (gen != m_generation)
            return;
        m_inFlight = false;
        for (const Reply& x : r) {
            if (x.isError()) {
                Q_EMIT failed(x.errorMessage());
                return;
            }
        }
        m_length = r.value(0).integer();
        m_bytes = r.value(1).bytes();
        Q_EMIT loaded();
    });
}

void StringValue::loadMore(int chunk)
{
    if (!m_client || m_inFlight || isComplete())
        return;
    m_inFlight = true;
    const quint64 gen = m_generation;
    const qint64 from = m_bytes.size();
    const QList<Command> cmds { { "STRLEN", m_key },
        { "GETRANGE", m_key, QByteArray::number(from), QByteArray::number(from + std::max(1, chunk) - 1) } };
    bullmq::whenReady(this, m_client->pipeline(cmds), [this, gen](const QList<Reply>& r) {
        if (gen != m_generation)
            return;
        m_inFlight = false;
        if (r.value(1).isError()) {
            Q_EMIT failed(r.value(1).errorMessage());
            return;
        }
        m_length = r.value(0).integer();
        m_bytes += r.value(1).bytes();
        if (r.value(1).bytes().isEmpty())
            m_length = m_bytes.size(); // shrank meanwhile: what we have is all there is
        Q_EMIT loaded();
    });
}

namespace format {

    QString text(const QByteArray& bytes)
    {
        QString out;
        qsizetype start = 0;
        for (qsizetype i = 0; i <= bytes.size(); ++i) {
            if (i == bytes.size() || bytes.at(i) == '\n' || bytes.at(i) == '\t') {
                out += displayBytes(bytes.mid(start, i - start));
                if (i < bytes.size())
                    out += QLatin1Char(bytes.at(i));
                start = i + 1;
            }
        }
        return out;
    }

    QString prettyJson(const QByteArray& bytes)
    {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
        if (error.error != QJsonParseError::NoError || doc.isNull())
            return {};
        return QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
    }

    QString hex(const QByteArray& bytes, qsizetype maxBytes)
    {
        QString out;
        const qsizetype n = std::min(bytes.size(), maxBytes);
        for (qsizetype line = 0; line < n; line += 16) {
            out += QStringLiteral("%1 ").arg(line, 8, 16, QLatin1Char('0'));
            QString ascii;
            for (qsizetype i = line; i < line + 16; ++i) {
                if (i < n) {
                    const auto c = static_cast<unsigned char>(bytes.at(i));
                    out += QStringLiteral(" %1").arg(c, 2, 16, QLatin1Char('0'));
                    ascii += c >= 0x20 && c < 0x7f ? QLatin1Char(char(c)) : QLatin1Char('.');
                } else {
                    out += QStringLiteral("   ");
                }
            }
            out += QStringLiteral("  |") + ascii + QStringLiteral("|\n");
        }
        if (bytes.size() > n)
            out += QStringLiteral("… %1 more bytes\n").arg(bytes.size() - n);
        return out;
    }

} // namespace format

} // namespace bullpen::keys
