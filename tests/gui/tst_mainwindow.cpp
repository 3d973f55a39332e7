// SPDX-License-Identifier: MIT
#include "connectionbanner.h"
#include "profiles/memorysecretstore.h"
#include "profiles/profilestore.h"
#include "connectionsidebar.h"
#include "connectionworkspace.h"
#include "keyspage.h"
#include "queuespage.h"
#include "mainwindow.h"
#include "redisclient.h"
#include "redisserver.h"
#include "server/serverinfo.h"
#include "server/serverinfopoller.h"
#include "server/serversummarymodel.h"
#include "serversummarypage.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QDialogButtonBox>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace bullpen;
using bullpen::test::RedisServer;

namespace {

constexpr int kTimeout = 15000; // generous: reconnect backoff, a loaded CI machine

// "SET k1 v k2 v …" as one MSET, so a fixture fills many keys with one redis-cli run.
QStringList msetArgs(const QString& prefix, int count)
{
    QStringList args { QStringLiteral("MSET") };
    for (int i = 0; i < count; ++i)
        args << prefix + QString::number(i) << QStringLiteral("v");
    return args;
}

QByteArray serverVersion(const RedisServer& server)
{
    return ServerInfo::parse(server.cli({ QStringLiteral("INFO"), QStringLiteral("server") })).value("redis_version");
}

qint64 rawValue(const ServerSummaryModel* model, const QByteArray& key)
{
    const int row = model->rowOf(key);
    if (row < 0)
        return -1;
    return model->index(row, ServerSummaryModel::ValueColumn).data(ServerSummaryModel::SortRole).toLongLong();
}

QString addressOf(const RedisServer& server)
{
    return QStringLiteral("127.0.0.1:%1").arg(server.port());
}

// Compare state names: they read better in a failure message.
QString bannerState(const MainWindow& window)
{
    return stateName(window.banner()->state());
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void showsStateAndSummary();
    void keepsStaleValuesWhileDisconnected();
    void staysResponsiveWhileServerIsStopped();
    void dropsRepliesOfThePreviousServer();
    void badUrlShowsErrorInBanner();
    void connectDialogValidatesInline();
    void aboutShowsVersion();
    void twoConnectionsAtOnce();
    void asksForPasswordThatIsNotSaved();
    void forgetsASavedConnection();
    void quitShortcutClosesWindow();
    void keyTreeOpensAQueuePage();
};

void TestMainWindow::showsStateAndSummary()
{
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.error()));
    QCOMPARE(server.cli(msetArgs(QStringLiteral("user:"), 25)), QByteArray("OK"));
    QCOMPARE(
        server.cli(QStringList { QStringLiteral("-n"), QStringLiteral("2") } + msetArgs(QStringLiteral("job:"), 4)),
        QByteArray("OK"));
    const QByteArray version = serverVersion(server);
    QVERIFY(!version.isEmpty());

    MainWindow window;
    ServerSummaryPage* page = window.summaryPage();
    // Attached before any data arrives, so every insertion is checked.
    QAbstractItemModelTester tester(page->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    window.show();

    QVERIFY(window.connectToUrl(server.url()));
    QCOMPARE(window.windowTitle(), QStringLiteral("Bullpen — %1").arg(addressOf(server)));
    QTRY_COMPARE_WITH_TIMEOUT(bannerState(window), QStringLiteral("ready"), kTimeout);
    QVERIFY2(window.banner()->text().contains(addressOf(server)), qPrintable(window.banner()->text()));

    ServerSummaryModel* model = page->model();
    QTRY_COMPARE_WITH_TIMEOUT(model->valueText("redis_version"), QString::fromUtf8(version), kTimeout);
    QCOMPARE(rawValue(model, "keys_total"), 29);
    QCOMPARE(rawValue(model, "db0"), 25);
    QCOMPARE(rawValue(model, "db2"), 4);
    QCOMPARE(model->rowOf("db1"), -1);
    QCOMPARE(model->valueText("redis_mode"), QStringLiteral("standalone"));
    QCOMPARE(model->valueText("role"), QStringLiteral("master"));
    QVERIFY(rawValue(model, "connected_clients") >= 1);
    QVERIFY(rawValue(model, "used_memory") > 0);
    QVERIFY(model->rowOf("uptime_in_seconds") >= 0);
    QVERIFY(model->rowOf("instantaneous_ops_per_sec") >= 0);
    QVERIFY(!page->isStale());
    QVERIFY2(page->headline().contains(QString::fromUtf8(version)), qPrintable(page->headline()));
    QVERIFY2(page->headline().contains(QStringLiteral("29 keys")), qPrintable(page->headline()));

    // The poller keeps going: new keys show up without touching anything.
    QCOMPARE(server.cli(msetArgs(QStringLiteral("session:"), 3)), QByteArray("OK"));
    QTRY_COMPARE_WITH_TIMEOUT(rawValue(model, "db0"), 28, kTimeout);
}

