// SPDX-License-Identifier: MIT
#include "clicommand.h"

#include "commands/actioncommand.h"
#include "commands/addcommand.h"
#include "commands/eventscommand.h"
#include "commands/execcommand.h"
#include "commands/infocommand.h"
#include "commands/jobcommand.h"
#include "commands/keycommand.h"
#include "commands/keyscommand.h"
#include "commands/metricscommand.h"
#include "commands/jobscommand.h"
#include "commands/pingcommand.h"
#include "commands/queuescommand.h"
#include "commands/schedulerscommand.h"
#include "commands/treecommand.h"
#include "commands/statscommand.h"
#include "commands/subscribecommand.h"
#include "commands/workerscommand.h"
#include "commands/flowcommand.h"

namespace bullpen::cli {

namespace {

    template <typename T> std::unique_ptr<CliCommand> make()
    {
        return std::make_unique<T>();
    }

    // An explicit table rather than self-registration: static initialisers in a static library
    // are dropped by the linker when nothing references their object file.
    const CommandInfo kCommands[] = {
        { "ping", "ping", "check that the server answers (prints PONG)", &make<PingCommand> },
        { "info", "info [--sum] [SECTION...]",
            "server information (INFO), the default sections or those named (on a cluster: every master's, "
            "or --sum: added up)",
            &make<InfoCommand> },
        { "exec", "exec -- CMD [ARG...]", "send one raw command, print its reply (--read-only and the guard apply)",
            &make<ExecCommand> },
        { "queues", "queues [--prefix P]",
            "BullMQ/Bull queues found by SCAN: library, generation, paused, counts as getJobCounts() reports them",
            &make<QueuesCommand> },
        { "jobs", "jobs QUEUE --state STATE [--start N --end M] [--prefix P]",
            "jobs of one state in the library's order (getJobs), with sizes instead of data", &make<JobsCommand> },
        { "job", "job QUEUE ID [--prefix P]", "every field of one job decoded, its state, logs, lock and children",
            &make<JobCommand> },
        { "flow", "flow QUEUE ID [--depth N] [--max-children N] [--prefix P]",
            "a job and its children across queues, as FlowProducer.getFlow() returns them", &make<FlowCommand> },
        { "workers", "workers QUEUE [--prefix P]", "the worker connections queue.getWorkers() reports",
            &make<WorkersCommand> },
        { "schedulers", "schedulers QUEUE [--prefix P]", "job schedulers and legacy repeatable jobs",
            &make<SchedulersCommand> },
        { "events", "events QUEUE [--count N] [--follow] [--prefix P]",
            "the last events of a BullMQ queue's stream; --follow tails it (for Bull: its Pub/Sub events)", &make<EventsCommand> },
        { "metrics", "metrics QUEUE [--type completed|failed] [--start N --end M] [--prefix P]",
            "jobs per minute recorded by workers with the metrics option, as queue.getMetrics() returns them "
            "(newest first, positions 0-59 unless given)",
            &make<MetricsCommand> },
        { "retry", "retry QUEUE (ID...|--all) [--state failed|completed] [--reset-attempts] [--yes] [--dry-run]",
            "move failed (or completed) jobs back to waiting, as job.retry()/queue.retryJobs() do", &ActionCommand::retry },
        { "remove", "remove QUEUE [--state STATE] (ID...|--all) [--keep-children] [--yes] [--dry-run]",
            "remove jobs with their children; locked jobs are skipped", &ActionCommand::remove },
        { "promote", "promote QUEUE (ID...|--all) [--yes] [--dry-run]", "move delayed jobs to waiting now",
            &ActionCommand::promote },
        { "pause", "pause QUEUE [--dry-run]", "pause a queue as queue.pause() does", &ActionCommand::pause },
        { "resume", "resume QUEUE [--dry-run]", "resume a queue as queue.resume() does", &ActionCommand::resume },
        { "clean", "clean QUEUE --state STATE [--grace MS] [--limit N] [--yes] [--dry-run]",
            "remove jobs of a state older than the grace period, as queue.clean() does", &ActionCommand::clean },
        { "drain", "drain QUEUE --confirm QUEUE [--delayed] [--dry-run]",
            "remove every waiting (and with --delayed, delayed) job, as queue.drain() does", &ActionCommand::drain },
        { "obliterate", "obliterate QUEUE --confirm QUEUE [--force] [--dry-run]",
            "pause the queue, then delete it and every job in it, as queue.obliterate() does (--force: active jobs too)",
            &ActionCommand::obliterate },
        { "add", "add QUEUE NAME [--data JSON] [--delay MS] [--priority N] [--attempts N] [--dry-run]",
            "add a job as queue.add() does; prints its id", &AddCommand::add },
        { "duplicate", "duplicate QUEUE ID [--data JSON] [--dry-run]",
            "add a copy of a job (name, data, attempts, priority), with corrected data when --data is given",
            &AddCommand::duplicate },
        { "keys", "keys [--match P] [--type T] [--count N] [--limit N]",
            "key names by SCAN as they arrive; --json adds type and TTL (ms; -1 none), one object a line",
            &make<KeysCommand> },
        { "tree", "tree [--delimiter D] [--depth N] [--match P] [--type T]",
            "folders of key names split on D (default ':') with the number of keys below each", &make<TreeCommand> },
        { "key", "key NAME", "type, TTL, memory, encoding, length and a bounded preview of one key",
            &make<KeyCommand> },
        { "stats", "stats [--interval S] [--count N] [--node HOST:PORT]",
            "server figures sampled from INFO: memory, ops/s, clients, hit ratio, network; a line per sample "
            "(on a cluster every master summed, or --node one master)",
            &make<StatsCommand> },
        { "subscribe", "subscribe PATTERN... [--duration S] [--count N] [--rates] [--drop-when-behind]",
            "print pub/sub messages (PSUBSCRIBE for patterns), or per-channel rates every second with --rates "
            "(see Pub/sub below)",
            &make<SubscribeCommand> },
    };

} // namespace

CliCommand::~CliCommand() = default;

QString CliCommand::positionalArguments(
    const QByteArray& command, const QList<QByteArray>& args, QList<QByteArray>* positional)
{
    positional->clear();
    bool afterDashes = false;
    for (const QByteArray& a : args) {
        if (!afterDashes && a == "--") {
            afterDashes = true;
            continue;
        }
        if (!afterDashes && a.size() > 1 && a.startsWith('-'))
            return QStringLiteral("unknown option '%1' for %2 (put \"--\" before arguments that start with '-')")
                .arg(QString::fromLocal8Bit(a), QString::fromLatin1(command));
        positional->append(a);
    }
    return {};
}

std::span<const CommandInfo> commandTable()
{
    return kCommands;
}

const CommandInfo* findCommand(const QByteArray& name)
{
    for (const CommandInfo& c : kCommands) {
        if (name == c.name)
            return &c;
    }
    return nullptr;
}

QStringList commandNames()
{
    QStringList names;
    for (const CommandInfo& c : kCommands)
        names.append(QString::fromLatin1(c.name));
    return names;
}

} // namespace bullpen::cli
