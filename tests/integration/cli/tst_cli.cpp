// SPDX-License-Identifier: MIT
// bullpen-cli end to end: the real binary, run with QProcess against real redis-servers.
#include "redisclient.h"
#include "redisserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTest>

using namespace bullpen;
using bullpen::test::RedisServer;

namespace {

struct Result
{
    int exitCode = -1; ///< -1: did not finish in time, -2: crashed
    QByteArray out;
    QByteArray err;
};

// The test's own environment without the variables the CLI reads.
QProcessEnvironment cleanEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("REDIS_URL"));
    env.remove(QStringLiteral("BULLPEN_PASSWORD"));
    return env;
}

struct RunOptions
{
    QByteArray input; ///< written to stdin, which is then closed
    QProcessEnvironment env = cleanEnvironment();
    int waitMs = 60000; ///< the upper bound for the process to end
};

Result run(const QStringList& args, const RunOptions& o = {})
{
    QProcess p;
    p.setProcessEnvironment(o.env);
    p.start(QStringLiteral(BULLPEN_CLI_PATH), args);
    Result r;
    if (!p.waitForStarted(10000)) {
        r.err = "cannot start bullpen-cli: " + p.errorString().toUtf8();
        return r;
    }
    if (!o.input.isEmpty())
        p.write(o.input);
    p.closeWriteChannel();
    if (!p.waitForFinished(o.waitMs)) {
        p.kill();
        p.waitForFinished(10000);
        r.err = "bullpen-cli did not finish in time; stderr: " + p.readAllStandardError();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = p.readAllStandardOutput();
    r.err += p.readAllStandardError();
    return r;
}

QByteArray describe(const Result& r, int expected)
{
    return QByteArray("exit code ") + QByteArray::number(r.exitCode) + ", expected " + QByteArray::number(expected)
        + "\nstdout: " + r.out + "\nstderr: " + r.err;
}

QJsonValue parseJson(const QByteArray& text)
{
    // QJsonDocument parses objects and arrays only: wrap scalars the CLI may print.
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson("[" + text + "]", &error);
    if (error.error != QJsonParseError::NoError || !doc.isArray() || doc.array().size() != 1)
        return QJsonValue(QJsonValue::Undefined);
    return doc.array().first();
}

QStringList tcp(const RedisServer& s)
{
    return { QStringLiteral("--port"), QString::number(s.port()) };
}

} // namespace

#define EXPECT_EXIT(result, code) QVERIFY2((result).exitCode == (code), describe((result), (code)).constData())

class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void version();
    void help();
    void usageErrors_data();
    void usageErrors();

    void ping();
    void infoServer();
    void execSet();
    void execSelectsDatabase();
    void execJsonTypes();
    void execHumanBinary();
    void readOnlyRefusesWrites();
    void dangerousNeedsOptIn();
    void serverErrorReply();

    void connectionRefusedIsPrompt();
    void handshakeTimeout();
    void requestTimeout();
    void authentication();
    void unixSocket();
    void tls();

private:
    RedisServer m_server;
};

void TestCli::initTestCase()
{
    QVERIFY2(QFile::exists(QStringLiteral(BULLPEN_CLI_PATH)), BULLPEN_CLI_PATH);
    QVERIFY2(m_server.start(), qPrintable(m_server.error()));
}

void TestCli::version()
{
    const Result r = run({ QStringLiteral("--version") });
    EXPECT_EXIT(r, 0);
    QCOMPARE(r.out, QByteArray("bullpen-cli " BULLPEN_VERSION "\n"));
}

