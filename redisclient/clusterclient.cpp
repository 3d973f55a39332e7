// SPDX-License-Identifier: MIT
#include "clusterclient.h"

#include <QHash>
#include <QMutexLocker>
#include <QPromise>
#include <QSet>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <functional>

namespace bullpen {

using cluster::NodeAddress;

namespace {

    constexpr int maxRedirections = 5;

    // A promise answered exactly once; with `fallback` when the last reference goes away unanswered.
    template <class T> class Pending
    {
    public:
        explicit Pending(T fallback)
            : m_fallback(std::move(fallback))
        {
            m_promise.start();
        }
        ~Pending() { finish(std::move(m_fallback)); }
        Pending(const Pending&) = delete;
        Pending& operator=(const Pending&) = delete;

        QFuture<T> future() { return m_promise.future(); }
        void finish(T value)
        {
            // Not under a lock: finishing runs the caller's synchronous continuations.
            if (m_done.exchange(true))
                return;
            m_promise.addResult(std::move(value));
            m_promise.finish();
        }

    private:
        QPromise<T> m_promise;
        T m_fallback;
        std::atomic<bool> m_done { false };
    };

    Reply closedReply()
    {
        return Reply::failure(Reply::ErrorKind::Cancelled, QStringLiteral("the cluster client was closed"));
    }

    bool isCommand(const Command& c, const char* name)
    {
        return !c.isEmpty() && c.first().compare(name, Qt::CaseInsensitive) == 0;
    }

    // One node of the cluster as a plain server, reached as the seed is.
    ConnectionOptions plainNodeOptions(const ConnectionOptions& seed, const NodeAddress& node)
    {
        ConnectionOptions o = seed;
        o.host = node.host;
        o.port = node.port;
        o.cluster = false;
        o.clusterSeeds.clear();
        return o;
    }

} // namespace

/// Everything the continuations need, shared with them: they may run after the ClusterClient
/// is gone (on a connection thread while it is being destroyed), so they never hold a client
/// pointer outside `mutex` and check `closed` first. The ClusterClient owns the node clients.
struct ClusterClient::Core
{
    struct Target
    {
        int slot = -1; ///< route by slot; -1: the seed
        std::optional<NodeAddress> node; ///< or to this node (after a redirection)
        bool asking = false; ///< send ASKING before each command
        bool read = false; ///< read-only commands: a replica of `slot` may serve them
        bool replica = false; ///< `node` is a replica (its READONLY connection)
    };
    using ReplyCallback = std::function<void(Reply)>;

    mutable QMutex mutex;
    bool closed = false;
    ConnectionOptions seedOptions;
    NodeAddress seedAddress;
    RedisClient* seed = nullptr; ///< the ClusterClient itself; call it as RedisClient::
    QThread* ownerThread = nullptr;
    cluster::SlotMap map;
    QHash<QString, RedisClient*> nodes; ///< "host:port" → client (the seed among them)
    QHash<QString, RedisClient*> replicas; ///< "host:port" → READONLY client (readFromReplicas)
    quint32 nextReplica = 0; ///< round robin over the replicas of a shard
    QSet<QString> replicasDown; ///< failed a request: used again once their connection is ready
    std::vector<std::unique_ptr<RedisClient>> owned;
    std::shared_ptr<Pending<bool>> refreshing;
    QFuture<bool> refreshFuture;
    QString topologyError;
    std::atomic<qint64> redirections { 0 };

    /// The client for `a`, created and opened when new: a replica's (read-only, READONLY in its
    /// handshake) when `replica`, kept apart from a master's client for the same node (a
    /// failover swaps the roles). Call with `mutex` held.
    RedisClient* nodeLocked(const NodeAddress& a, bool replica = false)
    {
        QHash<QString, RedisClient*>& table = replica ? replicas : nodes;
        if (RedisClient* c = table.value(a.toString()))
            return c;
        ConnectionOptions o = plainNodeOptions(seedOptions, a);
        o.role = seedOptions.role + (replica ? QStringLiteral("@replica@") : QStringLiteral("@"))
            + QString::number(a.port);
        if (replica) {
            o.clusterReplica = true;
            o.readOnly = true; // a safety net: nothing but reads is ever routed there
        }
        auto client = std::make_unique<RedisClient>(o);
        // Created on whichever thread met the node first (a connection thread, in a
        // continuation); it belongs with the ClusterClient, which deletes it.
        if (ownerThread && client->thread() != ownerThread)
            client->moveToThread(ownerThread);
        client->open();
        RedisClient* c = client.get();
        owned.push_back(std::move(client));
        table.insert(a.toString(), c);
        return c;
    }

