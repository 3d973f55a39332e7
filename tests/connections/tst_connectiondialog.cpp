// SPDX-License-Identifier: MIT
#include "connectiondialog.h"
#include "profiles/memorysecretstore.h"
#include "profiles/profilestore.h"
#include "redisserver.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace bullpen;
using namespace bullpen::connections;
using bullpen::test::RedisServer;

namespace {

constexpr int kTimeout = 15000;
const QString kPassword = QStringLiteral("s3rver-canary-pw");

template <typename T> T* child(const QObject* parent, const char* name)
{
    auto* w = parent->findChild<T*>(QString::fromLatin1(name));
    if (!w)
        qWarning("no child %s", name);
    return w;
}

QPushButton* saveButton(const ConnectionDialog& dialog)
{
    return dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Save);
}

// Types into a line edit as a user does (textEdited fires).
void typeInto(QLineEdit* edit, const QString& text)
{
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

ConnectionProfile freshProfile()
{
    ConnectionProfile p;
    p.name = QStringLiteral("Test");
    return p;
}

} // namespace

class TestConnectionDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void urlFillsTheFields();
    void fieldsRewriteTheUrl();
    void validationErrorsArePlainText();
    void productionMakesReadOnly();
    void testConnectionWithPassword();
    void savesPasswordOnlyInTheKeychain();
    void noKeychainSaysSoAndOffersToAsk();
    void sentinelFieldsAndTheirPassword();
    void clusterFieldsAndValidation();
    void topologyUrlFillsTheFields();
    void longFieldsShowTheirStartAndKeepTheCursor();
};

void TestConnectionDialog::urlFillsTheFields()
{
    ConnectionDialog dialog(nullptr, nullptr, freshProfile());
    dialog.show();
    typeInto(dialog.urlEdit(), QStringLiteral("rediss://alice:pa%40ss@cache.example.com:6390/5?ca=/etc/ca.pem"));
    QCOMPARE(child<QLineEdit>(&dialog, "host")->text(), QStringLiteral("cache.example.com"));
    QCOMPARE(child<QSpinBox>(&dialog, "port")->value(), 6390);
    QCOMPARE(child<QSpinBox>(&dialog, "db")->value(), 5);
    QCOMPARE(child<QLineEdit>(&dialog, "user")->text(), QStringLiteral("alice"));
    QCOMPARE(child<QLineEdit>(&dialog, "caFile")->text(), QStringLiteral("/etc/ca.pem"));
    QCOMPARE(child<QComboBox>(&dialog, "transport")->currentText(), QStringLiteral("TLS"));
    // The password leaves the URL for the password field.
    QCOMPARE(dialog.password(), QStringLiteral("pa@ss"));
    QCOMPARE(dialog.profile().toUrl().contains(QLatin1String("pa@ss")), false);
    Q_EMIT dialog.urlEdit()->editingFinished();
    QCOMPARE(dialog.urlEdit()->text(), QStringLiteral("rediss://alice:@cache.example.com:6390/5?ca=/etc/ca.pem"));
    QCOMPARE(dialog.password(), QStringLiteral("pa@ss"));
    QVERIFY2(dialog.validationError().isEmpty(), qPrintable(dialog.validationError()));
}

void TestConnectionDialog::fieldsRewriteTheUrl()
{
    ConnectionDialog dialog(nullptr, nullptr, freshProfile());
    dialog.show();
    QCOMPARE(dialog.urlEdit()->text(), QStringLiteral("redis://127.0.0.1:6379"));
    typeInto(child<QLineEdit>(&dialog, "host"), QStringLiteral("db.internal"));
    child<QSpinBox>(&dialog, "port")->setValue(7000);
    child<QSpinBox>(&dialog, "db")->setValue(2);
    typeInto(child<QLineEdit>(&dialog, "user"), QStringLiteral("bob"));
    QCOMPARE(dialog.urlEdit()->text(), QStringLiteral("redis://bob:@db.internal:7000/2"));
    auto* transport = child<QComboBox>(&dialog, "transport");
    transport->setCurrentIndex(transport->findText(QStringLiteral("Unix socket")));
    QVERIFY(!child<QLineEdit>(&dialog, "host")->isEnabled());
    QVERIFY(!dialog.validationError().isEmpty()); // no socket path yet
    QVERIFY(!saveButton(dialog)->isEnabled());
    typeInto(child<QLineEdit>(&dialog, "socket"), QStringLiteral("/tmp/redis.sock"));
    QCOMPARE(dialog.urlEdit()->text(), QStringLiteral("unix://bob:@/tmp/redis.sock?db=2"));
    QVERIFY(saveButton(dialog)->isEnabled());
}