void TestMainWindow::keepsStaleValuesWhileDisconnected()
{
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.error()));
    QCOMPARE(server.cli(msetArgs(QStringLiteral("cache:"), 12)), QByteArray("OK"));
    const QString version = QString::fromUtf8(serverVersion(server));

    MainWindow window;
    window.show();
    ServerSummaryPage* page = window.summaryPage();
    ServerSummaryModel* model = page->model();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(window.connectToUrl(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(bannerState(window), QStringLiteral("ready"), kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(rawValue(model, "keys_total"), 12, kTimeout);

    server.kill();
    QTRY_COMPARE_WITH_TIMEOUT(bannerState(window), QStringLiteral("disconnected"), kTimeout);
    QVERIFY2(window.banner()->text().contains(QLatin1String("Disconnected")), qPrintable(window.banner()->text()));
    QTRY_VERIFY_WITH_TIMEOUT(page->isStale(), kTimeout);
    // The last values stay on screen, marked stale.
    QCOMPARE(model->valueText("redis_version"), version);
    QCOMPARE(rawValue(model, "keys_total"), 12);
    QCOMPARE(model->index(0, ServerSummaryModel::ValueColumn).data(ServerSummaryModel::StaleRole).toBool(), true);
    QVERIFY(model->index(0, ServerSummaryModel::ValueColumn).data(Qt::ForegroundRole).isValid());
    QVERIFY2(page->statusText().startsWith(QLatin1String("Stale")), qPrintable(page->statusText()));

    // Retries keep saying why we are not connected instead of flickering to "Connecting".
    QSignalSpy polls(page->poller(), &ServerInfoPoller::busyChanged);
    QTRY_VERIFY_WITH_TIMEOUT(polls.count() >= 2, kTimeout);
    QCOMPARE(bannerState(window), QStringLiteral("disconnected"));
    QVERIFY(page->isStale());
    QCOMPARE(rawValue(model, "keys_total"), 12);

    // Back again: Ready, and fresh values (a restarted server without persistence is empty).
    QVERIFY2(server.restart(), qPrintable(server.error()));
    QTRY_COMPARE_WITH_TIMEOUT(bannerState(window), QStringLiteral("ready"), kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(!page->isStale(), kTimeout);
    QCOMPARE(rawValue(model, "keys_total"), 0);
    QCOMPARE(model->rowOf("db0"), -1);
    QCOMPARE(model->valueText("redis_version"), version);
    QVERIFY2(page->statusText().startsWith(QLatin1String("Updated")), qPrintable(page->statusText()));
}

void TestMainWindow::staysResponsiveWhileServerIsStopped()
{
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.error()));
    MainWindow window;
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    ServerSummaryPage* page = window.summaryPage();
    QSignalSpy updated(page, &ServerSummaryPage::updated);
    QVERIFY(window.connectToUrl(server.url()));
    QTRY_VERIFY_WITH_TIMEOUT(updated.count() >= 1, kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(!page->poller()->isBusy(), kTimeout);

    server.pause();
    QTest::keyClick(&window, Qt::Key_F5); // refresh now: INFO goes to a server that cannot answer
    QVERIFY(page->poller()->isBusy());

    int ticks = 0;
    QTimer ticker;
    ticker.setInterval(10);
    connect(&ticker, &QTimer::timeout, this, [&ticks] { ++ticks; });
    ticker.start();
    QTRY_VERIFY_WITH_TIMEOUT(ticks >= 50, kTimeout);
    // Still waiting for the stopped server, and the event loop kept ticking all along.
    QVERIFY(page->poller()->isBusy());
    QCOMPARE(bannerState(window), QStringLiteral("ready"));
    // F5 again while one INFO is in flight does not queue a second one.
    const int before = updated.count();
    QTest::keyClick(&window, Qt::Key_F5);
    QVERIFY(page->poller()->isBusy());

    server.resume();
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), before + 1, kTimeout);
    QVERIFY(!page->isStale());
}

