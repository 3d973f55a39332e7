// SPDX-License-Identifier: MIT
// Connection URLs: what each form means, and that every malformed URL gets a message saying
// what is wrong and at which character.
#include "connectionoptions.h"

#include <QRegularExpression>
#include <QTest>

using namespace bullpen;

namespace {

// The transport and address, then every field that differs from a default-constructed value.
QString dump(const ConnectionOptions& o)
{
    const ConnectionOptions d;
    QStringList out;
    switch (o.transport) {
    case ConnectionOptions::Transport::Tcp:
        out << QStringLiteral("tcp");
        break;
    case ConnectionOptions::Transport::Tls:
        out << QStringLiteral("tls");
        break;
    case ConnectionOptions::Transport::Unix:
        out << QStringLiteral("unix");
        break;
    }
    out << o.displayAddress();
    const auto field = [&out](const char* name, const QString& value, const QString& defaultValue) {
        if (value != defaultValue)
            out << QLatin1String(name) + QLatin1Char('=') + value;
    };
    const auto number = [&field](const char* name, int value, int defaultValue) {
        field(name, QString::number(value), QString::number(defaultValue));
    };
    if (o.transport != ConnectionOptions::Transport::Unix)
        field("socketPath", o.socketPath, d.socketPath);
    else
        field("host", o.host, d.host);
    if (!o.isSentinel()) {
        field("sentinelMaster", o.sentinelMaster, d.sentinelMaster);
        field("sentinelUser", o.sentinelUser, d.sentinelUser);
        field("sentinelPassword", o.sentinelPassword, d.sentinelPassword);
    }
    number("db", o.db, d.db);
    field("user", o.user, d.user);
    field("password", o.password, d.password);
    field("ca", o.caFile, d.caFile);
    field("cert", o.certFile, d.certFile);
    field("key", o.keyFile, d.keyFile);
    field("sni", o.serverName, d.serverName);
    number("insecure", o.insecure, d.insecure);
    number("connectTimeoutMs", o.connectTimeoutMs, d.connectTimeoutMs);
    number("requestTimeoutMs", o.requestTimeoutMs, d.requestTimeoutMs);
    number("readOnly", o.readOnly, d.readOnly);
    number("readFromReplicas", o.readFromReplicas, d.readFromReplicas);
    if (o.isSentinel()) {
        field("master", o.sentinelMaster, d.sentinelMaster);
        field("sentinelUser", o.sentinelUser, d.sentinelUser);
        field("sentinelPassword", o.sentinelPassword, d.sentinelPassword);
    }
    return out.join(QLatin1Char(' '));
}

} // namespace

class TestConnectionOptions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void valid_data();
    void valid();
    void invalid_data();
    void invalid();
    void nullErrorPointer();
    void displayAddress();
    void errorsDoNotEchoPasswords();
};

