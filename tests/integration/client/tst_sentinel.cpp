// SPDX-License-Identifier: MIT
// Redis Sentinel against real processes: a master, one replica and three sentinels started
// here. The client finds the master through the sentinels (skipping one that is down), says
// clearly when no sentinel knows the master, and follows a SENTINEL FAILOVER during a refresh
// loop without a single write answered by the demoted master.

#include "clienttest.h"
#include "cliprocess.h"
#include "redisclient.h"
#include "redissentinel.h"
#include "redisserver.h"

#include <QProcess>
#include <QTest>
#include <QTimer>

#include <memory>
#include <vector>

using namespace bullpen;
using namespace bullpen::test;

namespace {

const QString kMaster = QStringLiteral("mymaster");

// The port in the `INFO server` text of whichever node answered.
int tcpPort(const Reply& info)
{
    for (const QByteArray& line : info.bytes().split('\n')) {
        if (line.startsWith("tcp_port:"))
            return line.mid(9).trimmed().toInt();
    }
    return -1;
}

// The value of `field` in a SENTINEL REPLICAS entry.
QByteArray fieldOf(const QList<QPair<QByteArray, QByteArray>>& fields, const QByteArray& field)
{
    for (const auto& [k, v] : fields) {
        if (k == field)
            return v;
    }
    return {};
}

// The real bullpen-cli, without the caller's REDIS_URL or passwords.
CliResult runCli(const QStringList& args)
{
    return test::runCli(QStringLiteral(BULLPEN_CLI_PATH), args);
}

} // namespace

class TestSentinel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void connectsThroughTheSentinels();
    void skipsASentinelThatIsDown();
    void unknownMasterName();
    void cliThroughTheSentinels();
    void refusesAReplicaNamedAsMaster();
    void readOnlyReplyMakesItAskAgain();
    void readOnlyConnectionReadsFromAReplica();
    void readFromReplicasFallsBackToTheMaster();
    void followsAFailoverDuringARefreshLoop(); // last: it moves the master
    void cleanupTestCase();

private:
    QString url(const QString& master = kMaster, const QString& firstSentinel = {}) const;
    ConnectionOptions options(const QString& url) const;
    bool watchersSubscribed(const QString& role) const;

    std::unique_ptr<RedisServer> m_master;
    std::unique_ptr<RedisServer> m_replica;
    std::vector<std::unique_ptr<RedisSentinel>> m_sentinels;
};

QString TestSentinel::url(const QString& master, const QString& firstSentinel) const
{
    QStringList nodes;
    if (!firstSentinel.isEmpty())
        nodes << firstSentinel;
    for (const auto& s : m_sentinels)
        nodes << s->address();
    return QStringLiteral("redis-sentinel://%1/%2").arg(nodes.join(QLatin1Char(',')), master);
}

ConnectionOptions TestSentinel::options(const QString& text) const
{
    QString error;
    const auto o = ConnectionOptions::fromUrl(text, &error);
    if (!o)
        qFatal("%s: %s", qPrintable(text), qPrintable(error));
    ConnectionOptions c = *o;
    c.reconnectInitialMs = 50;
    c.reconnectMaxMs = 500;
    return c;
}

// Each sentinel lists our watcher connection, subscribed to its two channels and one pattern.
bool TestSentinel::watchersSubscribed(const QString& role) const
{
    const QByteArray name = "name=bullpen:" + role.toUtf8() + ":sentinel-watch ";
    for (const auto& s : m_sentinels) {
        bool found = false;
        for (const QByteArray& line : s->cli({ QStringLiteral("CLIENT"), QStringLiteral("LIST") }).split('\n')) {
            if (line.contains(name) && line.contains(" sub=2 ") && line.contains(" psub=1 "))
                found = true;
        }
        if (!found)
            return false;
    }
    return true;
}

