// SPDX-License-Identifier: MIT
#include "profiles/connectionprofile.h"
#include "profiles/memorysecretstore.h"
#include "profiles/profilestore.h"
#include "profiles/urlimport.h"

#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace bullpen;
using namespace bullpen::connections;

namespace {

constexpr int kTimeout = 5000;

QByteArray fileBytes(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

ConnectionProfile sampleTls()
{
    ConnectionProfile p;
    p.id = ConnectionProfile::newId();
    p.name = QStringLiteral("Production EU");
    p.transport = ConnectionOptions::Transport::Tls;
    p.host = QStringLiteral("redis.example.com");
    p.port = 6380;
    p.db = 3;
    p.user = QStringLiteral("ops");
    p.caFile = QStringLiteral("/etc/ssl/ca.pem");
    p.certFile = QStringLiteral("/home/me/client.pem");
    p.keyFile = QStringLiteral("/home/me/client.key");
    p.insecure = true;
    p.readOnly = true;
    p.production = true;
    p.colour = ColourTag::Red;
    p.passwordStorage = PasswordStorage::Keychain;
    return p;
}

ConnectionProfile sampleSentinel()
{
    ConnectionProfile p;
    p.id = ConnectionProfile::newId();
    p.name = QStringLiteral("Queues HA");
    p.db = 2;
    p.user = QStringLiteral("app");
    p.passwordStorage = PasswordStorage::Keychain;
    p.topology = Topology::Sentinel;
    p.sentinels = { { QStringLiteral("10.0.0.1"), 26379 }, { QStringLiteral("10.0.0.2"), 26380 },
        { QStringLiteral("::1"), 26381 } };
    p.sentinelMaster = QStringLiteral("mymaster");
    p.sentinelUser = QStringLiteral("sentinel-admin");
    p.sentinelPasswordStorage = PasswordStorage::Keychain;
    return p;
}

ConnectionProfile sampleCluster()
{
    ConnectionProfile p;
    p.id = ConnectionProfile::newId();
    p.name = QStringLiteral("Cache cluster");
    p.host = QStringLiteral("10.0.1.1");
    p.port = 7000;
    p.topology = Topology::Cluster;
    p.clusterSeeds = { { QStringLiteral("10.0.1.1"), 7000 }, { QStringLiteral("10.0.1.2"), 7001 } };
    p.readFromReplicas = true;
    return p;
}

} // namespace

class TestProfileStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void savesAndLoadsEveryField();
    void savesAndLoadsTopologies();
    void profilesWithoutTopologyLoadAsStandalone();
    void replacesAndRemovesById();
    void urlRoundTrip_data();
    void urlRoundTrip();
    void sentinelAndClusterUrls();
    void topologyOptions();
    void nodeLists_data();
    void nodeLists();
    void importSplitsThePasswordOff();
    void importSentinelUrlKeepsBothPasswordsInTheKeychain();
    void importClusterUrl();
    void importWithoutKeychainAsksOnConnect();
    void memoryStoreAnswersLater();
};

void TestProfileStore::savesAndLoadsEveryField()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString ini = dir.filePath(QStringLiteral("bullpen.ini"));
    const ConnectionProfile tls = sampleTls();
    ConnectionProfile unix;
    unix.name = QStringLiteral("Local socket");
    unix.transport = ConnectionOptions::Transport::Unix;
    unix.socketPath = QStringLiteral("/run/redis/redis.sock");
    unix.passwordStorage = PasswordStorage::AskOnConnect;
    unix.colour = ColourTag::Green;
    QString unixId;
    {
        QSettings settings(ini, QSettings::IniFormat);
        ProfileStore store(&settings);
        QVERIFY(store.isEmpty());
        QSignalSpy changed(&store, &ProfileStore::changed);
        QCOMPARE(store.save(tls), tls.id);
        unixId = store.save(unix);
        QVERIFY(!unixId.isEmpty()); // a new profile gets an id
        QCOMPARE(changed.count(), 2);
    }
    QSettings settings(ini, QSettings::IniFormat);
    ProfileStore store(&settings);
    const QList<ConnectionProfile> loaded = store.profiles();
    QCOMPARE(loaded.size(), 2);
    QCOMPARE(loaded.at(0), tls); // every field, in the order saved
    unix.id = unixId;
    QCOMPARE(loaded.at(1), unix);
    QCOMPARE(store.profile(unixId)->name, QStringLiteral("Local socket"));
    QVERIFY(!store.profile(QStringLiteral("nope")));
}