void TestCli::help()
{
    const Result r = run({ QStringLiteral("--help") });
    EXPECT_EXIT(r, 0);
    const QString help = QString::fromUtf8(r.out);
    for (const char* part : { "Usage: bullpen-cli", "Commands:", "ping", "info [--sum] [SECTION", "exec -- CMD", "--url URL",
             "--host", "--port", "--socket", "--db", "--user", "--password-stdin", "--tls", "--cacert", "--cert",
             "--key", "--sni", "--insecure", "--timeout", "--read-only", "--allow-dangerous", "--json", "--version",
             "REDIS_URL", "BULLPEN_PASSWORD", "Exit codes:", "Examples:" }) {
        QVERIFY2(help.contains(QLatin1String(part)), part);
    }
    for (int code = 0; code <= 4; ++code)
        QVERIFY2(help.contains(QStringLiteral("\n  %1  ").arg(code)), qPrintable(QString::number(code)));
    // No example puts a password on a command line, not even inside a URL.
    QVERIFY(!help.contains(QLatin1Char('@')));

    const Result shortForm = run({ QStringLiteral("-h") });
    EXPECT_EXIT(shortForm, 0);
    QCOMPARE(shortForm.out, r.out);
}

void TestCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    const auto s = [](std::initializer_list<const char*> words) {
        QStringList list;
        for (const char* w : words)
            list.append(QString::fromUtf8(w));
        return list;
    };
    QTest::addRow("unknown option") << s({ "--bogus", "ping" }) << QStringLiteral("unknown option '--bogus'");
    QTest::addRow("unknown command") << s({ "frobnicate" }) << QStringLiteral("unknown command 'frobnicate'");
    QTest::addRow("no command") << s({}) << QStringLiteral("no command given");
    QTest::addRow("bad port in URL") << s({ "--url", "redis://127.0.0.1:abc", "ping" })
                                     << QStringLiteral("invalid --url: the port must be a number from 1 to 65535, "
                                                       "not 'abc' (at character 19)");
    QTest::addRow("URL without scheme") << s({ "--url", "127.0.0.1:6379", "ping" }) << QStringLiteral("no scheme");
    QTest::addRow("unknown URL option") << s({ "--url", "redis://localhost/0?colour=red", "ping" })
                                        << QStringLiteral("unknown option 'colour'");
    QTest::addRow("missing value") << s({ "ping", "--port" }) << QStringLiteral("--port needs a value");
    QTest::addRow("port out of range") << s({ "--port", "70000", "ping" }) << QStringLiteral("--port must be");
    QTest::addRow("bad db") << s({ "--db", "x", "ping" }) << QStringLiteral("--db must be");
    QTest::addRow("bad timeout") << s({ "--timeout=0", "ping" }) << QStringLiteral("--timeout must be");
    QTest::addRow("flag with value") << s({ "--json=yes", "ping" }) << QStringLiteral("--json takes no value");
    QTest::addRow("password option") << s({ "--password", "x", "ping" }) << QStringLiteral("not supported");
    QTest::addRow("url and host") << s({ "--url", "redis://localhost", "--host", "h", "ping" })
                                  << QStringLiteral("cannot be combined");
    QTest::addRow("socket and port") << s({ "--socket", "/tmp/x.sock", "--port", "1", "ping" })
                                     << QStringLiteral("cannot be combined");
    QTest::addRow("TLS option without TLS") << s({ "--cacert", "ca.crt", "ping" }) << QStringLiteral("need --tls");
    QTest::addRow("missing CA file") << s({ "--tls", "--cacert", "/nonexistent/ca.crt", "ping" })
                                     << QStringLiteral("--cacert (or ca=): cannot read '/nonexistent/ca.crt'");
    QTest::addRow("key without cert") << s({ "--tls", "--key", "k.pem", "ping" })
                                      << QStringLiteral("--key needs --cert");
    QTest::addRow("ping with argument") << s({ "ping", "extra" }) << QStringLiteral("ping takes no arguments");
    QTest::addRow("exec without command") << s({ "exec" }) << QStringLiteral("exec needs a command");
    QTest::addRow("exec unknown option") << s({ "exec", "--frob", "GET", "k" })
                                         << QStringLiteral("unknown option '--frob'");
    QTest::addRow("dashes before command") << s({ "--", "ping" }) << QStringLiteral("'--' must follow a command");
    QTest::addRow("no password on stdin") << s({ "--password-stdin", "ping" }) << QStringLiteral("no password");
}

void TestCli::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    // A server that is not there: a usage error must be found before any connection attempt.
    const Result r = run(QStringList { QStringLiteral("--timeout"), QStringLiteral("100") } + args);
    EXPECT_EXIT(r, 2);
    QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    QVERIFY2(r.err.startsWith("bullpen-cli: "), r.err.constData());
    QCOMPARE(r.out, QByteArray());
}

