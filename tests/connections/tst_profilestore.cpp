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

} // namespace

class TestProfileStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void savesAndLoadsEveryField();
    void replacesAndRemovesById();
    void urlRoundTrip_data();
    void urlRoundTrip();
    void sentinelUrlIsRefused();
    void importSplitsThePasswordOff();
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
    QCOMPARE(p->toOptions(password).password, password);
}

void TestProfileStore::sentinelUrlIsRefused()
{
    QString error;
    QVERIFY(!ConnectionProfile::fromUrl(QStringLiteral("redis-sentinel://h1:26379/mymaster"), nullptr, &error));
    QVERIFY2(error.contains(QLatin1String("Sentinel")), qPrintable(error));
    QVERIFY(!ConnectionProfile::fromUrl(QStringLiteral("localhost:6379"), nullptr, &error));
    QVERIFY(!error.isEmpty());
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
