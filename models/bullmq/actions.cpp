// SPDX-License-Identifier: MIT
#include "actions.h"

#include "futurewatch.h"
#include "redisclient.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace bullpen::bullmq {

namespace {

    QByteArray readResource(const QString& path)
    {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            qFatal("missing resource %s", qPrintable(path));
        return f.readAll();
    }

    QByteArray sha1Hex(const QByteArray& source)
    {
        return QCryptographicHash::hash(source, QCryptographicHash::Sha1).toHex();
    }

    int generationNumber(const QueueSnapshot& q)
    {
        switch (q.generation) {
        case Generation::V4:
            return 4;
        case Generation::V5:
            return 5;
        case Generation::V6:
            // Spec §8: 6.x list semantics only while no legacy paused list is around.
            return q.raw.paused > 0 ? 5 : 6;
        default:
            return 0;
        }
    }

} // namespace

QByteArray addedJobOpts(Library library, Generation generation, const ActionRequest::NewJob& job, qint64 timestampMs)
{
    QList<std::pair<QByteArray, qint64>> opts;
    if (job.priority > 0)
        opts.append({ "priority", job.priority });
    if (job.delayMs > 0 || (library == Library::BullMQ && generation == Generation::V4))
        opts.append({ "delay", job.delayMs });
    if (library == Library::Bull) {
        opts.append({ "attempts", job.attempts.value_or(1) });
        if (job.delayMs <= 0)
            opts.append({ "delay", 0 });
        opts.append({ "timestamp", timestampMs });
    } else {
        opts.append({ "attempts", job.attempts.value_or(0) });
    }
    QByteArray out = "{";
    for (const auto& [name, value] : opts)
        out += (out.size() > 1 ? "," : "") + ('"' + name + "\":") + QByteArray::number(value);
    if (job.lifo)
        out += ",\"lifo\":true";
    return out + '}';
}

QByteArray compactJson(const QByteArray& text, QString* error)
{
    // Parsed inside brackets so any JSON value is accepted, and then it must be exactly one
    // value: "1,2" would parse as two.
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson('[' + text + ']', &parseError);
    if (parseError.error == QJsonParseError::NoError && doc.array().size() != 1 && !text.trimmed().isEmpty()) {
        *error = QStringLiteral("the data is not one JSON value (%1 values separated by commas)").arg(doc.array().size());
        return {};
    }
    if (parseError.error != QJsonParseError::NoError || text.trimmed().isEmpty()) {
        *error = text.trimmed().isEmpty() ? QStringLiteral("the data is empty")
                                          : QStringLiteral("the data is not JSON: %1 at character %2")
                                                .arg(parseError.errorString())
                                                .arg(std::max(0, parseError.offset - 1) + 1);
        return {};
    }
    QByteArray out;
    out.reserve(text.size());
    bool inString = false, escaped = false;
    for (const char c : text) {
        if (inString) {
            out += c;
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
            out += c;
        } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            out += c;
        }
    }
    return out;
}

QString toString(ActionKind kind)
{
    switch (kind) {
    case ActionKind::Retry:
        return QStringLiteral("retry");
    case ActionKind::Remove:
        return QStringLiteral("remove");
    case ActionKind::Promote:
        return QStringLiteral("promote");
    case ActionKind::Pause:
        return QStringLiteral("pause");
    case ActionKind::Resume:
        return QStringLiteral("resume");
    case ActionKind::Clean:
        return QStringLiteral("clean");
    case ActionKind::Drain:
        return QStringLiteral("drain");
    case ActionKind::Obliterate:
        return QStringLiteral("obliterate");
    case ActionKind::Add:
        return QStringLiteral("add");
    }
    return {};
}

QString skipReason(const QByteArray& outcome, const QByteArray& state)
{
    if (outcome == "missing")
        return QStringLiteral("job no longer exists");
    if (outcome == "not-in-state")
        return state.isEmpty() ? QStringLiteral("no longer in that state")
                               : QStringLiteral("no longer in %1").arg(QString::fromUtf8(state));
    if (outcome == "locked")
        return QStringLiteral("locked by an active worker");
    if (outcome == "scheduler")
        return QStringLiteral("current iteration of a job scheduler (remove the scheduler instead)");
    return QString::fromUtf8(outcome);
}

QByteArray actionScript(Library library, const QByteArray& name)
{
    const QString dir = library == Library::Bull ? QStringLiteral(":/lua/bull/") : QStringLiteral(":/lua/bullmq/");
    return readResource(dir + QStringLiteral("common.lua")) + '\n'
        + readResource(dir + QString::fromLatin1(name) + QStringLiteral(".lua"));
}