void TestCli::ping()
{
    const Result r = run(tcp(m_server) << QStringLiteral("ping"));
    EXPECT_EXIT(r, 0);
    QCOMPARE(r.out, QByteArray("PONG\n"));
    QCOMPARE(r.err, QByteArray());

    // Global options may also follow the command.
    const Result json = run(QStringList { QStringLiteral("ping"), QStringLiteral("--json") } + tcp(m_server));
    EXPECT_EXIT(json, 0);
    QCOMPARE(json.out, QByteArray("\"PONG\"\n"));

    // The URL form.
    const Result url = run({ QStringLiteral("--url"), m_server.url(), QStringLiteral("ping") });
    EXPECT_EXIT(url, 0);
    QCOMPARE(url.out, QByteArray("PONG\n"));

    // The connection names itself after the CLI's role.
    const Result name = run(tcp(m_server)
        << QStringLiteral("exec") << QStringLiteral("--") << QStringLiteral("CLIENT") << QStringLiteral("GETNAME"));
    EXPECT_EXIT(name, 0);
    QCOMPARE(name.out, QByteArray("\"bullpen:cli\"\n"));
}

void TestCli::infoServer()
{
    const Result r = run(tcp(m_server) << QStringLiteral("info") << QStringLiteral("server"));
    EXPECT_EXIT(r, 0);
    QVERIFY2(r.out.contains("redis_version:"), r.out.constData());
    QVERIFY(r.out.startsWith("# Server\n"));
    QVERIFY(!r.out.contains('\r'));
    QVERIFY(!r.out.contains("# Clients"));

    const Result json
        = run(tcp(m_server) << QStringLiteral("--json") << QStringLiteral("info") << QStringLiteral("server"));
    EXPECT_EXIT(json, 0);
    const QJsonValue v = parseJson(json.out);
    QVERIFY2(v.isObject(), json.out.constData());
    const QString version = v[QStringLiteral("server")][QStringLiteral("redis_version")].toString();
    QVERIFY(!version.isEmpty());
    const QByteArray expected = m_server.cli({ QStringLiteral("INFO"), QStringLiteral("server") });
    QVERIFY(expected.contains(QByteArray("redis_version:" + version.toUtf8() + "\r\n")));
}

void TestCli::execSet()
{
    const Result r = run(tcp(m_server) << QStringLiteral("exec") << QStringLiteral("--") << QStringLiteral("SET")
                                       << QStringLiteral("cli:k") << QStringLiteral("v"));
    EXPECT_EXIT(r, 0);
    QCOMPARE(r.out, QByteArray("OK\n"));
    QCOMPARE(m_server.cli({ QStringLiteral("GET"), QStringLiteral("cli:k") }), QByteArray("v"));

    // Arguments after "--" that look like options belong to the command.
    const Result dashes = run(tcp(m_server) << QStringLiteral("exec") << QStringLiteral("--") << QStringLiteral("SET")
                                            << QStringLiteral("cli:dash") << QStringLiteral("--json"));
    EXPECT_EXIT(dashes, 0);
    QCOMPARE(m_server.cli({ QStringLiteral("GET"), QStringLiteral("cli:dash") }), QByteArray("--json"));

    const Result get = run(tcp(m_server) << QStringLiteral("exec") << QStringLiteral("GET") << QStringLiteral("cli:k"));
    EXPECT_EXIT(get, 0);
    QCOMPARE(get.out, QByteArray("\"v\"\n"));
}

void TestCli::execSelectsDatabase()
{
    const Result r = run(tcp(m_server) << QStringLiteral("--db") << QStringLiteral("3") << QStringLiteral("exec")
                                       << QStringLiteral("--") << QStringLiteral("SET") << QStringLiteral("cli:db")
                                       << QStringLiteral("three"));
    EXPECT_EXIT(r, 0);
    QCOMPARE(
        m_server.cli({ QStringLiteral("-n"), QStringLiteral("3"), QStringLiteral("GET"), QStringLiteral("cli:db") }),
        QByteArray("three"));
    QCOMPARE(m_server.cli({ QStringLiteral("EXISTS"), QStringLiteral("cli:db") }), QByteArray("0"));
}

