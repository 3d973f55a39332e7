// SPDX-License-Identifier: MIT
// KeyTreeModel against a real redis-server, under QAbstractItemModelTester from before the
// first row: progressive SCAN pages, filters, limits, lazy metadata, TTLs, ACL, queue tags.
#include "clienttest.h"
#include "keyfixture.h"
#include "keys/keyname.h"
#include "keys/keytreemodel.h"
#include "redisserver.h"

#include <QAbstractItemModelTester>
#include <QCoreApplication>
#include <QSignalSpy>
#include <QTest>

using namespace bullpen;
using namespace bullpen::keys;
using bullpen::test::RedisServer;

namespace {

constexpr int kTimeout = 15000;

QStringList topLevel(const KeyTreeModel& m, const QModelIndex& parent = {})
{
    QStringList out;
    for (int r = 0; r < m.rowCount(parent); ++r) {
        const QModelIndex i = m.index(r, 0, parent);
        out << i.data().toString() + (i.data(KeyTreeModel::IsFolderRole).toBool()
                                             ? QLatin1Char('/') + m.index(r, KeyTreeModel::Keys, parent).data().toString()
                                             : QString());
    }
    out.sort();
    return out;
}

// Asks for the Type cell of every key row below `parent` (what a view does for visible rows).
void touchAll(const KeyTreeModel& m, const QModelIndex& parent = {})
{
    for (int r = 0; r < m.rowCount(parent); ++r) {
        const QModelIndex i = m.index(r, 0, parent);
        if (i.data(KeyTreeModel::IsFolderRole).toBool())
            touchAll(m, i);
        else
            i.siblingAtColumn(KeyTreeModel::Type).data();
    }
}

bool waitLoaded(KeyTreeModel& m)
{
    return QTest::qWaitFor([&] { return !m.isLoading(); }, 4 * kTimeout); // a whole scan, under ASan too
}

} // namespace

class TestKeyTreeModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void everyTypeUnderTester();
    void binaryNames();
    void firstLevelWhileScanning();
    void limitAndLoadMore();
    void testerFetchesBatchByBatch();
    void matchAndTypeArePushedToServer();
    void ttlCountsDown();
    void keyDeletedWhileRead();
    void aclWithoutMemory();
    void folderMemory();
    void queueKeysAreTagged();
    void removeRows();

private:
    std::unique_ptr<RedisServer> m_server;
    std::unique_ptr<RedisClient> m_client;
};

void TestKeyTreeModel::initTestCase()
{
    m_server = std::make_unique<RedisServer>();
    BP_START(*m_server);
    m_client = std::make_unique<RedisClient>(m_server->options());
    BP_OPEN_READY(*m_client);
}

void TestKeyTreeModel::cleanupTestCase()
{
    m_client.reset();
    m_server.reset();
}

void TestKeyTreeModel::init()
{
    m_server->cli({ QStringLiteral("FLUSHALL") });
    QVERIFY(test::pipe(*m_server, test::standardKeys()));
}

void TestKeyTreeModel::everyTypeUnderTester()
{
    KeyTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy finished(&model, &KeyTreeModel::finished);
    model.setClient(m_client.get());
    QVERIFY(finished.wait(kTimeout));
    QCOMPARE(model.loadedKeys(), quint64(8 + 256));
    QCOMPARE(topLevel(model),
        (QStringList { QStringLiteral("bin/256"), QStringLiteral("list/1"), QStringLiteral("plain"),
            QStringLiteral("set/1"), QStringLiteral("stream/1"), QStringLiteral("user/3"), QStringLiteral("zset/1") }));
    const QModelIndex user = model.indexOfFolder("user");
    QVERIFY(user.isValid());
    QCOMPARE(topLevel(model, user), (QStringList { QStringLiteral("1"), QStringLiteral("1/1"), QStringLiteral("2") }));

    touchAll(model);
    const QList<QPair<QByteArray, QString>> expected { { "plain", QStringLiteral("string") },
        { "user:1:profile", QStringLiteral("hash") }, { "list:jobs", QStringLiteral("list") },
        { "set:tags", QStringLiteral("set") }, { "zset:board", QStringLiteral("zset") },
        { "stream:events", QStringLiteral("stream") } };
    for (const auto& [key, type] : expected) {
        const QModelIndex i = model.indexOfKey(key).siblingAtColumn(KeyTreeModel::Type);
        QVERIFY2(i.isValid(), key.constData());
        QTRY_COMPARE_WITH_TIMEOUT(i.data().toString(), type, kTimeout);
        QVERIFY(!i.siblingAtColumn(KeyTreeModel::Encoding).data().toString().isEmpty());
        QVERIFY(i.data(KeyTreeModel::MemoryRole).toLongLong() > 0);
        QCOMPARE(i.data(KeyTreeModel::TtlRole).toLongLong(), qint64(-1));
    }
}

