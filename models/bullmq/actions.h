// SPDX-License-Identifier: MIT
#pragma once

#include "queuesnapshot.h"

#include <QObject>
#include <QPointer>

#include <optional>

namespace bullpen {
class RedisClient;
}

namespace bullpen::bullmq {

enum class ActionKind { Retry, Remove, Promote, Pause, Resume, Clean, Drain, Obliterate, Add };

QString toString(ActionKind kind); ///< "retry", "remove", …

/// One queue action. Single-job actions name ids; bulk ones set `all` (or are queue-wide:
/// pause, resume, clean). Every script call is one batch: nothing interleaves inside it.
struct ActionRequest {
    ActionKind kind = ActionKind::Retry;
    QByteArray state; ///< retry: failed|completed; remove: the state ids must be in (empty: any); clean: the state
    QList<QByteArray> ids;
    bool all = false;
    bool resetAttempts = false; ///< retry by id: also reset attemptsMade/attemptsStarted (5.x+)
    bool removeChildren = true;
    bool includeDelayed = false; ///< drain: delayed jobs too
    bool force = false; ///< obliterate: also when jobs are active (their locks are deleted)
    /// add: the new job, as Queue.add(name, data, {priority, delay, attempts, lifo}) takes it.
    struct NewJob {
        QByteArray name;
        QByteArray data = "{}"; ///< JSON text (see compactJson)
        qint64 delayMs = 0;
        qint64 priority = 0;
        std::optional<qint64> attempts; ///< unset: the library's default
        bool lifo = false;
    } job;
    qint64 graceMs = 0; ///< clean
    qint64 limit = 0; ///< clean: at most this many (0: all)
    int batchSize = 250; ///< jobs per script call: ~1 ms of Redis time each (bench/actions)
    qint64 nowMs = 0; ///< 0: this machine's clock (BullMQ trusts client clocks too)
};

struct ActionResult {
    QList<QByteArray> done;
    QList<std::pair<QByteArray, QString>> skipped; ///< id, reason for people
    bool cancelled = false;
    int scriptCalls = 0;
    qint64 removedCount = 0; ///< obliterate: jobs removed (the script counts them, ids are not kept)
    QString error; ///< empty on success
    Reply::ErrorKind errorKind = Reply::ErrorKind::None;
};

/// The opts JSON the library stores for a job added with `job`'s options at `timestampMs`, key
/// for key in the library's order (BullMQ 5/6: given keys then attempts; 4.x: delay always; Bull:
/// given keys, then its defaults attempts 1 and delay 0, then the timestamp).
QByteArray addedJobOpts(Library library, Generation generation, const ActionRequest::NewJob& job, qint64 timestampMs);

/// `text` without insignificant whitespace, keys and numbers as written (JSON.stringify of the
/// parsed value for plain data); empty with `error` set when `text` is not JSON.
QByteArray compactJson(const QByteArray& text, QString* error);

/// Why a script skipped a job, for people ("locked by an active worker", …).
QString skipReason(const QByteArray& outcome, const QByteArray& state);

/// The Lua source of one action for a library ("bullmq"/"bull", "retry"), helpers included.
QByteArray actionScript(Library library, const QByteArray& name);

/// Runs one action on a queue in batches: one script call (EVALSHA, loaded with SCRIPT LOAD on
/// NOSCRIPT) per batch, so other clients are served between batches. Bulk retry/promote/clean
/// and remove by ids keep two calls in flight once the script is loaded. Lives on the caller's
/// thread; `progress` after each batch, `finished` exactly once, after every call in flight has
/// answered. Replies are handled from the event loop in the order the calls were sent, never
/// inside the call that sent them, even when a reply is already there: so after cancel() from a
/// `progress` slot, exactly the calls already sent finish and report their jobs. cancel() stops
/// issuing batches.
class ActionRunner : public QObject
{
    Q_OBJECT
public:
    ActionRunner(RedisClient* client, QueueSnapshot queue, ActionRequest request, QObject* parent = nullptr);
    ~ActionRunner() override;

    /// Empty when the action can run on this queue's library/generation, else why not.
    QString unsupportedReason() const;
    void start();
    void cancel();

Q_SIGNALS:
    void progress(qsizetype done, qsizetype skipped);
    void finished(const bullpen::bullmq::ActionResult& result);

private:
    void nextBatch();
    void issueBatch();
    /// A pipelined batch's reply has been taken; `last`: nothing more to issue after it.
    void batchEnd(bool last);
    bool pipelined() const;
    void call(const QByteArray& script, QList<QByteArray> args, std::function<void(const Reply&)> then);
    void evalsha(const QByteArray& script, const QByteArray& sha, QList<QByteArray> argv, bool retried,
        std::function<void(const Reply&)> then);
    void takeOutcomes(const Reply& reply);
    void fail(const Reply& reply);
    /// Fails the action when the client has been deleted and returns true; `endsCall`: the call
    /// counted in m_inFlight ends here.
    bool failIfClientGone(bool endsCall);
    void finish();
    QList<QByteArray> commonArgs() const;

    QPointer<RedisClient> m_client;
    QueueSnapshot m_queue;
    ActionRequest m_request;
    ActionResult m_result;
    int m_generation = 6;
    qint64 m_now = 0;
    qsizetype m_nextId = 0; ///< ids mode: next index into m_request.ids
    qsizetype m_offset = 0; ///< remove --all: skipped jobs still at the head of the state
    bool m_cancelled = false;
    bool m_finished = false;
    bool m_resumeFirst = true;
    bool m_obliterateStarted = false; ///< obliterate: the queue has been paused
    int m_inFlight = 0; ///< script calls sent and not answered
    bool m_warm = false; ///< a script call succeeded: the script is loaded, batches may overlap
    bool m_exhausted = false; ///< no batch is left to issue (or an error ends the run)
    qint64 m_cleanRequested = 0; ///< clean: jobs asked for by the calls in flight
};

} // namespace bullpen::bullmq