void TestCli::execJsonTypes()
{
    // A value that is not UTF-8 (NUL, 0xff) cannot pass through a command line: set it directly.
    const QByteArray binary("\x00\xff\xfe"
                            "A\n",
        5);
    {
        RedisClient client(m_server.options());
        client.open();
        QFuture<Reply> f = client.command({ "SET", "cli:bin", binary });
        QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(), 10000);
        QCOMPARE(f.result().bytes(), QByteArray("OK"));
    }
    const auto exec = [this](const QStringList& argv) {
        return run(tcp(m_server) << QStringLiteral("--json") << QStringLiteral("exec") << QStringLiteral("--") << argv);
    };

    Result r = exec({ QStringLiteral("GET"), QStringLiteral("cli:bin") });
    EXPECT_EXIT(r, 0);
    QJsonValue v = parseJson(r.out);
    QVERIFY2(v.isObject(), r.out.constData());
    QCOMPARE(QByteArray::fromBase64(v[QStringLiteral("base64")].toString().toLatin1()), binary);

    const QString text = QStringLiteral("h\u00e9llo w\u00f6rld \u2713");
    r = exec({ QStringLiteral("SET"), QStringLiteral("cli:utf8"), text });
    EXPECT_EXIT(r, 0);
    QCOMPARE(r.out, QByteArray("\"OK\"\n"));
    r = exec({ QStringLiteral("GET"), QStringLiteral("cli:utf8") });
    EXPECT_EXIT(r, 0);
    QCOMPARE(parseJson(r.out), QJsonValue(text));

    r = exec({ QStringLiteral("GET"), QStringLiteral("cli:missing") });
    EXPECT_EXIT(r, 0);
    QCOMPARE(r.out, QByteArray("null\n"));

    r = exec({ QStringLiteral("INCRBY"), QStringLiteral("cli:n"), QStringLiteral("9007199254740993") });
    EXPECT_EXIT(r, 0);
    QCOMPARE(r.out, QByteArray("9007199254740993\n")); // exact, beyond a double's 53 bits

    r = exec({ QStringLiteral("RPUSH"), QStringLiteral("cli:list"), QStringLiteral("a"), QStringLiteral("b") });
    EXPECT_EXIT(r, 0);
    r = exec({ QStringLiteral("LRANGE"), QStringLiteral("cli:list"), QStringLiteral("0"), QStringLiteral("-1") });
    EXPECT_EXIT(r, 0);
    QCOMPARE(r.out, QByteArray("[\"a\",\"b\"]\n"));

    // Errors nested in an array keep their kind.
    r = exec(
        { QStringLiteral("EVAL"), QStringLiteral("return {1, redis.error_reply('ERR nested')}"), QStringLiteral("0") });
    EXPECT_EXIT(r, 0);
    QCOMPARE(parseJson(r.out),
        QJsonValue(QJsonArray { 1,
            QJsonObject { { QStringLiteral("error"), QStringLiteral("ERR nested") },
                { QStringLiteral("kind"), QStringLiteral("server") } } }));
}

void TestCli::execHumanBinary()
{
    {
        RedisClient client(m_server.options());
        client.open();
        QFuture<Reply> f = client.command({ "SET", "cli:bin2", QByteArray("a\x00\xff\n", 4) });
        QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(), 10000);
    }
    const Result r = run(tcp(m_server) << QStringLiteral("exec") << QStringLiteral("--") << QStringLiteral("GET")
                                       << QStringLiteral("cli:bin2"));
    EXPECT_EXIT(r, 0);
    QCOMPARE(r.out, QByteArray("\"a\\x00\\xff\\n\"\n")); // escaped, never raw bytes on a terminal

    const Result n = run(tcp(m_server) << QStringLiteral("exec") << QStringLiteral("--") << QStringLiteral("INCR")
                                       << QStringLiteral("cli:counter"));
    EXPECT_EXIT(n, 0);
    QCOMPARE(n.out, QByteArray("(integer) 1\n"));
}