void TestKeyTreeModel::binaryNames()
{
    KeyTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(m_client.get());
    QVERIFY(waitLoaded(model));
    const QModelIndex bin = model.indexOfFolder("bin");
    QCOMPARE(bin.siblingAtColumn(KeyTreeModel::Keys).data().toString(), QStringLiteral("256"));
    for (int b = 0; b < 256; ++b) {
        const QByteArray name = QByteArray("bin:") + char(b);
        const QModelIndex i = model.indexOfKey(name);
        QVERIFY2(i.isValid(), name.toHex().constData());
        QCOMPARE(i.data(KeyTreeModel::KeyNameRole).toByteArray(), name);
        // "bin::" is the empty leaf of the empty folder "bin:"+"".
        QCOMPARE(i.data().toString(), b == ':' ? QStringLiteral("(empty)") : displayBytes(name.mid(4)));
        // Shown escaped: never a control character on screen.
        for (const QChar c : i.data().toString())
            QVERIFY2(c.isPrint(), qPrintable(i.data().toString()));
    }
    QCOMPARE(model.indexOfKey(QByteArray("bin:\0", 5)).data().toString(), QStringLiteral("\\x00"));
    QCOMPARE(model.indexOfKey(QByteArray("bin:\n")).data().toString(), QStringLiteral("\\x0a"));
    // Metadata of a binary name is read with the exact bytes.
    const QModelIndex ff = model.indexOfKey(QByteArray("bin:\xff")).siblingAtColumn(KeyTreeModel::Type);
    ff.data();
    QTRY_COMPARE_WITH_TIMEOUT(ff.data().toString(), QStringLiteral("string"), kTimeout);
}

void TestKeyTreeModel::firstLevelWhileScanning()
{
    QList<Command> many;
    for (int i = 0; i < 1200; ++i)
        many << Command { "SET", "bulk:" + QByteArray::number(i), "v" };
    QVERIFY(test::pipe(*m_server, many));
    KeyTreeModel model;
    KeyTreeModel::Options o;
    // Many pages: the tester checks the whole model on each, so not too many keys either
    // (3,000 in pages of 50 took over 15 s under ASan on a loaded machine).
    o.scanCount = 25;
    o.keyLimit = 0;
    model.setOptions(o);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy first(&model, &KeyTreeModel::firstPageShown);
    model.setClient(m_client.get());
    QVERIFY(first.wait(kTimeout));
    // Rows are there while the scan still runs.
    QVERIFY(model.isLoading());
    QVERIFY(model.rowCount() > 0);
    QVERIFY(model.loadedKeys() < 1200 + 264);
    QVERIFY(waitLoaded(model));
    QCOMPARE(model.loadedKeys(), quint64(1200 + 264));
    QCOMPARE(model.index(model.indexOfFolder("bulk").row(), KeyTreeModel::Keys).data().toString(),
        QStringLiteral("1200"));
}

void TestKeyTreeModel::limitAndLoadMore()
{
    // Nothing asks for more here (no view, no tester): the scan pauses after each batch.
    KeyTreeModel model;
    KeyTreeModel::Options o;
    o.scanCount = 20;
    o.keyLimit = 100;
    model.setOptions(o);
    QSignalSpy finished(&model, &KeyTreeModel::finished);
    QSignalSpy fetching(&model, &KeyTreeModel::fetchingMore);
    model.setClient(m_client.get());
    QVERIFY(finished.wait(kTimeout));
    QVERIFY(model.loadedKeys() >= 100);
    QVERIFY(model.loadedKeys() < 264);
    QVERIFY(model.canLoadMore());
    QVERIFY(model.canFetchMore({}));

    // The root and folders can fetch the next batch; keys and other columns cannot.
    QModelIndex folder, key;
    for (int r = 0; r < model.rowCount(); ++r) {
        const QModelIndex i = model.index(r, 0);
        (i.data(KeyTreeModel::IsFolderRole).toBool() ? folder : key) = i;
    }
    QVERIFY(folder.isValid());
    QVERIFY(model.canFetchMore(folder));
    QVERIFY(!model.canFetchMore(folder.siblingAtColumn(KeyTreeModel::Keys)));
    if (key.isValid())
        QVERIFY(!model.canFetchMore(key));

    // fetchMore only asks: one request, the batch starts on the next pass of the event loop.
    const quint64 before = model.loadedKeys();
    model.fetchMore(folder);
    QVERIFY(!model.canFetchMore({}));
    QVERIFY(!model.isLoading());
    QVERIFY(fetching.wait(kTimeout));
    QVERIFY(model.isLoading());
    QVERIFY(finished.wait(kTimeout));
    QCOMPARE(fetching.size(), 1);
    QVERIFY(model.loadedKeys() >= before + 100 || model.loadedKeys() == 264);

    // Cancel after asking: the asked-for batch never starts, and nothing more is fetched.
    QVERIFY(model.canFetchMore({}));
    const quint64 kept = model.loadedKeys();
    model.fetchMore({});
    model.cancel();
    QVERIFY(model.isCancelled());
    QVERIFY(!model.canFetchMore({}));
    QCoreApplication::sendPostedEvents(&model, QEvent::MetaCall); // the queued request runs now
    QCOMPARE(fetching.size(), 1);
    QVERIFY(!model.isLoading());
    QCOMPARE(model.loadedKeys(), kept);

    // An explicit loadMore() scans on to the end.
    while (model.canLoadMore()) {
        model.loadMore();
        QVERIFY(finished.wait(kTimeout));
    }
    QCOMPARE(model.loadedKeys(), quint64(264));
    QVERIFY(!model.canFetchMore({}));
}

