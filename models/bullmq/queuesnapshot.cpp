// SPDX-License-Identifier: MIT
#include "queuesnapshot.h"

#include "redisclient.h"

#include <array>

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

// The commands of a full read (detection + counts) or, when the previous snapshot already knows
// the generation, only what that generation's counts and paused flag need.
QList<Slot> plan(const QueueSnapshot* previous)
{
    QList<Slot> all;
    for (qsizetype i = 0; i < SlotCount; ++i)
        all.append(Slot(i));
    if (!previous || !previous->error.isEmpty() || (previous->version.isEmpty() && previous->library != Library::Bull))
        return all;
    switch (previous->generation) {
    case Generation::V6:
        return { Meta, WaitLen, WaitTail, ActiveLen, PrioritizedCard, DelayedCard, CompletedCard, FailedCard,
            WaitingChildrenCard };
    case Generation::V5:
    case Generation::V4:
        return { Meta, WaitLen, WaitTail, PausedLen, PausedTail, ActiveLen, PrioritizedCard, DelayedCard, CompletedCard,
            FailedCard, WaitingChildrenCard };
    case Generation::Bull:
        return { Meta, MetaPausedExists, WaitLen, PausedLen, ActiveLen, DelayedCard, CompletedCard, FailedCard };
    case Generation::Unknown:
        break;
    }
    return all;
}

Command commandFor(const QueueRef& q, Slot slot)
{
    switch (slot) {
    case Meta:
        return { "HGETALL", q.key("meta") };
    case EventsType:
        return { "TYPE", q.key("events") };
    case MetaPausedExists:
        return { "EXISTS", q.key("meta-paused") };
    case PriorityExists:
        return { "EXISTS", q.key("priority") };
    case IdExists:
        return { "EXISTS", q.key("id") };
    case WaitLen:
        return { "LLEN", q.key("wait") };
    case WaitTail:
        return { "LINDEX", q.key("wait"), "-1" };
    case PausedLen:
        return { "LLEN", q.key("paused") };
    case PausedTail:
        return { "LINDEX", q.key("paused"), "-1" };
    case ActiveLen:
        return { "LLEN", q.key("active") };
    case PrioritizedCard:
        return { "ZCARD", q.key("prioritized") };
    case DelayedCard:
        return { "ZCARD", q.key("delayed") };
    case CompletedCard:
        return { "ZCARD", q.key("completed") };
    case FailedCard:
        return { "ZCARD", q.key("failed") };
    case WaitingChildrenCard:
        return { "ZCARD", q.key("waiting-children") };
    case RepeatCard:
        return { "ZCARD", q.key("repeat") };
    case SlotCount:
        break;
    }
    return {};
}

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
    for (const Slot slot : plan(nullptr))
        c.append(commandFor(q, slot));
    return c;
}

namespace {

QueueSnapshot parsePlanned(const QueueRef& ref, const QList<Slot>& planned, const QList<Reply>& replies, qsizetype offset,
    const QueueSnapshot* previous)
{
    QueueSnapshot s;
    s.ref = ref;
    if (replies.size() < offset + planned.size()) {
        s.error = QStringLiteral("%1: missing replies").arg(ref.displayName());
        s.errorKind = Reply::ErrorKind::Protocol;
        return s;
    }
    std::array<const Reply*, SlotCount> at {};
    static const Reply none;
    at.fill(&none);
    for (qsizetype i = 0; i < planned.size(); ++i) {
        const Reply& r = replies.at(offset + i);
        // A wrong-type key (someone else's data under the same name) is odd data, not fatal;
        // anything else (connection, timeout) fails the snapshot.
        if (r.isError() && r.errorKind() != Reply::ErrorKind::Server) {
            s.error = r.errorMessage();
            s.errorKind = r.errorKind();
            return s;
        }
        at[planned.at(i)] = &r;
    }
    const Reply& meta = *at[Meta];
    for (qsizetype i = 0; i + 1 < meta.size(); i += 2)
        s.meta.insert(meta.at(i).bytes(), meta.at(i + 1).bytes());
    auto& r = s.raw;
    r.wait = at[WaitLen]->integer();
    r.paused = at[PausedLen]->integer();
    r.active = at[ActiveLen]->integer();
    r.prioritized = at[PrioritizedCard]->integer();
    r.delayed = at[DelayedCard]->integer();
    r.completed = at[CompletedCard]->integer();
    r.failed = at[FailedCard]->integer();
    r.waitingChildren = at[WaitingChildrenCard]->integer();
    r.repeat = at[RepeatCard]->integer();
    r.waitTailMarker = isLegacyMarker(*at[WaitTail]);
    r.pausedTailMarker = isLegacyMarker(*at[PausedTail]);
    const QByteArray eventsType = at[EventsType]->bytes();
    const bool metaPaused = at[MetaPausedExists]->integer() > 0;
    const bool priority = at[PriorityExists]->integer() > 0;
    const bool id = at[IdExists]->integer() > 0;
    const bool lean = planned.size() < SlotCount;
    if (lean && previous && previous->version == s.meta.value("version")) {
        // Same writer as last time: keep what the full read detected.
        s.version = previous->version;
        s.library = previous->library;
        s.generation = previous->generation;
        s.evidence = previous->evidence;
    } else {
        detect(s, eventsType, metaPaused, priority, id);
    }
    s.exists = !s.meta.isEmpty() || (eventsType != "none" && !eventsType.isEmpty()) || metaPaused || id || r.wait
        || r.paused || r.active || r.prioritized || r.delayed || r.completed || r.failed || r.waitingChildren || r.repeat
        || (lean && previous && previous->exists);
    if (s.library == Library::Bull)
        s.paused = metaPaused || s.meta.contains("paused");
    else
        s.paused = s.meta.contains("paused");
    fillCounts(s);
    return s;
}

} // namespace

QueueSnapshot parseSnapshot(const QueueRef& ref, const QList<Reply>& replies, qsizetype offset)
{
    return parsePlanned(ref, plan(nullptr), replies, offset, nullptr);
}

QFuture<QList<QueueSnapshot>> fetchSnapshots(RedisClient* client, const QList<QueueRef>& queues)
{
    QList<QueueSnapshot> fresh;
    for (const QueueRef& q : queues) {
        QueueSnapshot s;
        s.ref = q;
        s.error = QStringLiteral("not read yet"); // forces the full read
        fresh.append(s);
    }
    return refreshSnapshots(client, fresh);
}

QFuture<QList<QueueSnapshot>> refreshSnapshots(RedisClient* client, const QList<QueueSnapshot>& previous)
{
    QList<Command> commands;
    QList<QList<Slot>> plans;
    for (const QueueSnapshot& p : previous) {
        plans.append(plan(&p));
        for (const Slot slot : plans.last())
            commands.append(commandFor(p.ref, slot));
    }
    return client->pipeline(commands).then(client, [previous, plans](const QList<Reply>& replies) {
        QList<QueueSnapshot> out;
        out.reserve(previous.size());
        qsizetype offset = 0;
        for (qsizetype i = 0; i < previous.size(); ++i) {
            out.append(parsePlanned(previous.at(i).ref, plans.at(i), replies, offset, &previous.at(i)));
            offset += plans.at(i).size();
        }
        return out;
    });
}

} // namespace bullpen::bullmq
