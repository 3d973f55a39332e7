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
    QVERIFY(finished.wait(kTimeout));
    QCOMPARE(finished.takeFirst().at(0).toBool(), true);
    QVERIFY2(dialog.testResult().contains(QLatin1String("PONG")), qPrintable(dialog.testResult()));
    QVERIFY2(dialog.testResult().contains(QLatin1String(" ms")), qPrintable(dialog.testResult()));

    typeInto(child<QLineEdit>(&dialog, "password"), QStringLiteral("wrong"));
    QTest::mouseClick(dialog.testButton(), Qt::LeftButton);
    QVERIFY(finished.wait(kTimeout));
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

QTEST_MAIN(TestConnectionDialog)
#include "tst_connectiondialog.moc"