void TestProfileStore::savesAndLoadsTopologies()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString ini = dir.filePath(QStringLiteral("bullpen.ini"));
    const ConnectionProfile sentinel = sampleSentinel();
    const ConnectionProfile cluster = sampleCluster();
    {
        QSettings settings(ini, QSettings::IniFormat);
        ProfileStore store(&settings);
        QCOMPARE(store.save(sentinel), sentinel.id);
        QCOMPARE(store.save(cluster), cluster.id);
    }
    QSettings settings(ini, QSettings::IniFormat);
    ProfileStore store(&settings);
    QCOMPARE(store.profiles().size(), 2);
    QCOMPARE(store.profiles().at(0), sentinel); // every field, the IPv6 sentinel too
    QCOMPARE(store.profiles().at(1), cluster);
    // Where the sentinel password is, never what: the file has no password key but the storage.
    const QByteArray bytes = fileBytes(ini);
    QVERIFY2(bytes.contains("sentinelPasswordStorage=keychain"), bytes.constData());
    QVERIFY2(bytes.contains("topology=sentinel"), bytes.constData());
    QVERIFY2(bytes.contains("topology=cluster"), bytes.constData());
    QVERIFY2(bytes.contains("readFromReplicas=true"), bytes.constData());
}

// A file written before topologies existed (the layout of scripts/screenshots): standalone.
void TestProfileStore::profilesWithoutTopologyLoadAsStandalone()
{
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("bullpen.ini"));
    QFile file(ini);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[connections]\nversion=1\norder=old\nold\\name=Old\nold\\transport=tcp\nold\\host=10.9.9.9\n"
               "old\\port=6390\nold\\passwordStorage=none\n");
    file.close();
    QSettings settings(ini, QSettings::IniFormat);
    ProfileStore store(&settings);
    QCOMPARE(store.profiles().size(), 1);
    const ConnectionProfile p = store.profiles().at(0);
    QCOMPARE(p.topology, Topology::Standalone);
    QVERIFY(p.sentinels.isEmpty());
    QVERIFY(p.clusterSeeds.isEmpty());
    QCOMPARE(p.sentinelPasswordStorage, PasswordStorage::None);
    QCOMPARE(p.toOptions().displayAddress(), QStringLiteral("10.9.9.9:6390"));
    QVERIFY(!p.toOptions().cluster);
    QVERIFY(!p.toOptions().isSentinel());
}

void TestProfileStore::replacesAndRemovesById()
{
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("bullpen.ini"));
    QSettings settings(ini, QSettings::IniFormat);
    ProfileStore store(&settings);
    ConnectionProfile p = sampleTls();
    store.save(p);
    p.name = QStringLiteral("Renamed");
    store.save(p);
    QCOMPARE(store.profiles().size(), 1);
    QCOMPARE(store.profiles().at(0).name, QStringLiteral("Renamed"));
    QVERIFY(store.remove(p.id));
    QVERIFY(store.isEmpty());
    ProfileStore reloaded(&settings);
    QVERIFY(reloaded.isEmpty());
}