void TestKeyTreeModel::testerFetchesBatchByBatch()
{
    // QAbstractItemModelTester treats the model as dynamically populated: whenever it checks a
    // parent that canFetchMore() it calls fetchMore(), so it pulls in batch after batch.
    KeyTreeModel model;
    KeyTreeModel::Options o;
    o.scanCount = 20;
    o.keyLimit = 50;
    model.setOptions(o);
    QSignalSpy fetching(&model, &KeyTreeModel::fetchingMore);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(m_client.get());
    QTRY_COMPARE_WITH_TIMEOUT(model.loadedKeys(), quint64(264), kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), kTimeout);
    QVERIFY2(fetching.size() >= 3, qPrintable(QString::number(fetching.size())));
    QVERIFY(!model.canFetchMore({}));
}

void TestKeyTreeModel::matchAndTypeArePushedToServer()
{
    KeyTreeModel model;
    KeyTreeModel::Options o;
    o.match = "user:*";
    o.type = "hash";
    model.setOptions(o);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(m_client.get());
    QVERIFY(waitLoaded(model));
    QCOMPARE(model.loadedKeys(), quint64(1));
    QVERIFY(model.indexOfKey("user:1:profile").isValid());
}

void TestKeyTreeModel::ttlCountsDown()
{
    KeyTreeModel model;
    model.setClient(m_client.get());
    QVERIFY(waitLoaded(model));
    const QModelIndex ttl = model.indexOfKey("user:2").siblingAtColumn(KeyTreeModel::Ttl);
    ttl.data();
    QTRY_VERIFY_WITH_TIMEOUT(ttl.data(KeyTreeModel::TtlRole).toLongLong() > 0, kTimeout);
    const qint64 first = ttl.data(KeyTreeModel::TtlRole).toLongLong();
    QVERIFY(first <= 600000);
    QVERIFY(ttl.data().toString().contains(QLatin1Char('m')));
    // The cell counts down by itself: a dataChanged from the model's timer, no new request.
    QSignalSpy changed(&model, &KeyTreeModel::dataChanged);
    QTRY_VERIFY_WITH_TIMEOUT(!changed.isEmpty(), kTimeout);
    QCOMPARE(changed.first().at(0).value<QModelIndex>(), ttl);
    QTRY_VERIFY_WITH_TIMEOUT(ttl.data(KeyTreeModel::TtlRole).toLongLong() < first - 500, kTimeout);
}

