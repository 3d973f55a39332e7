// SPDX-License-Identifier: MIT
// The compact key tree on its own: splitting, duplicates, publishing ranges, removal, memory.
#include "keys/keyname.h"
#include "keys/keytree.h"

#include <QTest>

using namespace bullpen::keys;

namespace {

// "a(2)[b(1)[c] d]" style dump of visible rows, in row order.
QString dump(const KeyTree& t, KeyTree::Id folder = 0)
{
    QStringList parts;
    for (int r = 0; r < t.visibleCount(folder); ++r) {
        const KeyTree::Id n = t.child(folder, r);
        QString s = displayBytes(t.segment(n).toByteArray());
        if (t.isFolder(n))
            s += QStringLiteral("(%1)[%2]").arg(t.keyCount(t.folderOf(n))).arg(dump(t, t.folderOf(n)));
        parts << s;
    }
    return parts.join(QLatin1Char(' '));
}

struct Published {
    QStringList ranges;
    void record(KeyTree& t)
    {
        t.publish(
            [this, &t](KeyTree::Id f, int first, int last) {
                ranges << QStringLiteral("%1:%2-%3")
                              .arg(f == 0 ? QStringLiteral("/") : displayBytes(t.fullName(t.folderNode(f))))
                              .arg(first)
                              .arg(last);
            },
            [] {});
    }
};

} // namespace

class TestKeyTree : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void splitsOnDelimiter();
    void keyAndFolderOfTheSameName();
    void emptySegmentsAndTrailingDelimiters();
    void multiByteDelimiterAndNoDelimiter();
    void maxDepth();
    void duplicatesAreIgnored();
    void publishAnnouncesOnlyVisibleFolders();
    void removeKeepsRowsAndCounts();
    void binaryNamesRoundTrip();
    void displayEscapes();
    void compactMemory();
};

void TestKeyTree::splitsOnDelimiter()
{
    KeyTree t;
    for (const char* k : { "user:1", "user:2", "session:abc", "plain", "user:1:profile" })
        QVERIFY(t.addKey(QByteArray(k)) != KeyTree::kNone);
    Published p;
    p.record(t);
    QCOMPARE(p.ranges, QStringList { QStringLiteral("/:0-2") });
    QCOMPARE(dump(t), QStringLiteral("user(3)[1 2 1(1)[profile]] session(1)[abc] plain"));
    QCOMPARE(t.keyCount(), quint64(5));
    QCOMPARE(t.fullName(t.findKey("user:1:profile")), QByteArray("user:1:profile"));
    QCOMPARE(t.fullName(t.folderNode(t.findFolder("user:1"))), QByteArray("user:1"));
    QCOMPARE(t.findKey("user"), KeyTree::kNone);
}

void TestKeyTree::keyAndFolderOfTheSameName()
{
    KeyTree t;
    t.addKey("a");
    t.addKey("a:b");
    t.publish([](KeyTree::Id, int, int) {}, [] {});
    QCOMPARE(dump(t), QStringLiteral("a a(1)[b]"));
    QVERIFY(t.findKey("a") != KeyTree::kNone);
    QVERIFY(t.findFolder("a") != KeyTree::kNone);
}

void TestKeyTree::emptySegmentsAndTrailingDelimiters()
{
    KeyTree t;
    for (const char* k : { "a::b", "a:", ":x", ":" })
        QVERIFY(t.addKey(QByteArray(k)) != KeyTree::kNone);
    t.publish([](KeyTree::Id, int, int) {}, [] {});
    QCOMPARE(dump(t), QStringLiteral("a(2)[(1)[b] ] (2)[x ]"));
    for (const char* k : { "a::b", "a:", ":x", ":" })
        QCOMPARE(t.fullName(t.findKey(QByteArray(k))), QByteArray(k));
}

void TestKeyTree::multiByteDelimiterAndNoDelimiter()
{
    KeyTree t(QByteArrayLiteral("::"));
    t.addKey("a::b::c");
    t.addKey("a:b");
    t.publish([](KeyTree::Id, int, int) {}, [] {});
    QCOMPARE(dump(t), QStringLiteral("a(1)[b(1)[c]] a:b"));

    KeyTree flat(QByteArray {});
    flat.addKey("a:b");
    flat.addKey("c");
    flat.publish([](KeyTree::Id, int, int) {}, [] {});
    QCOMPARE(dump(flat), QStringLiteral("a:b c"));
}

void TestKeyTree::maxDepth()
{
    KeyTree t(QByteArrayLiteral(":"), 1);
    t.addKey("a:b:c");
    t.addKey("a:d");
    t.publish([](KeyTree::Id, int, int) {}, [] {});
    QCOMPARE(dump(t), QStringLiteral("a(2)[b:c d]"));
    QCOMPARE(t.fullName(t.findKey("a:b:c")), QByteArray("a:b:c"));
}

void TestKeyTree::duplicatesAreIgnored()
{
    KeyTree t;
    QVERIFY(t.addKey("x:1") != KeyTree::kNone);
    QCOMPARE(t.addKey("x:1"), KeyTree::kNone);
    QCOMPARE(t.keyCount(), quint64(1));
}

