// SPDX-License-Identifier: MIT
// Failures against a real server: killed mid-pipeline and restarted, request timeouts,
// requests while the server is down, a client destroyed with requests in flight.

#include "clienttest.h"
#include "redisclient.h"
#include "redisserver.h"

#include <QTemporaryDir>
#include <QTest>

using namespace bullpen;
using namespace bullpen::test;

class TestRecovery : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void serverKilledMidPipeline_data();
    void serverKilledMidPipeline();
    void serverKilledDuringDebugSleep();
    void requestTimeout();
    void shorterTimeoutBehindASlowRequest();
    void requestWhileServerDown_data();
    void requestWhileServerDown();
    void unixSocketThatDoesNotExist();
    void destroyedWithRequestsInFlight();
    void destroyedBeforeOpen();
    void requestBeforeOpenWaitsForTheConnection();
};

namespace {

ConnectionOptions fastReconnect(ConnectionOptions o)
{
    o.reconnectInitialMs = 50;
    o.reconnectMaxMs = 300;
    return o;
}

// The server's count of clients blocked in BLPOP & co.
int blockedClients(const RedisServer& server)
{
    return server.info(QStringLiteral("clients"), "blocked_clients").toInt();
}

void checkConnectionFailure(const Reply& r)
{
    QVERIFY2(r.isError(), qPrintable(r.toDisplayString()));
    QCOMPARE(r.errorKind(), Reply::ErrorKind::Connection);
    QVERIFY2(r.errorMessage().contains(QLatin1String("connection")), qPrintable(r.errorMessage()));
}

} // namespace

void TestRecovery::serverKilledMidPipeline_data()
{
    QTest::addColumn<bool>("unixSocket");
    QTest::addColumn<bool>("tls");
    QTest::addRow("tcp") << false << false;
    QTest::addRow("unix") << true << false;
    QTest::addRow("tls") << false << true;
}

void TestRecovery::serverKilledMidPipeline()
{
    QFETCH(bool, unixSocket);
    QFETCH(bool, tls);
    RedisServer server(RedisServer::Config { .unixSocket = unixSocket, .tls = tls });
    BP_START(server);
    RedisClient client(fastReconnect(server.options()));
    StateRecorder rec(&client);
    BP_OPEN_READY(client);

    // A pipeline that is provably in flight: the server holds it in BLPOP, the GETs queued behind.
    QList<Command> commands { { "BLPOP", "never:filled", "20" } };
    for (int i = 0; i < 300; ++i)
        commands.append(Command { "GET", "k:" + QByteArray::number(i) });
    const QFuture<QList<Reply>> pipe = client.pipeline(commands);
    QList<QFuture<Reply>> singles;
    for (int i = 0; i < 50; ++i)
        singles.append(client.command({ "ECHO", QByteArray::number(i) }));
    QTRY_COMPARE_WITH_TIMEOUT(blockedClients(server), 1, 10000);

    const qsizetype mark = rec.states.size();
    server.kill();

    BP_AWAIT(replies, pipe);
    QCOMPARE(replies.size(), commands.size());
    for (const Reply& r : replies)
        checkConnectionFailure(r);
    for (const auto& f : std::as_const(singles)) {
        BP_AWAIT(r, f);
        checkConnectionFailure(r);
    }
    QVERIFY2(rec.waitFor(ConnectionState::Disconnected, mark), qPrintable(rec.dump()));
    QVERIFY2(!rec.reasons.at(rec.indexOf(ConnectionState::Disconnected, mark)).isEmpty(), qPrintable(rec.dump()));

    // Let it fail at least one reconnect attempt (connection refused) before the server returns.
    const qsizetype retry = rec.indexOf(ConnectionState::Disconnected, mark) + 1;
    QVERIFY2(rec.waitFor(ConnectionState::Connecting, retry), qPrintable(rec.dump()));
    QVERIFY2(rec.waitFor(ConnectionState::Disconnected, rec.indexOf(ConnectionState::Connecting, retry)),
        qPrintable(rec.dump()));
    QVERIFY2(server.restart(), qPrintable(server.error()));
    QVERIFY2(rec.waitFor(ConnectionState::Ready, mark, 15000), qPrintable(rec.dump()));
    BP_COMPARE_STATE(client.state(), ConnectionState::Ready);

    BP_AWAIT(set, client.command({ "SET", "after", "restart" }));
    QCOMPARE(set.toDisplayString(), QStringLiteral("OK"));
    QCOMPARE(server.cli({ QStringLiteral("GET"), QStringLiteral("after") }), QByteArray("restart"));
}