void TestConnectionDialog::validationErrorsArePlainText()
{
    ConnectionDialog dialog(nullptr, nullptr, freshProfile());
    dialog.show();
    auto* error = child<QLabel>(&dialog, "error");
    QCOMPARE(error->textFormat(), Qt::PlainText);
    QCOMPARE(child<QLabel>(&dialog, "testResult")->textFormat(), Qt::PlainText);
    QVERIFY(error->text().isEmpty());
    QVERIFY(saveButton(dialog)->isEnabled());

    typeInto(child<QLineEdit>(&dialog, "name"), QString());
    QCOMPARE(error->text(), QStringLiteral("Give the connection a name."));
    QVERIFY(!saveButton(dialog)->isEnabled());
    typeInto(child<QLineEdit>(&dialog, "name"), QStringLiteral("<b>Prod</b>"));
    QVERIFY(error->text().isEmpty());

    // A malformed URL: the parser's message, positioned, as plain text (it quotes what was typed).
    typeInto(dialog.urlEdit(), QStringLiteral("redis://<i>h</i>:99999"));
    QString why;
    QVERIFY(!ConnectionOptions::fromUrl(QStringLiteral("redis://<i>h</i>:99999"), &why));
    QVERIFY2(error->text().contains(why), qPrintable(error->text()));
    QVERIFY(!saveButton(dialog)->isEnabled());
    QVERIFY(!dialog.testButton()->isEnabled());

    typeInto(dialog.urlEdit(), QStringLiteral("rediss://h:1?cert=/c.pem"));
    QVERIFY2(error->text().contains(QLatin1String("certificate needs its key")), qPrintable(error->text()));
}

void TestConnectionDialog::productionMakesReadOnly()
{
    ConnectionDialog dialog(nullptr, nullptr, freshProfile());
    auto* production = child<QCheckBox>(&dialog, "production");
    auto* readOnly = child<QCheckBox>(&dialog, "readOnly");
    QVERIFY(!readOnly->isChecked());
    production->setChecked(true);
    QVERIFY(readOnly->isChecked());
    // Still the user's choice.
    readOnly->setChecked(false);
    QVERIFY(production->isChecked());
    QVERIFY(!dialog.profile().readOnly);
    QVERIFY(dialog.profile().production);
}

void TestConnectionDialog::testConnectionWithPassword()
{
    RedisServer server({ .extraArgs = { QStringLiteral("--requirepass"), kPassword } });
    QVERIFY2(server.start(), qPrintable(server.error()));
    ConnectionDialog dialog(nullptr, nullptr, freshProfile());
    dialog.show();
    typeInto(dialog.urlEdit(), QStringLiteral("redis://:%1@127.0.0.1:%2").arg(kPassword).arg(server.port()));
    QSignalSpy finished(&dialog, &ConnectionDialog::testFinished);

    QTest::mouseClick(dialog.testButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kTimeout);
    QCOMPARE(finished.takeFirst().at(0).toBool(), true);
    QVERIFY2(dialog.testResult().contains(QLatin1String("PONG")), qPrintable(dialog.testResult()));
    QVERIFY2(dialog.testResult().contains(QLatin1String(" ms")), qPrintable(dialog.testResult()));

    typeInto(child<QLineEdit>(&dialog, "password"), QStringLiteral("wrong"));
    QTest::mouseClick(dialog.testButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kTimeout);
    QCOMPARE(finished.takeFirst().at(0).toBool(), false);
    QVERIFY2(!dialog.testResult().contains(QLatin1String("PONG")), qPrintable(dialog.testResult()));
    QVERIFY2(dialog.testResult().contains(QLatin1String("WRONGPASS"), Qt::CaseInsensitive)
            || dialog.testResult().contains(QLatin1String("password"), Qt::CaseInsensitive),
        qPrintable(dialog.testResult()));
    QVERIFY(!dialog.testResult().contains(QLatin1String("wrong"))); // the password is never echoed
}