void TestKeyTree::publishAnnouncesOnlyVisibleFolders()
{
    KeyTree t;
    t.addKey("a:1");
    Published p;
    p.record(t);
    QCOMPARE(p.ranges, QStringList { QStringLiteral("/:0-0") });
    // A page with a key in a visible folder, a new folder with a new subfolder, and a root key.
    t.addKey("a:2");
    t.addKey("b:c:1");
    t.addKey("b:c:2");
    t.addKey("r");
    Published q;
    q.record(t);
    QCOMPARE(q.ranges, (QStringList { QStringLiteral("/:1-2"), QStringLiteral("a:1-1") }));
    QCOMPARE(dump(t), QStringLiteral("a(2)[1 2] b(2)[c(2)[1 2]] r"));
    Published none;
    none.record(t);
    QVERIFY(none.ranges.isEmpty());
}

void TestKeyTree::removeKeepsRowsAndCounts()
{
    KeyTree t;
    for (const char* k : { "a:1", "b:x", "a:2", "c:y", "a:sub:z" })
        t.addKey(QByteArray(k));
    t.publish([](KeyTree::Id, int, int) {}, [] {});
    QCOMPARE(t.remove(t.folderNode(t.findFolder("b"))), quint64(1));
    QCOMPARE(dump(t), QStringLiteral("a(3)[1 2 sub(1)[z]] c(1)[y]"));
    QCOMPARE(t.folderRow(t.findFolder("c")), 1);
    QCOMPARE(t.remove(t.findKey("a:1")), quint64(1));
    QCOMPARE(t.keyCount(), quint64(3));
    QCOMPARE(t.folderRow(t.findFolder("a:sub")), 1);
    QCOMPARE(t.findKey("a:1"), KeyTree::kNone);
    QCOMPARE(t.findFolder("b"), KeyTree::kNone);
    // Coming back: the key and the folder are rows again.
    QVERIFY(t.addKey("b:new") != KeyTree::kNone);
    QVERIFY(t.addKey("a:1") != KeyTree::kNone);
    Published p;
    p.record(t);
    QCOMPARE(p.ranges, (QStringList { QStringLiteral("/:2-2"), QStringLiteral("a:2-2") }));
    QCOMPARE(dump(t), QStringLiteral("a(3)[2 sub(1)[z] 1] c(1)[y] b(1)[new]"));
}

void TestKeyTree::binaryNamesRoundTrip()
{
    KeyTree t;
    QList<QByteArray> names;
    for (int b = 0; b < 256; ++b) {
        names << QByteArray("bin:") + char(b) + QByteArray("\xff:", 2) + char(255 - b);
        names << QByteArray(1, char(b));
    }
    for (const QByteArray& n : std::as_const(names))
        QVERIFY(t.addKey(n) != KeyTree::kNone);
    t.publish([](KeyTree::Id, int, int) {}, [] {});
    QCOMPARE(t.keyCount(), quint64(names.size() - 0));
    for (const QByteArray& n : std::as_const(names)) {
        const KeyTree::Id id = t.findKey(n);
        QVERIFY2(id != KeyTree::kNone, n.toHex().constData());
        QCOMPARE(t.fullName(id), n);
    }
}

void TestKeyTree::displayEscapes()
{
    QCOMPARE(displayBytes("user:1"), QStringLiteral("user:1"));
    QCOMPARE(displayBytes(QByteArray("a\0b", 3)), QStringLiteral("a\\x00b"));
    QCOMPARE(displayBytes("\xff\xfe"), QStringLiteral("\\xff\\xfe"));
    QCOMPARE(displayBytes("back\\slash"), QStringLiteral("back\\\\slash"));
    QCOMPARE(displayBytes("caf\xc3\xa9 \xe2\x9c\x93"), QStringLiteral("café ✓"));
    QCOMPARE(displayBytes("\xc0\x80"), QStringLiteral("\\xc0\\x80")); // overlong NUL
    QCOMPARE(displayBytes("<b>x</b>\n"), QStringLiteral("<b>x</b>\\x0a"));
    QVERIFY(isPlainText("hello"));
    QVERIFY(!isPlainText(QByteArray("a\0", 2)));
    QCOMPARE(globEscape("a*b?[c]\\"), QByteArray("a\\*b\\?\\[c\\]\\\\"));
}

void TestKeyTree::compactMemory()
{
    KeyTree t;
    const char* prefixes[] = { "user:", "session:", "cache:product:", "bull:emails:" };
    const int n = 200000;
    for (int i = 0; i < n; ++i)
        t.addKey(QByteArray(QByteArray(prefixes[i % 4]) + QByteArray::number(i * 7919)));
    t.publish([](KeyTree::Id, int, int) {}, [] {});
    t.squeeze();
    const double perKey = double(t.memoryUsage()) / n;
    qInfo("%.1f bytes per key", perKey);
    QVERIFY2(perKey <= 120, qPrintable(QString::number(perKey)));
}

QTEST_GUILESS_MAIN(TestKeyTree)
#include "tst_keytree.moc"