void TestConnectionOptions::valid_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expected");

    const auto row = [](const char* name, const QString& url, const char* expected) {
        QTest::newRow(name) << url << QString::fromUtf8(expected);
    };
    row("host only", QStringLiteral("redis://localhost"), "tcp localhost:6379");
    row("host and port", QStringLiteral("redis://cache.example.com:6380"), "tcp cache.example.com:6380");
    row("ip, port, db", QStringLiteral("redis://127.0.0.1:7000/3"), "tcp 127.0.0.1:7000 db=3");
    row("trailing slash", QStringLiteral("redis://h/"), "tcp h:6379");
    row("db 0", QStringLiteral("redis://h/0"), "tcp h:6379");
    row("upper-case scheme", QStringLiteral("REDIS://h:1"), "tcp h:1");
    row("surrounding spaces", QStringLiteral("  redis://h:2 \n"), "tcp h:2");
    row("port 65535", QStringLiteral("redis://h:65535"), "tcp h:65535");
    row("port with leading zero", QStringLiteral("redis://h:06379"), "tcp h:6379");
    row("tls", QStringLiteral("rediss://secure.example.com"), "tls secure.example.com:6379");
    row("tls with port and db", QStringLiteral("rediss://h:6390/2"), "tls h:6390 db=2");
    row("unix", QStringLiteral("unix:///run/redis/redis.sock"), "unix unix:/run/redis/redis.sock");
    row("unix with db", QStringLiteral("unix:///tmp/r.sock?db=3"), "unix unix:/tmp/r.sock db=3");
    row("unix with password", QStringLiteral("unix://:pw@/tmp/r.sock"), "unix unix:/tmp/r.sock password=pw");
    row("unix with user and password", QStringLiteral("unix://bob:pw@/tmp/r.sock?db=1"),
        "unix unix:/tmp/r.sock db=1 user=bob password=pw");
    row("unix percent-encoded path", QStringLiteral("unix:///tmp/my%20dir/r.sock"), "unix unix:/tmp/my dir/r.sock");
    row("user and password", QStringLiteral("redis://alice:s3cret@h"), "tcp h:6379 user=alice password=s3cret");
    row("password only with colon", QStringLiteral("redis://:s3cret@h:6380"), "tcp h:6380 password=s3cret");
    // redis-cli -u reads a lone word before '@' as the password, so do we.
    row("password only without colon", QStringLiteral("redis://s3cret@h"), "tcp h:6379 password=s3cret");
    row("user with empty password", QStringLiteral("redis://alice:@h"), "tcp h:6379 user=alice");
    row("empty userinfo", QStringLiteral("redis://@h"), "tcp h:6379");
    row("colon in password", QStringLiteral("redis://u:a:b@h"), "tcp h:6379 user=u password=a:b");
    row("percent-encoded @ / : in password", QStringLiteral("redis://u:p%40ss%2Fw%3Ard@h/1"),
        "tcp h:6379 db=1 user=u password=p@ss/w:rd");
    row("raw @ and / in password", QStringLiteral("redis://u:p@ss/w@h/1"), "tcp h:6379 db=1 user=u password=p@ss/w");
    row("percent-encoded user", QStringLiteral("redis://d%C3%A9j%C3%A0:x@h"), "tcp h:6379 user=déjà password=x");
    row("utf-8 password", QStringLiteral("redis://:%E2%82%AC%F0%9F%94%91@h"), "tcp h:6379 password=€🔑");
    row("ipv6 loopback and port", QStringLiteral("redis://[::1]:6380"), "tcp [::1]:6380");
    row("ipv6 without port", QStringLiteral("redis://[::1]"), "tcp [::1]:6379");
    row("ipv6 without port with db", QStringLiteral("redis://[2001:db8::7]/4"), "tcp [2001:db8::7]:6379 db=4");
    row("ipv6 with credentials", QStringLiteral("rediss://u:p@[fe80::1]:7000/1"),
        "tls [fe80::1]:7000 db=1 user=u password=p");
    row("timeouts", QStringLiteral("redis://h?timeout=2500&connect_timeout=1000"),
        "tcp h:6379 connectTimeoutMs=1000 requestTimeoutMs=2500");
    row("db in query", QStringLiteral("redis://h?db=7"), "tcp h:6379 db=7");
    row("db in query wins over path", QStringLiteral("redis://h/2?db=5"), "tcp h:6379 db=5");
    row("option names ignore case", QStringLiteral("redis://h?DB=2&Timeout=9"), "tcp h:6379 db=2 requestTimeoutMs=9");
    row("empty query items", QStringLiteral("redis://h?&db=1&&"), "tcp h:6379 db=1");
    row("empty query", QStringLiteral("redis://h?"), "tcp h:6379");
    row("all TLS options",
        QStringLiteral("rediss://h?ca=/etc/ca.pem&cert=/c.pem&key=/k.pem&sni=redis.internal&insecure=true"),
        "tls h:6379 ca=/etc/ca.pem cert=/c.pem key=/k.pem sni=redis.internal insecure=1");
    row("insecure without value", QStringLiteral("rediss://h?insecure"), "tls h:6379 insecure=1");
    row("insecure=0", QStringLiteral("rediss://h?insecure=0"), "tls h:6379");
    row("percent-encoded option value", QStringLiteral("rediss://h?ca=%2Fmy%20certs%2Fca.pem"),
        "tls h:6379 ca=/my certs/ca.pem");
    row("query with '@' and '/'", QStringLiteral("rediss://u:p@h/1?ca=/a@b/ca.pem"),
        "tls h:6379 db=1 user=u password=p ca=/a@b/ca.pem");

    // Sentinel: the address shown names the master and every sentinel, in order.
    row("sentinel", QStringLiteral("redis-sentinel://h1:26380,h2:26381/mymaster"),
        "tcp mymaster via sentinel h1:26380,h2:26381 master=mymaster");
    row("sentinel default port", QStringLiteral("redis-sentinel://s1,s2,s3:7/m"),
        "tcp m via sentinel s1:26379,s2:26379,s3:7 master=m");
    row("sentinel single", QStringLiteral("REDIS-SENTINEL://10.0.0.1/cache"),
        "tcp cache via sentinel 10.0.0.1:26379 master=cache");
    row("sentinel with db", QStringLiteral("redis-sentinel://h:1/m/4"), "tcp m via sentinel h:1 db=4 master=m");
    row("sentinel trailing slash", QStringLiteral("redis-sentinel://h:1/m/"), "tcp m via sentinel h:1 master=m");
    row("sentinel ipv6", QStringLiteral("redis-sentinel://[::1]:26379,h/m"),
        "tcp m via sentinel [::1]:26379,h:26379 master=m");
    row("sentinel credentials are the master's", QStringLiteral("redis-sentinel://u:p%40w@h/m"),
        "tcp m via sentinel h:26379 user=u password=p@w master=m");
    row("sentinel auth options", QStringLiteral("redis-sentinel://h/m?sentinel_user=su&sentinel_password=s%26p&db=2"),
        "tcp m via sentinel h:26379 db=2 master=m sentinelUser=su sentinelPassword=s&p");
    row("sentinelPassword spelling", QStringLiteral("redis-sentinel://h/m?sentinelPassword=x"),
        "tcp m via sentinel h:26379 master=m sentinelPassword=x");
    row("sentinel percent-encoded master", QStringLiteral("redis-sentinel://h/my%20master"),
        "tcp my master via sentinel h:26379 master=my master");
    row("sentinel timeouts", QStringLiteral("redis-sentinel://h/m?timeout=300&connect_timeout=200"),
        "tcp m via sentinel h:26379 connectTimeoutMs=200 requestTimeoutMs=300 master=m");
    // TLS to the sentinels, the master and the replicas, with the same settings.
    row("sentinel over TLS", QStringLiteral("rediss-sentinel://h1,h2:7/m?ca=/ca.pem&sni=redis.example&insecure=1"),
        "tls m via sentinel h1:26379,h2:7 ca=/ca.pem sni=redis.example insecure=1 master=m");
    row("sentinel read_from_replicas", QStringLiteral("redis-sentinel://h/m?read_from_replicas=1"),
        "tcp m via sentinel h:26379 readFromReplicas=1 master=m");
    row("cluster read_from_replicas", QStringLiteral("redis-cluster://a:1,b:2?read_from_replicas=true"),
        "tcp cluster a:1,b:2 readFromReplicas=1");
    row("read_from_replicas off", QStringLiteral("rediss-cluster://a:1?read_from_replicas=0"), "tls cluster a:1");
}

