// SPDX-License-Identifier: MIT
// The real keychain: QtKeychain against gnome-keyring on a private D-Bus session (ctest runs this
// under tests/support/with-keyring). Without a keychain every test here fails: nothing is skipped.
#include "profiles/connectionprofile.h"
#include "profiles/keychainsecretstore.h"
#include "profiles/profilestore.h"
#include "profiles/urlimport.h"
#include "redisclient.h"

#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace bullpen;
using namespace bullpen::connections;

namespace {

constexpr int kTimeout = 15000;

// Runs one keychain call and waits for its answer (the callback, not a nested loop in the code).
template <typename Call> std::optional<SecretResult> await(QObject* context, Call call)
{
    std::optional<SecretResult> result;
    call(context, [&result](const SecretResult& r) { result = r; });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, kTimeout))
        return std::nullopt;
    return result;
}

QString describe(const std::optional<SecretResult>& r)
{
    if (!r)
        return QStringLiteral("no answer from the keychain");
    return QStringLiteral("error %1: %2").arg(int(r->error)).arg(r->message);
}

} // namespace

class TestKeychain : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void profilePasswordRoundTrip();
    void importedUrlPasswordIsInTheKeychainOnly();
    void missingEntryIsNotFound();

private:
    QString m_service;
};

void TestKeychain::initTestCase()
{
    // The wrapper gives us a private session bus; refuse to touch the user's real keychain.
    QVERIFY2(qEnvironmentVariable("XDG_DATA_HOME").contains(QLatin1String("bullpen-keyring")),
        "run through tests/support/with-keyring (ctest does)");
    m_service = QStringLiteral("bullpen-test-%1").arg(QCoreApplication::applicationPid());
}

void TestKeychain::profilePasswordRoundTrip()
{
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("bullpen.ini"));
    const QString password = QStringLiteral("k3ychain-canary-ünïcode");
    QString id;
    {
        QSettings settings(ini, QSettings::IniFormat);
        ProfileStore store(&settings);
        KeychainSecretStore secrets(m_service);
        ConnectionProfile p;
        p.name = QStringLiteral("Staging");
        p.host = QStringLiteral("staging.internal");
        p.user = QStringLiteral("app");
        p.passwordStorage = PasswordStorage::Keychain;
        id = store.save(p);
        QVERIFY(!id.isEmpty());
        const auto written = await(this, [&](QObject* ctx, SecretStore::Callback done) {
            secrets.writePassword(id, password, ctx, std::move(done));
        });
        QVERIFY2(written && written->ok(), qPrintable(describe(written)));
    }
    // A new store and a new keychain client: everything comes back from where it was saved.
    QSettings settings(ini, QSettings::IniFormat);
    ProfileStore store(&settings);
    const auto p = store.profile(id);
    QVERIFY(p);
    QCOMPARE(p->passwordStorage, PasswordStorage::Keychain);
    KeychainSecretStore secrets(m_service);
    const auto read = await(
        this, [&](QObject* ctx, SecretStore::Callback done) { secrets.readPassword(id, ctx, std::move(done)); });
    QVERIFY2(read && read->ok(), qPrintable(describe(read)));
    QCOMPARE(read->password, password);
    QFile file(ini);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QVERIFY(bytes.contains("staging.internal"));
    QVERIFY(!bytes.contains("canary"));

    const auto removed = await(
        this, [&](QObject* ctx, SecretStore::Callback done) { secrets.removePassword(id, ctx, std::move(done)); });
    QVERIFY2(removed && removed->ok(), qPrintable(describe(removed)));
    const auto gone = await(
        this, [&](QObject* ctx, SecretStore::Callback done) { secrets.readPassword(id, ctx, std::move(done)); });
    QVERIFY(gone);
    QCOMPARE(gone->error, SecretResult::Error::NotFound);
}

void TestKeychain::importedUrlPasswordIsInTheKeychainOnly()
{
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("bullpen.ini"));
    QSettings settings(ini, QSettings::IniFormat);
    ProfileStore store(&settings);
    KeychainSecretStore secrets(m_service);
    QString failure;
    QString error;
    const auto p = importUrl(
        &store, &secrets, QStringLiteral("REDIS_URL"), QStringLiteral("redis://default:url-canary-pw@127.0.0.1:6379/2"),
        this, [&failure](const QString& why) { failure = why; }, &error);
    QVERIFY2(p, qPrintable(error));
    // QtKeychain runs its jobs one after the other: this read comes after the import's write.
    const auto read = await(
        this, [&](QObject* ctx, SecretStore::Callback done) { secrets.readPassword(p->id, ctx, std::move(done)); });
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    QVERIFY2(read && read->ok(), qPrintable(describe(read)));
    QCOMPARE(read->password, QStringLiteral("url-canary-pw"));
    QCOMPARE(store.profile(p->id)->passwordStorage, PasswordStorage::Keychain);
    settings.sync();
    QFile file(ini);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains("url-canary-pw"));
}

void TestKeychain::missingEntryIsNotFound()
{
    KeychainSecretStore secrets(m_service);
    const auto read = await(this, [&](QObject* ctx, SecretStore::Callback done) {
        secrets.readPassword(QStringLiteral("no-such-profile"), ctx, std::move(done));
    });
    QVERIFY(read);
    QCOMPARE(read->error, SecretResult::Error::NotFound);
}

// As app/gui/main.cpp does it: the application first, then prepareProcess() (QT_NO_GLIB for the
// threads started later). The keychain must still answer: libsecret needs the main thread's glib loop.
int main(int argc, char** argv)
{
    qunsetenv("QT_NO_GLIB"); // whatever the caller's environment says
    QCoreApplication app(argc, argv);
    bullpen::prepareProcess();
    TestKeychain test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_keychain.moc"