ActionRunner::ActionRunner(RedisClient* client, QueueSnapshot queue, ActionRequest request, QObject* parent)
    : QObject(parent)
    , m_client(client)
    , m_queue(std::move(queue))
    , m_request(std::move(request))
    , m_generation(generationNumber(m_queue))
{
    if (m_request.batchSize < 1)
        m_request.batchSize = 1;
}

ActionRunner::~ActionRunner() = default;

QString ActionRunner::unsupportedReason() const
{
    if (m_queue.library == Library::Bull) {
        if (m_request.kind == ActionKind::Drain)
            return QStringLiteral("drain of Bull queues is not supported yet");
        if (m_request.kind == ActionKind::Retry && !m_request.state.isEmpty() && m_request.state != "failed")
            return QStringLiteral("Bull retries failed jobs only");
        static const QList<QByteArray> bullStates { "completed", "wait", "waiting", "active", "paused", "delayed", "failed" };
        if ((m_request.kind == ActionKind::Clean || (m_request.kind == ActionKind::Remove && !m_request.state.isEmpty()))
            && !bullStates.contains(m_request.state))
            return QStringLiteral("Bull queues have no state \"%1\"").arg(QString::fromUtf8(m_request.state));
        return {};
    }
    if (m_generation == 0)
        return QStringLiteral("the queue's BullMQ generation is unknown; refusing to write");
    return {};
}

void ActionRunner::start()
{
    const QString why = unsupportedReason();
    if (!why.isEmpty()) {
        m_result.error = why;
        m_result.errorKind = Reply::ErrorKind::Refused;
        finish();
        return;
    }
    m_now = m_request.nowMs > 0 ? m_request.nowMs : QDateTime::currentMSecsSinceEpoch();
    nextBatch();
}

void ActionRunner::cancel()
{
    m_cancelled = true;
}

QList<QByteArray> ActionRunner::commonArgs() const
{
    return { m_queue.ref.key("meta"), m_queue.ref.base(), QByteArray::number(m_generation), QByteArray::number(m_now) };
}

bool ActionRunner::pipelined() const
{
    switch (m_request.kind) {
    case ActionKind::Retry:
    case ActionKind::Promote:
    case ActionKind::Clean:
        return true;
    case ActionKind::Remove:
        return !m_request.all; // --all reads a page first and moves its offset by the skips
    default:
        return false;
    }
}

void ActionRunner::nextBatch()
{
    if (m_finished)
        return;
    if (m_cancelled) {
        if (m_inFlight == 0) {
            m_result.cancelled = true;
            finish();
        }
        return;
    }
    if (!pipelined()) {
        issueBatch();
        return;
    }
    // Two calls in flight once the script is known to be loaded: Redis runs the next batch
    // as soon as one ends instead of waiting a round trip for us, and still serves every other
    // client between two calls (each is one command). Batches never overlap: "all" modes take
    // what is still in the state when the call runs, ids modes get disjoint slices.
    const int window = m_warm ? 2 : 1;
    while (!m_finished && !m_exhausted && !m_cancelled && m_inFlight < window)
        issueBatch();
}

void ActionRunner::batchEnd(bool last)
{
    if (last)
        m_exhausted = true;
    if (m_inFlight > 0 && (m_exhausted || m_cancelled))
        return; // the other call's reply settles it
    if (m_exhausted)
        finish();
    else
        nextBatch();
}

