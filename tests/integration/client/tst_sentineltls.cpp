// SPDX-License-Identifier: MIT
// Redis Sentinel over TLS against real processes: a master and a replica that listen on TLS
// only, and a sentinel that does too (tls-port, tls-replication), all with certificates made
// by openssl for this test. rediss-sentinel:// (and bullpen-cli --sentinel --tls) reach the
// sentinel, the master and the replica with the same TLS settings, and verify certificates.

#include "clienttest.h"
#include "cliprocess.h"
#include "redisclient.h"
#include "redissentinel.h"
#include "redisserver.h"

#include <QTest>

#include <memory>

using namespace bullpen;
using namespace bullpen::test;

namespace {

QByteArray fieldOf(const QList<QPair<QByteArray, QByteArray>>& fields, const QByteArray& field)
{
    for (const auto& [k, v] : fields) {
        if (k == field)
            return v;
    }
    return {};
}

CliResult runCli(const QStringList& args)
{
    return test::runCli(QStringLiteral(BULLPEN_CLI_PATH), args);
}

} // namespace

class TestSentinelTls : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void masterOverTls();
    void replicaOverTls();
    void certificateIsVerified();
    void cliWithTls();

private:
    ConnectionOptions options(const QString& query = {}) const;

    std::unique_ptr<RedisServer> m_master;
    std::unique_ptr<RedisServer> m_replica;
    std::unique_ptr<RedisSentinel> m_sentinel;
};

ConnectionOptions TestSentinelTls::options(const QString& query) const
{
    const QString url = QStringLiteral("rediss-sentinel://%1/tlsmaster?ca=%2%3")
                            .arg(m_sentinel->address(), m_master->caFile(), query);
    QString error;
    const auto o = ConnectionOptions::fromUrl(url, &error);
    if (!o)
        qFatal("%s: %s", qPrintable(url), qPrintable(error));
    ConnectionOptions c = *o;
    c.reconnect = false;
    return c;
}

void TestSentinelTls::initTestCase()
{
    const QStringList noSyncDelay { QStringLiteral("--repl-diskless-sync-delay"), QStringLiteral("0") };
    m_master = std::make_unique<RedisServer>(RedisServer::Config { .tls = true, .extraArgs = noSyncDelay });
    BP_START(*m_master);
    // The replica copies its master over TLS, with the master's CA (and its certificate as client).
    m_replica = std::make_unique<RedisServer>(RedisServer::Config { .tls = true,
        .extraArgs = QStringList { QStringLiteral("--replicaof"), QStringLiteral("127.0.0.1"),
                         QString::number(m_master->port()), QStringLiteral("--tls-replication"), QStringLiteral("yes") }
            + noSyncDelay,
        .certDir = m_master->certDir() });
    BP_START(*m_replica);
    QTRY_COMPARE_WITH_TIMEOUT(
        m_replica->info(QStringLiteral("replication"), "master_link_status"), QByteArray("up"), 20000);

    m_sentinel = std::make_unique<RedisSentinel>(m_master->port(),
        RedisSentinel::Config { .masterName = QStringLiteral("tlsmaster"), .quorum = 1, .tlsDir = m_master->certDir() });
    QVERIFY2(m_sentinel->start(), qPrintable(m_sentinel->error()));
    // The sentinel reached the master over TLS (it learnt of the replica from the master's INFO)
    // and the replica too.
    QTRY_COMPARE_WITH_TIMEOUT(
        fieldOf(m_sentinel->replicaFields(m_replica->port()), "master-link-status"), QByteArray("ok"), 20000);
    QCOMPARE(m_sentinel->cli({ QStringLiteral("SENTINEL"), QStringLiteral("get-master-addr-by-name"),
                 QStringLiteral("tlsmaster") }),
        QByteArray("127.0.0.1\n" + QByteArray::number(m_master->port())));
}

void TestSentinelTls::cleanupTestCase()
{
    m_sentinel.reset();
    m_replica.reset();
    m_master.reset();
}

void TestSentinelTls::masterOverTls()
{
    const ConnectionOptions o = options();
    QCOMPARE(o.transport, ConnectionOptions::Transport::Tls);
    RedisClient client(o);
    StateRecorder rec(&client);
    BP_OPEN_READY(client);
    QCOMPARE(rec.reasons.last(),
        QStringLiteral("sentinel: connected to master tlsmaster at 127.0.0.1:%1").arg(m_master->port()));
    BP_AWAIT(role, client.command({ "ROLE" }));
    QCOMPARE(role.at(0).bytes(), QByteArray("master"));
    BP_AWAIT(set, client.command({ "SET", "tls:key", "over-tls" }));
    QCOMPARE(set.toDisplayString(), QStringLiteral("OK"));
    QCOMPARE(m_master->cli({ QStringLiteral("GET"), QStringLiteral("tls:key") }), QByteArray("over-tls"));
    // Our connections to the sentinel and to the master are TLS ones: the server has no plain port.
    QCOMPARE(m_master->cli({ QStringLiteral("CONFIG"), QStringLiteral("GET"), QStringLiteral("port") }),
        QByteArray("port\n0"));
}