void TestCli::readOnlyRefusesWrites()
{
    QCOMPARE(m_server.cli({ QStringLiteral("CONFIG"), QStringLiteral("RESETSTAT") }), QByteArray("OK"));
    const Result r
        = run(tcp(m_server) << QStringLiteral("--read-only") << QStringLiteral("exec") << QStringLiteral("--")
                            << QStringLiteral("SET") << QStringLiteral("cli:ro") << QStringLiteral("v"));
    EXPECT_EXIT(r, 4);
    QVERIFY2(r.err.contains("SET is refused: this connection is read-only"), r.err.constData());
    QCOMPARE(r.out, QByteArray());
    QCOMPARE(m_server.cli({ QStringLiteral("EXISTS"), QStringLiteral("cli:ro") }), QByteArray("0"));
    // Not even sent: the server never saw a SET.
    const QByteArray stats = m_server.cli({ QStringLiteral("INFO"), QStringLiteral("commandstats") });
    QVERIFY2(!stats.contains("cmdstat_set:"), stats.constData());

    const Result json
        = run(tcp(m_server) << QStringLiteral("--read-only") << QStringLiteral("--json") << QStringLiteral("exec")
                            << QStringLiteral("--") << QStringLiteral("DEL") << QStringLiteral("cli:k"));
    EXPECT_EXIT(json, 4);
    QCOMPARE(parseJson(json.out)[QStringLiteral("kind")].toString(), QStringLiteral("refused"));

    // Reads still work.
    const Result read
        = run(tcp(m_server) << QStringLiteral("--read-only") << QStringLiteral("exec") << QStringLiteral("--")
                            << QStringLiteral("EXISTS") << QStringLiteral("cli:ro"));
    EXPECT_EXIT(read, 0);
    QCOMPARE(read.out, QByteArray("(integer) 0\n"));
}

void TestCli::dangerousNeedsOptIn()
{
    QCOMPARE(m_server.cli({ QStringLiteral("-n"), QStringLiteral("5"), QStringLiteral("SET"),
                 QStringLiteral("cli:keep"), QStringLiteral("1") }),
        QByteArray("OK"));
    const QStringList flush = tcp(m_server) << QStringLiteral("--db") << QStringLiteral("5") << QStringLiteral("exec")
                                            << QStringLiteral("--") << QStringLiteral("FLUSHDB");
    const Result refused = run(flush);
    EXPECT_EXIT(refused, 4);
    QVERIFY2(refused.err.contains("FLUSHDB is refused") && refused.err.contains("--allow-dangerous"),
        refused.err.constData());
    QCOMPARE(m_server.cli({ QStringLiteral("-n"), QStringLiteral("5"), QStringLiteral("DBSIZE") }), QByteArray("1"));

    const Result all
        = run(tcp(m_server) << QStringLiteral("exec") << QStringLiteral("--") << QStringLiteral("FLUSHALL"));
    EXPECT_EXIT(all, 4);
    QCOMPARE(m_server.cli({ QStringLiteral("-n"), QStringLiteral("5"), QStringLiteral("DBSIZE") }), QByteArray("1"));

    const Result allowed = run(QStringList { QStringLiteral("--allow-dangerous") } + flush);
    EXPECT_EXIT(allowed, 0);
    QCOMPARE(m_server.cli({ QStringLiteral("-n"), QStringLiteral("5"), QStringLiteral("DBSIZE") }), QByteArray("0"));

    // The opt-in does not lift read-only mode.
    const Result readOnly
        = run(QStringList { QStringLiteral("--allow-dangerous"), QStringLiteral("--read-only") } + flush);
    EXPECT_EXIT(readOnly, 4);
    QVERIFY2(readOnly.err.contains("read-only"), readOnly.err.constData());
}