void TestProfileStore::urlRoundTrip_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expected"); // what toUrl() gives back (no password, ever)
    QTest::addColumn<QString>("password");
    QTest::addRow("tcp") << QStringLiteral("redis://127.0.0.1:6379") << QStringLiteral("redis://127.0.0.1:6379")
                         << QString();
    QTest::addRow("user, password, db") << QStringLiteral("redis://alice:s%40cret@cache.local:6390/4")
                                        << QStringLiteral("redis://alice:@cache.local:6390/4")
                                        << QStringLiteral("s@cret");
    QTest::addRow("password only") << QStringLiteral("redis://:pw@h:1") << QStringLiteral("redis://h:1")
                                   << QStringLiteral("pw");
    QTest::addRow("tls files") << QStringLiteral("rediss://h:6380?ca=/a/ca.pem&cert=/a/c.pem&key=/a/k.pem&insecure=1")
                               << QStringLiteral(
                                      "rediss://h:6380?ca=/a/ca.pem&cert=/a/c.pem&key=/a/k.pem&insecure=true")
                               << QString();
    QTest::addRow("unix") << QStringLiteral("unix://bob:x@/tmp/r.sock?db=2")
                          << QStringLiteral("unix://bob:@/tmp/r.sock?db=2") << QStringLiteral("x");
    QTest::addRow("ipv6") << QStringLiteral("redis://[::1]:7000") << QStringLiteral("redis://[::1]:7000") << QString();
    QTest::addRow("sentinel") << QStringLiteral(
        "redis-sentinel://app:pw@s1,s2:26380,[::1]:26381/my%20master/2?sentinel_user=su&sentinel_password=spw")
                              << QStringLiteral(
                                     "redis-sentinel://app:@s1:26379,s2:26380,[::1]:26381/my%20master/2?sentinel_user=su")
                              << QStringLiteral("pw");
    QTest::addRow("cluster") << QStringLiteral("redis-cluster://:pw@c1:7000,c2")
                             << QStringLiteral("redis-cluster://c1:7000,c2:6379") << QStringLiteral("pw");
    QTest::addRow("cluster tls") << QStringLiteral("rediss-cluster://c1:7000?ca=/a/ca.pem")
                                 << QStringLiteral("rediss-cluster://c1:7000?ca=/a/ca.pem") << QString();
    QTest::addRow("cluster, reads from replicas") << QStringLiteral("redis-cluster://c1:7000?read_from_replicas=1")
                                                  << QStringLiteral("redis-cluster://c1:7000?read_from_replicas=1") << QString();
    QTest::addRow("sentinel over tls, reads from replicas")
        << QStringLiteral("rediss-sentinel://s1/m?read_from_replicas=1&ca=/a/ca.pem")
        << QStringLiteral("rediss-sentinel://s1:26379/m?read_from_replicas=1&ca=/a/ca.pem") << QString();
}

void TestProfileStore::urlRoundTrip()
{
    QFETCH(QString, url);
    QFETCH(QString, expected);
    QFETCH(QString, password);
    QString secret = QStringLiteral("unset");
    QString error;
    const auto p = ConnectionProfile::fromUrl(url, &secret, &error);
    QVERIFY2(p, qPrintable(error));
    QCOMPARE(secret, password);
    QCOMPARE(p->passwordStorage, password.isEmpty() ? PasswordStorage::None : PasswordStorage::Keychain);
    QCOMPARE(p->toUrl(), expected);
    // And back: the URL without password describes the same connection.
    const auto again = ConnectionProfile::fromUrl(p->toUrl(), nullptr, &error);
    QVERIFY2(again, qPrintable(error));
    QCOMPARE(again->toOptions().displayAddress(), p->toOptions().displayAddress());
    QCOMPARE(again->user, p->user);
    QCOMPARE(again->db, p->db);
    QCOMPARE(again->caFile, p->caFile);
    QCOMPARE(again->topology, p->topology);
    QCOMPARE(again->sentinels, p->sentinels);
    QCOMPARE(again->sentinelMaster, p->sentinelMaster);
    QCOMPARE(again->sentinelUser, p->sentinelUser);
    QCOMPARE(again->clusterSeeds, p->clusterSeeds);
    QCOMPARE(again->readFromReplicas, p->readFromReplicas);
    QCOMPARE(again->transport, p->transport);
    QCOMPARE(again->toOptions().readFromReplicas, url.contains(QLatin1String("read_from_replicas=1")));
    QCOMPARE(p->toOptions(password).password, password);
}