void TestMainWindow::dropsRepliesOfThePreviousServer()
{
    RedisServer first;
    QVERIFY2(first.start(), qPrintable(first.error()));
    QCOMPARE(first.cli(msetArgs(QStringLiteral("a:"), 3)), QByteArray("OK"));
    RedisServer second;
    QVERIFY2(second.start(), qPrintable(second.error()));
    QCOMPARE(second.cli(msetArgs(QStringLiteral("b:"), 7)), QByteArray("OK"));

    MainWindow window;
    ServerSummaryPage* page = window.summaryPage();
    ServerSummaryModel* model = page->model();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(window.connectToUrl(first.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rawValue(model, "keys_total"), 3, kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(!page->poller()->isBusy(), kTimeout);

    first.pause();
    page->refreshNow();
    QVERIFY(page->poller()->isBusy()); // pending on the first server

    // Closing the first connection cancels that INFO: the page must not hear about it.
    QSignalSpy failures(page->poller(), &ServerInfoPoller::failed);
    QVERIFY(window.connectToUrl(second.url()));
    QCOMPARE(window.windowTitle(), QStringLiteral("Bullpen — %1").arg(addressOf(second)));
    QTRY_COMPARE_WITH_TIMEOUT(rawValue(model, "keys_total"), 7, kTimeout);

    // The first server answers late: nothing of it reaches the page.
    first.resume();
    QSignalSpy updated(page, &ServerSummaryPage::updated);
    page->refreshNow();
    QTRY_VERIFY_WITH_TIMEOUT(updated.count() >= 1, kTimeout);
    QCOMPARE(rawValue(model, "keys_total"), 7);
    QCOMPARE(failures.count(), 0);
    QVERIFY2(page->statusText().startsWith(QLatin1String("Updated")), qPrintable(page->statusText()));
    QCOMPARE(bannerState(window), QStringLiteral("ready"));
    QVERIFY(window.banner()->text().contains(addressOf(second)));
}

void TestMainWindow::badUrlShowsErrorInBanner()
{
    MainWindow window;
    window.show();
    QString error;
    QVERIFY(!window.connectToUrl(QStringLiteral("redis://127.0.0.1:99999"), &error));
    QVERIFY(!error.isEmpty());
    QCOMPARE(window.client(), nullptr);
    QCOMPARE(bannerState(window), QStringLiteral("failed"));
    QVERIFY2(window.banner()->text().contains(error), qPrintable(window.banner()->text()));
    QCOMPARE(window.windowTitle(), QStringLiteral("Bullpen — not connected"));

    // Untrusted text is never interpreted as markup.
    const auto labels = window.banner()->findChildren<QLabel*>();
    for (const QLabel* label : labels)
        QCOMPARE(label->textFormat(), Qt::PlainText);
}

void TestMainWindow::connectDialogValidatesInline()
{
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.error()));
    MainWindow window;
    window.show();

    QInputDialog* dialog = window.showConnectDialog();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QPushButton* ok = dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    QVERIFY(ok);
    QVERIFY(ok->isEnabled()); // the default URL is valid

    dialog->setTextValue(QStringLiteral("localhost:6379"));
    QString why;
    QVERIFY(!ConnectionOptions::fromUrl(QStringLiteral("localhost:6379"), &why));
    QVERIFY2(dialog->labelText().contains(why), qPrintable(dialog->labelText()));
    QVERIFY(!ok->isEnabled());
    QCOMPARE(dialog->findChild<QLabel*>()->textFormat(), Qt::PlainText);

    dialog->setTextValue(server.url());
    QVERIFY(!dialog->labelText().contains(why));
    QVERIFY(ok->isEnabled());
    ok->click();
    QCOMPARE(window.url(), server.url());
    QCOMPARE(window.windowTitle(), QStringLiteral("Bullpen — %1").arg(addressOf(server)));
    QTRY_COMPARE_WITH_TIMEOUT(bannerState(window), QStringLiteral("ready"), kTimeout);
}

