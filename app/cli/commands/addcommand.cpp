// SPDX-License-Identifier: MIT
#include "addcommand.h"

#include "bullmq/jobdetail.h"
#include "clisession.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace bullpen::cli {

using namespace bullmq;

namespace {

    bool nonNegative(const QueueArgs& args, const QByteArray& option, qint64* out, QString* error)
    {
        if (!args.values.contains(option))
            return true;
        bool ok = false;
        *out = args.values.value(option).toLongLong(&ok);
        if (!ok || *out < 0) {
            *error = QStringLiteral("%1 needs a non-negative integer").arg(QString::fromLatin1(option));
            return false;
        }
        return true;
    }

} // namespace

AddCommand::AddCommand(bool duplicate)
    : m_duplicate(duplicate)
{
    m_request.kind = ActionKind::Add;
}

std::unique_ptr<CliCommand> AddCommand::add() { return std::make_unique<AddCommand>(false); }
std::unique_ptr<CliCommand> AddCommand::duplicate() { return std::make_unique<AddCommand>(true); }

QString AddCommand::parse(const QList<QByteArray>& args)
{
    const QString usage = m_duplicate
        ? QStringLiteral("usage: duplicate QUEUE ID [--data JSON] [--dry-run]")
        : QStringLiteral("usage: add QUEUE NAME [--data JSON] [--delay MS] [--priority N] [--attempts N] [--dry-run]");
    QString error = parseQueueArgs(m_duplicate ? "duplicate" : "add", args,
        m_duplicate ? QList<QByteArray> { "--data" } : QList<QByteArray> { "--data", "--delay", "--priority", "--attempts" },
        { "--dry-run" }, &m_args);
    if (!error.isEmpty())
        return error;
    if (m_args.positional.size() != 2)
        return usage;
    m_dryRun = m_args.flags.contains("--dry-run");
    {
        ActionRequest::NewJob& job = m_request.job;
        if (!m_duplicate)
            job.name = m_args.positional.at(1);
        m_dataGiven = m_args.values.contains("--data");
        if (m_dataGiven) {
            job.data = compactJson(m_args.values.value("--data"), &error);
            if (job.data.isEmpty())
                return QStringLiteral("--data: %1").arg(error);
        }
        qint64 attempts = -1;
        if (!nonNegative(m_args, "--delay", &job.delayMs, &error) || !nonNegative(m_args, "--priority", &job.priority, &error)
            || !nonNegative(m_args, "--attempts", &attempts, &error))
            return error;
        if (attempts >= 0)
            job.attempts = attempts;
        if (job.priority > 2097152) // BullMQ's limit (2^21)
            return QStringLiteral("--priority is at most 2097152");
    }
    return {};
}

void AddCommand::run(CliSession& session)
{
    withQueue(session, m_args.positional.at(0), m_args.prefix, [this, &session](const QueueSnapshot& queue) {
        if (!m_duplicate) {
            execute(session, queue, m_request);
            return;
        }
        const QByteArray id = m_args.positional.at(1);
        fetchJobDetail(session.client(), queue, id).then(&session, [this, &session, queue](const JobDetail& d) {
            if (!d.error.isEmpty()) {
                failRead(session, d.errorKind, d.error);
                return;
            }
            if (!d.exists) {
                failNotFound(session, QStringLiteral("no job \"%1\" in queue %2").arg(cell(d.id, 80), queue.ref.displayName()));
                return;
            }
            ActionRequest request = m_request;
            request.job.name = d.field("name");
            if (!m_dataGiven)
                request.job.data = d.has("data") ? d.field("data") : QByteArrayLiteral("{}");
            // Attempts and priority carry over; the copy runs now (no delay).
            const QJsonObject opts = QJsonDocument::fromJson(d.field("opts")).object();
            if (opts.contains(QStringLiteral("attempts")))
                request.job.attempts = opts.value(QStringLiteral("attempts")).toInteger();
            request.job.priority = opts.value(QStringLiteral("priority")).toInteger();
            execute(session, queue, request);
        });
    });
}

void AddCommand::execute(CliSession& session, const QueueSnapshot& queue, ActionRequest request)
{
    const ActionRequest::NewJob& job = request.job;
    if (m_dryRun) {
        const QString text = QStringLiteral("would add a job \"%1\" to %2 (data %3 bytes, delay %4 ms, priority %5)")
                                 .arg(cell(job.name), queue.ref.displayName())
                                 .arg(job.data.size())
                                 .arg(job.delayMs)
                                 .arg(job.priority);
        if (session.json())
            session.finishWithJson(QJsonObject { { QStringLiteral("dryRun"), true }, { QStringLiteral("action"), QStringLiteral("add") },
                { QStringLiteral("queue"), queue.ref.displayName() }, { QStringLiteral("name"), QString::fromUtf8(job.name) } });
        else
            session.finishWithText(text);
        return;
    }
    auto* runner = new ActionRunner(session.client(), queue, request, &session);
    const QString queueName = queue.ref.displayName();
    QObject::connect(runner, &ActionRunner::finished, &session, [&session, queueName](const ActionResult& r) {
        if (!r.error.isEmpty()) {
            failRead(session, r.errorKind, r.error);
            return;
        }
        const QString id = QString::fromUtf8(r.done.value(0));
        if (session.json())
            session.finishWithJson(QJsonObject { { QStringLiteral("action"), QStringLiteral("add") },
                { QStringLiteral("queue"), queueName }, { QStringLiteral("id"), id } });
        else
            session.finishWithText(QStringLiteral("added job %1 to %2").arg(id, queueName));
    });
    runner->start();
}

} // namespace bullpen::cli
