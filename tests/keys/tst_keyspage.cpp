// SPDX-License-Identifier: MIT
// The key page offscreen against a real redis-server: browse, open values, confirmed edits on a
// read-write connection, none on a read-only one.
#include "clienttest.h"
#include "keyfixture.h"
#include "keys/keytreemodel.h"
#include "keys/keyvaluemodel.h"
#include "connectionbanner.h"
#include "keyspage.h"
#include "keyvalueviewer.h"
#include "mainwindow.h"
#include "redisserver.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTest>
#include <QTreeView>

using namespace bullpen;
using keys::KeyTreeModel;
using bullpen::test::RedisServer;

namespace {

constexpr int kTimeout = 15000;

QModelIndex proxyOfKey(KeysPage& page, const QByteArray& key)
{
    const QModelIndex source = page.model()->indexOfKey(key);
    return page.proxy()->mapFromSource(source);
}

QModelIndex proxyOfFolder(KeysPage& page, const QByteArray& path)
{
    return page.proxy()->mapFromSource(page.model()->indexOfFolder(path));
}

QMessageBox* waitForBox(QWidget* parent, const QString& name)
{
    QMessageBox* box = nullptr;
    if (!QTest::qWaitFor([&] { return (box = parent->findChild<QMessageBox*>(name)) != nullptr; }, kTimeout))
        return nullptr;
    return box;
}

} // namespace

class TestKeysPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void browseAndOpenValues();
    void largeStringShowsHead();
    void confirmedDelete();
    void cancelledDeleteKeepsKey();
    void folderDeleteShowsCountFirst();
    void setTtlAndPersist();
    void readOnlyHasNoEdits();
    void mainWindowHasKeysTab();
    void scrollingAndExpandingFetchMore();

private:
    void openPage(KeysPage& page, RedisClient* client);
    std::unique_ptr<RedisServer> m_server;
    std::unique_ptr<RedisClient> m_client;
};

void TestKeysPage::initTestCase()
{
    m_server = std::make_unique<RedisServer>();
    BP_START(*m_server);
    m_client = std::make_unique<RedisClient>(m_server->options());
    BP_OPEN_READY(*m_client);
}

void TestKeysPage::init()
{
    m_server->cli({ QStringLiteral("FLUSHALL") });
    QList<Command> c = test::standardKeys();
    c << Command { "SET", "<b>html</b>", "<i>not markup</i>" };
    for (int i = 0; i < 30; ++i)
        c << Command { "SET", "tmp:" + QByteArray::number(i), "x" };
    QVERIFY(test::pipe(*m_server, c));
}

void TestKeysPage::openPage(KeysPage& page, RedisClient* client)
{
    page.resize(900, 500);
    page.show();
    QSignalSpy loaded(&page, &KeysPage::loaded);
    page.setClient(client);
    QVERIFY(loaded.wait(kTimeout));
}

void TestKeysPage::browseAndOpenValues()
{
    KeysPage page;
    openPage(page, m_client.get());
    QCOMPARE(page.statusText(), QStringLiteral("%1 keys").arg(8 + 256 + 1 + 30));
    // Sorted in the proxy: folders first, then keys, by name bytes.
    QCOMPARE(page.proxy()->index(0, 0).data().toString(), QStringLiteral("bin"));
    const QModelIndex user = proxyOfFolder(page, "user");
    page.view()->expand(user);
    QCOMPARE(page.proxy()->rowCount(user), 3);

    QSignalSpy shown(page.viewer(), &KeyValueViewer::shown);
    page.select(proxyOfKey(page, "user:1"));
    QVERIFY(shown.wait(kTimeout));
    QVERIFY2(page.viewer()->headerText().startsWith(QStringLiteral("user:1 · string · no TTL")),
        qPrintable(page.viewer()->headerText()));
    // JSON opens pretty-printed.
    QCOMPARE(page.viewer()->formatBox()->currentIndex(), 1);
    QCOMPARE(page.viewer()->stringText(), QStringLiteral("{\n    \"name\": \"Ada\"\n}\n"));
    page.viewer()->formatBox()->setCurrentIndex(0); // text
    QCOMPARE(page.viewer()->stringText(), QStringLiteral("{\"name\":\"Ada\"}"));
    page.viewer()->formatBox()->setCurrentIndex(2); // hex
    QVERIFY(page.viewer()->stringText().startsWith(QStringLiteral("00000000  7b 22 6e")));
    page.viewer()->formatBox()->setCurrentIndex(0);

    shown.clear();
    page.select(proxyOfKey(page, "zset:board"));
    QVERIFY(shown.wait(kTimeout));
    QTRY_COMPARE_WITH_TIMEOUT(page.viewer()->collectionModel()->rowCount(), 2, kTimeout);
    QCOMPARE(page.viewer()->collectionModel()->index(1, 1).data().toString(), QStringLiteral("3"));

    // Untrusted names are plain text everywhere.
    shown.clear();
    page.select(proxyOfKey(page, "<b>html</b>"));
    QVERIFY(shown.wait(kTimeout));
    auto* header = page.viewer()->findChild<QLabel*>(QStringLiteral("keyHeader"));
    QCOMPARE(header->textFormat(), Qt::PlainText);
    QVERIFY(header->text().startsWith(QStringLiteral("<b>html</b>")));

    // Binary names are shown escaped in the tree.
    page.view()->expand(proxyOfFolder(page, "bin"));
    QCOMPARE(proxyOfKey(page, QByteArray("bin:\x07")).data().toString(), QStringLiteral("\\x07"));
}

