// SPDX-License-Identifier: MIT
// Value readers per type, a 50 MB string read as its head, keys changing while read, and the
// confirmed edits (TTL, persist, rename, unlink, folder delete) on read-write and read-only.
#include "clienttest.h"
#include "keyfixture.h"
#include "keys/keyactions.h"
#include "keys/keyvaluemodel.h"
#include "redisserver.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace bullpen;
using namespace bullpen::keys;
using bullpen::test::RedisServer;

namespace {

constexpr int kTimeout = 15000;

// Reads every page (what a view does while scrolling) and dumps "first=second" rows.
QStringList readAll(KeyValueModel& m)
{
    if (!QTest::qWaitFor([&] { return !m.isLoading(); }, kTimeout))
        return { QStringLiteral("(timed out)") };
    while (m.canFetchMore({})) {
        m.fetchMore({});
        if (!QTest::qWaitFor([&] { return !m.isLoading(); }, kTimeout))
            break;
    }
    QStringList out;
    for (int r = 0; r < m.rowCount(); ++r)
        out << m.index(r, 0).data().toString() + QLatin1Char('=') + m.index(r, 1).data().toString();
    return out;
}

qint64 rssKiB()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

} // namespace

class TestKeyValue : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();

    void hashPages();
    void listPages();
    void setPages();
    void zsetWithScores();
    void streamWithGroups();
    void binaryValues();
    void largeStringHeadOnly();
    void stringFormats();
    void keyGoneWhileRead();
    void editsOnReadWrite();
    void editsRefusedOnReadOnly();
    void folderDeleteCountsThenUnlinks();

private:
    std::unique_ptr<RedisServer> m_server;
    std::unique_ptr<RedisClient> m_client;
};

void TestKeyValue::initTestCase()
{
    m_server = std::make_unique<RedisServer>();
    BP_START(*m_server);
    m_client = std::make_unique<RedisClient>(m_server->options());
    BP_OPEN_READY(*m_client);
}

void TestKeyValue::init()
{
    m_server->cli({ QStringLiteral("FLUSHALL") });
}

void TestKeyValue::hashPages()
{
    QList<Command> c;
    Command h { "HSET", "h" };
    for (int i = 0; i < 1000; ++i)
        h << "f" + QByteArray::number(i) << "v" + QByteArray::number(i);
    c << h;
    QVERIFY(test::pipe(*m_server, c));
    {
        // No view, no tester: nothing but the first page is read.
        KeyValueModel first;
        QSignalSpy page(&first, &KeyValueModel::pageLoaded);
        first.load(m_client.get(), "h", KeyType::Hash, 100);
        QVERIFY(page.wait(kTimeout));
        QVERIFY(first.rowCount() > 0);
        QVERIFY(first.rowCount() < 1000); // one HSCAN page, not the whole hash
        QTRY_COMPARE_WITH_TIMEOUT(first.length(), qint64(1000), kTimeout);
    }
    KeyValueModel m;
    // The tester fetches more by itself (as a scrolling view does).
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.load(m_client.get(), "h", KeyType::Hash, 100);
    const QStringList rows = readAll(m);
    QCOMPARE(QSet<QString>(rows.begin(), rows.end()).size(), 1000);
    QVERIFY(rows.contains(QStringLiteral("f7=v7")));
    QCOMPARE(m.headerData(0, Qt::Horizontal).toString(), QStringLiteral("Field"));
}

void TestKeyValue::listPages()
{
    Command l { "RPUSH", "l" };
    for (int i = 0; i < 450; ++i)
        l << "item" + QByteArray::number(i);
    QVERIFY(test::pipe(*m_server, { l }));
    KeyValueModel m;
    QSignalSpy page(&m, &KeyValueModel::pageLoaded);
    m.load(m_client.get(), "l", KeyType::List, 200);
    QVERIFY(page.wait(kTimeout));
    QCOMPARE(m.rowCount(), 200);
    const QStringList rows = readAll(m);
    QCOMPARE(rows.size(), 450);
    QCOMPARE(rows.first(), QStringLiteral("0=item0"));
    QCOMPARE(rows.last(), QStringLiteral("449=item449"));
}