void TestConnectionDialog::savesPasswordOnlyInTheKeychain()
{
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("bullpen.ini"));
    QSettings settings(ini, QSettings::IniFormat);
    ProfileStore store(&settings);
    MemorySecretStore secrets;
    ConnectionDialog dialog(&store, &secrets, freshProfile());
    dialog.show();
    typeInto(dialog.urlEdit(), QStringLiteral("redis://ops:%1@10.1.2.3:6379/0").arg(kPassword));
    QVERIFY(child<QCheckBox>(&dialog, "savePassword")->isChecked());
    QSignalSpy saved(&dialog, &ConnectionDialog::saved);
    saveButton(dialog)->click();
    QVERIFY(saved.wait(kTimeout));
    QVERIFY(dialog.result() == QDialog::Accepted);
    const auto profile = saved.at(0).at(0).value<ConnectionProfile>();
    QCOMPARE(saved.at(0).at(1).toString(), kPassword);
    QCOMPARE(store.profiles().size(), 1);
    QCOMPARE(store.profiles().at(0).id, profile.id);
    QCOMPARE(store.profiles().at(0).passwordStorage, PasswordStorage::Keychain);
    QCOMPARE(secrets.secrets().value(profile.id), kPassword);
    settings.sync();
    QFile file(ini);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QVERIFY(bytes.contains("10.1.2.3"));
    QVERIFY2(!bytes.contains(kPassword.toUtf8()), bytes.constData());
}

void TestConnectionDialog::noKeychainSaysSoAndOffersToAsk()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(QStringLiteral("bullpen.ini")), QSettings::IniFormat);
    ProfileStore store(&settings);
    MemorySecretStore secrets;
    secrets.setAvailable(false);
    ConnectionDialog dialog(&store, &secrets, freshProfile());
    dialog.show();
    typeInto(child<QLineEdit>(&dialog, "password"), kPassword);
    QSignalSpy saved(&dialog, &ConnectionDialog::saved);
    saveButton(dialog)->click();
    QTRY_VERIFY_WITH_TIMEOUT(dialog.errorText().contains(QLatin1String("No system keychain")), kTimeout);
    QVERIFY(dialog.isVisible()); // stays open, nothing lost
    QCOMPARE(saved.count(), 0);
    QVERIFY(store.isEmpty());

    child<QCheckBox>(&dialog, "savePassword")->setChecked(false);
    saveButton(dialog)->click();
    QCOMPARE(saved.count(), 1);
    QCOMPARE(store.profiles().at(0).passwordStorage, PasswordStorage::AskOnConnect);
    QCOMPARE(saved.at(0).at(1).toString(), kPassword); // for this connect only, in memory
    QVERIFY(secrets.secrets().isEmpty());
}