    /// A replica of the shard that serves `slot`, taken in turn; nothing when reads from
    /// replicas are off or none is usable (then the master serves). Usable: connected, or not
    /// yet failed (a first request waits for its handshake, as the CLI's single request does).
    /// Call with `mutex` held.
    std::optional<NodeAddress> replicaForLocked(int slot)
    {
        if (!seedOptions.readFromReplicas || slot < 0 || slot >= cluster::slotCount)
            return std::nullopt;
        const qint16 shard = map.owner.at(slot);
        if (shard < 0 || shard >= map.shards.size())
            return std::nullopt;
        const QList<NodeAddress>& list = map.shards.at(shard).replicas;
        const quint32 start = nextReplica++;
        for (qsizetype k = 0; k < list.size(); ++k) {
            const NodeAddress& r = list.at(qsizetype((start + quint32(k)) % quint32(list.size())));
            const ConnectionState state = nodeLocked(r, true)->state();
            if (state == ConnectionState::Ready)
                replicasDown.remove(r.toString());
            if (state == ConnectionState::Ready
                || (state != ConnectionState::Failed && !replicasDown.contains(r.toString())))
                return r;
        }
        return std::nullopt;
    }

    void markReplicaDown(const NodeAddress& a)
    {
        QMutexLocker lock(&mutex);
        replicasDown.insert(a.toString());
    }

    /// A reply from a replica that the master should give instead: the replica went away (or
    /// the request could not be sent), is loading, or lost its master.
    static bool replicaFailed(const Reply& r)
    {
        if (!r.isError())
            return false;
        if (r.errorKind() == Reply::ErrorKind::Connection || r.errorKind() == Reply::ErrorKind::Timeout
            || r.errorKind() == Reply::ErrorKind::Cancelled)
            return true;
        return r.errorKind() == Reply::ErrorKind::Server
            && (r.bytes().startsWith("LOADING") || r.bytes().startsWith("MASTERDOWN"));
    }

    /// The masters in a stable order (by address): the node part of a cluster SCAN cursor
    /// indexes it. Call with `mutex` held.
    QList<NodeAddress> sortedMastersLocked() const
    {
        QList<NodeAddress> out;
        for (const auto& s : map.shards)
            out.append(s.master);
        if (out.isEmpty())
            out.append(seedAddress);
        std::sort(out.begin(), out.end(),
            [](const NodeAddress& a, const NodeAddress& b) { return a.toString() < b.toString(); });
        return out;
    }

    /// A SCAN through command()/pipeline() walks the masters one after the other: the cursor
    /// the caller sees is "0" at both ends and "<master index>-<that master's cursor>" between.
    struct ScanHop
    {
        NodeAddress node;
        Command argv; ///< with the master's own cursor
        int index = 0;
        int masters = 0;
    };
    /// Nothing when the cursor is not one of ours (it then goes to the seed as it is, which
    /// answers with its own error).
    std::optional<ScanHop> scanHop(const Command& argv) const
    {
        if (!isCommand(argv, "SCAN") || argv.size() < 2)
            return std::nullopt;
        QMutexLocker lock(&mutex);
        const QList<NodeAddress> masters = sortedMastersLocked();
        const QByteArray& cursor = argv.at(1);
        int index = 0;
        QByteArray own = cursor;
        if (cursor != "0") {
            const qsizetype dash = cursor.indexOf('-');
            bool ok = false;
            index = dash > 0 ? cursor.left(dash).toInt(&ok) : -1;
            if (!ok || index < 0 || index >= masters.size())
                return std::nullopt;
            own = cursor.mid(dash + 1);
        }
        ScanHop hop { masters.at(index), argv, index, int(masters.size()) };
        hop.argv[1] = own;
        return hop;
    }
    static Reply scanReply(const Reply& r, const ScanHop& hop)
    {
        if (r.isError() || !r.isArray() || r.size() != 2)
            return r;
        QByteArray cursor = r.at(0).bytes();
        if (cursor == "0")
            cursor = hop.index + 1 < hop.masters ? QByteArray::number(hop.index + 1) + "-0" : QByteArray("0");
        else
            cursor = QByteArray::number(hop.index) + '-' + cursor;
        return Reply::array({ Reply::bulk(cursor), r.at(1) });
    }