void TestKeyValue::setPages()
{
    Command s { "SADD", "s" };
    for (int i = 0; i < 300; ++i)
        s << "m" + QByteArray::number(i);
    QVERIFY(test::pipe(*m_server, { s }));
    KeyValueModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.load(m_client.get(), "s", KeyType::Set, 50);
    const QStringList rows = readAll(m);
    QCOMPARE(QSet<QString>(rows.begin(), rows.end()).size(), 300);
    QVERIFY(rows.contains(QStringLiteral("m42=")));
}

void TestKeyValue::zsetWithScores()
{
    QVERIFY(test::pipe(*m_server, { { "ZADD", "z", "2.5", "b", "1", "a", "-3", "c", "1e3", "d" } }));
    KeyValueModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.load(m_client.get(), "z", KeyType::ZSet, 2);
    QCOMPARE(readAll(m),
        (QStringList { QStringLiteral("c=-3"), QStringLiteral("a=1"), QStringLiteral("b=2.5"),
            QStringLiteral("d=1000") }));
    QCOMPARE(m.index(3, 1).data(KeyValueModel::SortRole).toDouble(), 1000.0);
}

void TestKeyValue::streamWithGroups()
{
    QList<Command> c;
    for (int i = 1; i <= 25; ++i)
        c << Command { "XADD", "st", QByteArray::number(i) + "-0", "n", QByteArray::number(i) };
    c << Command { "XGROUP", "CREATE", "st", "workers", "0" };
    c << Command { "XREADGROUP", "GROUP", "workers", "alice", "COUNT", "3", "STREAMS", "st", ">" };
    QVERIFY(test::pipe(*m_server, c));
    KeyValueModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy groups(&m, &KeyValueModel::streamGroupsChanged);
    m.load(m_client.get(), "st", KeyType::Stream, 10);
    const QStringList rows = readAll(m);
    QCOMPARE(rows.size(), 25);
    QCOMPARE(rows.first(), QStringLiteral("1-0=n=1"));
    QCOMPARE(rows.last(), QStringLiteral("25-0=n=25"));
    QTRY_VERIFY_WITH_TIMEOUT(!groups.isEmpty(), kTimeout);
    const QString text = m.streamGroups().join(QLatin1Char('\n'));
    QVERIFY2(text.contains(QStringLiteral("group workers: 1 consumers, 3 pending")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("consumer alice: 3 pending")), qPrintable(text));
}

void TestKeyValue::binaryValues()
{
    QByteArray all;
    for (int b = 0; b < 256; ++b)
        all += char(b);
    QVERIFY(test::pipe(*m_server, { { "HSET", "bh", QByteArray("f\0\xff", 3), all }, { "SET", "bs", all } }));
    KeyValueModel m;
    m.load(m_client.get(), "bh", KeyType::Hash);
    QTRY_COMPARE_WITH_TIMEOUT(m.rowCount(), 1, kTimeout);
    QCOMPARE(m.index(0, 0).data(KeyValueModel::RawRole).toByteArray(), QByteArray("f\0\xff", 3));
    QCOMPARE(m.index(0, 1).data(KeyValueModel::RawRole).toByteArray(), all);
    QCOMPARE(m.index(0, 0).data().toString(), QStringLiteral("f\\x00\\xff"));

    StringValue s;
    QSignalSpy loaded(&s, &StringValue::loaded);
    s.load(m_client.get(), "bs");
    QVERIFY(loaded.wait(kTimeout));
    QCOMPARE(s.bytes(), all);
    QVERIFY(s.isComplete());
    const QString hex = format::hex(s.bytes());
    QVERIFY(hex.startsWith(QStringLiteral("00000000  00 01 02 03")));
    QVERIFY(hex.contains(QStringLiteral("|.....")));
    QVERIFY(!format::text(s.bytes()).contains(QChar(0)));
}

