// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QHashFunctions>
#include <QList>
#include <QString>
#include <QStringList>

namespace bullpen::bullmq {

/// Which library wrote a queue.
enum class Library { Unknown, BullMQ, Bull };

/// The data-model generation a queue follows: what the keys mean and what the library's
/// getters report (see the spec, §7). Unknown when the evidence does not settle it.
enum class Generation { Unknown, V4, V5, V6, Bull };

QString toString(Library library); ///< "bullmq", "bull", "unknown"
QString toString(Generation generation); ///< "6", "5", "4", "bull", "unknown"

/// One queue: the key prefix (may contain ':' and hash tags such as "{bull}") and the name.
struct QueueRef {
    QByteArray prefix;
    QByteArray name;

    /// "prefix:name:" — every key of the queue starts with it.
    QByteArray base() const { return prefix + ':' + name + ':'; }
    QByteArray key(const QByteArray& suffix) const { return base() + suffix; }
    /// "prefix:name" for people (bytes decoded as UTF-8).
    QString displayName() const;

    friend bool operator==(const QueueRef&, const QueueRef&) = default;
    friend bool operator<(const QueueRef& a, const QueueRef& b)
    {
        return a.prefix != b.prefix ? a.prefix < b.prefix : a.name < b.name;
    }
};

inline size_t qHash(const QueueRef& ref, size_t seed = 0)
{
    return qHashMulti(seed, ref.prefix, ref.name);
}

/// The job states a library's getJobs() accepts for a generation, in display order.
QStringList listableStates(Generation generation);

/// True for states kept in a Redis list (wait, paused, active); the rest are sorted sets.
bool isListState(const QByteArray& keySuffix);

} // namespace bullpen::bullmq