void TestMainWindow::aboutShowsVersion()
{
    MainWindow window;
    window.show();
    QAction* about = window.findChild<QAction*>(QStringLiteral("actionAbout"));
    QVERIFY(about);
    about->trigger();
    QMessageBox* box = nullptr;
    QTRY_VERIFY((box = window.findChild<QMessageBox*>()) && box->isVisible());
    QVERIFY2(box->text().contains(QStringLiteral(BULLPEN_VERSION)), qPrintable(box->text()));
    box->accept();
}

void TestMainWindow::twoConnectionsAtOnce()
{
    using namespace bullpen::connections;
    RedisServer dev;
    QVERIFY2(dev.start(), qPrintable(dev.error()));
    QCOMPARE(dev.cli(msetArgs(QStringLiteral("a:"), 3)), QByteArray("OK"));
    RedisServer prod({ .extraArgs = { QStringLiteral("--requirepass"), QStringLiteral("prod-pw") } });
    QVERIFY2(prod.start(), qPrintable(prod.error()));
    QCOMPARE(prod.cli(msetArgs(QStringLiteral("b:"), 7)), QByteArray("OK"));

    ProfileStore store(nullptr);
    MemorySecretStore secrets;
    auto devProfile = *ConnectionProfile::fromUrl(dev.url(), nullptr, nullptr);
    devProfile.name = QStringLiteral("Dev");
    devProfile.colour = ColourTag::Green;
    devProfile.id = store.save(devProfile);
    auto prodProfile = *ConnectionProfile::fromUrl(prod.url(), nullptr, nullptr);
    prodProfile.name = QStringLiteral("Prod");
    prodProfile.colour = ColourTag::Red;
    prodProfile.production = true;
    prodProfile.readOnly = true;
    prodProfile.passwordStorage = PasswordStorage::Keychain;
    prodProfile.id = store.save(prodProfile);
    bool written = false;
    secrets.writePassword(
        prodProfile.id, QStringLiteral("prod-pw"), this, [&written](const SecretResult& r) { written = r.ok(); });
    QTRY_VERIFY(written);

    MainWindow window;
    window.setProfileStores(&store, &secrets);
    window.show();
    ConnectionWorkspace* start = window.currentWorkspace();
    window.openProfile(devProfile);
    ConnectionWorkspace* a = window.currentWorkspace();
    QCOMPARE(a, start); // the empty workspace of a new window is used first
    window.openProfile(prodProfile); // the password comes from the keychain, later
    QTRY_COMPARE_WITH_TIMEOUT(window.workspaces().size(), 2, kTimeout);
    ConnectionWorkspace* b = window.currentWorkspace();
    QVERIFY(b != a);
    QCOMPARE(window.sidebar()->count(), 2);
    QCOMPARE(window.sidebar()->item(0)->text(), QStringLiteral("Dev"));
    QCOMPARE(window.sidebar()->item(1)->text(), QStringLiteral("Prod"));

    // Both connections live at once, each with its own pages and data.
    QTRY_COMPARE_WITH_TIMEOUT(stateName(a->state()), QStringLiteral("ready"), kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(stateName(b->state()), QStringLiteral("ready"), kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(rawValue(a->summaryPage()->model(), "keys_total"), 3, kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(rawValue(b->summaryPage()->model(), "keys_total"), 7, kTimeout);
    QVERIFY(a->summaryPage() != b->summaryPage());
    QVERIFY(b->client()->isReadOnly());
    QVERIFY(!a->client()->isReadOnly());
    QCOMPARE(ConnectionSidebar::stateColour(a), ConnectionSidebar::stateColour(b)); // both green
    QCOMPARE(window.windowTitle(), QStringLiteral("Bullpen — Prod (%1)").arg(addressOf(prod)));
    QCOMPARE(window.banner(), b->banner());

    // Switching in the sidebar shows the other connection's pages.
    window.sidebar()->setCurrentRow(0);
    QCOMPARE(window.currentWorkspace(), a);
    QCOMPARE(window.summaryPage(), a->summaryPage());
    QCOMPARE(window.client(), a->client());
    QCOMPARE(window.windowTitle(), QStringLiteral("Bullpen — Dev (%1)").arg(addressOf(dev)));
    // The hidden one keeps going.
    QCOMPARE(prod.cli(msetArgs(QStringLiteral("c:"), 2)), QByteArray("OK"));
    QTRY_COMPARE_WITH_TIMEOUT(rawValue(b->summaryPage()->model(), "keys_total"), 9, kTimeout);

    // A lost server shows on its own entry only.
    prod.kill();
    QTRY_COMPARE_WITH_TIMEOUT(stateName(b->state()), QStringLiteral("disconnected"), kTimeout);
    QVERIFY(ConnectionSidebar::stateColour(a) != ConnectionSidebar::stateColour(b));
    QCOMPARE(stateName(a->state()), QStringLiteral("ready"));

    // Ctrl+W closes the current connection: its client is deleted, the other stays.
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QPointer<RedisClient> client = a->client();
    QPointer<ConnectionWorkspace> closed = a;
    QTest::keyClick(&window, Qt::Key_W, Qt::ControlModifier);
    QTRY_VERIFY(closed.isNull());
    QVERIFY(client.isNull());
    QCOMPARE(window.workspaces().size(), 1);
    QCOMPARE(window.currentWorkspace(), b);
    QCOMPARE(window.sidebar()->count(), 1);

    // Closing the last one leaves an empty, unconnected workspace.
    window.closeConnection();
    QCOMPARE(window.workspaces().size(), 1);
    QCOMPARE(window.client(), nullptr);
    QCOMPARE(window.windowTitle(), QStringLiteral("Bullpen — not connected"));
    QCOMPARE(window.sidebar()->count(), 1);
}

void TestMainWindow::asksForPasswordThatIsNotSaved()
{
    using namespace bullpen::connections;
    RedisServer server({ .extraArgs = { QStringLiteral("--requirepass"), QStringLiteral("typed-pw") } });
    QVERIFY2(server.start(), qPrintable(server.error()));
    ProfileStore store(nullptr);
    MemorySecretStore secrets;
    secrets.setAvailable(false); // and the keychain would not have it anyway
    auto profile = *ConnectionProfile::fromUrl(server.url(), nullptr, nullptr);
    profile.name = QStringLiteral("Asked");
    profile.passwordStorage = PasswordStorage::Keychain;
    profile.id = store.save(profile);

    MainWindow window;
    window.setProfileStores(&store, &secrets);
    window.show();
    window.openProfile(profile);
    QInputDialog* ask = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((ask = window.findChild<QInputDialog*>(QStringLiteral("passwordDialog"))), kTimeout);
    QVERIFY2(ask->labelText().contains(QLatin1String("keychain")), qPrintable(ask->labelText()));
    QCOMPARE(ask->findChild<QLineEdit*>()->echoMode(), QLineEdit::Password);
    QCOMPARE(window.client(), nullptr);
    ask->setTextValue(QStringLiteral("typed-pw"));
    ask->accept();
    QTRY_VERIFY(window.client());
    QTRY_COMPARE_WITH_TIMEOUT(bannerState(window), QStringLiteral("ready"), kTimeout);
}

void TestMainWindow::forgetsASavedConnection()
{
    using namespace bullpen::connections;
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.error()));
    ProfileStore store(nullptr);
    MemorySecretStore secrets;
    auto profile = *ConnectionProfile::fromUrl(server.url(), nullptr, nullptr);
    profile.name = QStringLiteral("Old & unused");
    profile.passwordStorage = PasswordStorage::Keychain;
    profile.id = store.save(profile);
    bool written = false;
    secrets.writePassword(
        profile.id, QStringLiteral("pw"), this, [&written](const SecretResult& r) { written = r.ok(); });
    QTRY_VERIFY(written);

    MainWindow window;
    window.setProfileStores(&store, &secrets);
    window.show();
    auto* menu = window.findChild<QMenu*>(QStringLiteral("menuProfiles"));
    QVERIFY(menu);
    QCOMPARE(menu->actions().size(), 1);
    QCOMPARE(menu->actions().at(0)->text(), QStringLiteral("Old && unused")); // not a mnemonic
    window.openProfile(profile);
    QTRY_VERIFY_WITH_TIMEOUT(window.client(), kTimeout);

    QMessageBox* box = window.forgetProfile(profile.id);
    QVERIFY(box);
    QCOMPARE(box->textFormat(), Qt::PlainText);
    QVERIFY(store.profile(profile.id)); // nothing before the confirmation
    QPushButton* forget = nullptr;
    const auto buttons = box->buttons();
    for (QAbstractButton* b : buttons) {
        if (box->buttonRole(b) == QMessageBox::DestructiveRole)
            forget = qobject_cast<QPushButton*>(b);
    }
    QVERIFY(forget);
    forget->click();
    QVERIFY(store.isEmpty());
    QTRY_VERIFY(secrets.secrets().isEmpty());
    QVERIFY(window.currentWorkspace()->profile().id.isEmpty());
    QVERIFY(window.client()); // the open connection stays open
    QCOMPARE(menu->actions().size(), 1);
    QVERIFY(!menu->actions().at(0)->isEnabled()); // "(none yet…)"
}

void TestMainWindow::quitShortcutClosesWindow()
{
    MainWindow window;
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QTest::keyClick(&window, Qt::Key_Q, Qt::ControlModifier);
    QTRY_VERIFY(!window.isVisible());
}

// "Open queue" on a queue's folder in the key tree switches to the Queues tab with that queue,
// whose prefix holds a ':' (the queue name never does).
void TestMainWindow::keyTreeOpensAQueuePage()
{
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.error()));
    for (const QString& base : { QStringLiteral("my:app:emails:"), QStringLiteral("bull:other:") }) {
        QCOMPARE(server.cli({ QStringLiteral("HSET"), base + QStringLiteral("meta"), QStringLiteral("version"),
                     QStringLiteral("bullmq:6.7.0"), QStringLiteral("opts.maxLenEvents"), QStringLiteral("10000") }),
            QByteArray("2"));
        QCOMPARE(server.cli({ QStringLiteral("SET"), base + QStringLiteral("id"), QStringLiteral("3") }), QByteArray("OK"));
        QCOMPARE(server.cli({ QStringLiteral("RPUSH"), base + QStringLiteral("wait"), QStringLiteral("1"), QStringLiteral("2") }),
            QByteArray("2"));
    }
    MainWindow window;
    window.show();
    QVERIFY(window.connectToUrl(server.url()));
    ConnectionWorkspace* workspace = window.currentWorkspace();
    QVERIFY(workspace);
    KeysPage* keys = nullptr;
    QueuesPage* queues = nullptr;
    for (ClientPage* page : workspace->pages()) {
        keys = keys ? keys : qobject_cast<KeysPage*>(page);
        queues = queues ? queues : qobject_cast<QueuesPage*>(page);
    }
    QVERIFY(keys && queues);
    workspace->tabs()->setCurrentWidget(keys);
    Q_EMIT keys->openQueueRequested(QStringLiteral("my:app:emails"));
    QCOMPARE(workspace->tabs()->currentWidget(), queues);
    QTRY_COMPARE_WITH_TIMEOUT(queues->currentQueue().name, QByteArray("emails"), kTimeout);
    QCOMPARE(queues->currentQueue().prefix, QByteArray("my:app"));
    // Not a queue reference: nothing changes.
    workspace->tabs()->setCurrentWidget(keys);
    Q_EMIT keys->openQueueRequested(QStringLiteral("noqueue"));
    QCOMPARE(workspace->tabs()->currentWidget(), keys);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