void TestRecovery::serverKilledDuringDebugSleep()
{
    RedisServer server;
    BP_START(server);
    RedisClient client(fastReconnect(server.options()));
    BP_OPEN_READY(client);

    QList<Command> commands { { "DEBUG", "SLEEP", "0.5" } };
    for (int i = 0; i < 200; ++i)
        commands.append(Command { "INCR", "c" });
    const QFuture<QList<Reply>> pipe
        = client.pipeline(commands, CallOptions { .timeoutMs = 0, .allowDangerous = true });
    server.kill();
    BP_AWAIT(replies, pipe);
    QCOMPARE(replies.size(), commands.size());
    for (const Reply& r : replies)
        checkConnectionFailure(r);
    QVERIFY2(waitForState(client, ConnectionState::Disconnected), qPrintable(client.stateReason()));
    QVERIFY2(server.restart(), qPrintable(server.error()));
    QVERIFY2(waitForState(client, ConnectionState::Ready, 15000), qPrintable(client.stateReason()));
    BP_AWAIT(incr, client.command({ "INCR", "c" }));
    QCOMPARE(incr.integer(), qint64(1)); // the server was killed before anything was saved
}

void TestRecovery::requestTimeout()
{
    RedisServer server;
    BP_START(server);
    RedisClient client(fastReconnect(server.options()));
    StateRecorder rec(&client);
    BP_OPEN_READY(client);

    const QFuture<Reply> slow
        = client.command({ "DEBUG", "SLEEP", "2" }, CallOptions { .timeoutMs = 300, .allowDangerous = true });
    const QFuture<Reply> behind = client.command({ "PING" });
    BP_AWAIT(r, slow);
    QCOMPARE(r.errorKind(), Reply::ErrorKind::Timeout);
    QVERIFY2(r.errorMessage().contains(QLatin1String("DEBUG")), qPrintable(r.errorMessage()));
    QVERIFY2(r.errorMessage().contains(QLatin1String("300 ms")), qPrintable(r.errorMessage()));
    // What was queued behind it cannot be matched to its reply any more.
    BP_AWAIT(b, behind);
    QCOMPARE(b.errorKind(), Reply::ErrorKind::Connection);
    QVERIFY2(b.errorMessage().contains(QLatin1String("DEBUG timed out")), qPrintable(b.errorMessage()));

    // It recovers by itself once the server answers again.
    QVERIFY2(rec.waitFor(ConnectionState::Disconnected, 2), qPrintable(rec.dump()));
    QVERIFY2(rec.waitFor(ConnectionState::Ready, rec.indexOf(ConnectionState::Disconnected, 2), 15000),
        qPrintable(rec.dump()));
    BP_AWAIT(ping, client.command({ "PING" }));
    QCOMPARE(ping.toDisplayString(), QStringLiteral("PONG"));
}

void TestRecovery::shorterTimeoutBehindASlowRequest()
{
    RedisServer server;
    BP_START(server);
    RedisClient client(fastReconnect(server.options()));
    BP_OPEN_READY(client);
    // The BLPOP may wait 5 s; the GET behind it may not: the GET is the one that timed out.
    const QFuture<Reply> blpop = client.command({ "BLPOP", "never:filled", "5" }, CallOptions { .timeoutMs = 10000 });
    const QFuture<Reply> get = client.command({ "GET", "x" }, CallOptions { .timeoutMs = 300 });
    BP_AWAIT(g, get);
    QCOMPARE(g.errorKind(), Reply::ErrorKind::Timeout);
    QVERIFY2(g.errorMessage().contains(QLatin1String("GET got no reply within 300 ms")), qPrintable(g.errorMessage()));
    BP_AWAIT(b, blpop);
    QCOMPARE(b.errorKind(), Reply::ErrorKind::Connection);
    QVERIFY2(waitForState(client, ConnectionState::Ready, 10000), qPrintable(client.stateReason()));
}

void TestRecovery::requestWhileServerDown_data()
{
    QTest::addColumn<bool>("unixSocket");
    QTest::addRow("tcp") << false;
    QTest::addRow("unix") << true;
}

