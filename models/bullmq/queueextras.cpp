// SPDX-License-Identifier: MIT
#include "queueextras.h"

#include "jobjson.h"
#include "redisclient.h"

#include <QJsonObject>

#include <algorithm>

namespace bullpen::bullmq {

namespace {

ExtraResult failure(const Reply& r)
{
    ExtraResult out;
    out.error = r.errorMessage();
    out.errorKind = r.errorKind();
    return out;
}

QJsonValue intOrNull(const QByteArray& raw)
{
    bool ok = false;
    const qint64 v = raw.toLongLong(&ok);
    return ok && v != 0 ? QJsonValue(double(v)) : QJsonValue(QJsonValue::Null);
}

} // namespace

bool isWorkerName(const QueueSnapshot& queue, const QByteArray& name)
{
    const QByteArray base = QByteArray(queue.ref.prefix + ':' + queue.ref.name.toBase64());
    if (name.isEmpty())
        return false;
    switch (queue.generation) {
    case Generation::Bull:
        return name.startsWith(base);
    case Generation::V4:
        return name == base;
    case Generation::V5:
    case Generation::V6:
    case Generation::Unknown:
        break;
    }
    return name == base || name.startsWith(QByteArray(base + ":w:"));
}

QFuture<ExtraResult> fetchWorkers(RedisClient* client, const QueueSnapshot& queue)
{
    return client->command({ "CLIENT", "LIST" }).then(client, [queue](const Reply& r) {
        if (r.isError())
            return failure(r);
        ExtraResult out;
        for (const QByteArray& line : r.bytes().split('\n')) {
            QJsonObject row;
            QByteArray name;
            for (const QByteArray& pair : line.trimmed().split(' ')) {
                const qsizetype eq = pair.indexOf('=');
                if (eq <= 0)
                    continue;
                const QByteArray key = pair.left(eq), value = pair.mid(eq + 1);
                if (key == "name")
                    name = value;
                row.insert(QString::fromUtf8(key), textValue(value));
            }
            if (!isWorkerName(queue, name))
                continue;
            row.insert(QStringLiteral("rawname"), textValue(name));
            row.insert(QStringLiteral("name"), textValue(queue.ref.name));
            out.rows.append(row);
        }
        return out;
    });
}

QFuture<ExtraResult> fetchSchedulers(RedisClient* client, const QueueSnapshot& queue, qint64 limit)
{
    const QueueRef ref = queue.ref;
    const Generation generation = queue.generation;
    return client->command({ "ZREVRANGE", ref.key("repeat"), "0", QByteArray::number(std::max<qint64>(1, limit) - 1), "WITHSCORES" })
        .then(client, [client, ref, generation](const Reply& range) {
            if (range.isError())
                return QtFuture::makeReadyFuture(failure(range));
            QList<std::pair<QByteArray, double>> members;
            for (qsizetype i = 0; i + 1 < range.size(); i += 2)
                members.append({ range.at(i).bytes(), range.at(i + 1).bytes().toDouble() });
            QList<Command> hashes;
            for (const auto& [member, next] : members)
                hashes.append(Command { "HGETALL", ref.key("repeat:" + member) });
            if (hashes.isEmpty())
                return QtFuture::makeReadyFuture(ExtraResult {});
            return client->pipeline(hashes).then(client, [members, generation](const QList<Reply>& replies) {
                ExtraResult out;
                for (qsizetype i = 0; i < members.size(); ++i) {
                    const Reply& h = replies.value(i);
                    if (h.isError() && h.errorKind() != Reply::ErrorKind::Server)
                        return failure(h);
                    const QByteArray& key = members.at(i).first;
                    const double next = members.at(i).second;
                    QJsonObject row { { QStringLiteral("key"), textValue(key) }, { QStringLiteral("next"), next } };
                    if (h.size() >= 2) {
                        // A job scheduler: shaped like getJobSchedulers().
                        QMap<QByteArray, QByteArray> f;
                        for (qsizetype k = 0; k + 1 < h.size(); k += 2)
                            f.insert(h.at(k).bytes(), h.at(k + 1).bytes());
                        row.insert(QStringLiteral("name"), textValue(f.value("name")));
                        const auto number = [&](const char* field, const char* as) {
                            if (!f.value(field).isEmpty())
                                row.insert(QLatin1String(as), double(f.value(field).toLongLong()));
                        };
                        number("ic", "iterationCount");
                        number("limit", "limit");
                        number("startDate", "startDate");
                        number("endDate", "endDate");
                        number("every", "every");
                        number("offset", "offset");
                        if (!f.value("tz").isEmpty())
                            row.insert(QStringLiteral("tz"), textValue(f.value("tz")));
                        if (!f.value("pattern").isEmpty())
                            row.insert(QStringLiteral("pattern"), textValue(f.value("pattern")));
                        QJsonObject templ;
                        if (f.contains("data"))
                            templ.insert(QStringLiteral("data"), jsonOrText(f.value("data")));
                        if (f.contains("opts"))
                            templ.insert(QStringLiteral("opts"), decodeOpts(generation, f.value("opts")));
                        row.insert(QStringLiteral("template"), templ);
                    } else {
                        // A legacy repeatable job: everything is in the key, as getRepeatableJobs() splits it.
                        const QList<QByteArray> parts = key.split(':');
                        row.insert(QStringLiteral("name"), textValue(parts.value(0)));
                        row.insert(QStringLiteral("id"), parts.value(1).isEmpty() ? QJsonValue(QJsonValue::Null) : textValue(parts.value(1)));
                        row.insert(QStringLiteral("endDate"), intOrNull(parts.value(2)));
                        if (generation == Generation::Bull) {
                            const QByteArray cron = parts.value(4);
                            row.insert(QStringLiteral("tz"), cron.isEmpty() || parts.value(3).isEmpty() ? QJsonValue(QJsonValue::Null) : textValue(parts.value(3)));
                            row.insert(QStringLiteral("cron"), cron.isEmpty() ? QJsonValue(QJsonValue::Null) : textValue(cron));
                            row.insert(QStringLiteral("every"), cron.isEmpty() ? intOrNull(parts.value(3)) : QJsonValue(QJsonValue::Null));
                        } else {
                            const QByteArray pattern = parts.mid(4).join(':');
                            row.insert(QStringLiteral("tz"), parts.value(3).isEmpty() ? QJsonValue(QJsonValue::Null) : textValue(parts.value(3)));
                            row.insert(QStringLiteral("pattern"), pattern.isEmpty() ? QJsonValue(QJsonValue::Null) : textValue(pattern));
                        }
                    }
                    out.rows.append(row);
                }
                return out;
            });
        })
        .unwrap();
}

QFuture<ExtraResult> fetchEvents(RedisClient* client, const QueueSnapshot& queue, qint64 count, const QByteArray& after,
    int blockMs)
{
    if (queue.library == Library::Bull) {
        ExtraResult out;
        out.error = QStringLiteral("%1 is a Bull queue: Bull publishes events with Pub/Sub and keeps no event stream (--follow tails them)")
                        .arg(queue.ref.displayName());
        out.errorKind = Reply::ErrorKind::Refused;
        return QtFuture::makeReadyFuture(out);
    }
    const QByteArray key = queue.ref.key("events");
    Command cmd;
    CallOptions call;
    if (after.isEmpty()) {
        cmd = { "XREVRANGE", key, "+", "-", "COUNT", QByteArray::number(std::max<qint64>(1, count)) };
    } else {
        cmd = { "XREAD", "COUNT", QByteArray::number(std::max<qint64>(1, count)) };
        if (blockMs > 0) {
            cmd << "BLOCK" << QByteArray::number(blockMs);
            call.timeoutMs = blockMs + 10000;
        }
        cmd << "STREAMS" << key << after;
    }
    const bool reverse = after.isEmpty();
    return client->command(cmd, call).then(client, [reverse, after](const Reply& r) {
        if (r.isError())
            return failure(r);
        ExtraResult out;
        out.lastEventId = after;
        // XREAD: [[key, [entries]]] or nil on timeout; XREVRANGE: [entries].
        const QList<Reply> entries = reverse ? r.elements() : (r.size() > 0 ? r.at(0).at(1).elements() : QList<Reply> {});
        QList<QJsonObject> rows;
        for (const Reply& e : entries) {
            QJsonObject row { { QStringLiteral("id"), textValue(e.at(0).bytes()) } };
            const Reply& fields = e.at(1);
            for (qsizetype k = 0; k + 1 < fields.size(); k += 2)
                row.insert(QString::fromUtf8(fields.at(k).bytes()), textValue(fields.at(k + 1).bytes()));
            rows.append(row);
        }
        if (reverse)
            std::reverse(rows.begin(), rows.end());
        for (const QJsonObject& row : rows)
            out.rows.append(row);
        if (!rows.isEmpty())
            out.lastEventId = rows.last().value(QStringLiteral("id")).toString().toUtf8();
        else if (reverse)
            out.lastEventId = "0-0";
        return out;
    });
}

QByteArray bullEventPattern(const QueueRef& queue)
{
    QByteArray pattern;
    for (const char c : queue.base()) {
        if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\')
            pattern += '\\';
        pattern += c;
    }
    return pattern + '*';
}

QJsonObject bullEvent(const QueueRef& queue, const QByteArray& channel, const QByteArray& payload, qint64 receivedMs)
{
    const QByteArray base = queue.base();
    if (!channel.startsWith(base) || channel.size() == base.size())
        return {};
    QByteArray name = channel.mid(base.size());
    QJsonObject row;
    const qsizetype at = name.indexOf('@');
    if (at >= 0) {
        row.insert(QStringLiteral("token"), QString::fromUtf8(name.mid(at + 1)));
        name.truncate(at);
    }
    row.insert(QStringLiteral("event"), QString::fromUtf8(name));
    row.insert(QStringLiteral("channel"), QString::fromUtf8(channel));
    row.insert(QStringLiteral("data"), jsonOrText(payload));
    row.insert(QStringLiteral("time"), receivedMs);
    return row;
}

} // namespace bullpen::bullmq