void TestProfileStore::sentinelAndClusterUrls()
{
    QString password;
    QString sentinelPassword;
    QString error;
    const auto s = ConnectionProfile::fromUrl(
        QStringLiteral("redis-sentinel://:main-pw@h1,h2:26380/mymaster?sentinel_password=sentinel-pw"), &password,
        &error, &sentinelPassword);
    QVERIFY2(s, qPrintable(error));
    QCOMPARE(s->topology, Topology::Sentinel);
    QCOMPARE(s->sentinels,
        (QList<NodeAddress> { { QStringLiteral("h1"), 26379 }, { QStringLiteral("h2"), 26380 } }));
    QCOMPARE(s->sentinelMaster, QStringLiteral("mymaster"));
    QCOMPARE(password, QStringLiteral("main-pw"));
    QCOMPARE(sentinelPassword, QStringLiteral("sentinel-pw"));
    QCOMPARE(s->passwordStorage, PasswordStorage::Keychain);
    QCOMPARE(s->sentinelPasswordStorage, PasswordStorage::Keychain);
    QVERIFY(!s->toUrl().contains(QLatin1String("pw"))); // neither password, ever

    const auto c = ConnectionProfile::fromUrl(QStringLiteral("redis-cluster://n1:7000,n2:7001,n3"), nullptr, &error);
    QVERIFY2(c, qPrintable(error));
    QCOMPARE(c->topology, Topology::Cluster);
    QCOMPARE(c->clusterSeeds,
        (QList<NodeAddress> {
            { QStringLiteral("n1"), 7000 }, { QStringLiteral("n2"), 7001 }, { QStringLiteral("n3"), 6379 } }));
    QCOMPARE(c->sentinelPasswordStorage, PasswordStorage::None);

    QVERIFY(!ConnectionProfile::fromUrl(QStringLiteral("redis-cluster://n1/3"), nullptr, &error));
    QVERIFY2(error.contains(QLatin1String("database 0 only")), qPrintable(error));
    QVERIFY(!ConnectionProfile::fromUrl(QStringLiteral("localhost:6379"), nullptr, &error));
    QVERIFY(!error.isEmpty());
}

// What a RedisClient / ClusterClient gets from a profile.
void TestProfileStore::topologyOptions()
{
    const ConnectionOptions s = sampleSentinel().toOptions(QStringLiteral("main"), QStringLiteral("sent"));
    QVERIFY(s.isSentinel());
    QCOMPARE(s.sentinels.size(), 3);
    QCOMPARE(s.sentinels.at(1).host, QStringLiteral("10.0.0.2"));
    QCOMPARE(s.sentinels.at(1).port, quint16(26380));
    QCOMPARE(s.sentinelMaster, QStringLiteral("mymaster"));
    QCOMPARE(s.sentinelUser, QStringLiteral("sentinel-admin"));
    QCOMPARE(s.sentinelPassword, QStringLiteral("sent"));
    QCOMPARE(s.password, QStringLiteral("main"));
    QCOMPARE(s.db, 2);
    QVERIFY(!s.cluster);

    ConnectionProfile clusterProfile = sampleCluster();
    clusterProfile.host = QStringLiteral("ignored");
    const ConnectionOptions c = clusterProfile.toOptions();
    QVERIFY(c.cluster);
    QVERIFY(!c.isSentinel());
    QCOMPARE(c.host, QStringLiteral("10.0.1.1")); // the first seed
    QCOMPARE(c.port, quint16(7000));
    QCOMPARE(c.clusterSeeds.size(), 2);
    QCOMPARE(c.clusterSeeds.at(1).port, quint16(7001));
    QCOMPARE(c.displayAddress(), QStringLiteral("cluster 10.0.1.1:7000,10.0.1.2:7001"));
    QVERIFY(c.readFromReplicas);
    QVERIFY(!s.readFromReplicas);
}

