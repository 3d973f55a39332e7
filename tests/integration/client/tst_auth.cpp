// SPDX-License-Identifier: MIT
// The connect handshake against real servers: passwords, ACL users, database selection.

#include "clienttest.h"
#include "redisclient.h"
#include "redisserver.h"

#include <QTest>

using namespace bullpen;
using namespace bullpen::test;

class TestAuth : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void password();
    void wrongPasswordFailsWithoutRetrying();
    void missingPassword();
    void aclUserWithLimitedPermissions();
    void wrongAclPassword();
    void selectDatabase();
};

namespace {

const QString kSecret = QStringLiteral("s3cret pass");

RedisServer::Config withPassword()
{
    RedisServer::Config c;
    c.extraArgs = QStringList { QStringLiteral("--requirepass"), kSecret };
    return c;
}

qint64 connectionsReceived(const RedisServer& server)
{
    bool ok = false;
    const qint64 n = server.info(QStringLiteral("stats"), "total_connections_received").toLongLong(&ok);
    return ok ? n : -1;
}

} // namespace

void TestAuth::password()
{
    RedisServer server(withPassword());
    BP_START(server);
    ConnectionOptions o = server.options();
    o.password = kSecret;
    RedisClient client(o);
    BP_OPEN_READY(client);
    BP_AWAIT(r, client.command({ "SET", "auth:key", "yes" }));
    QCOMPARE(r.toDisplayString(), QStringLiteral("OK"));
    QCOMPARE(server.cli({ QStringLiteral("GET"), QStringLiteral("auth:key") }), QByteArray("yes"));
}

void TestAuth::wrongPasswordFailsWithoutRetrying()
{
    RedisServer server(withPassword());
    BP_START(server);
    ConnectionOptions o = server.options();
    o.password = QStringLiteral("not the password");
    o.reconnectInitialMs = 20; // a retry loop would show at once
    o.requestTimeoutMs = 60000; // answers must come from the failure, not from a timeout
    RedisClient client(o);
    StateRecorder rec(&client);
    const QFuture<Reply> early = client.command({ "PING" });
    client.open();
    QVERIFY2(waitForState(client, ConnectionState::Failed), qPrintable(rec.dump()));
    QVERIFY2(client.stateReason().contains(QLatin1String("authentication failed")), qPrintable(client.stateReason()));
    QVERIFY2(!client.stateReason().contains(o.password), "the reason must not echo the password");

    BP_AWAIT(first, early);
    QCOMPARE(first.errorKind(), Reply::ErrorKind::Connection);
    QVERIFY2(first.errorMessage().contains(QLatin1String("authentication failed")), qPrintable(first.errorMessage()));
    BP_AWAIT(later, client.command({ "GET", "x" }));
    QCOMPARE(later.errorKind(), Reply::ErrorKind::Connection);
    QVERIFY2(later.errorMessage().contains(QLatin1String("authentication failed")), qPrintable(later.errorMessage()));

    // No retry storm: nothing happens any more, and the server sees no new connection.
    const qint64 before = connectionsReceived(server);
    QVERIFY(before > 0);
    QSignalSpy spy(&client, &RedisClient::stateChanged);
    QVERIFY2(!spy.wait(1000), qPrintable(rec.dump()));
    QCOMPARE(connectionsReceived(server), before + 1); // just the redis-cli that asks
    QCOMPARE(rec.sequence(), QStringLiteral("connecting failed"));
}

void TestAuth::missingPassword()
{
    RedisServer server(withPassword());
    BP_START(server);
    RedisClient client(server.options());
    client.open();
    QVERIFY2(waitForState(client, ConnectionState::Failed), qPrintable(client.stateReason()));
    QVERIFY2(client.stateReason().contains(QLatin1String("authentication required")), qPrintable(client.stateReason()));
    BP_AWAIT(r, client.command({ "PING" }));
    QCOMPARE(r.errorKind(), Reply::ErrorKind::Connection);
}