    /// Sends `commands` as one pipeline to the node of `target`. `used` gets the node's address,
    /// `onReplica` (when given) whether that node is a replica.
    QFuture<QList<Reply>> send(const Target& target, QList<Command> commands, const CallOptions& call,
        NodeAddress* used, bool* onReplica = nullptr)
    {
        QMutexLocker lock(&mutex);
        if (closed)
            return QtFuture::makeReadyFuture(QList<Reply>(commands.size(), closedReply()));
        NodeAddress a = seedAddress;
        bool replica = false;
        if (target.node) {
            a = *target.node;
            replica = target.replica;
        } else if (const auto r = target.read && !target.asking ? replicaForLocked(target.slot) : std::nullopt) {
            a = *r;
            replica = true;
        } else if (const auto m = map.masterOf(target.slot)) {
            a = *m;
        }
        *used = a;
        if (onReplica)
            *onReplica = replica;
        RedisClient* c = nodeLocked(a, replica);
        if (!target.asking)
            return c->RedisClient::pipeline(std::move(commands), call);
        QList<Command> withAsking;
        for (Command& cmd : commands) {
            withAsking.append(Command { "ASKING" });
            withAsking.append(std::move(cmd));
        }
        return c->RedisClient::pipeline(std::move(withAsking), call)
            .then(QtFuture::Launch::Sync, [](QList<Reply> replies) {
                QList<Reply> out;
                for (qsizetype i = 1; i < replies.size(); i += 2)
                    out.append(replies.at(i));
                return out;
            });
    }

    /// Runs one command, following redirections.
    static void run(const std::shared_ptr<Core>& self, Command argv, CallOptions call, Target target, int hopsLeft,
        ReplyCallback done)
    {
        NodeAddress used;
        bool onReplica = false;
        QFuture<QList<Reply>> f = self->send(target, { argv }, call, &used, &onReplica);
        f.then(QtFuture::Launch::Sync,
            [self, argv = std::move(argv), call, hopsLeft, done = std::move(done), used, onReplica, slot = target.slot](
                QList<Reply> replies) mutable {
                Reply r = replies.isEmpty() ? Reply() : replies.first();
                if (onReplica && replicaFailed(r)) {
                    // Reads are safe to repeat: the master answers instead.
                    self->markReplicaDown(used);
                    run(self, std::move(argv), call, Target { slot, {}, false, false, false }, hopsLeft,
                        std::move(done));
                    return;
                }
                if (hopsLeft > 0) {
                    if (const auto redirect = cluster::parseRedirect(r, used.host)) {
                        follow(self, std::move(argv), call, *redirect, hopsLeft - 1, std::move(done));
                        return;
                    }
                }
                done(std::move(r));
            });
    }

    static void follow(const std::shared_ptr<Core>& self, Command argv, CallOptions call,
        const cluster::Redirect& redirect, int hopsLeft, ReplyCallback done)
    {
        self->redirections.fetch_add(1, std::memory_order_relaxed);
        if (!redirect.ask) {
            {
                QMutexLocker lock(&self->mutex);
                self->map.assign(redirect.slot, redirect.target);
            }
            // The slot moved: others may have too.
            refresh(self);
        }
        run(self, std::move(argv), call, Target { redirect.slot, redirect.target, redirect.ask }, hopsLeft,
            std::move(done));
    }

    /// Runs `then` once a slot map is known (at once when it is; after a refresh otherwise).
    static void withMap(const std::shared_ptr<Core>& self, std::function<void()> then)
    {
        bool known = false;
        {
            QMutexLocker lock(&self->mutex);
            known = !self->map.isEmpty() || self->closed;
        }
        if (known) {
            then();
            return;
        }
        // Without a map the requests go to the seed, and MOVED replies correct that.
        refresh(self).then(QtFuture::Launch::Sync, [then = std::move(then)](bool) { then(); });
    }