void TestConnectionOptions::valid()
{
    QFETCH(QString, url);
    QFETCH(QString, expected);
    QString error = QStringLiteral("untouched");
    const auto o = ConnectionOptions::fromUrl(url, &error);
    QVERIFY2(o, qPrintable(error));
    QCOMPARE(dump(*o), expected);
}

void TestConnectionOptions::invalid_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("message"); // part of the message that says what is wrong
    QTest::addColumn<int>("position"); // 1-based character the message points at; 0: none

    const auto row = [](const char* name, const QString& url, const char* message, int position) {
        QTest::newRow(name) << url << QString::fromUtf8(message) << position;
    };
    row("empty", QString(), "empty", 0);
    row("blank", QStringLiteral("   "), "empty", 0);
    row("no scheme", QStringLiteral("localhost:6379"), "no scheme", 1);
    row("no scheme after spaces", QStringLiteral("  localhost"), "no scheme", 3);
    row("only a separator", QStringLiteral("://h"), "no scheme", 1);
    row("unknown scheme", QStringLiteral("http://h:6379"), "unknown scheme 'http'", 1);
    row("unknown scheme after spaces", QStringLiteral(" \tredis+tls://h"), "unknown scheme 'redis+tls'", 3);
    row("port 0", QStringLiteral("redis://h:0"), "port must be a number from 1 to 65535, not '0'", 11);
    row("port 70000", QStringLiteral("redis://h:70000"), "not '70000'", 11);
    row("port abc", QStringLiteral("redis://h:abc"), "not 'abc'", 11);
    row("port with space", QStringLiteral("redis://h: 80"), "not ' 80'", 11);
    row("port with sign", QStringLiteral("redis://h:+80"), "not '+80'", 11);
    row("port missing", QStringLiteral("redis://h:"), "port after ':' is missing", 11);
    row("port missing after db path", QStringLiteral("redis://h:/1"), "port after ':' is missing", 11);
    row("port 0 after credentials", QStringLiteral("redis://u:p@h:0"), "not '0'", 15);
    row("port error after spaces", QStringLiteral("  redis://h:0"), "not '0'", 13);
    row("ipv6 port 99999", QStringLiteral("redis://[::1]:99999"), "not '99999'", 15);
    row("ipv6 port missing", QStringLiteral("redis://[::1]:"), "port after ':' is missing", 15);
    row("db x", QStringLiteral("redis://h/x"), "database after '/' must be a number", 11);
    row("db negative", QStringLiteral("redis://h:6379/-1"), "not '-1'", 16);
    row("db with subpath", QStringLiteral("redis://h/1/2"), "not '1/2'", 11);
    row("db x in query", QStringLiteral("redis://h?db=1&db=x"), "db must be a number", 19);
    row("unknown option", QStringLiteral("redis://h?foo=1"), "unknown option 'foo'", 11);
    row("unknown option after a known one", QStringLiteral("redis://h:1/2?db=3&password=x"),
        "unknown option 'password'", 20);
    row("timeout abc", QStringLiteral("redis://h?timeout=abc"), "timeout must be milliseconds", 19);
    row("timeout 0", QStringLiteral("redis://h?timeout=0"), "not '0'", 19);
    row("connect_timeout empty", QStringLiteral("redis://h?connect_timeout="), "connect_timeout must be milliseconds",
        27);
    row("insecure maybe", QStringLiteral("rediss://h?insecure=maybe"), "insecure must be true or false", 21);
    row("ca without value", QStringLiteral("rediss://h?key="), "key needs a value", 16);
    row("unbracketed ipv6", QStringLiteral("redis://::1:6380"), "IPv6 address must be written in brackets", 9);
    row("unbracketed ipv6 without port", QStringLiteral("redis://fe80::1"), "in brackets", 9);
    row("unbracketed ipv6 after credentials", QStringLiteral("redis://:pw@2001:db8::1/0"), "in brackets", 13);
    row("ipv6 missing ']'", QStringLiteral("redis://[::1:6380"), "missing its closing ']'", 9);
    row("junk after ipv6", QStringLiteral("redis://[::1]x"), "unexpected 'x' after the IPv6 address", 14);
    row("not ipv6 in brackets", QStringLiteral("redis://[localhost]:1"),
        "'localhost' in brackets is not an IPv6 address", 10);
    row("empty brackets", QStringLiteral("redis://[]:1"), "host is missing", 9);
    row("host missing", QStringLiteral("redis://"), "host is missing", 9);
    row("host missing before port", QStringLiteral("redis://:6379"), "host is missing", 9);
    row("host missing after credentials", QStringLiteral("redis://u:p@/0"), "host is missing", 13);
    row("space in host", QStringLiteral("redis://my host"), "contains ' '", 11);
    row("bracket in host", QStringLiteral("redis://a]b:1"), "contains ']'", 10);
    row("unix relative path", QStringLiteral("unix://run/redis.sock"), "absolute path", 8);
    row("unix relative path after credentials", QStringLiteral("unix://:pw@run/r.sock"), "absolute path", 8);
    row("unix empty path", QStringLiteral("unix://"), "absolute path", 8);
    row("unix path too long", QStringLiteral("unix:///tmp/") + QString(110, QLatin1Char('s')), "at most 107", 8);
    row("unix db x", QStringLiteral("unix:///tmp/s.sock?db=x"), "db must be a number", 23);
    row("TLS option on unix", QStringLiteral("unix:///s?cert=/c.pem"), "'cert' is a TLS option", 11);
    row("ca on redis://", QStringLiteral("redis://h?ca=/ca.pem"), "'ca' is a TLS option: it needs a rediss:// URL", 11);
    row("insecure on redis://", QStringLiteral("redis://h/1?db=2&insecure=1"), "'insecure' is a TLS option", 18);
    row("key on redis://", QStringLiteral("redis://h?key=/k.pem"), "'key' is a TLS option", 11);
    row("sni on redis://, first TLS option named", QStringLiteral("redis://h:6379?sni=x&ca=y"), "'sni' is a TLS option",
        16);
    row("comma in a plain host", QStringLiteral("redis://a,b:1"), "contains ','", 10);

    // Sentinel
    row("read_from_replicas on redis://", QStringLiteral("redis://h?read_from_replicas=1"),
        "'read_from_replicas' needs a redis-sentinel:// or redis-cluster:// URL", 11);
    row("read_from_replicas not a boolean", QStringLiteral("redis-cluster://h?read_from_replicas=2"),
        "read_from_replicas must be true or false, not '2'", 38);
    row("sentinel without master", QStringLiteral("redis-sentinel://h1,h2"), "master name is missing", 23);
    row("sentinel empty master", QStringLiteral("redis-sentinel://h1:1//2"), "master name is missing", 23);
    row("sentinel without hosts", QStringLiteral("redis-sentinel:///m"), "sentinel address is missing", 18);
    row("sentinel empty item", QStringLiteral("redis-sentinel://h1,,h3/m"), "sentinel address is missing", 21);
    row("sentinel trailing comma", QStringLiteral("redis-sentinel://h1,/m"), "sentinel address is missing", 21);
    row("sentinel bad port in second", QStringLiteral("redis-sentinel://h1:1,h2:x/m"), "not 'x'", 26);
    row("sentinel port 0 after credentials", QStringLiteral("redis-sentinel://u:p@h:0/m"), "not '0'", 24);
    row("sentinel unbracketed ipv6", QStringLiteral("redis-sentinel://h,::1/m"), "in brackets", 20);
    row("sentinel bad db", QStringLiteral("redis-sentinel://h/m/x"), "database after the master name", 22);
    row("sentinel db with subpath", QStringLiteral("redis-sentinel://h/m/1/2"), "not '1/2'", 22);
    row("sentinel TLS option", QStringLiteral("redis-sentinel://h/m?ca=/x"), "'ca' is a TLS option", 22);
    row("sentinel option on redis://", QStringLiteral("redis://h?sentinel_password=x"),
        "'sentinel_password' is a sentinel option: it needs a redis-sentinel:// URL", 11);
    row("sentinel option on rediss://", QStringLiteral("rediss://h?db=1&sentinelUser=x"), "is a sentinel option", 17);
    row("sentinel unknown option", QStringLiteral("redis-sentinel://h/m?replica=1"), "unknown option 'replica'", 22);
}