void TestKeysPage::largeStringShowsHead()
{
    m_server->cli({ QStringLiteral("SETRANGE"), QStringLiteral("big"), QString::number(50 * 1000 * 1000 - 1),
        QStringLiteral("!") });
    KeysPage page;
    openPage(page, m_client.get());
    QSignalSpy shown(page.viewer(), &KeyValueViewer::shown);
    page.select(proxyOfKey(page, "big"));
    QVERIFY(shown.wait(kTimeout));
    QCOMPARE(page.viewer()->stringValue()->bytes().size(), 64 * 1024);
    QVERIFY(page.viewer()->moreButton()->isVisibleTo(&page));
    QVERIFY(page.viewer()->findChild<QLabel*>()->isVisible());
}

void TestKeysPage::confirmedDelete()
{
    KeysPage page;
    openPage(page, m_client.get());
    page.view()->expand(proxyOfFolder(page, "user"));
    page.select(proxyOfKey(page, "user:2"));
    auto* del = page.findChild<QPushButton*>(QStringLiteral("deleteButton"));
    QVERIFY(del->isEnabled());
    del->click();
    QMessageBox* box = waitForBox(&page, QStringLiteral("confirmDelete"));
    QVERIFY(box);
    QCOMPARE(box->textFormat(), Qt::PlainText);
    QVERIFY(box->text().contains(QStringLiteral("user:2")));
    // Nothing happens before the answer.
    QCOMPARE(m_server->cli({ QStringLiteral("EXISTS"), QStringLiteral("user:2") }), QByteArray("1"));
    box->button(QMessageBox::Yes)->click();
    QTRY_VERIFY_WITH_TIMEOUT(!page.model()->indexOfKey("user:2").isValid(), kTimeout);
    QCOMPARE(m_server->cli({ QStringLiteral("EXISTS"), QStringLiteral("user:2") }), QByteArray("0"));
    QCOMPARE(page.errorText(), QString());
}

void TestKeysPage::cancelledDeleteKeepsKey()
{
    KeysPage page;
    openPage(page, m_client.get());
    page.select(proxyOfKey(page, "plain"));
    page.deleteSelected();
    QMessageBox* box = waitForBox(&page, QStringLiteral("confirmDelete"));
    QVERIFY(box);
    box->button(QMessageBox::Cancel)->click();
    QTRY_VERIFY_WITH_TIMEOUT(!page.findChild<QMessageBox*>(QStringLiteral("confirmDelete")), kTimeout);
    QVERIFY(page.model()->indexOfKey("plain").isValid());
    QCOMPARE(m_server->cli({ QStringLiteral("EXISTS"), QStringLiteral("plain") }), QByteArray("1"));
}