    static QFuture<bool> refresh(const std::shared_ptr<Core>& self)
    {
        std::shared_ptr<Pending<bool>> pending;
        {
            QMutexLocker lock(&self->mutex);
            if (self->closed)
                return QtFuture::makeReadyFuture(false);
            if (self->refreshing)
                return self->refreshFuture;
            pending = std::make_shared<Pending<bool>>(false);
            self->refreshing = pending;
            self->refreshFuture = pending->future();
        }
        const QFuture<bool> result = pending->future();
        const auto finish = [self, pending](std::optional<cluster::SlotMap> map, const QString& error) {
            {
                QMutexLocker lock(&self->mutex);
                self->refreshing.reset();
                if (map && !map->isEmpty() && !self->closed) {
                    self->map = std::move(*map);
                    self->topologyError.clear();
                    for (const auto& shard : std::as_const(self->map.shards)) {
                        self->nodeLocked(shard.master);
                        if (self->seedOptions.readFromReplicas) {
                            for (const NodeAddress& r : shard.replicas)
                                self->nodeLocked(r, true);
                        }
                    }
                } else {
                    self->topologyError = error.isEmpty() ? QStringLiteral("the cluster serves no slots") : error;
                    map.reset();
                }
            }
            pending->finish(map.has_value());
        };
        // The seed first, then the other seeds, then the masters we know.
        QList<NodeAddress> candidates { self->seedAddress };
        {
            QMutexLocker lock(&self->mutex);
            for (const auto& s : std::as_const(self->seedOptions.clusterSeeds))
                candidates.append(NodeAddress { s.host, s.port, {} });
            for (const auto& s : std::as_const(self->map.shards))
                candidates.append(s.master);
        }
        QList<NodeAddress> unique;
        for (const NodeAddress& a : std::as_const(candidates)) {
            if (!unique.contains(a))
                unique.append(a);
        }
        ask(self, unique, 0, {}, finish);
        return result;
    }

