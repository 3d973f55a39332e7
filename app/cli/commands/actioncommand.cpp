// SPDX-License-Identifier: MIT
#include "actioncommand.h"

#include "clioutput.h"
#include "clisession.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>
#include <unistd.h>

namespace bullpen::cli {

using namespace bullmq;

namespace {

    bool parseCount(const QByteArray& text, qint64* out)
    {
        bool ok = false;
        *out = text.toLongLong(&ok);
        return ok && *out >= 0;
    }

    QString pastTense(ActionKind kind)
    {
        switch (kind) {
        case ActionKind::Retry:
            return QStringLiteral("retried");
        case ActionKind::Remove:
            return QStringLiteral("removed");
        case ActionKind::Promote:
            return QStringLiteral("promoted");
        case ActionKind::Pause:
            return QStringLiteral("paused");
        case ActionKind::Resume:
            return QStringLiteral("resumed");
        case ActionKind::Clean:
            return QStringLiteral("cleaned");
        case ActionKind::Drain:
            return QStringLiteral("drained");
        case ActionKind::Obliterate:
            return QStringLiteral("obliterated");
        case ActionKind::Add:
            return QStringLiteral("added");
        }
        return {};
    }

    // Ctrl-C during a bulk action: the handler only writes a byte; the runner stops after the
    // batch in flight (each batch is one script, so nothing is half-done) and the result is printed.
    int g_interruptPipe[2] = { -1, -1 };

