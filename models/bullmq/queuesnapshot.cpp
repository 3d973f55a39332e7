// SPDX-License-Identifier: MIT
#include "queuesnapshot.h"

#include "redisclient.h"

namespace bullpen::bullmq {

namespace {

enum Slot : qsizetype {
    Meta,
    EventsType,
    MetaPausedExists,
    PriorityExists,
    IdExists,
    WaitLen,
    WaitTail,
    PausedLen,
    PausedTail,
    ActiveLen,
    PrioritizedCard,
    DelayedCard,
    CompletedCard,
    FailedCard,
    WaitingChildrenCard,
    RepeatCard,
    SlotCount
};

bool isLegacyMarker(const Reply& r)
{
    return r.isString() && r.bytes().startsWith("0:");
}

// Which library and generation wrote the queue (spec §8). Says "unknown" rather than guess.
void detect(QueueSnapshot& s, const QByteArray& eventsType, bool metaPaused, bool priorityZset, bool idExists)
{
    const QByteArray version = s.meta.value("version");
    s.version = version;
    if (!version.isEmpty()) {
        const qsizetype colon = version.lastIndexOf(':');
        const QByteArray lib = colon > 0 ? version.left(colon) : QByteArray();
        const QByteArray number = colon > 0 ? version.mid(colon + 1) : version;
        bool ok = false;
        const int major = number.split('.').value(0).toInt(&ok);
        s.library = Library::BullMQ;
        if (lib == "bullmq" && ok && major >= 4 && major <= 6) {
            s.generation = major == 6 ? Generation::V6 : major == 5 ? Generation::V5 : Generation::V4;
            s.evidence = QStringLiteral("meta version %1").arg(QString::fromUtf8(version));
        } else {
            s.evidence = QStringLiteral("meta version %1 is not a supported BullMQ release").arg(QString::fromUtf8(version));
        }
        return;
    }
    if (eventsType == "stream" || s.meta.contains("opts.maxLenEvents")) {
        s.library = Library::BullMQ;
        s.evidence = QStringLiteral("BullMQ events stream or meta, but no version recorded");
        return;
    }
    const bool onlyPausedMeta = s.meta.isEmpty() || (s.meta.size() == 1 && s.meta.contains("paused"));
    if (onlyPausedMeta && (metaPaused || priorityZset || idExists)) {
        s.library = Library::Bull;
        s.generation = Generation::Bull;
        s.evidence = metaPaused ? QStringLiteral("meta-paused key") : priorityZset ? QStringLiteral("priority set without prioritized")
                                                                                   : QStringLiteral("id counter without BullMQ meta or events");
        return;
    }
    s.evidence = QStringLiteral("no library marks");
}

void fillCounts(QueueSnapshot& s)
{
    const auto& r = s.raw;
    // getCounts ignores (and pops) a legacy "0:" marker at the tail of wait/paused.
    const qint64 waiting = r.waitTailMarker ? std::max<qint64>(0, r.wait - 1) : r.wait;
    const qint64 pausedList = r.pausedTailMarker ? std::max<qint64>(0, r.paused - 1) : r.paused;
    using C = std::pair<QString, qint64>;
    switch (s.generation) {
    case Generation::Bull:
        // Bull's getJobCounts() counts with plain LLEN/ZCARD.
        s.counts = { C { QStringLiteral("waiting"), r.wait }, C { QStringLiteral("active"), r.active },
            C { QStringLiteral("completed"), r.completed }, C { QStringLiteral("failed"), r.failed },
            C { QStringLiteral("delayed"), r.delayed }, C { QStringLiteral("paused"), r.paused } };
        return;
    case Generation::V6:
        s.counts = { C { QStringLiteral("active"), r.active }, C { QStringLiteral("completed"), r.completed },
            C { QStringLiteral("delayed"), r.delayed }, C { QStringLiteral("failed"), r.failed },
            C { QStringLiteral("prioritized"), r.prioritized }, C { QStringLiteral("waiting"), waiting },
            C { QStringLiteral("waiting-children"), r.waitingChildren } };
        return;
    case Generation::V4:
    case Generation::V5:
    case Generation::Unknown:
        break;
    }
    s.counts = { C { QStringLiteral("active"), r.active }, C { QStringLiteral("completed"), r.completed },
        C { QStringLiteral("delayed"), r.delayed }, C { QStringLiteral("failed"), r.failed },
        C { QStringLiteral("paused"), pausedList }, C { QStringLiteral("prioritized"), r.prioritized },
        C { QStringLiteral("waiting"), waiting }, C { QStringLiteral("waiting-children"), r.waitingChildren } };
}

} // namespace

qint64 QueueSnapshot::count(const QString& state) const
{
    for (const auto& [name, value] : counts) {
        if (name == state)
            return value;
    }
    return -1;
}

qsizetype snapshotCommandCount()
{
    return SlotCount;
}

QList<Command> snapshotCommands(const QueueRef& q)
{
    QList<Command> c;
    c.reserve(SlotCount);
    c.append(Command { "HGETALL", q.key("meta") });
    c.append(Command { "TYPE", q.key("events") });
    c.append(Command { "EXISTS", q.key("meta-paused") });
    c.append(Command { "EXISTS", q.key("priority") });
    c.append(Command { "EXISTS", q.key("id") });
    c.append(Command { "LLEN", q.key("wait") });
    c.append(Command { "LINDEX", q.key("wait"), "-1" });
    c.append(Command { "LLEN", q.key("paused") });
    c.append(Command { "LINDEX", q.key("paused"), "-1" });
    c.append(Command { "LLEN", q.key("active") });
    c.append(Command { "ZCARD", q.key("prioritized") });
    c.append(Command { "ZCARD", q.key("delayed") });
    c.append(Command { "ZCARD", q.key("completed") });
    c.append(Command { "ZCARD", q.key("failed") });
    c.append(Command { "ZCARD", q.key("waiting-children") });
    c.append(Command { "ZCARD", q.key("repeat") });
    Q_ASSERT(c.size() == SlotCount);
    return c;
}

QueueSnapshot parseSnapshot(const QueueRef& ref, const QList<Reply>& replies, qsizetype offset)
{
    QueueSnapshot s;
    s.ref = ref;
    const auto at = [&](Slot slot) -> const Reply& { return replies.at(offset + slot); };
    if (replies.size() < offset + SlotCount) {
        s.error = QStringLiteral("%1: missing replies").arg(ref.displayName());
        s.errorKind = Reply::ErrorKind::Protocol;
        return s;
    }
    for (qsizetype i = 0; i < SlotCount; ++i) {
        const Reply& r = at(Slot(i));
        // A wrong-type key (someone else's data under the same name) is odd data, not fatal;
        // anything else (connection, timeout) fails the snapshot.
        if (r.isError() && r.errorKind() != Reply::ErrorKind::Server) {
            s.error = r.errorMessage();
            s.errorKind = r.errorKind();
            return s;
        }
    }
    const Reply& meta = at(Meta);
    for (qsizetype i = 0; i + 1 < meta.size(); i += 2)
        s.meta.insert(meta.at(i).bytes(), meta.at(i + 1).bytes());
    auto& r = s.raw;
    r.wait = at(WaitLen).integer();
    r.paused = at(PausedLen).integer();
    r.active = at(ActiveLen).integer();
    r.prioritized = at(PrioritizedCard).integer();
    r.delayed = at(DelayedCard).integer();
    r.completed = at(CompletedCard).integer();
    r.failed = at(FailedCard).integer();
    r.waitingChildren = at(WaitingChildrenCard).integer();
    r.repeat = at(RepeatCard).integer();
    r.waitTailMarker = isLegacyMarker(at(WaitTail));
    r.pausedTailMarker = isLegacyMarker(at(PausedTail));
    const QByteArray eventsType = at(EventsType).bytes();
    const bool metaPaused = at(MetaPausedExists).integer() > 0;
    const bool priority = at(PriorityExists).integer() > 0;
    const bool id = at(IdExists).integer() > 0;
    s.exists = !s.meta.isEmpty() || eventsType != "none" || metaPaused || id || r.wait || r.paused || r.active
        || r.prioritized || r.delayed || r.completed || r.failed || r.waitingChildren || r.repeat;
    detect(s, eventsType, metaPaused, priority, id);
    if (s.library == Library::Bull)
        s.paused = metaPaused || s.meta.contains("paused");
    else
        s.paused = s.meta.contains("paused");
    fillCounts(s);
    return s;
}

QFuture<QList<QueueSnapshot>> fetchSnapshots(RedisClient* client, const QList<QueueRef>& queues)
{
    QList<Command> commands;
    commands.reserve(queues.size() * SlotCount);
    for (const QueueRef& q : queues)
        commands.append(snapshotCommands(q));
    return client->pipeline(commands).then(client, [queues](const QList<Reply>& replies) {
        QList<QueueSnapshot> out;
        out.reserve(queues.size());
        for (qsizetype i = 0; i < queues.size(); ++i)
            out.append(parseSnapshot(queues.at(i), replies, i * SlotCount));
        return out;
    });
}

} // namespace bullpen::bullmq