void TestSentinelTls::replicaOverTls()
{
    ConnectionOptions o = options(QStringLiteral("&read_from_replicas=1"));
    o.readOnly = true;
    RedisClient client(o);
    StateRecorder rec(&client);
    BP_OPEN_READY(client);
    BP_AWAIT(role, client.command({ "ROLE" }));
    QCOMPARE(role.at(0).bytes(), QByteArray("slave"));
    QCOMPARE(role.at(2).integer(), qint64(m_master->port()));
    QCOMPARE(rec.reasons.last(),
        QStringLiteral("sentinel: connected to replica 127.0.0.1:%1 of tlsmaster (master at 127.0.0.1:%2) for reads")
            .arg(m_replica->port())
            .arg(m_master->port()));
    QTRY_COMPARE_WITH_TIMEOUT(
        m_replica->cli({ QStringLiteral("GET"), QStringLiteral("tls:key") }), QByteArray("over-tls"), 10000);
    BP_AWAIT(get, client.command({ "GET", "tls:key" }));
    QCOMPARE(get.bytes(), QByteArray("over-tls"));
}

// Without our CA the sentinel's certificate is not trusted: the sentinel link says so, and
// nothing reaches the master.
void TestSentinelTls::certificateIsVerified()
{
    ConnectionOptions o = options();
    o.caFile.clear(); // the system CAs do not know the test CA
    RedisClient client(o);
    StateRecorder rec(&client);
    client.open();
    QVERIFY2(rec.waitFor(ConnectionState::Disconnected), qPrintable(rec.dump()));
    const QString reason = rec.reasons.at(rec.indexOf(ConnectionState::Disconnected));
    QVERIFY2(reason.startsWith(QLatin1String("sentinel: no sentinel gave the address of tlsmaster (")), qPrintable(reason));
    QVERIFY2(reason.contains(QLatin1String("TLS: certificate verification failed")), qPrintable(reason));

    // With verification off the link stays encrypted and works.
    o.insecure = true;
    RedisClient insecure(o);
    BP_OPEN_READY(insecure);
    BP_AWAIT(pong, insecure.command({ "PING" }));
    QCOMPARE(pong.toDisplayString(), QStringLiteral("PONG"));

    // A plain TCP client cannot talk to the TLS-only sentinel.
    QString error;
    auto plain = ConnectionOptions::fromUrl(QStringLiteral("redis-sentinel://%1/tlsmaster").arg(m_sentinel->address()), &error);
    QVERIFY2(plain, qPrintable(error));
    plain->reconnect = false;
    plain->connectTimeoutMs = 1000;
    RedisClient tcp(*plain);
    StateRecorder tcpRec(&tcp);
    tcp.open();
    QVERIFY2(tcpRec.waitFor(ConnectionState::Disconnected), qPrintable(tcpRec.dump()));
}

void TestSentinelTls::cliWithTls()
{
    const QStringList common { QStringLiteral("--sentinel"), m_sentinel->address(), QStringLiteral("--master"),
        QStringLiteral("tlsmaster"), QStringLiteral("--tls"), QStringLiteral("--cacert"), m_master->caFile(),
        QStringLiteral("--json") };
    CliResult r = runCli(common + QStringList { QStringLiteral("exec"), QStringLiteral("--"), QStringLiteral("ROLE") });
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    QVERIFY2(r.out.startsWith("[\"master\","), r.describe().constData());
    r = runCli(common
        + QStringList { QStringLiteral("--read-only"), QStringLiteral("--read-from-replicas"), QStringLiteral("exec"),
            QStringLiteral("--"), QStringLiteral("ROLE") });
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    QVERIFY2(r.out.startsWith("[\"slave\","), r.describe().constData());
    // The URL form.
    r = runCli({ QStringLiteral("--url"),
        QStringLiteral("rediss-sentinel://%1/tlsmaster?ca=%2").arg(m_sentinel->address(), m_master->caFile()),
        QStringLiteral("ping") });
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    QCOMPARE(r.out, QByteArray("PONG\n"));
}

QTEST_GUILESS_MAIN(TestSentinelTls)
#include "tst_sentineltls.moc"
