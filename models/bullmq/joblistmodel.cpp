// SPDX-License-Identifier: MIT
#include "joblistmodel.h"

#include "jobjson.h"
#include "futurewatch.h"
#include "redisclient.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSet>

namespace bullpen::bullmq {

JobListModel::JobListModel(RedisClient* client, QObject* parent)
    : QAbstractTableModel(parent)
    , m_client(client)
{
}

JobListModel::~JobListModel() = default;

void JobListModel::setSource(const QueueSnapshot& queue, const QString& state)
{
    beginResetModel();
    ++m_generation; // drops replies for the old source
    m_queue = queue;
    m_state = state;
    m_rows.clear();
    m_nextOffset = 0;
    m_total = 0;
    m_exhausted = stateContainers(queue.generation, state).isEmpty();
    m_inFlight = false;
    endResetModel();
}

int JobListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int JobListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

namespace {

QVariant time(const std::optional<qint64>& ms)
{
    return ms ? QVariant(QDateTime::fromMSecsSinceEpoch(*ms)) : QVariant();
}

QString progressText(const QByteArray& raw)
{
    if (raw.isEmpty())
        return QStringLiteral("0");
    const QJsonValue v = jsonOrText(raw);
    if (v.isDouble())
        return QString::number(v.toDouble());
    if (v.isString())
        return v.toString();
    return QString::fromUtf8(raw.left(80));
}

} // namespace

QVariant JobListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const JobSummary& j = m_rows.at(index.row());
    if (role == JobIdRole)
        return j.id;
    if (role == MissingRole)
        return j.missing;
    if (role == DataPreviewRole)
        return j.hasPreview ? QVariant(j.dataPreview) : QVariant();
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    if (j.missing) {
        if (index.column() == Id)
            return QString::fromUtf8(j.id);
        return index.column() == Name && role == Qt::DisplayRole ? QVariant(tr("(job is gone)")) : QVariant();
    }
    switch (index.column()) {
    case Id:
        return QString::fromUtf8(j.id);
    case Name:
        return QString::fromUtf8(j.name);
    case Created:
        return time(j.timestamp);
    case Processed:
        return time(j.processedOn);
    case Finished:
        return time(j.finishedOn);
    case Attempts:
        return j.attemptsMade;
    case Progress:
        return progressText(j.progress);
    case DataSize:
        return j.dataSize;
    case Reason:
        return j.failedReason ? QVariant(QString::fromUtf8(j.failedReason->left(500))) : QVariant();
    default:
        break;
    }
    return {};
}

QVariant JobListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char* const names[] = { "Id", "Name", "Created", "Processed", "Finished", "Attempts", "Progress",
        "Data size", "Failed reason" };
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

bool JobListModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && !m_exhausted && !m_inFlight && m_client;
}

void JobListModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent))
        return;
    m_inFlight = true;
    const quint64 gen = m_generation;
    const PageRequest req { m_state, m_nextOffset, m_nextOffset + m_pageSize - 1, kPreviewBytes };
    whenReady(this, fetchJobPage(m_client, m_queue, req), [this, gen](const JobPage& page) {
        if (gen != m_generation)
            return; // the source changed meanwhile
        if (!page.error.isEmpty()) {
            m_inFlight = false;
            Q_EMIT failed(page.error);
            return;
        }
        m_total = page.total;
        const qint64 consumed = page.jobs.size() + page.skipped.size();
        m_nextOffset += std::max<qint64>(consumed, m_pageSize);
        m_exhausted = consumed < m_pageSize || m_nextOffset >= m_total;
        // A row the list already has (the state moved under us) is not added twice.
        QSet<QByteArray> have;
        for (const JobSummary& j : std::as_const(m_rows))
            have.insert(j.id);
        QList<JobSummary> add;
        for (const JobSummary& j : page.jobs) {
            if (!have.contains(j.id))
                add.append(j);
        }
        if (!add.isEmpty()) {
            beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + add.size()) - 1);
            m_rows.append(add);
            endInsertRows();
        }
        // Only now: views (and the model tester) react to the insertion by asking for more, and
        // that request must start from the state this page left.
        m_inFlight = false;
        Q_EMIT pageLoaded();
    });
}

void JobListModel::refresh()
{
    if (m_inFlight || !m_client || stateContainers(m_queue.generation, m_state).isEmpty())
        return;
    m_inFlight = true;
    const quint64 gen = m_generation;
    const qint64 upTo = std::max<qint64>(m_nextOffset, m_pageSize) - 1;
    whenReady(this, fetchJobPage(m_client, m_queue, PageRequest { m_state, 0, upTo, kPreviewBytes }),
        [this, gen](const JobPage& page) {
            if (gen != m_generation)
                return;
            if (!page.error.isEmpty()) {
                m_inFlight = false;
                Q_EMIT failed(page.error);
                return;
            }
            m_total = page.total;
            m_nextOffset = std::max<qint64>(m_nextOffset, page.jobs.size() + page.skipped.size());
            m_exhausted = m_nextOffset >= m_total;
            merge(page.jobs);
            m_inFlight = false;
            Q_EMIT refreshed();
        });
}

void JobListModel::merge(const QList<JobSummary>& fresh)
{
    QSet<QByteArray> wanted;
    for (const JobSummary& j : fresh)
        wanted.insert(j.id);
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (!wanted.contains(m_rows.at(row).id)) {
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
        }
    }
    for (int i = 0; i < fresh.size(); ++i) {
        const JobSummary& want = fresh.at(i);
        int at = -1;
        for (int r = i; r < m_rows.size(); ++r) {
            if (m_rows.at(r).id == want.id) {
                at = r;
                break;
            }
        }
        if (at < 0) {
            beginInsertRows({}, i, i);
            m_rows.insert(i, want);
            endInsertRows();
            continue;
        }
        if (at != i) {
            beginMoveRows({}, at, at, {}, i);
            m_rows.move(at, i);
            endMoveRows();
        }
        m_rows[i] = want;
    }
    Q_ASSERT(m_rows.size() == fresh.size());
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

} // namespace bullpen::bullmq
