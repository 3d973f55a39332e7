// SPDX-License-Identifier: MIT
#include "jobjson.h"

#include "jobdetail.h"
#include "jobpage.h"
#include "queuesnapshot.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QStringDecoder>

#include <cmath>

namespace bullpen::bullmq {

QJsonValue parseJsonValue(const QByteArray& text, bool* ok)
{
    // QJsonDocument only takes arrays and objects at the top: wrap, then unwrap.
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson('[' + text + ']', &error);
    const bool good = error.error == QJsonParseError::NoError && doc.isArray() && doc.array().size() == 1
        && !text.trimmed().isEmpty();
    if (ok)
        *ok = good;
    return good ? doc.array().at(0) : QJsonValue();
}

QJsonValue textValue(const QByteArray& bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString text = decoder(bytes);
    if (!decoder.hasError())
        return text;
    return QJsonObject { { QStringLiteral("base64"), QString::fromLatin1(bytes.toBase64()) },
        { QStringLiteral("size"), double(bytes.size()) } };
}

QJsonValue jsonOrText(const QByteArray& bytes)
{
    bool ok = false;
    const QJsonValue v = parseJsonValue(bytes, &ok);
    return ok ? v : textValue(bytes);
}

QJsonValue decodeOpts(Generation generation, const QByteArray& raw)
{
    bool ok = false;
    const QJsonValue parsed = parseJsonValue(raw.isEmpty() ? QByteArray("{}") : raw, &ok);
    if (!ok || !parsed.isObject())
        return ok ? parsed : textValue(raw);
    static const QList<std::pair<QString, QString>> v4 { { QStringLiteral("fpof"), QStringLiteral("failParentOnFailure") },
        { QStringLiteral("kl"), QStringLiteral("keepLogs") }, { QStringLiteral("rdof"), QStringLiteral("removeDependencyOnFailure") } };
    static const QList<std::pair<QString, QString>> v5 { { QStringLiteral("de"), QStringLiteral("deduplication") },
        { QStringLiteral("fpof"), QStringLiteral("failParentOnFailure") },
        { QStringLiteral("cpof"), QStringLiteral("continueParentOnFailure") },
        { QStringLiteral("idof"), QStringLiteral("ignoreDependencyOnFailure") }, { QStringLiteral("kl"), QStringLiteral("keepLogs") },
        { QStringLiteral("rdof"), QStringLiteral("removeDependencyOnFailure") } };
    const QJsonObject in = parsed.toObject();
    if (generation == Generation::Bull)
        return in;
    const auto& map = generation == Generation::V4 ? v4 : v5;
    QJsonObject out;
    QJsonObject telemetry;
    for (auto it = in.begin(); it != in.end(); ++it) {
        QString key = it.key();
        for (const auto& [shortKey, longKey] : map) {
            if (key == shortKey) {
                key = longKey;
                break;
            }
        }
        if (generation != Generation::V4 && key == QLatin1String("tm"))
            telemetry.insert(QStringLiteral("metadata"), it.value());
        else if (generation != Generation::V4 && key == QLatin1String("omc"))
            telemetry.insert(QStringLiteral("omitContext"), it.value());
        else
            out.insert(key, it.value());
    }
    if (!telemetry.isEmpty())
        out.insert(QStringLiteral("telemetry"), telemetry);
    // The Job constructor moves repeatJobKey out of opts (it is the job's repeatJobKey) and
    // defaults attempts to 0.
    out.remove(QStringLiteral("repeatJobKey"));
    if (!out.contains(QStringLiteral("attempts")))
        out.insert(QStringLiteral("attempts"), 0);
    return out;
}

namespace {

QJsonValue number(const std::optional<qint64>& v)
{
    return v ? QJsonValue(double(*v)) : QJsonValue(QJsonValue::Null);
}

// parseInt(): leading integer, else null (NaN).
std::optional<qint64> parseInt(const QByteArray& raw, bool present)
{
    if (!present)
        return std::nullopt;
    const QByteArray t = raw.trimmed();
    qsizetype n = 0;
    if (n < t.size() && (t.at(n) == '-' || t.at(n) == '+'))
        ++n;
    const qsizetype digits = n;
    while (n < t.size() && t.at(n) >= '0' && t.at(n) <= '9')
        ++n;
    if (n == digits)
        return std::nullopt;
    return t.left(n).toLongLong();
}

QJsonValue progressValue(const QByteArray& raw)
{
    // JSON.parse(progress || '0')
    return raw.isEmpty() ? QJsonValue(0) : jsonOrText(raw);
}

} // namespace

QJsonObject toJson(const QueueSnapshot& q)
{
    QJsonObject counts;
    for (const auto& [state, n] : q.counts)
        counts.insert(state, double(n));
    return QJsonObject { { QStringLiteral("name"), QString::fromUtf8(q.ref.name) },
        { QStringLiteral("prefix"), QString::fromUtf8(q.ref.prefix) }, { QStringLiteral("library"), toString(q.library) },
        { QStringLiteral("generation"), toString(q.generation) }, { QStringLiteral("paused"), q.paused },
        { QStringLiteral("counts"), counts } };
}

QJsonObject toJson(const JobSummary& s)
{
    QJsonObject o { { QStringLiteral("id"), textValue(s.id) } };
    if (s.missing) {
        o.insert(QStringLiteral("missing"), true);
        return o;
    }
    o.insert(QStringLiteral("name"), textValue(s.name));
    o.insert(QStringLiteral("timestamp"), number(s.timestamp));
    o.insert(QStringLiteral("processedOn"), number(s.processedOn));
    o.insert(QStringLiteral("finishedOn"), number(s.finishedOn));
    o.insert(QStringLiteral("attemptsMade"), double(s.attemptsMade));
    o.insert(QStringLiteral("failedReason"), s.failedReason ? textValue(*s.failedReason) : QJsonValue(QJsonValue::Null));
    o.insert(QStringLiteral("progress"), progressValue(s.progress));
    o.insert(QStringLiteral("dataSize"), double(s.dataSize));
    if (s.hasPreview)
        o.insert(QStringLiteral("data"), jsonOrText(s.dataPreview));
    return o;
}

QJsonObject toJson(const JobDetail& d)
{
    QJsonObject o { { QStringLiteral("id"), textValue(d.id) }, { QStringLiteral("queue"), QString::fromUtf8(d.ref.name) },
        { QStringLiteral("prefix"), QString::fromUtf8(d.ref.prefix) } };
    const auto raw = [&](const char* f) { return d.field(QByteArray(f)); };
    const auto has = [&](const char* f) { return d.has(QByteArray(f)); };
    const bool v5plus = d.generation != Generation::V4 && d.generation != Generation::Bull;

    o.insert(QStringLiteral("name"), has("name") ? textValue(raw("name")) : QJsonValue(QJsonValue::Null));
    o.insert(QStringLiteral("data"), jsonOrText(has("data") ? raw("data") : QByteArray("{}")));
    o.insert(QStringLiteral("dataSize"), double(raw("data").size()));
    o.insert(QStringLiteral("opts"), decodeOpts(d.generation, raw("opts")));
    o.insert(QStringLiteral("progress"), progressValue(raw("progress")));
    o.insert(QStringLiteral("returnvalue"), has("returnvalue") ? jsonOrText(raw("returnvalue")) : QJsonValue(QJsonValue::Null));
    o.insert(QStringLiteral("failedReason"), has("failedReason") ? textValue(raw("failedReason")) : QJsonValue(QJsonValue::Null));
    // getTraces(): a JSON array, anything else reads as [] — shown as text instead, never lost.
    QJsonValue traces = QJsonArray();
    if (has("stacktrace")) {
        bool ok = false;
        const QJsonValue t = parseJsonValue(raw("stacktrace"), &ok);
        traces = ok && t.isArray() ? t : textValue(raw("stacktrace"));
    }
    o.insert(QStringLiteral("stacktrace"), traces);
    qint64 attemptsMade = parseInt(raw("attemptsMade"), has("attemptsMade")).value_or(0);
    if (v5plus && attemptsMade == 0)
        attemptsMade = parseInt(raw("atm"), has("atm")).value_or(0);
    o.insert(QStringLiteral("attemptsMade"), double(attemptsMade));
    o.insert(QStringLiteral("attemptsStarted"), double(parseInt(raw("ats"), has("ats")).value_or(0)));
    o.insert(QStringLiteral("stalledCounter"),
        double(parseInt(raw(v5plus ? "stc" : "stalledCounter"), has(v5plus ? "stc" : "stalledCounter")).value_or(0)));
    o.insert(QStringLiteral("timestamp"), number(parseInt(raw("timestamp"), has("timestamp"))));
    o.insert(QStringLiteral("processedOn"), number(parseInt(raw("processedOn"), has("processedOn"))));
    o.insert(QStringLiteral("finishedOn"), number(parseInt(raw("finishedOn"), has("finishedOn"))));
    o.insert(QStringLiteral("delay"), number(parseInt(raw("delay"), has("delay"))));
    o.insert(QStringLiteral("priority"), number(parseInt(raw("priority"), has("priority"))));
    o.insert(QStringLiteral("runAt"), number(d.runAt()));
    o.insert(QStringLiteral("delayedScore"), d.delayedScore ? QJsonValue(*d.delayedScore) : QJsonValue(QJsonValue::Null));
    o.insert(QStringLiteral("parentKey"), has("parentKey") ? textValue(raw("parentKey")) : QJsonValue(QJsonValue::Null));
    o.insert(QStringLiteral("parent"), has("parent") ? jsonOrText(raw("parent")) : QJsonValue(QJsonValue::Null));
    o.insert(QStringLiteral("repeatJobKey"), has("rjk") ? textValue(raw("rjk")) : QJsonValue(QJsonValue::Null));
    o.insert(QStringLiteral("deduplicationId"), has("deid") ? textValue(raw("deid")) : QJsonValue(QJsonValue::Null));
    o.insert(QStringLiteral("processedBy"), has("pb") ? textValue(raw("pb")) : QJsonValue(QJsonValue::Null));
    o.insert(QStringLiteral("deferredFailure"), has("defa") ? textValue(raw("defa")) : QJsonValue(QJsonValue::Null));
    if (has("retriedOn"))
        o.insert(QStringLiteral("retriedOn"), number(parseInt(raw("retriedOn"), true)));
    o.insert(QStringLiteral("state"), d.state);

    QJsonArray logs;
    for (const QByteArray& line : d.logs)
        logs.append(textValue(line));
    o.insert(QStringLiteral("logs"), logs);
    o.insert(QStringLiteral("logCount"), double(d.logCount));
    o.insert(QStringLiteral("lock"), d.lockToken.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                           : QJsonObject { { QStringLiteral("token"), textValue(d.lockToken) },
                                                                 { QStringLiteral("ttlMs"), double(d.lockTtlMs) } });
    o.insert(QStringLiteral("stalledCandidate"), d.inStalledSet);

    QJsonArray pending;
    for (const QByteArray& k : d.children.pending)
        pending.append(textValue(k));
    QJsonObject processed;
    for (const auto& [k, v] : d.children.processed)
        processed.insert(QString::fromUtf8(k), jsonOrText(v));
    QJsonObject ignored;
    for (const auto& [k, v] : d.children.ignored)
        ignored.insert(QString::fromUtf8(k), textValue(v));
    QJsonArray failed;
    for (const auto& [k, at] : d.children.failed)
        failed.append(QJsonObject { { QStringLiteral("key"), textValue(k) }, { QStringLiteral("at"), at } });
    o.insert(QStringLiteral("children"),
        QJsonObject { { QStringLiteral("pending"), pending }, { QStringLiteral("pendingCount"), double(d.children.pendingCount) },
            { QStringLiteral("processed"), processed }, { QStringLiteral("processedCount"), double(d.children.processedCount) },
            { QStringLiteral("ignored"), ignored }, { QStringLiteral("ignoredCount"), double(d.children.ignoredCount) },
            { QStringLiteral("failed"), failed }, { QStringLiteral("failedCount"), double(d.children.failedCount) } });

    static const QSet<QByteArray> known { "name", "data", "opts", "timestamp", "delay", "priority", "parentKey", "parent",
        "rjk", "deid", "progress", "processedOn", "pb", "ats", "atm", "stc", "finishedOn", "returnvalue", "failedReason",
        "stacktrace", "defa", "tm", "nrjid", "flowAttachmentFailed", "attemptsMade", "stalledCounter", "retriedOn" };
    QJsonObject unknown;
    for (const auto& [k, v] : d.fields) {
        if (!known.contains(k))
            unknown.insert(QString::fromUtf8(k), textValue(v));
    }
    o.insert(QStringLiteral("unknownFields"), unknown);
    return o;
}

} // namespace bullpen::bullmq