void TestProfileStore::nodeLists_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("parsed"); // nodeListText() of the result, or the error
    QTest::addRow("empty") << QString() << QString();
    QTest::addRow("default port") << QStringLiteral("a") << QStringLiteral("a:26379");
    QTest::addRow("commas and spaces") << QStringLiteral(" a:1,b:2  c , ") << QStringLiteral("a:1, b:2, c:26379");
    QTest::addRow("ipv6") << QStringLiteral("[::1]:7,[fe80::1]") << QStringLiteral("[::1]:7, [fe80::1]:26379");
    QTest::addRow("port too big") << QStringLiteral("a:1,b:99999")
                                  << QStringLiteral("error: 'b:99999': the port must be a number from 1 to 65535");
    QTest::addRow("port zero") << QStringLiteral("a:0") << QStringLiteral("error: 'a:0': the port must be a number from 1 to 65535");
    QTest::addRow("port text") << QStringLiteral("a:http") << QStringLiteral("error: 'a:http': the port must be a number from 1 to 65535");
    QTest::addRow("no host") << QStringLiteral(":26379") << QStringLiteral("error: ':26379': the host is missing");
    QTest::addRow("bare ipv6") << QStringLiteral("::1") << QStringLiteral("error: '::1': put an IPv6 address in brackets, as in [::1]:26379");
}

void TestProfileStore::nodeLists()
{
    QFETCH(QString, text);
    QFETCH(QString, parsed);
    QString error;
    const auto nodes = parseNodeList(text, 26379, &error);
    QCOMPARE(nodes ? nodeListText(*nodes) : QStringLiteral("error: ") + error, parsed);
    if (nodes) // and back
        QCOMPARE(nodeListText(*parseNodeList(nodeListText(*nodes), 1, nullptr)), parsed);
}

void TestProfileStore::importSplitsThePasswordOff()
{
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("bullpen.ini"));
    const QString password = QStringLiteral("Tr0ub4dor-plaintext-canary");
    QSettings settings(ini, QSettings::IniFormat);
    ProfileStore store(&settings);
    MemorySecretStore secrets;
    QString error;
    bool failed = false;
    const auto p = importUrl(
        &store, &secrets, QStringLiteral("REDIS_URL"),
        QStringLiteral("redis://worker:%1@10.0.0.5:6379/1").arg(password), this,
        [&failed](const QString&) { failed = true; }, &error);
    QVERIFY2(p, qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(secrets.secrets().value(p->id), password, kTimeout);
    QVERIFY(!failed);
    const auto saved = store.profile(p->id);
    QVERIFY(saved);
    QCOMPARE(saved->name, QStringLiteral("REDIS_URL"));
    QCOMPARE(saved->user, QStringLiteral("worker"));
    QCOMPARE(saved->db, 1);
    QCOMPARE(saved->passwordStorage, PasswordStorage::Keychain);
    settings.sync();
    const QByteArray bytes = fileBytes(ini);
    QVERIFY(bytes.contains("10.0.0.5")); // the file is the one written
    QVERIFY2(!bytes.contains(password.toUtf8()), bytes.constData());
    QVERIFY(!bytes.contains("Tr0ub4dor"));
}