void TestKeyTreeModel::keyDeletedWhileRead()
{
    KeyTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(m_client.get());
    QVERIFY(waitLoaded(model));
    m_server->cli({ QStringLiteral("DEL"), QStringLiteral("plain") });
    m_server->cli({ QStringLiteral("PEXPIRE"), QStringLiteral("set:tags"), QStringLiteral("1") });
    QTRY_COMPARE_WITH_TIMEOUT(m_server->cli({ QStringLiteral("EXISTS"), QStringLiteral("set:tags") }), QByteArray("0"), kTimeout);
    const QModelIndex plain = model.indexOfKey("plain").siblingAtColumn(KeyTreeModel::Type);
    const QModelIndex tags = model.indexOfKey("set:tags").siblingAtColumn(KeyTreeModel::Type);
    plain.data();
    tags.data();
    QTRY_COMPARE_WITH_TIMEOUT(plain.data().toString(), QStringLiteral("gone"), kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(tags.data().toString(), QStringLiteral("gone"), kTimeout);
    QCOMPARE(plain.siblingAtColumn(KeyTreeModel::Ttl).data().toString(), QStringLiteral("expired"));
    QCOMPARE(plain.data(KeyTreeModel::TtlRole).toLongLong(), qint64(-2));
    // Taking the row out after the fact is a clean removal.
    model.dropRow(plain);
    QVERIFY(!model.indexOfKey("plain").isValid());
}

void TestKeyTreeModel::aclWithoutMemory()
{
    m_server->cli({ QStringLiteral("ACL"), QStringLiteral("SETUSER"), QStringLiteral("nomem"), QStringLiteral("on"),
        QStringLiteral(">pw"), QStringLiteral("~*"), QStringLiteral("+@all"), QStringLiteral("-memory") });
    ConnectionOptions options = m_server->options();
    options.user = QStringLiteral("nomem");
    options.password = QStringLiteral("pw");
    RedisClient limited(options);
    BP_OPEN_READY(limited);
    KeyTreeModel model;
    QSignalSpy unavailable(&model, &KeyTreeModel::memoryUnavailable);
    model.setClient(&limited);
    QVERIFY(waitLoaded(model));
    const QModelIndex mem = model.indexOfKey("plain").siblingAtColumn(KeyTreeModel::Memory);
    mem.data();
    QVERIFY(unavailable.wait(kTimeout));
    QVERIFY(model.memoryUnavailableReason().contains(QLatin1String("NOPERM")));
    QCOMPARE(mem.data().toString(), QStringLiteral("n/a (no permission)"));
    QVERIFY(mem.data(Qt::ToolTipRole).toString().contains(QLatin1String("memory")));
    // The other columns still fill in.
    QTRY_COMPARE_WITH_TIMEOUT(mem.siblingAtColumn(KeyTreeModel::Type).data().toString(), QStringLiteral("string"), kTimeout);
}

void TestKeyTreeModel::folderMemory()
{
    KeyTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(m_client.get());
    QVERIFY(waitLoaded(model));
    const QModelIndex bin = model.indexOfFolder("bin");
    QSignalSpy done(&model, &KeyTreeModel::folderMemoryDone);
    model.computeFolderMemory(bin, 100);
    QVERIFY(model.isComputingMemory());
    QVERIFY(done.wait(kTimeout));
    const qint64 bytes = bin.siblingAtColumn(KeyTreeModel::Memory).data(KeyTreeModel::MemoryRole).toLongLong();
    QVERIFY(bytes > 100 * 8);
    QVERIFY2(bin.siblingAtColumn(KeyTreeModel::Memory).data().toString().startsWith(QStringLiteral("≥ ")),
        "a bounded pass says it is a lower bound");
    // Cancelled: nothing is left running and the cell is empty again.
    model.computeFolderMemory(bin);
    model.cancelFolderMemory();
    QVERIFY(!model.isComputingMemory());
    QCOMPARE(bin.siblingAtColumn(KeyTreeModel::Memory).data().toString(), QString());
}

void TestKeyTreeModel::queueKeysAreTagged()
{
    QVERIFY(test::pipe(*m_server,
        { { "HSET", "bull:emails:meta", "opts.maxLenEvents", "10000" }, { "SET", "bull:emails:id", "3" },
            { "LPUSH", "bull:emails:wait", "3" } }));
    KeyTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(m_client.get());
    QVERIFY(waitLoaded(model));
    const QModelIndex wait = model.indexOfKey("bull:emails:wait");
    QTRY_COMPARE_WITH_TIMEOUT(wait.data(KeyTreeModel::QueueRole).toString(), QStringLiteral("bull:emails"), kTimeout);
    const QModelIndex folder = model.indexOfFolder("bull:emails");
    QCOMPARE(folder.data(KeyTreeModel::QueueRole).toString(), QStringLiteral("bull:emails"));
    QCOMPARE(folder.siblingAtColumn(KeyTreeModel::Type).data().toString(), QStringLiteral("queue"));
    QCOMPARE(model.indexOfKey("plain").data(KeyTreeModel::QueueRole).toString(), QString());
    QCOMPARE(model.indexOfFolder("bull").data(KeyTreeModel::QueueRole).toString(), QString());
}

void TestKeyTreeModel::removeRows()
{
    KeyTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(m_client.get());
    QVERIFY(waitLoaded(model));
    const int top = model.rowCount();
    // The last key of a folder takes the folder with it.
    model.dropRow(model.indexOfKey("list:jobs"));
    QCOMPARE(model.rowCount(), top - 1);
    QVERIFY(!model.indexOfFolder("list").isValid());
    model.dropRow(model.indexOfKey("user:1"));
    QCOMPARE(model.index(model.indexOfFolder("user").row(), KeyTreeModel::Keys).data().toString(), QStringLiteral("2"));
    model.dropRow(model.indexOfFolder("bin"));
    QCOMPARE(model.loadedKeys(), quint64(8 - 2));
    QCOMPARE(model.rowCount(), top - 2);
}

QTEST_GUILESS_MAIN(TestKeyTreeModel)
#include "tst_keytreemodel.moc"