void ActionRunner::issueBatch()
{
    const int batch = m_request.batchSize;
    QList<QByteArray> args = commonArgs();
    auto idsBatch = [this, batch] {
        const QList<QByteArray> ids = m_request.ids.mid(m_nextId, batch);
        m_nextId += ids.size();
        if (m_nextId >= m_request.ids.size())
            m_exhausted = true;
        return ids;
    };
    auto more = [this](const Reply& r, qsizetype wanted) {
        takeOutcomes(r);
        batchEnd(r.elements().size() / 2 < wanted);
    };
    auto idsDone = [this](const Reply& r) {
        takeOutcomes(r);
        batchEnd(false);
    };

    switch (m_request.kind) {
    case ActionKind::Retry: {
        const QByteArray state = m_request.state.isEmpty() ? QByteArrayLiteral("failed") : m_request.state;
        const QByteArray reset = m_request.resetAttempts ? "1" : "0";
        if (m_request.all) {
            args << state << "all" << QByteArray::number(batch) << QByteArray::number(m_now) << "0" << "0";
            call("retry", args, [this, batch](const Reply& r) {
                // Every id the script returns was retried (no per-job outcome in this mode).
                for (const Reply& e : r.elements())
                    m_result.done.append(e.bytes());
                Q_EMIT progress(m_result.done.size(), m_result.skipped.size());
                batchEnd(r.elements().size() < batch);
            });
        } else {
            args << state << "ids" << "0" << "0" << reset << reset << idsBatch();
            call("retry", args, idsDone);
        }
        return;
    }
    case ActionKind::Promote:
        if (m_request.all) {
            args << "all" << QByteArray::number(batch);
            call("promote", args, [more, batch](const Reply& r) { more(r, batch); });
        } else {
            args << "ids" << "0" << idsBatch();
            call("promote", args, idsDone);
        }
        return;
    case ActionKind::Remove: {
        const QByteArray children = m_request.removeChildren ? "1" : "0";
        if (!m_request.all) {
            args << children << m_request.state << idsBatch();
            call("remove", args, idsDone);
            return;
        }
        // Read a page of the state, then remove it by id with the state required: a job that
        // moved on meanwhile is skipped. Skipped jobs stay at the head, so the page moves past them.
        const QByteArray stateKey = m_queue.ref.key(m_request.state);
        const qint64 start = m_offset, stop = m_offset + batch - 1;
        Command read = isListState(m_request.state)
            ? Command { "LRANGE", stateKey, QByteArray::number(-stop - 1), QByteArray::number(-start - 1) }
            : Command { "ZRANGE", stateKey, QByteArray::number(start), QByteArray::number(stop) };
        if (failIfClientGone(false))
            return;
        whenReady(this, m_client->command(read), [this, args, children, batch](const Reply& page) mutable {
            if (page.isError()) {
                fail(page);
                return;
            }
            QList<QByteArray> ids;
            for (const Reply& e : page.elements())
                ids.append(e.bytes());
            if (isListState(m_request.state))
                std::reverse(ids.begin(), ids.end());
            if (ids.isEmpty()) {
                finish();
                return;
            }
            args << children << m_request.state << ids;
            const qsizetype n = ids.size();
            call("remove", args, [this, n, batch](const Reply& r) {
                const qsizetype skippedBefore = m_result.skipped.size();
                takeOutcomes(r);
                m_offset += m_result.skipped.size() - skippedBefore;
                if (n < batch)
                    finish();
                else
                    nextBatch();
            });
        });
        return;
    }
    case ActionKind::Pause:
        args << "paused" << "1";
        call("pause", args, [this](const Reply&) { finish(); });
        return;
    case ActionKind::Resume:
        args << "resumed" << (m_resumeFirst ? "1" : "0");
        m_resumeFirst = false;
        call("pause", args, [this](const Reply& r) {
            if (r.toInteger() > 0)
                nextBatch();
            else
                finish();
        });
        return;
    case ActionKind::Drain:
        // One script, as Queue.drain(): the whole waiting side goes at once.
        args << (m_request.includeDelayed ? "1" : "0");
        call("drain", args, [this](const Reply& r) {
            for (const Reply& e : r.elements())
                m_result.done.append(e.bytes());
            Q_EMIT progress(m_result.done.size(), 0);
            finish();
        });
        return;
    case ActionKind::Add: {
        const ActionRequest::NewJob& job = m_request.job;
        args << job.name << job.data
             << addedJobOpts(m_queue.library, m_queue.generation, job, m_now) << QByteArray::number(job.delayMs)
             << QByteArray::number(job.priority) << (job.lifo ? "1" : "0");
        call("add", args, [this](const Reply& r) {
            takeOutcomes(r);
            finish();
        });
        return;
    }
    case ActionKind::Obliterate:
        if (!m_obliterateStarted) {
            // As Queue.obliterate(): the full pause first (with its event), then budgeted calls.
            m_obliterateStarted = true;
            args << "paused" << "1";
            call("pause", args, [this](const Reply&) { nextBatch(); });
            return;
        }
        args << QByteArray::number(batch) << (m_request.force ? "1" : "0");
        call("obliterate", args, [this](const Reply& r) {
            const qint64 status = r.at(0).integer();
            const qint64 removed = r.at(1).integer();
            m_result.removedCount += removed;
            Q_EMIT progress(m_result.removedCount, 0);
            if (status == -1 || status == -2) {
                m_result.error = status == -1
                    ? QStringLiteral("the queue is not paused (it was resumed while being obliterated)")
                    : QStringLiteral("the queue has active jobs; obliterate with force to remove them and their locks");
                m_result.errorKind = Reply::ErrorKind::Refused;
                finish();
            } else if (status == 1) {
                nextBatch();
            } else {
                finish();
            }
        });
        return;
    case ActionKind::Clean: {
        // What the limit leaves once the calls in flight have taken their share.
        const qint64 remaining = m_request.limit > 0 ? m_request.limit - m_result.done.size() - m_cleanRequested : 0;
        qint64 thisBatch = m_request.limit > 0 ? std::min<qint64>(batch, remaining) : batch;
        // Bull reads a limited zset by score (finishedOn ≤ cutoff): delayed scores are run times,
        // so only an unlimited call cleans delayed jobs, as Queue.clean(grace, 'delayed') does.
        if (m_queue.library == Library::Bull && m_request.state == "delayed" && m_request.limit == 0) {
            thisBatch = 0;
            m_exhausted = true; // one call does it all
        }
        if (m_request.limit > 0 && remaining <= 0) {
            batchEnd(true);
            return;
        }
        if (m_request.limit > 0 && remaining <= thisBatch)
            m_exhausted = true; // this call takes what the limit leaves
        QByteArray state = m_request.state == "waiting" ? QByteArrayLiteral("wait") : m_request.state;
        args << state << QByteArray::number(m_now - m_request.graceMs) << QByteArray::number(thisBatch);
        m_cleanRequested += thisBatch;
        call("clean", args, [this, thisBatch](const Reply& r) {
            m_cleanRequested -= thisBatch;
            for (const Reply& e : r.elements())
                m_result.done.append(e.bytes());
            Q_EMIT progress(m_result.done.size(), m_result.skipped.size());
            batchEnd(thisBatch == 0 || r.elements().size() < thisBatch);
        });
        return;
    }
    }
}