void TestAuth::aclUserWithLimitedPermissions()
{
    RedisServer server;
    BP_START(server);
    QCOMPARE(
        server.cli({ QStringLiteral("SET"), QStringLiteral("acl:key"), QStringLiteral("visible") }), QByteArray("OK"));
    // A reader: read commands and PING only (not even CLIENT SETNAME or COMMAND, which the
    // handshake asks for and must do without).
    QCOMPARE(server.cli({ QStringLiteral("ACL"), QStringLiteral("SETUSER"), QStringLiteral("reader"),
                 QStringLiteral("on"), QStringLiteral(">reader-pw"), QStringLiteral("~*"), QStringLiteral("-@all"),
                 QStringLiteral("+@read"), QStringLiteral("+ping") }),
        QByteArray("OK"));

    ConnectionOptions o = server.options();
    o.user = QStringLiteral("reader");
    o.password = QStringLiteral("reader-pw");
    RedisClient client(o);
    BP_OPEN_READY(client);

    BP_AWAIT(get, client.command({ "GET", "acl:key" }));
    QCOMPARE(get.bytes(), QByteArray("visible"));
    BP_AWAIT(set, client.command({ "SET", "acl:key", "changed" }));
    QCOMPARE(set.errorKind(), Reply::ErrorKind::Server);
    QVERIFY2(set.bytes().startsWith("NOPERM"), set.bytes().constData());
    // The server's refusal is an answer, not a broken connection.
    BP_AWAIT(ping, client.command({ "PING" }));
    QCOMPARE(ping.toDisplayString(), QStringLiteral("PONG"));
    BP_COMPARE_STATE(client.state(), ConnectionState::Ready);
    QCOMPARE(server.cli({ QStringLiteral("GET"), QStringLiteral("acl:key") }), QByteArray("visible"));
    QVERIFY(server.cli({ QStringLiteral("CLIENT"), QStringLiteral("LIST") }).contains("user=reader"));
}

void TestAuth::wrongAclPassword()
{
    RedisServer server;
    BP_START(server);
    QCOMPARE(server.cli({ QStringLiteral("ACL"), QStringLiteral("SETUSER"), QStringLiteral("someone"),
                 QStringLiteral("on"), QStringLiteral(">right"), QStringLiteral("~*"), QStringLiteral("+@all") }),
        QByteArray("OK"));
    ConnectionOptions o = server.options();
    o.user = QStringLiteral("someone");
    o.password = QStringLiteral("wrong");
    RedisClient client(o);
    client.open();
    QVERIFY2(waitForState(client, ConnectionState::Failed), qPrintable(client.stateReason()));
    QVERIFY2(client.stateReason().contains(QLatin1String("authentication failed")), qPrintable(client.stateReason()));
}

void TestAuth::selectDatabase()
{
    RedisServer server;
    BP_START(server);
    ConnectionOptions o = server.options();
    o.db = 3;
    RedisClient client(o);
    BP_OPEN_READY(client);
    BP_AWAIT(info, client.command({ "CLIENT", "INFO" }));
    QVERIFY2(info.bytes().contains(" db=3 "), info.bytes().constData());
    BP_AWAIT(set, client.command({ "SET", "db:key", "in three" }));
    QCOMPARE(set.toDisplayString(), QStringLiteral("OK"));
    QCOMPARE(server.cli({ QStringLiteral("-n"), QStringLiteral("3"), QStringLiteral("GET"), QStringLiteral("db:key") }),
        QByteArray("in three"));
    QCOMPARE(
        server.cli({ QStringLiteral("-n"), QStringLiteral("0"), QStringLiteral("EXISTS"), QStringLiteral("db:key") }),
        QByteArray("0"));

    // A database the server does not have fails the connection with the reason.
    o.db = 99;
    RedisClient bad(o);
    bad.open();
    QVERIFY2(waitForState(bad, ConnectionState::Failed), qPrintable(bad.stateReason()));
    QVERIFY2(bad.stateReason().contains(QLatin1String("database 99")), qPrintable(bad.stateReason()));
}

QTEST_GUILESS_MAIN(TestAuth)
#include "tst_auth.moc"