void TestSentinel::initTestCase()
{
    // A master sends its first copy to a replica at once, not after the default 5 s delay.
    const QStringList noSyncDelay { QStringLiteral("--repl-diskless-sync-delay"), QStringLiteral("0") };
    m_master = std::make_unique<RedisServer>(RedisServer::Config { .extraArgs = noSyncDelay });
    BP_START(*m_master);
    m_replica = std::make_unique<RedisServer>(RedisServer::Config { .extraArgs
        = QStringList { QStringLiteral("--replicaof"), QStringLiteral("127.0.0.1"), QString::number(m_master->port()) }
            + noSyncDelay });
    BP_START(*m_replica);
    QTRY_COMPARE_WITH_TIMEOUT(
        m_replica->info(QStringLiteral("replication"), "master_link_status"), QByteArray("up"), 20000);

    for (int i = 0; i < 3; ++i) {
        m_sentinels.push_back(std::make_unique<RedisSentinel>(m_master->port()));
        QVERIFY2(m_sentinels.back()->start(), qPrintable(m_sentinels.back()->error()));
    }
    // A failover needs a replica the sentinel has heard from (its INFO says the link is up);
    // the others learn the new configuration from each other.
    for (const auto& s : m_sentinels) {
        QTRY_COMPARE_WITH_TIMEOUT(
            fieldOf(s->replicaFields(m_replica->port()), "master-link-status"), QByteArray("ok"), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(s->masterField("num-other-sentinels"), QByteArray("2"), 20000);
    }
}

void TestSentinel::cleanupTestCase()
{
    m_sentinels.clear();
    m_replica.reset();
    m_master.reset();
}

void TestSentinel::connectsThroughTheSentinels()
{
    ConnectionOptions o = options(url());
    QCOMPARE(o.sentinels.size(), 3);
    QVERIFY2(o.displayAddress().startsWith(QLatin1String("mymaster via sentinel 127.0.0.1:")),
        qPrintable(o.displayAddress()));
    RedisClient client(o);
    StateRecorder rec(&client);
    BP_OPEN_READY(client);

    BP_AWAIT(info, client.command({ "INFO", "server" }));
    QCOMPARE(tcpPort(info), int(m_master->port()));
    BP_AWAIT(set, client.command({ "SET", "through", "sentinel" }));
    QCOMPARE(set.toDisplayString(), QStringLiteral("OK"));
    QCOMPARE(m_master->cli({ QStringLiteral("GET"), QStringLiteral("through") }), QByteArray("sentinel"));

    // The states say where the master was found.
    const QString masterAddress = QStringLiteral("127.0.0.1:%1").arg(m_master->port());
    const QString all = rec.dump();
    QVERIFY2(all.contains(
                 QStringLiteral("%1 says master mymaster is at %2").arg(m_sentinels.at(0)->address(), masterAddress)),
        qPrintable(all));
    QVERIFY2(rec.reasons.last().contains(QStringLiteral("connected to master mymaster at %1").arg(masterAddress)),
        qPrintable(all));
}

void TestSentinel::skipsASentinelThatIsDown()
{
    const QString dead = QStringLiteral("127.0.0.1:%1").arg(RedisServer::freePort()); // nothing listens there
    ConnectionOptions o = options(url(kMaster, dead));
    o.reconnect = false; // one attempt must be enough
    RedisClient client(o);
    StateRecorder rec(&client);
    BP_OPEN_READY(client);
    QVERIFY2(rec.dump().contains(QStringLiteral("%1 says master mymaster is at").arg(m_sentinels.at(0)->address())),
        qPrintable(rec.dump()));
    BP_AWAIT(pong, client.command({ "PING" }));
    QCOMPARE(pong.toDisplayString(), QStringLiteral("PONG"));
}

void TestSentinel::unknownMasterName()
{
    ConnectionOptions o = options(url(QStringLiteral("nosuchmaster")));
    o.reconnect = false;
    RedisClient client(o);
    StateRecorder rec(&client);
    const QFuture<Reply> early = client.command({ "PING" });
    client.open();
    QVERIFY2(rec.waitFor(ConnectionState::Disconnected), qPrintable(rec.dump()));
    const QString reason = rec.reasons.at(rec.indexOf(ConnectionState::Disconnected));
    // Every sentinel was asked, and the message says what each one answered.
    QVERIFY2(
        reason.startsWith(QLatin1String("sentinel: no sentinel gave the address of nosuchmaster")), qPrintable(reason));
    for (const auto& s : m_sentinels)
        QVERIFY2(reason.contains(QStringLiteral("%1 knows no master named 'nosuchmaster'").arg(s->address())),
            qPrintable(reason));
    // The request that waited for the attempt fails with that reason, at once.
    BP_AWAIT(r, early);
    QCOMPARE(r.errorKind(), Reply::ErrorKind::Connection);
    QVERIFY2(r.errorMessage().contains(QLatin1String("knows no master named")), qPrintable(r.errorMessage()));
}

void TestSentinel::cliThroughTheSentinels()
{
    QStringList list;
    for (const auto& s : m_sentinels)
        list << s->address();
    const QString sentinels = list.join(QLatin1Char(','));

    CliResult r
        = runCli({ QStringLiteral("--sentinel"), sentinels, QStringLiteral("--master"), kMaster, QStringLiteral("exec"),
            QStringLiteral("--"), QStringLiteral("SET"), QStringLiteral("cli:key"), QStringLiteral("via-sentinel") });
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    QCOMPARE(r.out, QByteArray("OK\n"));
    QCOMPARE(m_master->cli({ QStringLiteral("GET"), QStringLiteral("cli:key") }), QByteArray("via-sentinel"));

    r = runCli({ QStringLiteral("--url"), url(), QStringLiteral("--json"), QStringLiteral("exec"), QStringLiteral("--"),
        QStringLiteral("ROLE") });
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    QVERIFY2(r.out.startsWith("[\"master\","), r.describe().constData());

    // No sentinel knows the name: a connection failure (3) that says what each sentinel answered.
    r = runCli({ QStringLiteral("--sentinel"), sentinels, QStringLiteral("--master"), QStringLiteral("nosuch"),
        QStringLiteral("ping") });
    QVERIFY2(r.exitCode == 3, r.describe().constData());
    QVERIFY2(
        r.err.startsWith(QByteArray("bullpen-cli: cannot connect to nosuch via sentinel " + sentinels.toUtf8() + ": ")),
        r.describe().constData());
    QVERIFY2(r.err.contains(QByteArray(m_sentinels.at(2)->address().toUtf8() + " knows no master named 'nosuch'")),
        r.describe().constData());

    // A malformed list is a usage error (2) that points into the option's value.
    r = runCli({ QStringLiteral("--sentinel"), QStringLiteral("a:1,,b"), QStringLiteral("--master"), kMaster,
        QStringLiteral("ping") });
    QVERIFY2(r.exitCode == 2, r.describe().constData());
    QVERIFY2(r.err.contains("invalid --sentinel: a sentinel address is missing"), r.describe().constData());
    QVERIFY2(r.err.contains("(at character 5)"), r.describe().constData());
    r = runCli({ QStringLiteral("--sentinel"), sentinels, QStringLiteral("ping") });
    QVERIFY2(r.exitCode == 2, r.describe().constData());
    QVERIFY2(r.err.contains("--sentinel and --master go together"), r.describe().constData());
}

// A sentinel whose answer is stale names a replica: ROLE says so, and no request reaches it.
void TestSentinel::refusesAReplicaNamedAsMaster()
{
    RedisSentinel stale(m_replica->port(), RedisSentinel::Config { .masterName = QStringLiteral("stale") });
    QVERIFY2(stale.start(), qPrintable(stale.error()));
    ConnectionOptions o = options(QStringLiteral("redis-sentinel://%1/stale").arg(stale.address()));
    o.reconnect = false;
    RedisClient client(o);
    StateRecorder rec(&client);
    const QFuture<Reply> early = client.command({ "GET", "through" }); // the replica has it: it must not answer
    client.open();
    QVERIFY2(rec.waitFor(ConnectionState::Disconnected), qPrintable(rec.dump()));
    const QString reason = rec.reasons.at(rec.indexOf(ConnectionState::Disconnected));
    QCOMPARE(reason,
        QStringLiteral(
            "sentinel: 127.0.0.1:%1 is not the master of stale (ROLE says slave); asking the sentinels again")
            .arg(m_replica->port()));
    BP_AWAIT(r, early);
    QCOMPARE(r.errorKind(), Reply::ErrorKind::Connection);
    QVERIFY2(r.errorMessage().contains(QLatin1String("is not the master of stale")), qPrintable(r.errorMessage()));
}

// The master is demoted behind the sentinels' back (REPLICAOF by hand, no failover event): the
// next write gets READONLY, which its caller sees as the error it is, and the connection asks
// the sentinels again and refuses the node they still name.
void TestSentinel::readOnlyReplyMakesItAskAgain()
{
    const QStringList noSyncDelay { QStringLiteral("--repl-diskless-sync-delay"), QStringLiteral("0") };
    RedisServer a(RedisServer::Config { .extraArgs = noSyncDelay });
    BP_START(a);
    RedisServer b(RedisServer::Config { .extraArgs
        = QStringList { QStringLiteral("--replicaof"), QStringLiteral("127.0.0.1"), QString::number(a.port()) }
            + noSyncDelay });
    BP_START(b);
    QTRY_COMPARE_WITH_TIMEOUT(b.info(QStringLiteral("replication"), "master_link_status"), QByteArray("up"), 20000);
    RedisSentinel sentinel(a.port(), RedisSentinel::Config { .masterName = QStringLiteral("pair"), .quorum = 1 });
    QVERIFY2(sentinel.start(), qPrintable(sentinel.error()));

    RedisClient client(options(QStringLiteral("redis-sentinel://%1/pair").arg(sentinel.address())));
    StateRecorder rec(&client);
    BP_OPEN_READY(client);
    BP_AWAIT(first, client.command({ "INCR", "n" }));
    QCOMPARE(first.integer(), qint64(1));

    QCOMPARE(b.cli({ QStringLiteral("REPLICAOF"), QStringLiteral("NO"), QStringLiteral("ONE") }), QByteArray("OK"));
    QCOMPARE(a.cli({ QStringLiteral("REPLICAOF"), QStringLiteral("127.0.0.1"), QString::number(b.port()) }),
        QByteArray("OK"));
    const qsizetype mark = rec.states.size();
    BP_AWAIT(second, client.command({ "INCR", "n" }));
    QVERIFY2(second.isError(), qPrintable(second.toDisplayString()));
    QCOMPARE(second.errorKind(), Reply::ErrorKind::Server);
    QVERIFY2(second.errorMessage().startsWith(QLatin1String("READONLY")), qPrintable(second.errorMessage()));

    const QString node = QStringLiteral("127.0.0.1:%1").arg(a.port());
    QVERIFY2(QTest::qWaitFor([&] { return rec.indexOf(ConnectionState::Disconnected, mark) >= 0; }, 10000),
        qPrintable(rec.dump()));
    QCOMPARE(rec.reasons.at(rec.indexOf(ConnectionState::Disconnected, mark)),
        QStringLiteral(
            "sentinel: %1 refused as a replica or while loading; asking the sentinels for the master of pair")
            .arg(node));
    // The sentinel still names the demoted node (it saw no failover): ROLE keeps us off it.
    const QString refused = QStringLiteral("sentinel: %1 is not the master of pair (ROLE says slave); asking the "
                                           "sentinels again")
                                .arg(node);
    QTRY_VERIFY2_WITH_TIMEOUT(rec.reasons.contains(refused), qPrintable(rec.dump()), 10000);
    QVERIFY2(client.state() != ConnectionState::Ready, qPrintable(rec.dump()));
}

// read_from_replicas on a read-only connection: a replica the sentinels list as healthy, ROLE
// says slave. A connection that may write, or one without the option, goes to the master.
void TestSentinel::readOnlyConnectionReadsFromAReplica()
{
    ConnectionOptions o = options(url() + QStringLiteral("?read_from_replicas=1"));
    QVERIFY(o.readFromReplicas);
    o.readOnly = true;
    RedisClient reader(o);
    StateRecorder rec(&reader);
    BP_OPEN_READY(reader);
    BP_AWAIT(role, reader.command({ "ROLE" }));
    QCOMPARE(role.at(0).bytes(), QByteArray("slave"));
    QCOMPARE(role.at(2).integer(), qint64(m_master->port()));
    BP_AWAIT(info, reader.command({ "INFO", "server" }));
    QCOMPARE(tcpPort(info), int(m_replica->port()));
    const QString replica = QStringLiteral("127.0.0.1:%1").arg(m_replica->port());
    const QString master = QStringLiteral("127.0.0.1:%1").arg(m_master->port());
    QVERIFY2(rec.dump().contains(QStringLiteral("reading from its replica %1").arg(replica)), qPrintable(rec.dump()));
    QCOMPARE(rec.reasons.last(),
        QStringLiteral("sentinel: connected to replica %1 of mymaster (master at %2) for reads").arg(replica, master));
    // Data written on the master is read there; writes stay refused before anything is sent.
    QCOMPARE(m_master->cli({ QStringLiteral("SET"), QStringLiteral("replica:read"), QStringLiteral("yes") }),
        QByteArray("OK"));
    QTRY_COMPARE_WITH_TIMEOUT(
        m_replica->cli({ QStringLiteral("GET"), QStringLiteral("replica:read") }), QByteArray("yes"), 10000);
    BP_AWAIT(get, reader.command({ "GET", "replica:read" }));
    QCOMPARE(get.bytes(), QByteArray("yes"));
    BP_AWAIT(set, reader.command({ "SET", "replica:read", "no" }));
    QCOMPARE(set.errorKind(), Reply::ErrorKind::Refused);

    // Read-write with the option: the master.
    RedisClient writer(options(url() + QStringLiteral("?read_from_replicas=1")));
    BP_OPEN_READY(writer);
    BP_AWAIT(writerRole, writer.command({ "ROLE" }));
    QCOMPARE(writerRole.at(0).bytes(), QByteArray("master"));
    // Read-only without the option: the master.
    ConnectionOptions plain = options(url());
    plain.readOnly = true;
    RedisClient plainReader(plain);
    BP_OPEN_READY(plainReader);
    BP_AWAIT(plainRole, plainReader.command({ "ROLE" }));
    QCOMPARE(plainRole.at(0).bytes(), QByteArray("master"));

    // The CLI: --read-only --read-from-replicas reads from the replica.
    QStringList list;
    for (const auto& s : m_sentinels)
        list << s->address();
    CliResult r = runCli({ QStringLiteral("--sentinel"), list.join(QLatin1Char(',')), QStringLiteral("--master"), kMaster,
        QStringLiteral("--read-only"), QStringLiteral("--read-from-replicas"), QStringLiteral("--json"),
        QStringLiteral("exec"), QStringLiteral("--"), QStringLiteral("ROLE") });
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    QVERIFY2(r.out.startsWith(QByteArray("[\"slave\",\"127.0.0.1\"," + QByteArray::number(m_master->port()) + ",")),
        r.describe().constData());
    r = runCli({ QStringLiteral("--sentinel"), list.join(QLatin1Char(',')), QStringLiteral("--master"), kMaster,
        QStringLiteral("--read-from-replicas"), QStringLiteral("ping") });
    QVERIFY2(r.exitCode == 2, r.describe().constData());
    QVERIFY2(r.err.contains("--read-from-replicas with --sentinel needs --read-only"), r.describe().constData());
}

// No healthy replica, or one the sentinels still list that does not answer: the master serves.
void TestSentinel::readFromReplicasFallsBackToTheMaster()
{
    const QStringList noSyncDelay { QStringLiteral("--repl-diskless-sync-delay"), QStringLiteral("0") };
    RedisServer a(RedisServer::Config { .extraArgs = noSyncDelay });
    BP_START(a);
    // A long down-after: the sentinel keeps calling a stopped replica healthy.
    RedisSentinel sentinel(a.port(),
        RedisSentinel::Config { .masterName = QStringLiteral("solo"), .quorum = 1, .downAfterMs = 60000 });
    QVERIFY2(sentinel.start(), qPrintable(sentinel.error()));
    ConnectionOptions o = options(QStringLiteral("redis-sentinel://%1/solo?read_from_replicas=1").arg(sentinel.address()));
    o.readOnly = true;
    o.connectTimeoutMs = 2000; // also bounds the sentinel and master connections: room for a loaded machine
    const QString master = QStringLiteral("127.0.0.1:%1").arg(a.port());
    {
        RedisClient client(o);
        StateRecorder rec(&client);
        BP_OPEN_READY(client);
        BP_AWAIT(role, client.command({ "ROLE" }));
        QCOMPARE(role.at(0).bytes(), QByteArray("master"));
        QVERIFY2(rec.dump().contains(QStringLiteral("%1 says master solo is at %2; it knows no replica, reading from "
                                                    "the master")
                                         .arg(sentinel.address(), master)),
            qPrintable(rec.dump()));
    }

    RedisServer b(RedisServer::Config { .extraArgs
        = QStringList { QStringLiteral("--replicaof"), QStringLiteral("127.0.0.1"), QString::number(a.port()) }
            + noSyncDelay });
    BP_START(b);
    QTRY_COMPARE_WITH_TIMEOUT(
        fieldOf(sentinel.replicaFields(b.port()), "master-link-status"), QByteArray("ok"), 20000);
    const QString replica = QStringLiteral("127.0.0.1:%1").arg(b.port());
    {
        RedisClient client(o);
        BP_OPEN_READY(client);
        BP_AWAIT(role, client.command({ "ROLE" }));
        QCOMPARE(role.at(0).bytes(), QByteArray("slave"));
    }
    // Stopped (SIGSTOP): its port accepts, nothing answers, and the sentinel still lists it.
    b.pause();
    {
        RedisClient client(o);
        StateRecorder rec(&client);
        BP_OPEN_READY(client);
        BP_AWAIT(role, client.command({ "ROLE" }));
        QCOMPARE(role.at(0).bytes(), QByteArray("master"));
        QVERIFY2(rec.dump().contains(QStringLiteral("reading from its replica %1").arg(replica)), qPrintable(rec.dump()));
        // The connect timer or the handshake's deadline, whichever fires first, gives up on it.
        const qsizetype down = rec.indexOf(ConnectionState::Disconnected);
        QVERIFY2(down >= 0, qPrintable(rec.dump()));
        const QString why = rec.reasons.at(down);
        QVERIFY2(why.startsWith(QStringLiteral("sentinel: replica %1 of solo ").arg(replica))
                && why.contains(QLatin1String("2000 ms")) && why.endsWith(QLatin1String("; using the master")),
            qPrintable(rec.dump()));
        QCOMPARE(rec.reasons.last(), QStringLiteral("sentinel: connected to master solo at %1").arg(master));
    }
    b.resume();
}

void TestSentinel::followsAFailoverDuringARefreshLoop()
{
    const quint16 oldPort = m_master->port();
    const quint16 newPort = m_replica->port();
    ConnectionOptions o = options(url());
    o.role = QStringLiteral("failover-test");
    RedisClient client(o);
    StateRecorder rec(&client);
    BP_OPEN_READY(client);
    // A subscriber follows too: after the failover it hears what is published on the new master.
    ConnectionOptions subOptions = o;
    subOptions.role = QStringLiteral("failover-sub");
    RedisSubscriber sub(subOptions);
    StateRecorder subRec(&sub);
    QList<QByteArray> heard;
    connect(&sub, &RedisSubscriber::messages, this, [&heard](const QList<PubSubMessage>& batch) {
        for (const PubSubMessage& m : batch)
            heard.append(m.payload);
    });
    sub.subscribe({ "news" });
    BP_OPEN_READY(sub);
    // The failover must find us listening on every sentinel (only the leader announces its start).
    QTRY_VERIFY_WITH_TIMEOUT(watchersSubscribed(o.role) && watchersSubscribed(subOptions.role), 15000);

    // The refresh loop: INCR plus INFO server every 20 ms, so each reply names the node that gave it.
    struct Sample
    {
        bool ok = false;
        qint64 value = 0;
        int port = 0;
        QString error;
    };
    struct Loop
    {
        QList<Sample> samples;
        int outstanding = 0;
    };
    auto loop = std::make_shared<Loop>();
    QTimer timer;
    timer.setInterval(20);
    connect(&timer, &QTimer::timeout, this, [&client, loop, this] {
        if (loop->outstanding >= 5)
            return; // waiting for the new master: do not pile up
        ++loop->outstanding;
        client.pipeline({ { "INCR", "refresh:counter" }, { "INFO", "server" } })
            .then(this, [loop](const QList<Reply>& replies) {
                --loop->outstanding;
                Sample s;
                const Reply& incr = replies.at(0);
                s.ok = !incr.isError() && incr.isInteger();
                s.value = incr.integer();
                s.port = replies.at(1).isError() ? 0 : tcpPort(replies.at(1));
                s.error = incr.isError() ? incr.errorMessage() : QString();
                loop->samples.append(s);
            });
    });
    timer.start();
    const auto successesOn = [loop](int port) {
        return std::count_if(
            loop->samples.cbegin(), loop->samples.cend(), [port](const Sample& s) { return s.ok && s.port == port; });
    };
    QTRY_VERIFY_WITH_TIMEOUT(successesOn(oldPort) >= 10, 15000);

    const qsizetype mark = rec.states.size();
    // -NOGOODSLAVE while the sentinels settle: ask again until one takes it (once: not a QTRY
    // macro, which would ask once more to print the comparison).
    QByteArray answer;
    const bool started = QTest::qWaitFor(
        [&] {
            answer = m_sentinels.at(1)->cli({ QStringLiteral("SENTINEL"), QStringLiteral("FAILOVER"), kMaster });
            return answer == "OK";
        },
        20000);
    QVERIFY2(started, answer.constData());

    // The loop goes on, on the new master.
    QTRY_VERIFY_WITH_TIMEOUT(successesOn(newPort) >= 20, 30000);
    timer.stop();
    QTRY_COMPARE_WITH_TIMEOUT(loop->outstanding, 0, 15000);

    // No write was answered by the demoted master: the successful INCRs count 1, 2, 3, … without a
    // gap or a repeat (a write the old master took after the promotion would be lost, and the new
    // master would hand out its number again), every reply of the old master comes before every
    // reply of the new one, and the new master holds exactly the count of successes.
    const QString states = rec.dump();
    qint64 expected = 0;
    bool onNew = false;
    int failures = 0;
    for (const Sample& s : std::as_const(loop->samples)) {
        if (!s.ok) {
            ++failures;
            qInfo("failed during the failover: %s", qPrintable(s.error));
            continue;
        }
        QCOMPARE(s.value, ++expected);
        QVERIFY2(s.port == oldPort || s.port == newPort, qPrintable(QString::number(s.port)));
        if (s.port == newPort)
            onNew = true;
        else
            QVERIFY2(!onNew, "the old master answered after the new one");
    }
    QCOMPARE(
        m_replica->cli({ QStringLiteral("GET"), QStringLiteral("refresh:counter") }), QByteArray::number(expected));
    // The requests issued during the failover waited for the new master instead of failing.
    QVERIFY2(failures == 0, qPrintable(QStringLiteral("%1 requests failed; states: %2").arg(failures).arg(states)));

    // The states say what happened.
    const QString moved = QStringLiteral("sentinel: master mymaster moved to 127.0.0.1:%1").arg(newPort);
    bool sawMove = false;
    for (qsizetype i = mark; i < rec.reasons.size(); ++i)
        sawMove = sawMove || rec.reasons.at(i) == moved;
    QVERIFY2(sawMove, qPrintable(states));
    QVERIFY2(states.contains(QLatin1String("failover of mymaster started")), qPrintable(states));
    BP_COMPARE_STATE(client.state(), ConnectionState::Ready);

    QTRY_VERIFY2_WITH_TIMEOUT(subRec.reasons.contains(moved), qPrintable(subRec.dump()), 30000);
    // PUBLISH counts the subscribers of the node it runs on: ours, once it has moved.
    QTRY_COMPARE_WITH_TIMEOUT(
        m_replica->cli({ QStringLiteral("PUBLISH"), QStringLiteral("news"), QStringLiteral("after-failover") }),
        QByteArray("1"), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(heard.contains("after-failover"), 15000);

    // The client is on the new master: it says so itself, at another address.
    BP_AWAIT(role, client.command({ "ROLE" }));
    QCOMPARE(role.at(0).bytes(), QByteArray("master"));
    BP_AWAIT(info, client.command({ "INFO", "server" }));
    QCOMPARE(tcpPort(info), int(newPort));
    QVERIFY(newPort != oldPort);
}

QTEST_GUILESS_MAIN(TestSentinel)
#include "tst_sentinel.moc"