void TestKeysPage::folderDeleteShowsCountFirst()
{
    KeysPage page;
    openPage(page, m_client.get());
    page.select(proxyOfFolder(page, "tmp"));
    page.deleteSelected();
    QMessageBox* box = waitForBox(&page, QStringLiteral("confirmDeleteFolder"));
    QVERIFY(box);
    QVERIFY2(box->text().contains(QStringLiteral("Delete all 30 key(s) matching tmp:*")), qPrintable(box->text()));
    QCOMPARE(m_server->cli({ QStringLiteral("DBSIZE") }), QByteArray::number(8 + 256 + 1 + 30));
    box->button(QMessageBox::Yes)->click();
    QTRY_VERIFY_WITH_TIMEOUT(!page.model()->indexOfFolder("tmp").isValid(), kTimeout);
    QCOMPARE(m_server->cli({ QStringLiteral("DBSIZE") }), QByteArray::number(8 + 256 + 1));
    QVERIFY(page.statusText().contains(QStringLiteral("deleted 30 keys")));
}

void TestKeysPage::setTtlAndPersist()
{
    KeysPage page;
    openPage(page, m_client.get());
    page.select(proxyOfKey(page, "plain"));
    page.setTtlOfSelected();
    QInputDialog* dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((dialog = page.findChild<QInputDialog*>(QStringLiteral("ttlDialog"))), kTimeout);
    dialog->setIntValue(120);
    dialog->accept();
    QTRY_VERIFY_WITH_TIMEOUT(m_server->cli({ QStringLiteral("TTL"), QStringLiteral("plain") }).toInt() > 100, kTimeout);
    const QModelIndex ttl = page.model()->indexOfKey("plain").siblingAtColumn(KeyTreeModel::Ttl);
    QTRY_VERIFY_WITH_TIMEOUT(ttl.data(KeyTreeModel::TtlRole).toLongLong() > 100000, kTimeout);

    page.persistSelected();
    QMessageBox* box = waitForBox(&page, QStringLiteral("confirmPersist"));
    QVERIFY(box);
    box->button(QMessageBox::Yes)->click();
    QTRY_COMPARE_WITH_TIMEOUT(m_server->cli({ QStringLiteral("TTL"), QStringLiteral("plain") }), QByteArray("-1"), kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(ttl.data(KeyTreeModel::TtlRole).toLongLong(), qint64(-1), kTimeout);
}

void TestKeysPage::readOnlyHasNoEdits()
{
    ConnectionOptions options = m_server->options();
    options.readOnly = true;
    RedisClient ro(options);
    BP_OPEN_READY(ro);
    KeysPage page;
    openPage(page, &ro);
    page.select(proxyOfKey(page, "plain"));
    for (const char* name : { "deleteButton", "ttlButton", "persistButton", "renameButton" }) {
        auto* b = page.findChild<QPushButton*>(QString::fromLatin1(name));
        QVERIFY2(!b->isEnabled(), name);
        QCOMPARE(b->toolTip(), QStringLiteral("The connection is read-only"));
    }
    QVERIFY(page.statusText().contains(QStringLiteral("read-only")));
    page.deleteSelected();
    QVERIFY(!page.findChild<QMessageBox*>());
    // Browsing still works.
    QSignalSpy shown(page.viewer(), &KeyValueViewer::shown);
    page.select(proxyOfKey(page, "plain"));
    QVERIFY(shown.wait(kTimeout));
    QCOMPARE(page.viewer()->stringText(), QStringLiteral("no delimiter"));
}

void TestKeysPage::mainWindowHasKeysTab()
{
    MainWindow window;
    auto* tabs = window.findChild<QTabWidget*>();
    QVERIFY(tabs);
    KeysPage* page = window.findChild<KeysPage*>();
    QVERIFY(page);
    QCOMPARE(tabs->tabText(tabs->indexOf(page)), QStringLiteral("Keys"));
    QSignalSpy loaded(page, &KeysPage::loaded);
    window.show();
    window.connectToUrl(m_server->url());
    // Another tab is current: the keyspace is not scanned until the Keys tab is shown.
    QVERIFY(tabs->currentWidget() != page);
    QTRY_VERIFY_WITH_TIMEOUT(window.banner()->state() == ConnectionState::Ready, kTimeout);
    QVERIFY(!page->model()->isLoading()); // a scan would have started at setClient()
    QCOMPARE(page->model()->loadedKeys(), 0u);
    tabs->setCurrentWidget(page);
    QVERIFY(loaded.wait(kTimeout));
    QVERIFY(page->model()->loadedKeys() > 0);
}

void TestKeysPage::scrollingAndExpandingFetchMore()
{
    // Enough keys at the root that one batch does not reach the end.
    QList<Command> c;
    for (int i = 0; i < 400; ++i)
        c << Command { "SET", "root-" + QByteArray::number(i), "x" };
    QVERIFY(test::pipe(*m_server, c));
    const quint64 total = 8 + 256 + 1 + 30 + 400;
    KeysPage page;
    KeyTreeModel::Options o = page.model()->options();
    o.scanCount = 20;
    o.keyLimit = 120;
    page.model()->setOptions(o);
    QSignalSpy fetching(page.model(), &KeyTreeModel::fetchingMore);
    QSignalSpy loaded(&page, &KeysPage::loaded);
    page.resize(900, 500);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.setClient(m_client.get());
    QVERIFY(loaded.wait(kTimeout));
    QVERIFY(page.findChild<QPushButton*>(QStringLiteral("loadMoreButton")) == nullptr);
    auto* busy = page.findChild<QProgressBar*>(QStringLiteral("scanBusy"));
    auto* cancel = page.findChild<QPushButton*>(QStringLiteral("stopButton"));
    QVERIFY(busy && cancel);

    // Laid out and painted, not scrolled: the tree asks for nothing more.
    QScrollBar* bar = page.view()->verticalScrollBar();
    QTRY_VERIFY_WITH_TIMEOUT(bar->maximum() > 0, kTimeout);
    page.view()->viewport()->repaint();
    QCOMPARE(fetching.size(), 0);
    QVERIFY(!page.model()->isLoading());
    QVERIFY(page.model()->loadedKeys() < total);
    QVERIFY2(page.statusText().contains(QStringLiteral("scroll to the end")), qPrintable(page.statusText()));
    QVERIFY(!busy->isVisible());
    QVERIFY(!cancel->isEnabled());

    // Scrolled to the end: the view asks the model for more (fetchMore on the root), one batch.
    const quint64 before = page.model()->loadedKeys();
    int max = bar->maximum();
    bar->setValue(max);
    QTRY_COMPARE_WITH_TIMEOUT(fetching.size(), 1, kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(!page.model()->isLoading(), kTimeout);
    QVERIFY(page.model()->loadedKeys() >= before + 120);
    // The new rows push the end away: no further batch without scrolling again.
    QTRY_VERIFY_WITH_TIMEOUT(bar->maximum() > max, kTimeout);
    page.view()->viewport()->repaint();
    QCOMPARE(fetching.size(), 1);

    // Expanding a folder while the scan is paused fetches the next batch for it.
    QVERIFY(page.model()->canFetchMore({}));
    const QModelIndex folder = page.proxy()->index(0, 0);
    QVERIFY(folder.data(KeyTreeModel::IsFolderRole).toBool());
    page.view()->expand(folder);
    QCOMPARE(fetching.size(), 1); // asked; the batch starts on the next pass of the event loop
    QVERIFY(fetching.wait(kTimeout));
    QCOMPARE(fetching.size(), 2);
    // While a batch is scanned the page says so and offers Cancel; Cancel stops it for good.
    QVERIFY(page.model()->isLoading());
    QVERIFY(busy->isVisible());
    QVERIFY(cancel->isEnabled());
    QVERIFY2(page.statusText().startsWith(QStringLiteral("Scanning")), qPrintable(page.statusText()));
    QTest::mouseClick(cancel, Qt::LeftButton);
    QVERIFY(!page.model()->isLoading());
    QVERIFY(!busy->isVisible());
    QVERIFY2(page.statusText().contains(QStringLiteral("cancelled")), qPrintable(page.statusText()));
    QVERIFY(!page.model()->canFetchMore({}));
    const quint64 kept = page.model()->loadedKeys();
    max = bar->maximum();
    bar->setValue(max);
    page.view()->collapse(folder);
    page.view()->expand(folder);
    QCoreApplication::sendPostedEvents(page.model(), QEvent::MetaCall);
    QCOMPARE(fetching.size(), 2);
    QCOMPARE(page.model()->loadedKeys(), kept);

    // A new Scan; scrolling to the end again and again reaches every key.
    page.refreshNow();
    QVERIFY(loaded.wait(kTimeout));
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            if (!page.model()->isLoading() && page.model()->canFetchMore({}))
                bar->setValue(bar->maximum());
            return page.model()->loadedKeys() == total && !page.model()->isLoading();
        }(),
        kTimeout);
    QCOMPARE(page.statusText(), QStringLiteral("%1 keys").arg(total));
}

QTEST_MAIN(TestKeysPage)
#include "tst_keyspage.moc"