void TestKeyValue::largeStringHeadOnly()
{
    // 50 MB, made on the server so the test process never holds it.
    m_server->cli({ QStringLiteral("SETRANGE"), QStringLiteral("big"), QString::number(50 * 1000 * 1000 - 4),
        QStringLiteral("tail") });
    m_server->cli({ QStringLiteral("SETRANGE"), QStringLiteral("big"), QStringLiteral("0"), QStringLiteral("head") });
    const qint64 rssBefore = rssKiB();
    StringValue s;
    QSignalSpy loaded(&s, &StringValue::loaded);
    s.load(m_client.get(), "big", 64 * 1024);
    QVERIFY(loaded.wait(kTimeout));
    QCOMPARE(s.length(), qint64(50 * 1000 * 1000));
    QCOMPARE(s.bytes().size(), 64 * 1024);
    QVERIFY(s.bytes().startsWith("head"));
    QVERIFY(!s.isComplete());
    // More on demand, a chunk at a time.
    s.loadMore(1024 * 1024);
    QVERIFY(loaded.wait(kTimeout));
    QCOMPARE(s.bytes().size(), 64 * 1024 + 1024 * 1024);
    const qint64 grown = rssKiB() - rssBefore;
    QVERIFY2(grown < 20 * 1024, qPrintable(QStringLiteral("RSS grew by %1 KiB").arg(grown)));
}

void TestKeyValue::stringFormats()
{
    QCOMPARE(format::prettyJson("{\"a\":[1,2]}"), QStringLiteral("{\n    \"a\": [\n        1,\n        2\n    ]\n}\n"));
    QVERIFY(format::prettyJson("not json").isNull());
    QCOMPARE(format::text("line1\nline2\t\x01"), QStringLiteral("line1\nline2\t\\x01"));
    QCOMPARE(format::hex("hello", 3), QStringLiteral("00000000  68 65 6c") + QString(13 * 3, QLatin1Char(' '))
            + QStringLiteral("  |hel|\n… 2 more bytes\n"));
}

void TestKeyValue::keyGoneWhileRead()
{
    Command l { "RPUSH", "vanish" };
    for (int i = 0; i < 100; ++i)
        l << QByteArray::number(i);
    QVERIFY(test::pipe(*m_server, { l, { "SET", "s", "x" } }));
    KeyValueModel m;
    QSignalSpy page(&m, &KeyValueModel::pageLoaded);
    m.load(m_client.get(), "vanish", KeyType::List, 10);
    QVERIFY(page.wait(kTimeout));
    QCOMPARE(m.rowCount(), 10);
    m_server->cli({ QStringLiteral("DEL"), QStringLiteral("vanish") });
    // The next page is empty: the reader ends instead of waiting forever.
    QCOMPARE(readAll(m).size(), 10);
    QVERIFY(m.atEnd());
    // Replaced by another type: WRONGTYPE reaches the viewer as an error.
    QSignalSpy failed(&m, &KeyValueModel::failed);
    m.load(m_client.get(), "s", KeyType::Hash);
    QVERIFY(failed.wait(kTimeout));
    QVERIFY(failed.first().at(0).toString().contains(QLatin1String("WRONGTYPE")));
    // A string that expired: STRLEN 0, nothing to show.
    StringValue s;
    QSignalSpy loaded(&s, &StringValue::loaded);
    s.load(m_client.get(), "nope");
    QVERIFY(loaded.wait(kTimeout));
    QCOMPARE(s.length(), qint64(0));
    QVERIFY(s.isComplete());
}