void TestConnectionOptions::invalid()
{
    QFETCH(QString, url);
    QFETCH(QString, message);
    QFETCH(int, position);

    QString error;
    const auto o = ConnectionOptions::fromUrl(url, &error);
    QVERIFY2(!o, qPrintable(o ? dump(*o) : QString()));
    QVERIFY2(error.contains(message), qPrintable(error));

    static const QRegularExpression where(QStringLiteral(" \\(at character (\\d+)\\)$"));
    const QRegularExpressionMatch m = where.match(error);
    if (position == 0) {
        QVERIFY2(!m.hasMatch(), qPrintable(error));
    } else {
        QVERIFY2(m.hasMatch(), qPrintable(error));
        QCOMPARE(m.captured(1).toInt(), position);
        // The message is readable on its own: the position comes after the explanation.
        QVERIFY(m.capturedStart() > 10);
    }
}

void TestConnectionOptions::nullErrorPointer()
{
    QVERIFY(!ConnectionOptions::fromUrl(QStringLiteral("http://h"), nullptr));
    const auto o = ConnectionOptions::fromUrl(QStringLiteral("redis://h:1"), nullptr);
    QVERIFY(o);
    QCOMPARE(o->port, quint16(1));
}

void TestConnectionOptions::displayAddress()
{
    ConnectionOptions o;
    QCOMPARE(o.displayAddress(), QStringLiteral("127.0.0.1:6379"));
    o.host = QStringLiteral("::1");
    o.port = 7000;
    QCOMPARE(o.displayAddress(), QStringLiteral("[::1]:7000"));
    o.transport = ConnectionOptions::Transport::Unix;
    o.socketPath = QStringLiteral("/run/r.sock");
    QCOMPARE(o.displayAddress(), QStringLiteral("unix:/run/r.sock"));

    ConnectionOptions s;
    QVERIFY(!s.isSentinel());
    s.sentinels = { { QStringLiteral("a"), 26379 }, { QStringLiteral("::1"), 5000 } };
    s.sentinelMaster = QStringLiteral("mymaster");
    QVERIFY(s.isSentinel());
    QCOMPARE(s.displayAddress(), QStringLiteral("mymaster via sentinel a:26379,[::1]:5000"));
}

// A URL typed without its scheme may be "password@host": the message must not repeat it.
void TestConnectionOptions::errorsDoNotEchoPasswords()
{
    QString error;
    QVERIFY(!ConnectionOptions::fromUrl(QStringLiteral("hunter2@10.0.0.1:6379"), &error));
    QVERIFY2(error.contains(QLatin1String("no scheme")), qPrintable(error));
    QVERIFY2(!error.contains(QLatin1String("hunter2")), qPrintable(error));
    // Nor does a sentinel URL's message repeat the sentinels' password.
    QVERIFY(!ConnectionOptions::fromUrl(QStringLiteral("redis-sentinel://h/m?sentinel_password=hunter2&x=1"), &error));
    QVERIFY2(error.contains(QLatin1String("unknown option 'x'")), qPrintable(error));
    QVERIFY2(!error.contains(QLatin1String("hunter2")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestConnectionOptions)
#include "tst_connectionoptions.moc"