    void onInterrupt(int)
    {
        const char c = 1;
        [[maybe_unused]] const auto n = ::write(g_interruptPipe[1], &c, 1);
    }

} // namespace

ActionCommand::ActionCommand(ActionKind kind)
    : m_kind(kind)
{
    m_request.kind = kind;
}

std::unique_ptr<CliCommand> ActionCommand::retry() { return std::make_unique<ActionCommand>(ActionKind::Retry); }
std::unique_ptr<CliCommand> ActionCommand::remove() { return std::make_unique<ActionCommand>(ActionKind::Remove); }
std::unique_ptr<CliCommand> ActionCommand::promote() { return std::make_unique<ActionCommand>(ActionKind::Promote); }
std::unique_ptr<CliCommand> ActionCommand::pause() { return std::make_unique<ActionCommand>(ActionKind::Pause); }
std::unique_ptr<CliCommand> ActionCommand::resume() { return std::make_unique<ActionCommand>(ActionKind::Resume); }
std::unique_ptr<CliCommand> ActionCommand::clean() { return std::make_unique<ActionCommand>(ActionKind::Clean); }
std::unique_ptr<CliCommand> ActionCommand::drain() { return std::make_unique<ActionCommand>(ActionKind::Drain); }
std::unique_ptr<CliCommand> ActionCommand::obliterate() { return std::make_unique<ActionCommand>(ActionKind::Obliterate); }

QString ActionCommand::usage() const
{
    switch (m_kind) {
    case ActionKind::Retry:
        return QStringLiteral("usage: retry QUEUE (ID...|--all) [--state failed|completed] [--reset-attempts] [--yes] [--dry-run]");
    case ActionKind::Remove:
        return QStringLiteral("usage: remove QUEUE --state STATE (ID...|--all) [--keep-children] [--yes] [--dry-run]");
    case ActionKind::Promote:
        return QStringLiteral("usage: promote QUEUE (ID...|--all) [--yes] [--dry-run]");
    case ActionKind::Pause:
        return QStringLiteral("usage: pause QUEUE [--dry-run]");
    case ActionKind::Resume:
        return QStringLiteral("usage: resume QUEUE [--dry-run]");
    case ActionKind::Clean:
        return QStringLiteral("usage: clean QUEUE --state STATE [--grace MS] [--limit N] [--yes] [--dry-run]");
    case ActionKind::Drain:
        return QStringLiteral("usage: drain QUEUE --confirm QUEUE [--delayed] [--dry-run]");
    case ActionKind::Obliterate:
        return QStringLiteral("usage: obliterate QUEUE --confirm QUEUE [--force] [--dry-run]");
    case ActionKind::Add:
        break; // AddCommand
    }
    return {};
}

bool ActionCommand::isBulk() const
{
    return m_request.all || m_kind == ActionKind::Clean;
}

QString ActionCommand::parse(const QList<QByteArray>& args)
{
    const QByteArray name = toString(m_kind).toLatin1();
    const QString error = parseQueueArgs(name.constData(), args, { "--state", "--grace", "--limit", "--batch", "--confirm" },
        { "--all", "--yes", "--dry-run", "--reset-attempts", "--keep-children", "--delayed", "--force" }, &m_args);
    if (!error.isEmpty())
        return error;
    if (m_args.positional.isEmpty())
        return usage();
    m_yes = m_args.flags.contains("--yes");
    m_dryRun = m_args.flags.contains("--dry-run");
    m_request.all = m_args.flags.contains("--all");
    m_request.resetAttempts = m_args.flags.contains("--reset-attempts");
    m_request.removeChildren = !m_args.flags.contains("--keep-children");
    m_request.ids = m_args.positional.mid(1);
    m_request.state = m_args.values.value("--state");
    if (m_args.values.contains("--batch")) {
        qint64 b = 0;
        if (!parseCount(m_args.values.value("--batch"), &b) || b < 1 || b > 100000)
            return QStringLiteral("--batch needs an integer from 1 to 100000");
        m_request.batchSize = int(b);
    }
    const bool takesIds = m_kind == ActionKind::Retry || m_kind == ActionKind::Remove || m_kind == ActionKind::Promote;
    if (takesIds) {
        if (m_request.all == !m_request.ids.isEmpty())
            return usage();
    } else if (m_request.all || !m_request.ids.isEmpty()) {
        return usage();
    }
    if (m_kind == ActionKind::Retry) {
        if (m_request.state.isEmpty())
            m_request.state = "failed";
        if (m_request.state != "failed" && m_request.state != "completed")
            return QStringLiteral("retry: --state is failed or completed");
    }
    if (m_kind == ActionKind::Drain || m_kind == ActionKind::Obliterate) {
        m_request.includeDelayed = m_args.flags.contains("--delayed");
        m_request.force = m_args.flags.contains("--force");
        // Only after the caller typed the queue's name.
        if (!m_dryRun && m_args.values.value("--confirm") != m_args.positional.first())
            return QStringLiteral("%1: confirm with --confirm %2")
                .arg(m_kind == ActionKind::Drain ? QStringLiteral("drain removes every waiting job")
                                                 : QStringLiteral("obliterate deletes the queue and every job in it"),
                    QString::fromUtf8(m_args.positional.first()));
        m_yes = true;
    }
    if ((m_request.includeDelayed && m_kind != ActionKind::Drain) || (m_request.force && m_kind != ActionKind::Obliterate))
        return usage();
    if (m_kind == ActionKind::Remove && m_request.all && m_request.state.isEmpty())
        return QStringLiteral("remove --all needs --state");
    if (m_kind == ActionKind::Remove && m_request.state == "waiting")
        m_request.state = "wait";
    if (m_kind == ActionKind::Clean) {
        static const QList<QByteArray> states { "completed", "failed", "delayed", "prioritized", "wait", "waiting",
            "paused", "active", "waiting-children" };
        if (!states.contains(m_request.state))
            return QStringLiteral("clean needs --state (completed, failed, delayed, prioritized, wait, paused, active)");
        for (const auto& [option, target] : { std::pair<const char*, qint64*> { "--grace", &m_request.graceMs },
                 { "--limit", &m_request.limit } }) {
            if (m_args.values.contains(option) && !parseCount(m_args.values.value(option), target))
                return QStringLiteral("%1 needs a non-negative integer").arg(QLatin1String(option));
        }
    }
    if (isBulk() && !m_yes && !m_dryRun && !isatty(STDIN_FILENO))
        return QStringLiteral("%1 on many jobs needs --yes when standard input is not a terminal").arg(QString::fromLatin1(name));
    return {};
}

void ActionCommand::run(CliSession& session)
{
    withQueue(session, m_args.positional.first(), m_args.prefix, [this, &session](const QueueSnapshot& queue) {
        if (m_dryRun) {
            dryRun(session, queue);
            return;
        }
        if (isBulk() && !m_yes) {
            writeErr(QStringLiteral("%1 %2 jobs of %3? [y/N] ")
                         .arg(toString(m_kind), m_request.state.isEmpty() ? QStringLiteral("all") : QString::fromUtf8(m_request.state),
                             queue.ref.displayName()));
            std::string answer;
            std::getline(std::cin, answer);
            if (answer != "y" && answer != "yes") {
                failUsage(session, QStringLiteral("not confirmed; nothing changed"));
                return;
            }
        }
        execute(session, queue);
    });
}

void ActionCommand::dryRun(CliSession& session, const QueueSnapshot& queue)
{
    QJsonObject o { { QStringLiteral("dryRun"), true }, { QStringLiteral("action"), toString(m_kind) },
        { QStringLiteral("queue"), queue.ref.displayName() } };
    QString text;
    if (!m_request.ids.isEmpty()) {
        QJsonArray ids;
        for (const QByteArray& id : std::as_const(m_request.ids))
            ids.append(QString::fromUtf8(id));
        o.insert(QStringLiteral("ids"), ids);
        text = QStringLiteral("would %1 %2 job(s) of %3 (jobs not in the expected state would be skipped)")
                   .arg(toString(m_kind))
                   .arg(ids.size())
                   .arg(queue.ref.displayName());
    } else if (m_kind == ActionKind::Drain) {
        qint64 n = 0;
        for (const QString& st : { QStringLiteral("waiting"), QStringLiteral("paused"), QStringLiteral("prioritized") })
            n += std::max<qint64>(0, queue.count(st));
        if (m_request.includeDelayed)
            n += std::max<qint64>(0, queue.count(QStringLiteral("delayed")));
        o.insert(QStringLiteral("atMost"), n);
        text = QStringLiteral("would drain at most %1 job(s) of %2").arg(n).arg(queue.ref.displayName());
    } else if (m_kind == ActionKind::Obliterate) {
        qint64 n = 0;
        for (const auto& [state, count] : queue.counts)
            n += std::max<qint64>(0, count);
        o.insert(QStringLiteral("atMost"), n);
        o.insert(QStringLiteral("activeJobs"), std::max<qint64>(0, queue.count(QStringLiteral("active"))));
        text = QStringLiteral("would pause %1 and delete it with its %2 job(s)%3")
                   .arg(queue.ref.displayName())
                   .arg(n)
                   .arg(queue.count(QStringLiteral("active")) > 0 && !m_request.force
                           ? QStringLiteral(" — refused: it has active jobs (add --force)")
                           : QString());
    } else if (m_kind == ActionKind::Pause || m_kind == ActionKind::Resume) {
        text = QStringLiteral("would %1 %2 (now %3)")
                   .arg(toString(m_kind), queue.ref.displayName(), queue.paused ? QStringLiteral("paused") : QStringLiteral("running"));
    } else {
        QByteArray state = m_kind == ActionKind::Promote ? QByteArrayLiteral("delayed") : m_request.state;
        qint64 n = queue.count(QString::fromUtf8(state == "wait" ? QByteArrayLiteral("waiting") : state));
        if (m_kind == ActionKind::Clean && m_request.limit > 0)
            n = std::min(n, m_request.limit);
        o.insert(QStringLiteral("atMost"), n);
        text = QStringLiteral("would %1 at most %2 %3 job(s) of %4")
                   .arg(toString(m_kind))
                   .arg(n)
                   .arg(QString::fromUtf8(state), queue.ref.displayName());
    }
    if (session.json())
        session.finishWithJson(o);
    else
        session.finishWithText(text);
}

void ActionCommand::execute(CliSession& session, const QueueSnapshot& queue)
{
    auto* runner = new ActionRunner(session.client(), queue, m_request, &session);
    const bool interactive = isatty(STDERR_FILENO) && !session.json();
    QObject::connect(runner, &ActionRunner::progress, &session, [interactive](qsizetype done, qsizetype skipped) {
        if (interactive)
            writeErr(QStringLiteral("\r%1 done, %2 skipped").arg(done).arg(skipped));
    });
    const ActionKind kind = m_kind;
    const QString queueName = queue.ref.displayName();
    QObject::connect(runner, &ActionRunner::finished, &session, [&session, kind, queueName, interactive](const ActionResult& r) {
        if (interactive)
            writeErr(QStringLiteral("\n"));
        if (!r.error.isEmpty()) {
            failRead(session, r.errorKind, r.error);
            return;
        }
        QJsonArray done, skipped;
        for (const QByteArray& id : r.done)
            done.append(QString::fromUtf8(id));
        for (const auto& [id, reason] : r.skipped)
            skipped.append(QJsonObject { { QStringLiteral("id"), QString::fromUtf8(id) }, { QStringLiteral("reason"), reason } });
        if (session.json()) {
            session.finishWithJson(QJsonObject { { QStringLiteral("action"), toString(kind) }, { QStringLiteral("queue"), queueName },
                { QStringLiteral("done"), done }, { QStringLiteral("skipped"), skipped },
                { QStringLiteral("removed"), kind == ActionKind::Obliterate ? r.removedCount : qint64(r.done.size()) },
                { QStringLiteral("cancelled"), r.cancelled }, { QStringLiteral("scriptCalls"), r.scriptCalls } });
            return;
        }
        QStringList lines;
        if (kind == ActionKind::Pause || kind == ActionKind::Resume)
            lines << QStringLiteral("%1 %2").arg(pastTense(kind), queueName);
        else if (kind == ActionKind::Obliterate)
            lines << QStringLiteral("%1 %2: %3 job(s) removed%4")
                         .arg(pastTense(kind), queueName)
                         .arg(r.removedCount)
                         .arg(r.cancelled ? QStringLiteral(" (cancelled: the queue is paused and partly deleted)") : QString());
        else
            lines << QStringLiteral("%1 %2 job(s) of %3, skipped %4%5")
                         .arg(pastTense(kind))
                         .arg(r.done.size())
                         .arg(queueName)
                         .arg(r.skipped.size())
                         .arg(r.cancelled ? QStringLiteral(" (cancelled: the rest is unchanged)") : QString());
        for (const auto& [id, reason] : r.skipped)
            lines << QStringLiteral("  skipped %1: %2").arg(cell(id, 80), reason);
        session.finishWithText(lines.join(QLatin1Char('\n')));
    });
    if (g_interruptPipe[0] < 0 && ::pipe(g_interruptPipe) == 0) {
        auto* notifier = new QSocketNotifier(g_interruptPipe[0], QSocketNotifier::Read, &session);
        QObject::connect(notifier, &QSocketNotifier::activated, runner, [runner, notifier] {
            char c;
            [[maybe_unused]] const auto n = ::read(g_interruptPipe[0], &c, 1);
            notifier->setEnabled(false);
            writeErr(QStringLiteral("\nbullpen-cli: stopping after the current batch\n"));
            runner->cancel();
        });
        std::signal(SIGINT, onInterrupt);
    }
    runner->start();
}

} // namespace bullpen::cli