// $REDIS_URL through Sentinel: two passwords, each to its own keychain entry, neither in the file.
void TestProfileStore::importSentinelUrlKeepsBothPasswordsInTheKeychain()
{
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("bullpen.ini"));
    QSettings settings(ini, QSettings::IniFormat);
    ProfileStore store(&settings);
    MemorySecretStore secrets;
    QString error;
    const auto p = importUrl(&store, &secrets, QStringLiteral("REDIS_URL"),
        QStringLiteral("redis-sentinel://:main-canary@10.0.0.1,10.0.0.2:26380/mymaster/1?sentinel_user=sadmin&"
                       "sentinel_password=sentinel-canary"),
        this, {}, &error);
    QVERIFY2(p, qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(secrets.secrets().value(p->id), QStringLiteral("main-canary"), kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(
        secrets.secrets().value(sentinelSecretId(p->id)), QStringLiteral("sentinel-canary"), kTimeout);
    QCOMPARE(secrets.secrets().size(), 2);
    settings.sync();
    const QByteArray bytes = fileBytes(ini);
    QVERIFY2(!bytes.contains("canary"), bytes.constData());

    ProfileStore reloaded(&settings);
    const auto saved = reloaded.profile(p->id);
    QVERIFY(saved);
    QCOMPARE(saved->topology, Topology::Sentinel);
    QCOMPARE(saved->sentinels,
        (QList<NodeAddress> { { QStringLiteral("10.0.0.1"), 26379 }, { QStringLiteral("10.0.0.2"), 26380 } }));
    QCOMPARE(saved->sentinelMaster, QStringLiteral("mymaster"));
    QCOMPARE(saved->sentinelUser, QStringLiteral("sadmin"));
    QCOMPARE(saved->db, 1);
    QCOMPARE(saved->passwordStorage, PasswordStorage::Keychain);
    QCOMPARE(saved->sentinelPasswordStorage, PasswordStorage::Keychain);

    // Without a keychain both passwords are asked for on connect.
    MemorySecretStore none;
    none.setAvailable(false);
    int failures = 0;
    const auto q = importUrl(&store, &none, QStringLiteral("second"),
        QStringLiteral("redis-sentinel://:a@h/m?sentinel_password=b"), this, [&failures](const QString&) { ++failures; },
        &error);
    QVERIFY2(q, qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(failures, 2, kTimeout);
    QCOMPARE(store.profile(q->id)->passwordStorage, PasswordStorage::AskOnConnect);
    QCOMPARE(store.profile(q->id)->sentinelPasswordStorage, PasswordStorage::AskOnConnect);
}

void TestProfileStore::importClusterUrl()
{
    ProfileStore store(nullptr);
    QString error;
    const auto p = importUrl(&store, nullptr, QStringLiteral("REDIS_URL"), QStringLiteral("redis-cluster://n1:7000,n2:7001"),
        this, {}, &error);
    QVERIFY2(p, qPrintable(error));
    const auto saved = store.profile(p->id);
    QCOMPARE(saved->topology, Topology::Cluster);
    QCOMPARE(saved->clusterSeeds.size(), 2);
    QCOMPARE(saved->toOptions().displayAddress(), QStringLiteral("cluster n1:7000,n2:7001"));
    QVERIFY(saved->toOptions().cluster);
}

void TestProfileStore::importWithoutKeychainAsksOnConnect()
{
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("bullpen.ini"));
    QSettings settings(ini, QSettings::IniFormat);
    ProfileStore store(&settings);
    MemorySecretStore secrets;
    secrets.setAvailable(false);
    QString reason;
    QString error;
    const auto p = importUrl(
        &store, &secrets, QStringLiteral("REDIS_URL"), QStringLiteral("redis://:hunter2-canary@127.0.0.1:6379"), this,
        [&reason](const QString& why) { reason = why; }, &error);
    QVERIFY2(p, qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(!reason.isEmpty(), kTimeout);
    QCOMPARE(store.profile(p->id)->passwordStorage, PasswordStorage::AskOnConnect);
    QVERIFY(secrets.secrets().isEmpty());
    settings.sync();
    QVERIFY(!fileBytes(ini).contains("hunter2"));
    QVERIFY(fileBytes(ini).contains("ask"));

    // Malformed: nothing saved, the reason says where.
    QVERIFY(!importUrl(&store, &secrets, QStringLiteral("x"), QStringLiteral("redis://h:99999"), this, {}, &error));
    QVERIFY(error.contains(QLatin1String("character")));
    QCOMPARE(store.profiles().size(), 1);
}

void TestProfileStore::memoryStoreAnswersLater()
{
    MemorySecretStore secrets;
    bool called = false;
    secrets.writePassword(QStringLiteral("id"), QStringLiteral("pw"), this, [&called](const SecretResult& r) {
        QVERIFY(r.ok());
        called = true;
    });
    QVERIFY(!called); // never from inside the call, as the real keychain
    QTRY_VERIFY_WITH_TIMEOUT(called, kTimeout);
    SecretResult read;
    secrets.readPassword(QStringLiteral("id"), this, [&read](const SecretResult& r) { read = r; });
    QTRY_COMPARE_WITH_TIMEOUT(read.password, QStringLiteral("pw"), kTimeout);
    SecretResult missing;
    missing.error = SecretResult::Error::None;
    secrets.readPassword(QStringLiteral("other"), this, [&missing](const SecretResult& r) { missing = r; });
    QTRY_COMPARE_WITH_TIMEOUT(missing.error, SecretResult::Error::NotFound, kTimeout);
}

QTEST_GUILESS_MAIN(TestProfileStore)
#include "tst_profilestore.moc"