    /// Asks candidates.at(i) for the slot map; on a connection failure the next one.
    static void ask(const std::shared_ptr<Core>& self, const QList<NodeAddress>& candidates, qsizetype i,
        QStringList failures, const std::function<void(std::optional<cluster::SlotMap>, const QString&)>& finish)
    {
        if (i >= candidates.size()) {
            finish(std::nullopt, QStringLiteral("no cluster node answered: ") + failures.join(QStringLiteral("; ")));
            return;
        }
        const bool tls = self->seedOptions.transport == ConnectionOptions::Transport::Tls;
        const NodeAddress node = candidates.at(i);
        NodeAddress used;
        self->send(Target { -1, node, false }, { Command { "CLUSTER", "SHARDS" } }, {}, &used)
            .then(QtFuture::Launch::Sync, [self, candidates, i, failures, finish, tls, node](QList<Reply> replies) {
                const Reply r = replies.value(0);
                QString error;
                if (!r.isError()) {
                    finish(cluster::parseShards(r, node.host, tls, &error), error);
                    return;
                }
                if (r.errorKind() != Reply::ErrorKind::Server) {
                    ask(self, candidates, i + 1,
                        failures + QStringList { node.toString() + QStringLiteral(": ") + r.errorMessage() }, finish);
                    return;
                }
                // Before Redis 7.0: CLUSTER SLOTS.
                NodeAddress used2;
                self->send(Target { -1, node, false }, { Command { "CLUSTER", "SLOTS" } }, {}, &used2)
                    .then(QtFuture::Launch::Sync, [finish, node](QList<Reply> replies2) {
                        QString error2;
                        auto map = cluster::parseSlots(replies2.value(0), node.host, &error2);
                        finish(std::move(map), error2);
                    });
            });
    }
};

ClusterClient::ClusterClient(ConnectionOptions options, QObject* parent)
    : RedisClient(options, parent)
    , m_core(std::make_shared<Core>())
{
    m_core->seedOptions = options;
    m_core->seedAddress = NodeAddress { options.host, options.port, {} };
    m_core->seed = this;
    m_core->ownerThread = thread();
    m_core->nodes.insert(m_core->seedAddress.toString(), this);
}

ClusterClient::~ClusterClient()
{
    std::vector<std::unique_ptr<RedisClient>> owned;
    {
        QMutexLocker lock(&m_core->mutex);
        m_core->closed = true;
        m_core->nodes.clear();
        m_core->replicas.clear();
        owned.swap(m_core->owned);
    }
    owned.clear(); // each waits for its connection thread; requests still queued fail
    // The seed's connection (the base class) closes after this.
}

bool ClusterClient::forReplica(const Command& argv) const
{
    // WATCH is a read, but it guards a transaction that runs on the master: it must be there too.
    return isReadCommand(argv) && !isCommand(argv, "WATCH") && !isCommand(argv, "UNWATCH");
}

QFuture<Reply> ClusterClient::command(Command argv, CallOptions call)
{
    if (const QString refusal = checkAllowed(argv, call.allowDangerous); !refusal.isEmpty())
        return QtFuture::makeReadyFuture(Reply::failure(Reply::ErrorKind::Refused, refusal));
    if (isCommand(argv, "SCRIPT") && argv.size() >= 2 && argv.at(1).compare("LOAD", Qt::CaseInsensitive) == 0) {
        // EVALSHA runs on the node of its first key, so the script must be in every master's
        // cache: SCRIPT LOAD goes to all of them. The reply is the SHA (the same from each), or
        // the first node's error.
        return forEachMaster(std::move(argv), call).then(QtFuture::Launch::Sync, [](const QList<NodeReply>& replies) {
            for (const NodeReply& nr : replies) {
                if (nr.reply.isError())
                    return nr.reply;
            }
            return replies.isEmpty() ? closedReply() : replies.first().reply;
        });
    }
    auto pending = std::make_shared<Pending<Reply>>(closedReply());
    QFuture<Reply> future = pending->future();
    const bool read = options().readFromReplicas && forReplica(argv);
    Core::withMap(m_core, [core = m_core, argv = std::move(argv), call, pending, read]() mutable {
        if (const auto hop = core->scanHop(argv)) {
            NodeAddress used;
            core->send(Core::Target { -1, hop->node, false }, { hop->argv }, call, &used)
                .then(QtFuture::Launch::Sync, [pending, hop = *hop](QList<Reply> replies) {
                    pending->finish(Core::scanReply(replies.value(0), hop));
                });
            return;
        }
        const int slot = cluster::commandSlot(argv);
        Core::run(core, std::move(argv), call, Core::Target { slot, {}, false, read, false }, maxRedirections,
            [pending](Reply r) { pending->finish(std::move(r)); });
    });
    return future;
}

QFuture<QList<Reply>> ClusterClient::pipeline(QList<Command> commands, CallOptions call)
{
    for (const Command& c : std::as_const(commands)) {
        if (const QString refusal = checkAllowed(c, call.allowDangerous); !refusal.isEmpty())
            return QtFuture::makeReadyFuture(
                QList<Reply>(commands.size(), Reply::failure(Reply::ErrorKind::Refused, refusal)));
    }
    if (commands.isEmpty())
        return QtFuture::makeReadyFuture(QList<Reply>());
    auto pending = std::make_shared<Pending<QList<Reply>>>(QList<Reply>(commands.size(), closedReply()));
    QFuture<QList<Reply>> future = pending->future();
    QList<bool> reads(commands.size(), false);
    if (options().readFromReplicas) {
        for (qsizetype i = 0; i < commands.size(); ++i)
            reads[i] = forReplica(commands.at(i));
    }
    Core::withMap(m_core, [core = m_core, commands = std::move(commands), call, pending, reads]() mutable {
        const qsizetype n = commands.size();
        // SCANs walk the masters (see scanHop()).
        QList<std::optional<Core::ScanHop>> hops(n);
        for (qsizetype i = 0; i < n; ++i) {
            if ((hops[i] = core->scanHop(commands.at(i))))
                commands[i] = hops.at(i)->argv;
        }
        // The slot of each command; a MULTI … EXEC block takes that of its first key.
        QList<int> slotOf(n, -1);
        QList<bool> inTransaction(n, false);
        for (qsizetype i = 0; i < n; ++i) {
            if (!isCommand(commands.at(i), "MULTI")) {
                slotOf[i] = cluster::commandSlot(commands.at(i));
                continue;
            }
            qsizetype end = i + 1;
            int slot = -1;
            for (; end < n; ++end) {
                if (slot < 0)
                    slot = cluster::commandSlot(commands.at(end));
                if (isCommand(commands.at(end), "EXEC") || isCommand(commands.at(end), "DISCARD"))
                    break;
            }
            for (qsizetype k = i; k <= end && k < n; ++k) {
                slotOf[k] = slot;
                inTransaction[k] = true;
            }
            i = end;
        }
        // Group by node, in order. Under the lock the map cannot change between the lookups.
        // Reads with a key (outside transactions and SCAN walks) may go to a replica of their slot.
        QList<NodeAddress> groupNode;
        QList<bool> groupReplica;
        QList<QList<qsizetype>> groupIndexes;
        {
            QMutexLocker lock(&core->mutex);
            QHash<QString, qsizetype> groupOf;
            for (qsizetype i = 0; i < n; ++i) {
                std::optional<NodeAddress> replica;
                if (reads.at(i) && !hops.at(i) && !inTransaction.at(i) && slotOf.at(i) >= 0)
                    replica = core->replicaForLocked(slotOf.at(i));
                const NodeAddress a = hops.at(i) ? hops.at(i)->node
                    : replica                    ? *replica
                                                 : core->map.masterOf(slotOf.at(i)).value_or(core->seedAddress);
                const QString key = (replica ? QStringLiteral("r:") : QString()) + a.toString();
                auto it = groupOf.constFind(key);
                if (it == groupOf.cend()) {
                    it = groupOf.insert(key, groupNode.size());
                    groupNode.append(a);
                    groupReplica.append(replica.has_value());
                    groupIndexes.append(QList<qsizetype>());
                }
                groupIndexes[*it].append(i);
            }
        }
        struct State
        {
            QMutex mutex;
            QList<Reply> replies;
            qsizetype remaining = 0;
        };
        auto state = std::make_shared<State>();
        state->replies = QList<Reply>(n);
        state->remaining = groupNode.size();
        const auto settle = [state, pending](qsizetype index, Reply r, qsizetype added) {
            bool last = false;
            {
                QMutexLocker lock(&state->mutex);
                if (index >= 0)
                    state->replies[index] = std::move(r);
                state->remaining += added - 1;
                last = state->remaining == 0;
            }
            if (last)
                pending->finish(std::move(state->replies));
        };
        for (qsizetype g = 0; g < groupNode.size(); ++g) {
            QList<Command> part;
            for (const qsizetype i : std::as_const(groupIndexes.at(g)))
                part.append(commands.at(i));
            NodeAddress used;
            const bool onReplica = groupReplica.at(g);
            core->send(Core::Target { -1, groupNode.at(g), false, false, onReplica }, std::move(part), call, &used)
                .then(QtFuture::Launch::Sync,
                    [core, commands, call, indexes = groupIndexes.at(g), inTransaction, hops, used, settle, onReplica,
                        slotOf](QList<Reply> replies) {
                        QList<std::pair<qsizetype, cluster::Redirect>> redirected;
                        QList<qsizetype> toMaster; ///< reads the replica could not answer
                        for (qsizetype k = 0; k < indexes.size(); ++k) {
                            const qsizetype i = indexes.at(k);
                            Reply r = replies.value(k,
                                Reply::failure(
                                    Reply::ErrorKind::Protocol, QStringLiteral("missing reply in a pipeline")));
                            if (onReplica && Core::replicaFailed(r)) {
                                if (toMaster.isEmpty())
                                    core->markReplicaDown(used);
                                toMaster.append(i);
                                continue;
                            }
                            if (hops.at(i))
                                r = Core::scanReply(r, *hops.at(i));
                            const auto redirect
                                = inTransaction.at(i) ? std::nullopt : cluster::parseRedirect(r, used.host);
                            if (redirect)
                                redirected.append({ i, *redirect });
                            else
                                settle(i, r, 1); // stores it; the count does not change
                        }
                        // This group is done; each redirected or retried command is one more part.
                        settle(-1, Reply(), redirected.size() + toMaster.size());
                        for (const auto& [i, redirect] : redirected) {
                            Core::follow(core, commands.at(i), call, redirect, maxRedirections - 1,
                                [settle, i](Reply r) { settle(i, std::move(r), 0); });
                        }
                        for (const qsizetype i : std::as_const(toMaster)) {
                            Core::run(core, commands.at(i), call, Core::Target { slotOf.at(i), {}, false, false, false },
                                maxRedirections, [settle, i](Reply r) { settle(i, std::move(r), 0); });
                        }
                    });
        }
    });
    return future;
}

QFuture<bool> ClusterClient::refreshTopology()
{
    return Core::refresh(m_core);
}

cluster::SlotMap ClusterClient::slotMap() const
{
    QMutexLocker lock(&m_core->mutex);
    return m_core->map;
}

ConnectionOptions ClusterClient::nodeOptions(const cluster::NodeAddress& node) const
{
    return plainNodeOptions(m_core->seedOptions, node); // set once, by the constructor
}

QString ClusterClient::topologyError() const
{
    QMutexLocker lock(&m_core->mutex);
    return m_core->topologyError;
}

QList<ClusterClient::NodeConnection> ClusterClient::nodeConnections() const
{
    QList<NodeConnection> out;
    QMutexLocker lock(&m_core->mutex);
    for (auto it = m_core->nodes.cbegin(); it != m_core->nodes.cend(); ++it) {
        const RedisClient* c = it.value();
        out.append(NodeConnection { NodeAddress { c->options().host, c->options().port, {} }, false, c->state() });
    }
    for (auto it = m_core->replicas.cbegin(); it != m_core->replicas.cend(); ++it) {
        const RedisClient* c = it.value();
        out.append(NodeConnection { NodeAddress { c->options().host, c->options().port, {} }, true, c->state() });
    }
    std::sort(out.begin(), out.end(), [](const NodeConnection& a, const NodeConnection& b) {
        return std::pair(a.replica, a.node.toString()) < std::pair(b.replica, b.node.toString());
    });
    return out;
}

qint64 ClusterClient::redirections() const
{
    return m_core->redirections.load(std::memory_order_relaxed);
}

QFuture<QList<ClusterClient::NodeReply>> ClusterClient::forEachMaster(Command argv, CallOptions call)
{
    // A pipeline of one command on each master, each node's single reply taken out.
    return pipelineOnEachMaster({ std::move(argv) }, call)
        .then(QtFuture::Launch::Sync, [](const QList<NodePipeline>& nodes) {
            QList<NodeReply> out;
            out.reserve(nodes.size());
            for (const NodePipeline& n : nodes)
                out.append(NodeReply { n.node, n.replies.value(0) });
            return out;
        });
}

QFuture<QList<ClusterClient::NodePipeline>> ClusterClient::pipelineOnEachMaster(
    QList<Command> commands, CallOptions call)
{
    for (const Command& c : std::as_const(commands)) {
        if (const QString refusal = checkAllowed(c, call.allowDangerous); !refusal.isEmpty()) {
            return QtFuture::makeReadyFuture(QList<NodePipeline> { NodePipeline {
                {}, QList<Reply>(commands.size(), Reply::failure(Reply::ErrorKind::Refused, refusal)) } });
        }
    }
    auto pending = std::make_shared<Pending<QList<NodePipeline>>>(QList<NodePipeline>());
    QFuture<QList<NodePipeline>> future = pending->future();
    Core::withMap(m_core, [core = m_core, commands = std::move(commands), call, pending]() {
        QList<NodeAddress> masters;
        {
            QMutexLocker lock(&core->mutex);
            for (const auto& s : std::as_const(core->map.shards))
                masters.append(s.master);
            if (masters.isEmpty())
                masters.append(core->seedAddress);
        }
        struct State
        {
            QMutex mutex;
            QList<NodePipeline> replies;
            qsizetype remaining = 0;
        };
        auto state = std::make_shared<State>();
        state->remaining = masters.size();
        for (const NodeAddress& a : std::as_const(masters))
            state->replies.append(NodePipeline { a, {} });
        for (qsizetype i = 0; i < masters.size(); ++i) {
            NodeAddress used;
            core->send(Core::Target { -1, masters.at(i), false }, commands, call, &used)
                .then(QtFuture::Launch::Sync, [state, pending, i](QList<Reply> replies) {
                    bool last = false;
                    {
                        QMutexLocker lock(&state->mutex);
                        state->replies[i].replies = std::move(replies);
                        last = --state->remaining == 0;
                    }
                    if (last)
                        pending->finish(std::move(state->replies));
                });
        }
    });
    return future;
}

QFuture<ClusterClient::ScanResult> ClusterClient::scanAll(const QByteArray& match, const QByteArray& type, int count)
{
    auto pending
        = std::make_shared<Pending<ScanResult>>(ScanResult { {}, { QStringLiteral("the cluster client was closed") } });
    QFuture<ScanResult> future = pending->future();
    struct State
    {
        QMutex mutex;
        ScanResult result;
        QSet<QByteArray> seen;
        qsizetype remaining = 0; ///< masters of this pass still scanning
        int passes = 0;
        QList<qint16> ownersAtStart; ///< the slot owners when this pass started
        QList<NodeAddress> mastersAtStart;
    };
    constexpr int maxPasses = 3;
    auto state = std::make_shared<State>();
    const CallOptions call;
    // One pass: every master's cursor to its end. When the slot owners changed meanwhile (a
    // resharding moved keys between a node not yet scanned and one already scanned), another
    // pass follows, up to maxPasses; keys already seen are not listed again.
    auto pass = std::make_shared<std::function<void()>>();
    *pass = [core = m_core, state, pending, match, type, count, call, weakPass = std::weak_ptr(pass)]() {
        QList<NodeAddress> masters;
        {
            QMutexLocker lock(&core->mutex);
            for (const auto& s : std::as_const(core->map.shards))
                masters.append(s.master);
            QMutexLocker stateLock(&state->mutex);
            state->ownersAtStart = core->map.owner;
            state->mastersAtStart = masters;
            state->remaining = masters.size();
            ++state->passes;
        }
        if (masters.isEmpty()) {
            pending->finish(ScanResult { {},
                { core->topologyError.isEmpty() ? QStringLiteral("no cluster node known") : core->topologyError } });
            return;
        }
        const auto passDone = [core, state, pending, pass = weakPass.lock()]() {
            // The map as it is now: another pass when the owners moved during this one.
            Core::refresh(core).then(QtFuture::Launch::Sync, [core, state, pending, pass](bool) {
                bool again = false;
                {
                    QMutexLocker lock(&core->mutex);
                    QMutexLocker stateLock(&state->mutex);
                    QList<NodeAddress> masters;
                    for (const auto& s : std::as_const(core->map.shards))
                        masters.append(s.master);
                    again = state->result.errors.isEmpty() && state->passes < maxPasses && !core->closed
                        && (core->map.owner != state->ownersAtStart || masters != state->mastersAtStart);
                }
                if (again && pass) {
                    (*pass)();
                    return;
                }
                ScanResult result;
                {
                    QMutexLocker stateLock(&state->mutex);
                    result = std::move(state->result);
                    result.passes = state->passes;
                }
                pending->finish(std::move(result));
            });
        };
        // One step of one node's scan; the next step starts from its continuation.
        auto step = std::make_shared<std::function<void(NodeAddress, QByteArray)>>();
        *step = [core, state, passDone, match, type, count, call, weakStep = std::weak_ptr(step)](
                    NodeAddress node, QByteArray cursor) {
            Command scan { "SCAN", cursor };
            if (!match.isEmpty())
                scan << "MATCH" << match;
            scan << "COUNT" << QByteArray::number(qMax(1, count));
            if (!type.isEmpty())
                scan << "TYPE" << type;
            NodeAddress used;
            // The continuation holds the step function while this step is in flight (the
            // function itself holds only a weak reference: no cycle).
            core->send(Core::Target { -1, node, false }, { scan }, call, &used)
                .then(QtFuture::Launch::Sync, [state, passDone, node, self = weakStep.lock()](QList<Reply> replies) {
                    const Reply r = replies.value(0);
                    bool nodeDone = true;
                    QByteArray next;
                    {
                        QMutexLocker lock(&state->mutex);
                        if (r.isError() || !r.isArray() || r.size() != 2 || !r.at(1).isArray()) {
                            state->result.errors.append(node.toString() + QStringLiteral(": ")
                                + (r.isError() ? r.errorMessage() : QStringLiteral("unexpected SCAN reply")));
                        } else {
                            for (const Reply& k : r.at(1).elements()) {
                                if (!state->seen.contains(k.bytes())) {
                                    state->seen.insert(k.bytes());
                                    state->result.keys.append(k.bytes());
                                }
                            }
                            next = r.at(0).bytes();
                            nodeDone = next == "0";
                        }
                    }
                    if (!nodeDone && self) {
                        (*self)(node, next);
                        return;
                    }
                    bool last = false;
                    {
                        QMutexLocker lock(&state->mutex);
                        last = --state->remaining == 0;
                    }
                    if (last)
                        passDone();
                });
        };
        for (const NodeAddress& a : std::as_const(masters))
            (*step)(a, "0");
    };
    Core::withMap(m_core, [pass]() { (*pass)(); });
    return future;
}

} // namespace bullpen