// Sentinel from the keyboard: the fields, what is missing, and the sentinels' password saved only
// in the keychain, under its own entry; the dialog of the saved profile shows it all again.
void TestConnectionDialog::sentinelFieldsAndTheirPassword()
{
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("bullpen.ini"));
    QSettings settings(ini, QSettings::IniFormat);
    ProfileStore store(&settings);
    MemorySecretStore secrets;
    ConnectionDialog dialog(&store, &secrets, freshProfile());
    dialog.show();
    auto* topology = child<QComboBox>(&dialog, "topology");
    topology->setFocus();
    QTest::keyClick(topology, Qt::Key_Down);
    QCOMPARE(topology->currentData().toInt(), int(Topology::Sentinel));
    QVERIFY(child<QLineEdit>(&dialog, "sentinels")->isVisible());
    QVERIFY(!child<QLineEdit>(&dialog, "clusterSeeds")->isVisible());
    QVERIFY(!child<QLineEdit>(&dialog, "host")->isVisible());
    QCOMPARE(dialog.errorText(), QStringLiteral("Enter at least one sentinel as host:port (port 26379 when left out)."));
    QVERIFY(!saveButton(dialog)->isEnabled());

    typeInto(child<QLineEdit>(&dialog, "sentinels"), QStringLiteral("10.0.0.1, 10.0.0.2:99999"));
    QCOMPARE(dialog.errorText(), QStringLiteral("Sentinels: '10.0.0.2:99999': the port must be a number from 1 to 65535."));
    typeInto(child<QLineEdit>(&dialog, "sentinels"), QStringLiteral("10.0.0.1, 10.0.0.2:26380"));
    QCOMPARE(dialog.errorText(), QStringLiteral("Enter the name of the master that the sentinels monitor (e.g. mymaster)."));
    typeInto(child<QLineEdit>(&dialog, "sentinelMaster"), QStringLiteral("mymaster"));
    QCOMPARE(dialog.errorText(), QString());
    typeInto(child<QLineEdit>(&dialog, "sentinelUser"), QStringLiteral("watcher"));
    QCOMPARE(dialog.urlEdit()->text(),
        QStringLiteral("redis-sentinel://10.0.0.1:26379,10.0.0.2:26380/mymaster?sentinel_user=watcher"));

    // TLS reaches sentinels, master and replicas alike; a Unix socket cannot.
    auto* transport = child<QComboBox>(&dialog, "transport");
    transport->setCurrentIndex(transport->findData(int(ConnectionOptions::Transport::Tls)));
    QCOMPARE(dialog.errorText(), QString());
    QVERIFY2(dialog.urlEdit()->text().startsWith(QLatin1String("rediss-sentinel://")), qPrintable(dialog.urlEdit()->text()));
    transport->setCurrentIndex(transport->findData(int(ConnectionOptions::Transport::Unix)));
    QVERIFY2(dialog.errorText().startsWith(QLatin1String("Sentinels and their master are reached over TCP or TLS")),
        qPrintable(dialog.errorText()));
    transport->setCurrentIndex(transport->findData(int(ConnectionOptions::Transport::Tcp)));
    QCOMPARE(dialog.errorText(), QString());

    // Reads from replicas through Sentinel: for read-only connections only.
    auto* replicas = child<QCheckBox>(&dialog, "readFromReplicas");
    auto* readOnly = child<QCheckBox>(&dialog, "readOnly");
    QVERIFY(!readOnly->isChecked());
    QVERIFY(!replicas->isEnabled());
    readOnly->setChecked(true);
    QVERIFY(replicas->isEnabled());
    replicas->setChecked(true);
    QVERIFY2(dialog.urlEdit()->text().contains(QLatin1String("read_from_replicas=1")), qPrintable(dialog.urlEdit()->text()));
    QVERIFY(dialog.profile().toOptions().readFromReplicas);
    replicas->setChecked(false);
    readOnly->setChecked(false);
    QVERIFY(!dialog.urlEdit()->text().contains(QLatin1String("read_from_replicas")));

    const QString sentinelPw = QStringLiteral("sentinel-canary-pw");
    typeInto(child<QLineEdit>(&dialog, "password"), kPassword);
    typeInto(child<QLineEdit>(&dialog, "sentinelPassword"), sentinelPw);
    QSignalSpy saved(&dialog, &ConnectionDialog::saved);
    saveButton(dialog)->click();
    QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, kTimeout);
    QCOMPARE(saved.at(0).at(1).toString(), kPassword);
    QCOMPARE(saved.at(0).at(2).toString(), sentinelPw);
    const ConnectionProfile p = store.profiles().at(0);
    QCOMPARE(p.topology, Topology::Sentinel);
    QCOMPARE(p.sentinels, (QList<NodeAddress> { { QStringLiteral("10.0.0.1"), 26379 }, { QStringLiteral("10.0.0.2"), 26380 } }));
    QCOMPARE(p.sentinelMaster, QStringLiteral("mymaster"));
    QCOMPARE(p.sentinelUser, QStringLiteral("watcher"));
    QCOMPARE(p.passwordStorage, PasswordStorage::Keychain);
    QCOMPARE(p.sentinelPasswordStorage, PasswordStorage::Keychain);
    QCOMPARE(secrets.secrets().value(p.id), kPassword);
    QCOMPARE(secrets.secrets().value(sentinelSecretId(p.id)), sentinelPw);
    settings.sync();
    QFile file(ini);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QVERIFY(bytes.contains("10.0.0.2:26380"));
    QVERIFY2(!bytes.contains("canary"), bytes.constData());

    // Editing it again: the fields come back, the passwords stay in the keychain.
    ConnectionDialog again(&store, &secrets, p);
    again.show();
    QCOMPARE(child<QComboBox>(&again, "topology")->currentData().toInt(), int(Topology::Sentinel));
    QCOMPARE(child<QLineEdit>(&again, "sentinels")->text(), QStringLiteral("10.0.0.1:26379, 10.0.0.2:26380"));
    QCOMPARE(child<QLineEdit>(&again, "sentinelPassword")->text(), QString());
    QCOMPARE(child<QLineEdit>(&again, "sentinelPassword")->placeholderText(), QStringLiteral("unchanged (saved in the keychain)"));
    QCOMPARE(again.profile(), p);

    // Back to a standalone server: the sentinel password leaves the keychain.
    QTest::keyClick(child<QComboBox>(&again, "topology"), Qt::Key_Up);
    QCOMPARE(again.profile().topology, Topology::Standalone);
    QSignalSpy savedAgain(&again, &ConnectionDialog::saved);
    saveButton(again)->click();
    QTRY_COMPARE_WITH_TIMEOUT(savedAgain.count(), 1, kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(!secrets.secrets().contains(sentinelSecretId(p.id)), kTimeout);
    QCOMPARE(secrets.secrets().value(p.id), kPassword);
    QCOMPARE(store.profiles().at(0).sentinelPasswordStorage, PasswordStorage::None);
}

