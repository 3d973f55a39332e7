// SPDX-License-Identifier: MIT
// Transports against real redis-server processes: TCP, Unix socket, TLS (verification with our
// CA, without it, insecure, client certificates), and the state signals of a connection.

#include "clienttest.h"
#include "redisclient.h"
#include "redisserver.h"

#include <QTest>

using namespace bullpen;
using namespace bullpen::test;

class TestConnect : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void tcp();
    void unixSocket();
    void stateSignals();
    void tlsWithOurCa();
    void tlsWithoutCaFailsVerification();
    void tlsWrongServerNameFailsVerification();
    void tlsInsecure();
    void tlsClientCertificate();
    void tlsMissingClientCertificate();
};

namespace {

// A round trip that proves the connection carries commands both ways.
void roundTrip(RedisClient& client, const QByteArray& value)
{
    BP_AWAIT(set, client.command({ "SET", "transport:key", value }));
    QCOMPARE(set.toDisplayString(), QStringLiteral("OK"));
    BP_AWAIT(get, client.command({ "GET", "transport:key" }));
    QVERIFY2(get.type() == Reply::Type::Bulk, qPrintable(get.toDisplayString()));
    QCOMPARE(get.bytes(), value);
}

} // namespace

void TestConnect::tcp()
{
    RedisServer server;
    BP_START(server);
    RedisClient client(server.options());
    BP_OPEN_READY(client);
    roundTrip(client, "over tcp");
    QCOMPARE(server.cli({ QStringLiteral("GET"), QStringLiteral("transport:key") }), QByteArray("over tcp"));
    // The handshake names the connection after its role.
    QVERIFY(server.cli({ QStringLiteral("CLIENT"), QStringLiteral("LIST") }).contains("name=bullpen:main"));
}

void TestConnect::unixSocket()
{
    RedisServer server(RedisServer::Config { .unixSocket = true });
    BP_START(server);
    ConnectionOptions o = server.options();
    QCOMPARE(o.transport, ConnectionOptions::Transport::Unix);
    RedisClient client(o);
    BP_OPEN_READY(client);
    roundTrip(client, "over a unix socket");
    QCOMPARE(server.cli({ QStringLiteral("GET"), QStringLiteral("transport:key") }), QByteArray("over a unix socket"));
}

void TestConnect::stateSignals()
{
    RedisServer server;
    BP_START(server);
    ConnectionOptions o = server.options();
    o.reconnectInitialMs = 50;
    o.reconnectMaxMs = 200;
    RedisClient client(o);
    StateRecorder rec(&client);
    BP_COMPARE_STATE(client.state(), ConnectionState::Disconnected);
    BP_OPEN_READY(client);
    QCOMPARE(rec.sequence(), QStringLiteral("connecting ready"));

    const qsizetype before = rec.states.size();
    server.kill();
    QVERIFY2(rec.waitFor(ConnectionState::Disconnected, before), qPrintable(rec.dump()));
    const qsizetype lost = rec.indexOf(ConnectionState::Disconnected, before);
    QVERIFY2(!rec.reasons.at(lost).isEmpty(), qPrintable(rec.dump()));
    QVERIFY(client.state() != ConnectionState::Ready);
    // It keeps trying on its own: Connecting again, and Disconnected with the refusal.
    QVERIFY2(rec.waitFor(ConnectionState::Connecting, lost), qPrintable(rec.dump()));
    QVERIFY2(rec.waitFor(ConnectionState::Disconnected, rec.indexOf(ConnectionState::Connecting, lost)),
        qPrintable(rec.dump()));

    QVERIFY2(server.restart(), qPrintable(server.error()));
    QVERIFY2(rec.waitFor(ConnectionState::Ready, lost), qPrintable(rec.dump()));
    roundTrip(client, "back again");
}

void TestConnect::tlsWithOurCa()
{
    RedisServer server(RedisServer::Config { .tls = true });
    BP_START(server);
    ConnectionOptions o = server.options();
    QCOMPARE(o.transport, ConnectionOptions::Transport::Tls);
    QVERIFY(!o.caFile.isEmpty());
    RedisClient client(o);
    BP_OPEN_READY(client);
    roundTrip(client, "over tls");
    QCOMPARE(server.cli({ QStringLiteral("GET"), QStringLiteral("transport:key") }), QByteArray("over tls"));
}

