// SPDX-License-Identifier: MIT
// bullpen-cli keys / tree / key: the real binary (QProcess) against a throwaway redis-server.
#include "clienttest.h"
#include "keyfixture.h"
#include "redisserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using bullpen::Command;
using bullpen::test::RedisServer;

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run cli(const RedisServer& server, const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral(BULLPEN_CLI_PATH), QStringList { QStringLiteral("--url"), server.url() } + args);
    Run r;
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished();
        r.err = "timed out";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QJsonObject json(const QByteArray& line)
{
    return QJsonDocument::fromJson(line).object();
}

} // namespace

class TestKeysCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void keysStreamsNames();
    void keysJsonHasTypeAndTtl();
    void keysFiltersAndLimit();
    void treeCountsFolders();
    void keyShowsEverything_data();
    void keyShowsEverything();
    void keyWithoutMemoryPermission();
    void errorsHaveExitCodes();

private:
    std::unique_ptr<RedisServer> m_server;
};

void TestKeysCli::initTestCase()
{
    m_server = std::make_unique<RedisServer>();
    BP_START(*m_server);
    QList<Command> c = bullpen::test::standardKeys();
    for (int i = 0; i < 3000; ++i)
        c << Command { "SET", "many:" + QByteArray::number(i), "v" };
    c << Command { "SET", "bigstr", QByteArray(10000, 'x') };
    QVERIFY(bullpen::test::pipe(*m_server, c));
}

void TestKeysCli::keysStreamsNames()
{
    const Run r = cli(*m_server, { QStringLiteral("keys"), QStringLiteral("--count"), QStringLiteral("100") });
    QCOMPARE(r.exitCode, 0);
    QList<QByteArray> lines = r.out.split('\n');
    QCOMPARE(lines.takeLast(), QByteArray());
    QCOMPARE(lines.size(), 8 + 256 + 3000 + 1);
    QVERIFY(lines.contains("user:1:profile"));
    QVERIFY(lines.contains("bin:\\x00")); // escaped, never a raw control byte on a terminal
    QVERIFY(lines.contains("bin:\\x0a"));
    QVERIFY(!r.out.contains('\0'));
}

void TestKeysCli::keysJsonHasTypeAndTtl()
{
    const Run r = cli(*m_server, { QStringLiteral("--json"), QStringLiteral("keys") });
    QCOMPARE(r.exitCode, 0);
    QHash<QString, QJsonObject> byName;
    int base64 = 0;
    for (const QByteArray& line : r.out.split('\n')) {
        if (line.isEmpty())
            continue;
        const QJsonObject o = json(line);
        if (o.contains(QStringLiteral("name_base64"))) {
            ++base64;
            QVERIFY(QByteArray::fromBase64(o.value(QStringLiteral("name_base64")).toString().toLatin1()).startsWith("bin:"));
        }
        byName.insert(o.value(QStringLiteral("name")).toString(), o);
    }
    QCOMPARE(base64, 128); // bytes 0x80–0xff alone are not UTF-8
    QCOMPARE(byName.value(QStringLiteral("user:1:profile")).value(QStringLiteral("type")).toString(), QStringLiteral("hash"));
    QCOMPARE(byName.value(QStringLiteral("stream:events")).value(QStringLiteral("type")).toString(), QStringLiteral("stream"));
    QCOMPARE(byName.value(QStringLiteral("plain")).value(QStringLiteral("ttl_ms")).toInt(), -1);
    const int ttl = byName.value(QStringLiteral("user:2")).value(QStringLiteral("ttl_ms")).toInt();
    QVERIFY2(ttl > 0 && ttl <= 600000, qPrintable(QString::number(ttl)));
    QCOMPARE(byName.value(QStringLiteral("bin:\x01")).value(QStringLiteral("type")).toString(), QStringLiteral("string"));
}

void TestKeysCli::keysFiltersAndLimit()
{
    Run r = cli(*m_server, { QStringLiteral("keys"), QStringLiteral("--match"), QStringLiteral("user:*"),
                               QStringLiteral("--type"), QStringLiteral("hash") });
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("user:1:profile\n"));
    r = cli(*m_server, { QStringLiteral("keys"), QStringLiteral("--limit"), QStringLiteral("7"), QStringLiteral("--count"),
                           QStringLiteral("5") });
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out.count('\n'), 7);
}