void TestRecovery::requestWhileServerDown()
{
    QFETCH(bool, unixSocket);
    RedisServer server(RedisServer::Config { .unixSocket = unixSocket });
    BP_START(server);
    ConnectionOptions o = fastReconnect(server.options());
    o.requestTimeoutMs = 60000; // the answer must come from the refusal, not from a timeout
    o.reconnectMaxMs = 200;
    RedisClient client(o);
    StateRecorder rec(&client);
    BP_OPEN_READY(client);
    server.kill();
    QVERIFY2(rec.waitFor(ConnectionState::Disconnected), qPrintable(rec.dump()));

    // Whatever phase the reconnect loop is in (waiting, or an attempt in progress), a request
    // fails promptly with a connection error.
    QList<QFuture<Reply>> futures;
    for (int round = 0; round < 6; ++round) {
        futures.append(client.command({ "PING" }));
        QSignalSpy spy(&client, &RedisClient::stateChanged);
        QVERIFY2(spy.wait(5000), qPrintable(rec.dump())); // next phase
    }
    for (const auto& f : std::as_const(futures)) {
        BP_AWAIT(r, f);
        QCOMPARE(r.errorKind(), Reply::ErrorKind::Connection);
        QVERIFY2(r.errorMessage().contains(server.options().displayAddress()), qPrintable(r.errorMessage()));
    }
    QCOMPARE(rec.indexOf(ConnectionState::Failed), -1); // a server that is down is no reason to give up
}

void TestRecovery::unixSocketThatDoesNotExist()
{
    // The socket file is missing: QLocalSocket reports that from inside connectToServer().
    QTemporaryDir dir;
    ConnectionOptions o;
    o.transport = ConnectionOptions::Transport::Unix;
    o.socketPath = dir.path() + QStringLiteral("/missing.sock");
    o.reconnectInitialMs = 20;
    o.reconnectMaxMs = 50;
    o.requestTimeoutMs = 60000;
    RedisClient client(o);
    StateRecorder rec(&client);
    const QFuture<Reply> early = client.command({ "PING" });
    client.open();
    BP_AWAIT(r, early);
    QCOMPARE(r.errorKind(), Reply::ErrorKind::Connection);
    QVERIFY2(r.errorMessage().contains(o.socketPath), qPrintable(r.errorMessage()));
    // It keeps trying (several attempts), and requests keep failing promptly meanwhile.
    QTRY_VERIFY_WITH_TIMEOUT(rec.states.size() >= 8, 10000);
    BP_AWAIT(later, client.command({ "PING" }));
    QCOMPARE(later.errorKind(), Reply::ErrorKind::Connection);
    QCOMPARE(rec.indexOf(ConnectionState::Ready), -1);
    QCOMPARE(rec.indexOf(ConnectionState::Failed), -1);
}

void TestRecovery::destroyedWithRequestsInFlight()
{
    RedisServer server;
    BP_START(server);
    auto client = std::make_unique<RedisClient>(server.options());
    BP_OPEN_READY(*client);

    server.pause(); // nothing will be answered
    QList<QFuture<Reply>> futures;
    for (int i = 0; i < 100; ++i)
        futures.append(client->command({ "ECHO", QByteArray::number(i) }));
    const QFuture<QList<Reply>> pipe = client->pipeline({ { "GET", "a" }, { "GET", "b" } });
    // Some of these have been written, some are still queued for the connection thread.
    client.reset();
    server.resume();

    for (const auto& f : std::as_const(futures)) {
        QVERIFY(f.isFinished()); // already, not eventually
        BP_AWAIT(r, f);
        QCOMPARE(r.errorKind(), Reply::ErrorKind::Cancelled);
        QVERIFY2(r.errorMessage().contains(QLatin1String("closed")), qPrintable(r.errorMessage()));
    }
    QVERIFY(pipe.isFinished());
    BP_AWAIT(replies, pipe);
    QCOMPARE(replies.size(), 2);
    for (const Reply& r : replies)
        QCOMPARE(r.errorKind(), Reply::ErrorKind::Cancelled);
}

void TestRecovery::destroyedBeforeOpen()
{
    ConnectionOptions o;
    o.port = RedisServer::freePort();
    auto client = std::make_unique<RedisClient>(o);
    const QFuture<Reply> f = client->command({ "PING" });
    const QFuture<QList<Reply>> p = client->pipeline({ { "PING" }, { "PING" } });
    client.reset();
    QVERIFY(f.isFinished());
    BP_AWAIT(r, f);
    QCOMPARE(r.errorKind(), Reply::ErrorKind::Cancelled);
    BP_AWAIT(replies, p);
    QCOMPARE(replies.size(), 2);
    QCOMPARE(replies.at(1).errorKind(), Reply::ErrorKind::Cancelled);
}

void TestRecovery::requestBeforeOpenWaitsForTheConnection()
{
    RedisServer server;
    BP_START(server);
    RedisClient client(server.options());
    const QFuture<Reply> f = client.command({ "ECHO", "early" });
    client.open();
    BP_AWAIT(r, f);
    QCOMPARE(r.bytes(), QByteArray("early"));
}

QTEST_GUILESS_MAIN(TestRecovery)
#include "tst_recovery.moc"