void TestCli::serverErrorReply()
{
    const Result r = run(tcp(m_server) << QStringLiteral("exec") << QStringLiteral("--") << QStringLiteral("NOSUCHCMD")
                                       << QStringLiteral("x"));
    EXPECT_EXIT(r, 1);
    QVERIFY2(r.err.startsWith("(error) ERR unknown command"), r.err.constData());
    QCOMPARE(r.out, QByteArray());

    const Result wrongType = run(tcp(m_server) << QStringLiteral("--json") << QStringLiteral("exec")
                                               << QStringLiteral("--") << QStringLiteral("SET") << QStringLiteral("a"));
    EXPECT_EXIT(wrongType, 1);
    const QJsonValue v = parseJson(wrongType.out);
    QVERIFY2(v[QStringLiteral("error")].toString().startsWith(QLatin1String("ERR wrong number of arguments")),
        wrongType.out.constData());
    QCOMPARE(v[QStringLiteral("kind")].toString(), QStringLiteral("server"));
    QVERIFY(wrongType.err.contains("ERR wrong number of arguments"));
}

void TestCli::connectionRefusedIsPrompt()
{
    const quint16 port = RedisServer::freePort(); // nothing listens there
    QVERIFY(port != 0);
    // The timeout is far longer than the wait: exiting in time proves the CLI did not wait for it
    // (no reconnect loop, no waiting for a timeout).
    RunOptions o;
    o.waitMs = 20000;
    const Result r = run({ QStringLiteral("--port"), QString::number(port), QStringLiteral("--timeout"),
                             QStringLiteral("120000"), QStringLiteral("ping") },
        o);
    EXPECT_EXIT(r, 3);
    const QString expected
        = QStringLiteral("bullpen-cli: cannot connect to 127.0.0.1:%1: Connection refused").arg(port);
    QVERIFY2(QString::fromUtf8(r.err).contains(expected), r.err.constData());

    o.input.clear();
    const Result json
        = run({ QStringLiteral("--port"), QString::number(port), QStringLiteral("--json"), QStringLiteral("ping") }, o);
    EXPECT_EXIT(json, 3);
    QCOMPARE(parseJson(json.out)[QStringLiteral("kind")].toString(), QStringLiteral("connection"));
}

void TestCli::handshakeTimeout()
{
    // A stopped server accepts the TCP connection (the kernel does) but never answers.
    RedisServer stopped;
    QVERIFY2(stopped.start(), qPrintable(stopped.error()));
    stopped.pause();
    const Result r
        = run(tcp(stopped) << QStringLiteral("--timeout") << QStringLiteral("300") << QStringLiteral("ping"));
    stopped.resume();
    EXPECT_EXIT(r, 3);
    QVERIFY2(r.err.contains("cannot connect to 127.0.0.1:"), r.err.constData());
}

void TestCli::requestTimeout()
{
    // Connected, then the command gets no reply in time (BLPOP blocks on an empty list).
    const Result r
        = run(tcp(m_server) << QStringLiteral("--timeout") << QStringLiteral("1500") << QStringLiteral("--json")
                            << QStringLiteral("exec") << QStringLiteral("--") << QStringLiteral("BLPOP")
                            << QStringLiteral("cli:empty") << QStringLiteral("0"));
    EXPECT_EXIT(r, 3);
    QVERIFY2(r.err.contains("BLPOP got no reply within 1500 ms"), r.err.constData());
    QCOMPARE(parseJson(r.out)[QStringLiteral("kind")].toString(), QStringLiteral("timeout"));
}

void TestCli::authentication()
{
    RedisServer secured(
        RedisServer::Config { .extraArgs = { QStringLiteral("--requirepass"), QStringLiteral("s3cret") } });
    QVERIFY2(secured.start(), qPrintable(secured.error()));
    const QStringList ping = tcp(secured) << QStringLiteral("ping");

    RunOptions env;
    env.env.insert(QStringLiteral("BULLPEN_PASSWORD"), QStringLiteral("s3cret"));
    Result r = run(ping, env);
    EXPECT_EXIT(r, 0);
    QCOMPARE(r.out, QByteArray("PONG\n"));

    RunOptions wrong;
    wrong.input = "nope\n";
    r = run(QStringList { QStringLiteral("--password-stdin") } + ping, wrong);
    EXPECT_EXIT(r, 3);
    QVERIFY2(r.err.contains("authentication failed"), r.err.constData());
    QVERIFY2(!r.err.contains("nope"), r.err.constData()); // the password is never echoed

    // --password-stdin wins over the environment.
    RunOptions both;
    both.input = "s3cret\n";
    both.env.insert(QStringLiteral("BULLPEN_PASSWORD"), QStringLiteral("wrong"));
    r = run(QStringList { QStringLiteral("--password-stdin") } + ping, both);
    EXPECT_EXIT(r, 0);

    r = run(ping);
    EXPECT_EXIT(r, 3);
    QVERIFY2(r.err.contains("authentication required"), r.err.constData());

    // Accepted in a URL, with a warning; the password is not repeated.
    r = run({ QStringLiteral("--url"), QStringLiteral("redis://:s3cret@127.0.0.1:%1").arg(secured.port()),
        QStringLiteral("ping") });
    EXPECT_EXIT(r, 0);
    QVERIFY2(r.err.contains("warning:") && !r.err.contains("s3cret"), r.err.constData());
}