void TestKeysCli::treeCountsFolders()
{
    Run r = cli(*m_server, { QStringLiteral("tree") });
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.startsWith("3265 keys, 2 outside any folder\n"), r.out.left(200).constData());
    QVERIFY(r.out.contains("\nmany: 3000\n"));
    QVERIFY(r.out.contains("\nuser: 3\n  1: 1\n"));

    r = cli(*m_server, { QStringLiteral("--json"), QStringLiteral("tree"), QStringLiteral("--depth"), QStringLiteral("1") });
    QCOMPARE(r.exitCode, 0);
    const QJsonObject root = json(r.out);
    QCOMPARE(root.value(QStringLiteral("keys")).toInt(), 3265);
    for (const QJsonValue f : root.value(QStringLiteral("folders")).toArray()) {
        QVERIFY(f.toObject().value(QStringLiteral("folders")).toArray().isEmpty()); // depth 1
        if (f.toObject().value(QStringLiteral("name")).toString() == QLatin1String("user"))
            QCOMPARE(f.toObject().value(QStringLiteral("keys")).toInt(), 3);
    }

    r = cli(*m_server, { QStringLiteral("tree"), QStringLiteral("--delimiter"), QStringLiteral("1") });
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("\nuser:1 2\n"), r.out.constData()); // "user:1" and "user:1:profile"
}

void TestKeysCli::keyShowsEverything_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("type");
    QTest::addColumn<int>("length");
    QTest::addColumn<QString>("preview");
    QTest::addRow("string") << QStringLiteral("user:1") << QStringLiteral("string") << 14 << QStringLiteral("{\"name\":\"Ada\"}");
    QTest::addRow("hash") << QStringLiteral("user:1:profile") << QStringLiteral("hash") << 2 << QStringLiteral("name = Ada");
    QTest::addRow("list") << QStringLiteral("list:jobs") << QStringLiteral("list") << 3 << QStringLiteral("2) c");
    QTest::addRow("set") << QStringLiteral("set:tags") << QStringLiteral("set") << 2 << QStringLiteral("  x");
    QTest::addRow("zset") << QStringLiteral("zset:board") << QStringLiteral("zset") << 2 << QStringLiteral("1.5 ada");
    QTest::addRow("stream") << QStringLiteral("stream:events") << QStringLiteral("stream") << 1 << QStringLiteral("1-1 k=v");
}

void TestKeysCli::keyShowsEverything()
{
    QFETCH(QString, name);
    QFETCH(QString, type);
    QFETCH(int, length);
    QFETCH(QString, preview);
    Run r = cli(*m_server, { QStringLiteral("key"), name });
    QCOMPARE(r.exitCode, 0);
    const QString text = QString::fromUtf8(r.out);
    QVERIFY2(text.contains(QStringLiteral("type:     ") + type), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("length:   %1").arg(length)), qPrintable(text));
    QVERIFY2(text.contains(preview), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("encoding: ")));
    r = cli(*m_server, { QStringLiteral("--json"), QStringLiteral("key"), name });
    QCOMPARE(r.exitCode, 0);
    const QJsonObject o = json(r.out);
    QCOMPARE(o.value(QStringLiteral("type")).toString(), type);
    QVERIFY(o.value(QStringLiteral("memory")).toInt() > 0);
    QCOMPARE(o.value(QStringLiteral("length")).toInt(), length);
}

void TestKeysCli::keyWithoutMemoryPermission()
{
    m_server->cli({ QStringLiteral("ACL"), QStringLiteral("SETUSER"), QStringLiteral("nomem"), QStringLiteral("on"),
        QStringLiteral(">pw"), QStringLiteral("~*"), QStringLiteral("+@all"), QStringLiteral("-memory") });
    QProcess p;
    p.start(QStringLiteral(BULLPEN_CLI_PATH),
        { QStringLiteral("--url"), QStringLiteral("redis://nomem:pw@127.0.0.1:%1").arg(m_server->port()),
            QStringLiteral("--json"), QStringLiteral("key"), QStringLiteral("bigstr") });
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 0);
    const QJsonObject o = json(p.readAllStandardOutput());
    QVERIFY(!o.contains(QStringLiteral("memory")));
    QVERIFY(o.value(QStringLiteral("memory_error")).toString().contains(QLatin1String("NOPERM")));
    // The preview is bounded: 256 of 10000 bytes.
    QCOMPARE(o.value(QStringLiteral("preview")).toString().size(), 256);
    QCOMPARE(o.value(QStringLiteral("truncated")).toBool(), true);
}

void TestKeysCli::errorsHaveExitCodes()
{
    Run r = cli(*m_server, { QStringLiteral("key"), QStringLiteral("no-such-key") });
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains("no key no-such-key"));
    r = cli(*m_server, { QStringLiteral("keys"), QStringLiteral("--bogus") });
    QCOMPARE(r.exitCode, 2);
    r = cli(*m_server, { QStringLiteral("tree"), QStringLiteral("--depth"), QStringLiteral("x") });
    QCOMPARE(r.exitCode, 2);
    r = cli(*m_server, { QStringLiteral("keys"), QStringLiteral("--type"), QStringLiteral("nosuchtype") });
    QCOMPARE(r.exitCode, 0); // Redis 7.0 answers an unknown TYPE (a module's?) with no keys
    QCOMPARE(r.out, QByteArray());
    RedisServer down;
    BP_START(down);
    down.kill();
    r = cli(down, { QStringLiteral("keys") });
    QCOMPARE(r.exitCode, 3);
}

QTEST_GUILESS_MAIN(TestKeysCli)
#include "tst_keyscli.moc"