void TestKeyValue::editsOnReadWrite()
{
    QVERIFY(test::pipe(*m_server, { { "SET", "k", "v" } }));
    BP_AWAIT(ttl, setTtl(m_client.get(), "k", 100000));
    QCOMPARE(ttl.integer(), qint64(1));
    QVERIFY(m_server->cli({ QStringLiteral("PTTL"), QStringLiteral("k") }).toLongLong() > 90000);
    BP_AWAIT(p, persist(m_client.get(), "k"));
    QCOMPARE(p.integer(), qint64(1));
    QCOMPARE(m_server->cli({ QStringLiteral("TTL"), QStringLiteral("k") }), QByteArray("-1"));
    BP_AWAIT(r, renameKey(m_client.get(), "k", "k2"));
    QCOMPARE(r.integer(), qint64(1));
    QVERIFY(test::pipe(*m_server, { { "SET", "other", "o" } }));
    BP_AWAIT(r2, renameKey(m_client.get(), "k2", "other"));
    QCOMPARE(r2.integer(), qint64(0)); // never overwrites
    QCOMPARE(m_server->cli({ QStringLiteral("GET"), QStringLiteral("other") }), QByteArray("o"));
    BP_AWAIT(u, unlinkKey(m_client.get(), "k2"));
    QCOMPARE(u.integer(), qint64(1));
    QCOMPARE(m_server->cli({ QStringLiteral("EXISTS"), QStringLiteral("k2") }), QByteArray("0"));
}

void TestKeyValue::editsRefusedOnReadOnly()
{
    QVERIFY(test::pipe(*m_server, { { "SET", "k", "v" }, { "SET", "f:1", "v" } }));
    ConnectionOptions options = m_server->options();
    options.readOnly = true;
    RedisClient ro(options);
    BP_OPEN_READY(ro);
    for (const QFuture<Reply>& f : { setTtl(&ro, "k", 1000), persist(&ro, "k"), renameKey(&ro, "k", "x"),
             unlinkKey(&ro, "k") }) {
        BP_AWAIT(r, f);
        QCOMPARE(r.errorKind(), Reply::ErrorKind::Refused);
    }
    FolderDeleter del(&ro, folderPattern("f", ":"));
    QSignalSpy failed(&del, &FolderDeleter::failed);
    del.run();
    QVERIFY(failed.wait(kTimeout));
    QCOMPARE(failed.first().at(1).value<Reply::ErrorKind>(), Reply::ErrorKind::Refused);
    QCOMPARE(m_server->cli({ QStringLiteral("DBSIZE") }), QByteArray("2"));
}

void TestKeyValue::folderDeleteCountsThenUnlinks()
{
    QList<Command> c;
    for (int i = 0; i < 2500; ++i)
        c << Command { "SET", "tmp:" + QByteArray::number(i), "v" };
    c << Command { "SET", "tmp", "the key named like the folder stays" };
    c << Command { "SET", "tmpx:1", "a sibling prefix stays" };
    c << Command { "SET", "tmp*:1", "glob characters are escaped" };
    QVERIFY(test::pipe(*m_server, c));
    FolderDeleter del(m_client.get(), folderPattern("tmp", ":"));
    QSignalSpy counted(&del, &FolderDeleter::counted);
    del.count();
    QVERIFY(counted.wait(kTimeout));
    QCOMPARE(counted.first().at(0).toLongLong(), qint64(2500));
    QCOMPARE(m_server->cli({ QStringLiteral("DBSIZE") }), QByteArray("2503"));
    QSignalSpy done(&del, &FolderDeleter::done);
    del.run();
    QVERIFY(done.wait(kTimeout));
    QCOMPARE(done.first().at(0).toLongLong(), qint64(2500));
    QCOMPARE(m_server->cli({ QStringLiteral("DBSIZE") }), QByteArray("3"));
    QCOMPARE(folderPattern("a*b", ":"), QByteArray("a\\*b:*"));
}

QTEST_GUILESS_MAIN(TestKeyValue)
#include "tst_keyvalue.moc"