void TestConnectionDialog::clusterFieldsAndValidation()
{
    ProfileStore store(nullptr);
    ConnectionDialog dialog(&store, nullptr, freshProfile());
    dialog.show();
    typeInto(child<QLineEdit>(&dialog, "host"), QStringLiteral("10.0.5.1"));
    child<QSpinBox>(&dialog, "port")->setValue(7000);
    auto* topology = child<QComboBox>(&dialog, "topology");
    topology->setFocus();
    QTest::keyClick(topology, Qt::Key_Down);
    QTest::keyClick(topology, Qt::Key_Down);
    QCOMPARE(topology->currentData().toInt(), int(Topology::Cluster));
    QVERIFY(child<QLineEdit>(&dialog, "clusterSeeds")->isVisible());
    QVERIFY(!child<QLineEdit>(&dialog, "sentinels")->isVisible());
    // The server of the form is the first seed.
    QCOMPARE(child<QLineEdit>(&dialog, "clusterSeeds")->text(), QStringLiteral("10.0.5.1:7000"));
    QCOMPARE(dialog.errorText(), QString());

    typeInto(child<QLineEdit>(&dialog, "clusterSeeds"), QString());
    QCOMPARE(dialog.errorText(), QStringLiteral("Enter at least one node of the cluster as host:port (port 6379 when left out)."));
    typeInto(child<QLineEdit>(&dialog, "clusterSeeds"), QStringLiteral("c1:7000 c2"));
    QCOMPARE(dialog.errorText(), QString());
    QCOMPARE(dialog.urlEdit()->text(), QStringLiteral("redis-cluster://c1:7000,c2:6379"));
    child<QSpinBox>(&dialog, "db")->setValue(2);
    QCOMPARE(dialog.errorText(), QStringLiteral("A cluster has database 0 only."));
    child<QSpinBox>(&dialog, "db")->setValue(0);
    child<QComboBox>(&dialog, "transport")->setCurrentIndex(2); // Unix socket
    QVERIFY2(dialog.errorText().startsWith(QLatin1String("A cluster is reached over TCP or TLS")), qPrintable(dialog.errorText()));
    child<QComboBox>(&dialog, "transport")->setCurrentIndex(1); // TLS: rediss-cluster://
    QCOMPARE(dialog.errorText(), QString());
    QCOMPARE(dialog.urlEdit()->text(), QStringLiteral("rediss-cluster://c1:7000,c2:6379"));

    QSignalSpy saved(&dialog, &ConnectionDialog::saved);
    saveButton(dialog)->click();
    QCOMPARE(saved.count(), 1);
    const ConnectionProfile p = store.profiles().at(0);
    QCOMPARE(p.topology, Topology::Cluster);
    QCOMPARE(p.clusterSeeds, (QList<NodeAddress> { { QStringLiteral("c1"), 7000 }, { QStringLiteral("c2"), 6379 } }));
    QVERIFY(p.sentinels.isEmpty());
    QVERIFY(p.toOptions().cluster);
    QCOMPARE(p.toOptions().transport, ConnectionOptions::Transport::Tls);
}