void ActionRunner::takeOutcomes(const Reply& reply)
{
    const QList<Reply>& e = reply.elements();
    for (qsizetype i = 0; i + 1 < e.size(); i += 2) {
        if (e.at(i + 1).bytes() == "ok")
            m_result.done.append(e.at(i).bytes());
        else
            m_result.skipped.append({ e.at(i).bytes(), skipReason(e.at(i + 1).bytes(), m_request.state) });
    }
    Q_EMIT progress(m_result.done.size(), m_result.skipped.size());
}

void ActionRunner::call(const QByteArray& script, QList<QByteArray> args, std::function<void(const Reply&)> then)
{
    // args: KEYS[1], then ARGV.
    struct Loaded {
        QByteArray source, sha;
    };
    static QHash<QByteArray, Loaded> cache; // main-thread only: runners live on the caller's thread
    const QByteArray cacheKey = QByteArray(m_queue.library == Library::Bull ? "bull/" : "bullmq/") + script;
    auto it = cache.find(cacheKey);
    if (it == cache.end()) {
        Loaded l;
        l.source = actionScript(m_queue.library, script);
        l.sha = sha1Hex(l.source);
        it = cache.insert(cacheKey, l);
    }
    ++m_result.scriptCalls;
    ++m_inFlight;
    Command argv { "EVALSHA", it->sha, "1" };
    argv << args;
    evalsha(it->source, it->sha, argv, false, std::move(then));
}

void ActionRunner::evalsha(const QByteArray& source, const QByteArray& sha, QList<QByteArray> argv, bool retried,
    std::function<void(const Reply&)> then)
{
    // Every way out of here ends the call exactly once: --m_inFlight, then `then` or fail().
    if (failIfClientGone(true))
        return;
    whenReady(this, m_client->command(argv), [this, source, sha, argv, retried, then](const Reply& r) {
        if (r.isError() && r.errorKind() == Reply::ErrorKind::Server && r.bytes().startsWith("NOSCRIPT") && !retried) {
            if (failIfClientGone(true)) // gone while the reply waited in the event queue
                return;
            whenReady(this, m_client->command({ "SCRIPT", "LOAD", source }), [this, source, sha, argv, then](const Reply& l) {
                if (l.isError()) {
                    --m_inFlight;
                    fail(l);
                    return;
                }
                evalsha(source, sha, argv, true, then);
            });
            return;
        }
        --m_inFlight;
        if (r.isError()) {
            fail(r);
            return;
        }
        m_warm = true;
        then(r);
    });
}

bool ActionRunner::failIfClientGone(bool endsCall)
{
    if (m_client)
        return false;
    if (endsCall)
        --m_inFlight;
    fail(Reply::failure(Reply::ErrorKind::Connection, QStringLiteral("client gone")));
    return true;
}

void ActionRunner::fail(const Reply& reply)
{
    if (m_result.error.isEmpty()) {
        m_result.error = reply.errorMessage();
        m_result.errorKind = reply.errorKind();
    }
    // A call still in flight may have done its batch: its reply completes the result.
    m_exhausted = true;
    if (m_inFlight == 0)
        finish();
}

void ActionRunner::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    Q_EMIT finished(m_result);
}

} // namespace bullpen::bullmq
