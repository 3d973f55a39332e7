// SPDX-License-Identifier: MIT
#include "eventscommand.h"

#include "bullmq/queueextras.h"
#include "clioutput.h"
#include "clisession.h"
#include "redisclient.h"

#include <QJsonObject>

namespace bullpen::cli {

using namespace bullmq;

namespace {

QByteArray line(const QJsonValue& event, bool json)
{
    if (json)
        return toJsonText(event) + '\n';
    const QJsonObject o = event.toObject();
    QStringList parts;
    if (o.contains(QStringLiteral("id"))) // Bull's Pub/Sub events have no stream id
        parts << o.value(QStringLiteral("id")).toString();
    parts << o.value(QStringLiteral("event")).toString();
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (it.key() != QLatin1String("id") && it.key() != QLatin1String("event"))
            parts << it.key() + QLatin1Char('=') + (it.value().isString() ? it.value().toString() : QString::fromUtf8(toJsonText(it.value())));
    }
    return parts.join(QLatin1Char(' ')).toUtf8() + '\n';
}

// Tails the stream: XREAD BLOCK on the CLI's own connection, until the process is stopped.
void follow(CliSession& session, const QueueSnapshot& queue, const QByteArray& after)
{
    fetchEvents(session.client(), queue, 100, after, 1000).then(&session, [&session, queue](const ExtraResult& r) {
        if (!r.error.isEmpty()) {
            failRead(session, r.errorKind, r.error);
            return;
        }
        for (const QJsonValue& e : r.rows)
            writeOut(line(e, session.json()));
        follow(session, queue, r.lastEventId);
    });
}

// Bull keeps no history: PSUBSCRIBE to the queue's event channels on a connection of its own,
// print each event as it arrives, until the process is stopped.
void followBull(CliSession& session, const QueueSnapshot& queue)
{
    auto* subscriber = new RedisSubscriber(session.options().connection, 100000, &session);
    const bool json = session.json();
    const QueueRef ref = queue.ref;
    QObject::connect(subscriber, &RedisSubscriber::messages, &session, [ref, json](const QList<PubSubMessage>& batch) {
        QByteArray out;
        for (const PubSubMessage& m : batch) {
            const QJsonObject row = bullEvent(ref, m.channel, m.payload, m.receivedMs);
            if (!row.isEmpty())
                out += line(row, json);
        }
        writeOut(out);
    });
    QObject::connect(subscriber, &RedisSubscriber::subscriberError, &session,
        [](const QString& message) { writeErr(QStringLiteral("bullpen-cli: ") + message + QLatin1Char('\n')); });
    subscriber->open();
    subscriber->psubscribe({ bullEventPattern(ref) });
}

} // namespace

QString EventsCommand::parse(const QList<QByteArray>& args)
{
    const QString error = parseQueueArgs("events", args, { "--count" }, { "--follow" }, &m_args);
    if (!error.isEmpty())
        return error;
    if (m_args.values.contains("--count")) {
        bool ok = false;
        m_count = m_args.values.value("--count").toLongLong(&ok);
        if (!ok || m_count < 1)
            return QStringLiteral("--count needs a positive integer");
    }
    return m_args.positional.size() == 1 ? QString() : QStringLiteral("usage: events QUEUE [--count N] [--follow] [--prefix P]");
}

void EventsCommand::run(CliSession& session)
{
    const qint64 count = m_count;
    const bool tail = m_args.flags.contains("--follow");
    withQueue(session, m_args.positional.at(0), m_args.prefix, [&session, count, tail](const QueueSnapshot& queue) {
        if (tail && queue.library == Library::Bull) {
            followBull(session, queue);
            return;
        }
        fetchEvents(session.client(), queue, count).then(&session, [&session, queue, tail](const ExtraResult& r) {
            if (!r.error.isEmpty()) {
                failRead(session, r.errorKind, r.error);
                return;
            }
            if (tail) {
                for (const QJsonValue& e : r.rows)
                    writeOut(line(e, session.json()));
                follow(session, queue, r.lastEventId);
                return;
            }
            if (session.json()) {
                session.finishWithJson(r.rows);
                return;
            }
            QByteArray text;
            for (const QJsonValue& e : r.rows)
                text += line(e, false);
            session.finishWithText(QString::fromUtf8(text.trimmed()));
        });
    });
}

} // namespace bullpen::cli