void TestCli::unixSocket()
{
    RedisServer local(RedisServer::Config { .unixSocket = true });
    QVERIFY2(local.start(), qPrintable(local.error()));

    Result r = run({ QStringLiteral("--socket"), local.socketPath(), QStringLiteral("ping") });
    EXPECT_EXIT(r, 0);
    QCOMPARE(r.out, QByteArray("PONG\n"));

    r = run({ QStringLiteral("--url"), QStringLiteral("unix://") + local.socketPath() + QStringLiteral("?db=1"),
        QStringLiteral("exec"), QStringLiteral("--"), QStringLiteral("SET"), QStringLiteral("cli:sock"),
        QStringLiteral("1") });
    EXPECT_EXIT(r, 0);
    QCOMPARE(
        local.cli({ QStringLiteral("-n"), QStringLiteral("1"), QStringLiteral("GET"), QStringLiteral("cli:sock") }),
        QByteArray("1"));

    // REDIS_URL is the default address when no address option is given.
    RunOptions env;
    env.env.insert(QStringLiteral("REDIS_URL"), local.url());
    r = run({ QStringLiteral("ping") }, env);
    EXPECT_EXIT(r, 0);
    QCOMPARE(r.out, QByteArray("PONG\n"));

    env.env.insert(QStringLiteral("REDIS_URL"), QStringLiteral("redis://localhost:0"));
    r = run({ QStringLiteral("ping") }, env);
    EXPECT_EXIT(r, 2);
    QVERIFY2(r.err.contains("invalid REDIS_URL: the port must be"), r.err.constData());

    r = run({ QStringLiteral("--socket"), local.dir() + QStringLiteral("/missing.sock"), QStringLiteral("ping") });
    EXPECT_EXIT(r, 3);
    QVERIFY2(r.err.contains("cannot connect to unix:"), r.err.constData());
}

void TestCli::tls()
{
    RedisServer secure(RedisServer::Config { .tls = true });
    QVERIFY2(secure.start(), qPrintable(secure.error()));

    Result r = run(
        { QStringLiteral("--tls"), QStringLiteral("--host"), QStringLiteral("localhost"), QStringLiteral("--port"),
            QString::number(secure.port()), QStringLiteral("--cacert"), secure.caFile(), QStringLiteral("ping") });
    EXPECT_EXIT(r, 0);
    QCOMPARE(r.out, QByteArray("PONG\n"));

    r = run({ QStringLiteral("--url"), secure.url(), QStringLiteral("info"), QStringLiteral("server") });
    EXPECT_EXIT(r, 0);
    QVERIFY(r.out.contains("redis_version:"));

    // The server's certificate is not signed by a system CA: verification fails, exit 3.
    r = run({ QStringLiteral("--tls"), QStringLiteral("--host"), QStringLiteral("localhost"), QStringLiteral("--port"),
        QString::number(secure.port()), QStringLiteral("ping") });
    EXPECT_EXIT(r, 3);
    QVERIFY2(r.err.contains("TLS"), r.err.constData());

    // …unless the user explicitly skips verification.
    r = run({ QStringLiteral("--tls"), QStringLiteral("--insecure"), QStringLiteral("--port"),
        QString::number(secure.port()), QStringLiteral("ping") });
    EXPECT_EXIT(r, 0);
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