void TestConnectionDialog::topologyUrlFillsTheFields()
{
    ConnectionDialog dialog(nullptr, nullptr, freshProfile());
    dialog.show();
    typeInto(dialog.urlEdit(), QStringLiteral("redis-sentinel://:main-pw@s1,s2:26380/queues?sentinel_password=s-pw"));
    QCOMPARE(child<QComboBox>(&dialog, "topology")->currentData().toInt(), int(Topology::Sentinel));
    QCOMPARE(child<QLineEdit>(&dialog, "sentinels")->text(), QStringLiteral("s1:26379, s2:26380"));
    QCOMPARE(child<QLineEdit>(&dialog, "sentinelMaster")->text(), QStringLiteral("queues"));
    QCOMPARE(child<QLineEdit>(&dialog, "password")->text(), QStringLiteral("main-pw"));
    QCOMPARE(child<QLineEdit>(&dialog, "sentinelPassword")->text(), QStringLiteral("s-pw"));
    QVERIFY(child<QLineEdit>(&dialog, "sentinels")->isVisible());

    typeInto(dialog.urlEdit(), QStringLiteral("redis-cluster://n1:7000,n2:7001"));
    QCOMPARE(child<QComboBox>(&dialog, "topology")->currentData().toInt(), int(Topology::Cluster));
    QCOMPARE(child<QLineEdit>(&dialog, "clusterSeeds")->text(), QStringLiteral("n1:7000, n2:7001"));
    QVERIFY(child<QLineEdit>(&dialog, "clusterSeeds")->isVisible());
    QVERIFY(!child<QLineEdit>(&dialog, "sentinels")->isVisible());
    QCOMPARE(dialog.errorText(), QString());
}

// A saved profile's long URL and node lists show their start (scheme, first node), and typing in
// the middle of the URL keeps the cursor where the user types.
void TestConnectionDialog::longFieldsShowTheirStartAndKeepTheCursor()
{
    ConnectionProfile p = freshProfile();
    p.topology = Topology::Sentinel;
    p.transport = ConnectionOptions::Transport::Tls;
    p.caFile = QStringLiteral("/etc/ssl/certs/a-rather-long-directory-name/redis-ca.pem");
    p.sentinelMaster = QStringLiteral("queues");
    for (int i = 11; i <= 13; ++i)
        p.sentinels.append({ QStringLiteral("sentinel-%1.eu-west.example.com").arg(i), 26379 });
    ConnectionDialog dialog(nullptr, nullptr, p);
    dialog.resize(480, 700);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto* url = dialog.urlEdit();
    QVERIFY2(url->fontMetrics().horizontalAdvance(url->text()) > url->width(), qPrintable(url->text()));
    QCOMPARE(url->cursorPosition(), 0);
    QCOMPARE(child<QLineEdit>(&dialog, "sentinels")->cursorPosition(), 0);
    QCOMPARE(child<QLineEdit>(&dialog, "caFile")->cursorPosition(), 0);
    // Editing another field rewrites the URL: it still shows its start.
    typeInto(child<QLineEdit>(&dialog, "user"), QStringLiteral("ops"));
    QVERIFY2(url->text().contains(QLatin1String("//ops:@")), qPrintable(url->text()));
    QCOMPARE(url->cursorPosition(), 0);

    typeInto(url, QStringLiteral("redis://host1:6379/2"));
    url->setCursorPosition(13); // after "host1"
    QTest::keyClick(url, Qt::Key_X);
    QCOMPARE(url->text(), QStringLiteral("redis://host1x:6379/2"));
    QCOMPARE(child<QLineEdit>(&dialog, "host")->text(), QStringLiteral("host1x"));
    QCOMPARE(url->cursorPosition(), 14);
}

QTEST_MAIN(TestConnectionDialog)
#include "tst_connectiondialog.moc"