void TestConnect::tlsWithoutCaFailsVerification()
{
    RedisServer server(RedisServer::Config { .tls = true });
    BP_START(server);
    ConnectionOptions o = server.options();
    o.caFile.clear(); // the system CAs do not know our test CA
    o.requestTimeoutMs = 60000;
    RedisClient client(o);
    StateRecorder rec(&client);
    const QFuture<Reply> f = client.command({ "PING" });
    client.open();
    // Retrying cannot fix a certificate: the connection fails for good, with the reason.
    QVERIFY2(waitForState(client, ConnectionState::Failed), qPrintable(rec.dump()));
    const QString reason = client.stateReason();
    QVERIFY2(reason.contains(QLatin1String("TLS")), qPrintable(reason));
    QVERIFY2(reason.contains(QLatin1String("certificate"), Qt::CaseInsensitive), qPrintable(reason));
    BP_AWAIT(r, f);
    QCOMPARE(r.errorKind(), Reply::ErrorKind::Connection);
    QVERIFY2(r.errorMessage().contains(QLatin1String("TLS")), qPrintable(r.errorMessage()));
    BP_AWAIT(later, client.command({ "PING" }));
    QCOMPARE(later.errorKind(), Reply::ErrorKind::Connection);
    QVERIFY2(later.errorMessage().contains(QLatin1String("certificate"), Qt::CaseInsensitive),
        qPrintable(later.errorMessage()));
    QCOMPARE(rec.indexOf(ConnectionState::Ready), -1);
}

void TestConnect::tlsWrongServerNameFailsVerification()
{
    RedisServer server(RedisServer::Config { .tls = true });
    BP_START(server);
    ConnectionOptions o = server.options();
    o.serverName = QStringLiteral("not-this-host.example");
    RedisClient client(o);
    client.open();
    QVERIFY2(waitForState(client, ConnectionState::Failed), qPrintable(client.stateReason()));
    QVERIFY2(client.stateReason().contains(QLatin1String("TLS")), qPrintable(client.stateReason()));
    QVERIFY2(client.stateReason().contains(QLatin1String("host name"), Qt::CaseInsensitive),
        qPrintable(client.stateReason()));
}

void TestConnect::tlsInsecure()
{
    RedisServer server(RedisServer::Config { .tls = true });
    BP_START(server);
    ConnectionOptions o = server.options();
    o.caFile.clear();
    o.insecure = true;
    RedisClient client(o);
    BP_OPEN_READY(client);
    roundTrip(client, "unverified tls");
}

void TestConnect::tlsClientCertificate()
{
    RedisServer server(RedisServer::Config { .tls = true, .tlsAuthClients = true });
    BP_START(server);
    ConnectionOptions o = server.options();
    o.certFile = server.clientCertFile();
    o.keyFile = server.clientKeyFile();
    RedisClient client(o);
    BP_OPEN_READY(client);
    roundTrip(client, "mutual tls");
    QCOMPARE(server.cli({ QStringLiteral("GET"), QStringLiteral("transport:key") }), QByteArray("mutual tls"));
}

void TestConnect::tlsMissingClientCertificate()
{
    RedisServer server(RedisServer::Config { .tls = true, .tlsAuthClients = true });
    BP_START(server);
    ConnectionOptions o = server.options();
    o.requestTimeoutMs = 60000; // an answer must come from the failure, not from a timeout
    o.connectTimeoutMs = 60000;
    RedisClient client(o);
    StateRecorder rec(&client);
    const QFuture<Reply> f = client.command({ "PING" });
    client.open();
    BP_AWAIT(r, f);
    QCOMPARE(r.errorKind(), Reply::ErrorKind::Connection);
    QVERIFY2(r.errorMessage().contains(QLatin1String("client certificate")), qPrintable(r.errorMessage()));
    QVERIFY2(waitForState(client, ConnectionState::Failed), qPrintable(rec.dump()));
    QVERIFY2(client.stateReason().contains(QLatin1String("client certificate")), qPrintable(client.stateReason()));
    BP_AWAIT(later, client.command({ "PING" }));
    QCOMPARE(later.errorKind(), Reply::ErrorKind::Connection);
    QVERIFY2(later.errorMessage().contains(QLatin1String("client certificate")), qPrintable(later.errorMessage()));
    QCOMPARE(rec.indexOf(ConnectionState::Ready), -1);
}

QTEST_GUILESS_MAIN(TestConnect)
#include "tst_connect.moc"
