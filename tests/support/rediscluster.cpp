// SPDX-License-Identifier: MIT
#include "rediscluster.h"

#include <QDeadlineTimer>
#include <QHostAddress>
#include <QProcess>
#include <QTcpServer>
#include <QTest>

namespace bullpen::test {

namespace {
    // A port whose bus port (port+10000) is free as well.
    quint16 freeClusterPort()
    {
        for (int attempt = 0; attempt < 50; ++attempt) {
            const quint16 p = RedisServer::freePort();
            if (p == 0 || p > 55535)
                continue;
            QTcpServer bus;
            if (bus.listen(QHostAddress::LocalHost, p + 10000))
                return p;
        }
        return 0;
    }
} // namespace

RedisCluster::RedisCluster(int masters, int replicasPerMaster)
    : m_masters(masters)
    , m_replicasPerMaster(replicasPerMaster)
{
}

QList<int> RedisCluster::replicasOf(int i) const
{
    QList<int> out;
    for (int k = 0; k < m_masterOf.size(); ++k) {
        if (m_masterOf.at(k) == i)
            out.append(k);
    }
    return out;
}

int RedisCluster::firstMaster() const
{
    for (int k = 0; k < size(); ++k) {
        if (isMaster(k))
            return k;
    }
    return -1;
}

bool RedisCluster::readRoles()
{
    m_masterOf = QList<int>(size(), -1);
    for (int i = 0; i < size(); ++i) {
        // ROLE of a replica: "slave", master ip, master port, link state, offset (one per line).
        const QList<QByteArray> role = node(i).cli({ QStringLiteral("ROLE") }).split('\n');
        if (role.value(0).trimmed() != "slave")
            continue;
        const QByteArray port = role.value(2).trimmed();
        for (int k = 0; k < size(); ++k) {
            if (QByteArray::number(node(k).port()) == port)
                m_masterOf[i] = k;
        }
        if (m_masterOf.at(i) < 0) {
            m_error = QStringLiteral("node %1 replicates an unknown port %2").arg(i).arg(QString::fromLatin1(port));
            return false;
        }
    }
    return true;
}

RedisCluster::~RedisCluster() = default; // each RedisServer kills its process

bool RedisCluster::start()
{
    QStringList addresses;
    const int total = m_masters * (1 + m_replicasPerMaster);
    for (int i = 0; i < total; ++i) {
        bool up = false;
        for (int attempt = 0; attempt < 5 && !up; ++attempt) {
            const quint16 port = freeClusterPort();
            if (port == 0) {
                m_error = QStringLiteral("no free port pair (port, port+10000)");
                return false;
            }
            RedisServer::Config c;
            c.port = port;
            c.extraArgs
                = { QStringLiteral("--cluster-enabled"), QStringLiteral("yes"), QStringLiteral("--cluster-config-file"),
                      QStringLiteral("nodes.conf"), QStringLiteral("--cluster-node-timeout"), QStringLiteral("2000"),
                      QStringLiteral("--repl-diskless-sync-delay"), QStringLiteral("0"),
                      // Replicas' offsets grow (and CLUSTER SHARDS calls them online) within a second.
                      QStringLiteral("--repl-ping-replica-period"), QStringLiteral("1") };
            auto server = std::make_unique<RedisServer>(c);
            if (server->start() && server->cli({ QStringLiteral("PING") }) == "PONG") {
                up = true;
                m_nodes.push_back(std::move(server));
            } else {
                m_error = server->error();
            }
        }
        if (!up)
            return false;
    }
    for (const auto& n : m_nodes)
        addresses << QStringLiteral("127.0.0.1:%1").arg(n->port());

    QProcess create;
    create.start(QStringLiteral("redis-cli"),
        QStringList { QStringLiteral("--cluster"), QStringLiteral("create") } + addresses
            + QStringList { QStringLiteral("--cluster-replicas"), QString::number(m_replicasPerMaster),
                QStringLiteral("--cluster-yes") });
    if (!create.waitForFinished(60000) || create.exitCode() != 0) {
        m_error = QStringLiteral("redis-cli --cluster create failed: %1 %2")
                      .arg(QString::fromLocal8Bit(create.readAllStandardOutput().right(800)),
                          QString::fromLocal8Bit(create.readAllStandardError().right(800)));
        return false;
    }
    if (!waitForOk())
        return false;
    // Replicas: their roles, and a first full copy of their master before the test starts.
    const bool linked = QTest::qWaitFor(
        [this] {
            if (!readRoles())
                return false;
            int replicas = 0;
            for (int i = 0; i < size(); ++i) {
                if (isMaster(i))
                    continue;
                ++replicas;
                if (node(i).info(QStringLiteral("replication"), "master_link_status") != "up")
                    return false;
            }
            if (replicas != m_masters * m_replicasPerMaster)
                return false;
            // Every node has heard (gossip) that they are replicas: clients see them in the map.
            for (int i = 0; i < size(); ++i) {
                int known = 0;
                for (const QByteArray& line : node(i).cli({ QStringLiteral("CLUSTER"), QStringLiteral("NODES") }).split('\n'))
                    known += line.split(' ').value(2).contains("slave") ? 1 : 0;
                if (known != replicas)
                    return false;
                // CLUSTER SHARDS says "loading" for a replica whose offset it has not seen grow yet.
                if (replicas > 0
                    && node(i).cli({ QStringLiteral("CLUSTER"), QStringLiteral("SHARDS") }).contains("loading"))
                    return false;
            }
            return true;
        },
        30000);
    if (!linked && m_error.isEmpty())
        m_error = QStringLiteral("the replicas did not all link to their masters within 30 s");
    return linked;
}

bool RedisCluster::waitForOk(int timeoutMs)
{
    const bool ok = QTest::qWaitFor(
        [this] {
            QByteArray firstSlots;
            for (const auto& n : m_nodes) {
                if (!n->cli({ QStringLiteral("CLUSTER"), QStringLiteral("INFO") }).contains("cluster_state:ok"))
                    return false;
                // Every node knows every other one and the same slot owners.
                const QByteArray slotText = n->cli({ QStringLiteral("CLUSTER"), QStringLiteral("SLOTS") });
                if (firstSlots.isNull())
                    firstSlots = slotText;
                if (slotText.isEmpty() || slotText != firstSlots)
                    return false;
            }
            return true;
        },
        timeoutMs);
    if (!ok)
        m_error = QStringLiteral("the cluster did not reach cluster_state:ok within %1 ms").arg(timeoutMs);
    return ok;
}

QByteArray RedisCluster::nodeId(int i) const
{
    return node(i).cli({ QStringLiteral("CLUSTER"), QStringLiteral("MYID") });
}

int RedisCluster::ownerOf(int slot) const
{
    // CLUSTER NODES: "<id> <ip:port@bus> <flags> <master> <ping> <pong> <epoch> <link> <slot ranges…>"
    const QByteArray nodes = node(0).cli({ QStringLiteral("CLUSTER"), QStringLiteral("NODES") });
    for (const QByteArray& line : nodes.split('\n')) {
        const QList<QByteArray> f = line.trimmed().split(' ');
        if (f.size() < 9 || !f.at(2).contains("master"))
            continue;
        for (qsizetype k = 8; k < f.size(); ++k) {
            if (f.at(k).startsWith('['))
                continue; // migration markers
            const QList<QByteArray> range = f.at(k).split('-');
            const int lo = range.at(0).toInt();
            const int hi = range.size() > 1 ? range.at(1).toInt() : lo;
            if (slot >= lo && slot <= hi) {
                const QByteArray port = f.at(1).split('@').at(0).split(':').last();
                for (int i = 0; i < size(); ++i) {
                    if (QByteArray::number(node(i).port()) == port)
                        return i;
                }
            }
        }
    }
    return -1;
}

bool RedisCluster::migrateSlot(int slot, int to, bool finish, int keysToMove)
{
    const int from = ownerOf(slot);
    if (from < 0 || from == to) {
        m_error = QStringLiteral("slot %1: owner %2, target %3").arg(slot).arg(from).arg(to);
        return false;
    }
    const QString s = QString::number(slot);
    const QString fromId = QString::fromLatin1(nodeId(from));
    const QString toId = QString::fromLatin1(nodeId(to));
    const auto expectOk = [this](const QByteArray& out, const QString& what) {
        if (out != "OK") {
            m_error = what + QStringLiteral(": ") + QString::fromLocal8Bit(out);
            return false;
        }
        return true;
    };
    const QString CLUSTER = QStringLiteral("CLUSTER");
    const QString SETSLOT = QStringLiteral("SETSLOT");
    if (!expectOk(
            node(to).cli({ CLUSTER, SETSLOT, s, QStringLiteral("IMPORTING"), fromId }), QStringLiteral("IMPORTING"))
        || !expectOk(
            node(from).cli({ CLUSTER, SETSLOT, s, QStringLiteral("MIGRATING"), toId }), QStringLiteral("MIGRATING")))
        return false;
    int moved = 0;
    for (;;) {
        const QByteArray keys = node(from).cli({ CLUSTER, QStringLiteral("GETKEYSINSLOT"), s, QStringLiteral("100") });
        if (keys.isEmpty())
            break;
        QStringList batch;
        for (const QByteArray& k : keys.split('\n')) {
            if (keysToMove >= 0 && moved >= keysToMove)
                break;
            batch << QString::fromUtf8(k.trimmed());
            ++moved;
        }
        if (batch.isEmpty())
            break;
        const QByteArray out = node(from).cli(
            QStringList { QStringLiteral("MIGRATE"), QStringLiteral("127.0.0.1"), QString::number(node(to).port()),
                QString(), QStringLiteral("0"), QStringLiteral("10000"), QStringLiteral("KEYS") }
            + batch);
        if (!expectOk(out, QStringLiteral("MIGRATE")))
            return false;
        if (keysToMove >= 0 && moved >= keysToMove)
            break;
    }
    if (!finish)
        return true;
    // As redis-cli: the target first, then the source, then everybody else.
    if (!expectOk(node(to).cli({ CLUSTER, SETSLOT, s, QStringLiteral("NODE"), toId }),
            QStringLiteral("SETSLOT NODE (target)"))
        || !expectOk(node(from).cli({ CLUSTER, SETSLOT, s, QStringLiteral("NODE"), toId }),
            QStringLiteral("SETSLOT NODE (source)")))
        return false;
    for (int i = 0; i < size(); ++i) {
        if (i != from && i != to)
            node(i).cli({ CLUSTER, SETSLOT, s, QStringLiteral("NODE"), toId });
    }
    return waitForOwner(slot, to);
}

bool RedisCluster::waitForOwner(int slot, int owner, int timeoutMs)
{
    const QByteArray port = QByteArray::number(node(owner).port());
    const bool ok = QTest::qWaitFor(
        [&] {
            for (int i = 0; i < size(); ++i) {
                const QByteArray nodes = node(i).cli({ QStringLiteral("CLUSTER"), QStringLiteral("NODES") });
                bool found = false;
                for (const QByteArray& line : nodes.split('\n')) {
                    const QList<QByteArray> f = line.trimmed().split(' ');
                    if (f.size() < 9 || f.at(1).split('@').at(0).split(':').last() != port)
                        continue;
                    for (qsizetype k = 8; k < f.size() && !found; ++k) {
                        const QList<QByteArray> range = f.at(k).split('-');
                        const int lo = range.at(0).toInt();
                        const int hi = range.size() > 1 ? range.at(1).toInt() : lo;
                        found = !f.at(k).startsWith('[') && slot >= lo && slot <= hi;
                    }
                }
                if (!found)
                    return false;
            }
            return true;
        },
        timeoutMs);
    if (!ok)
        m_error = QStringLiteral("slot %1 did not move to node %2 on every node").arg(slot).arg(owner);
    return ok;
}

} // namespace bullpen::test
