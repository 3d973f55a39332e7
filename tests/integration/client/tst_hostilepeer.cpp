// SPDX-License-Identifier: MIT
// A broken or hostile peer in place of Redis: a QTcpServer in the test that answers the
// handshake properly and then sends bytes that are not valid RESP. The client must fail the
// request with a protocol error, not crash, not buffer without bound, and reconnect.

#include "clienttest.h"
#include "redisclient.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <functional>
#include <optional>

#include <sys/socket.h>

using namespace bullpen;
using namespace bullpen::test;

namespace {

// Splits complete RESP multi-bulk requests off the front of `buffer` (what our client sends).
QList<Command> takeCommands(QByteArray& buffer)
{
    QList<Command> out;
    for (;;) {
        qsizetype pos = 0;
        const auto line = [&]() -> std::optional<QByteArray> {
            const qsizetype end = buffer.indexOf("\r\n", pos);
            if (end < 0)
                return std::nullopt;
            QByteArray l = buffer.mid(pos, end - pos);
            pos = end + 2;
            return l;
        };
        const auto header = line();
        if (!header || !header->startsWith('*'))
            return out;
        const int count = header->mid(1).toInt();
        Command argv;
        for (int i = 0; i < count; ++i) {
            const auto len = line();
            if (!len)
                return out;
            const qsizetype n = len->mid(1).toLongLong();
            if (buffer.size() < pos + n + 2)
                return out;
            argv.append(buffer.mid(pos, n));
            pos += n + 2;
        }
        buffer.remove(0, pos);
        out.append(argv);
    }
}

// What the fake server does with one command: bytes to send, and whether to close afterwards
// (with a TCP reset instead of an orderly close when `reset` is set).
struct Answer
{
    QByteArray bytes;
    bool close = false;
    bool reset = false;
};

// Closes with RST: SO_LINGER with a zero timeout discards the socket instead of shutting it down.
void resetConnection(QTcpSocket* s)
{
    s->flush();
    const linger l { 1, 0 };
    ::setsockopt(int(s->socketDescriptor()), SOL_SOCKET, SO_LINGER, &l, sizeof l);
    s->abort();
}

class FakeRedis : public QObject
{
public:
    using Responder = std::function<Answer(const Command&)>;

    explicit FakeRedis(Responder hostile, Responder handshake = {})
        : m_hostile(std::move(hostile))
        , m_handshake(std::move(handshake))
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* s = m_server.nextPendingConnection()) {
                ++connections;
                s->setParent(this);
                connect(s, &QTcpSocket::readyRead, this, [this, s] { onData(s); });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    ConnectionOptions options() const
    {
        ConnectionOptions o;
        o.port = m_server.serverPort();
        o.reconnectInitialMs = 30;
        o.reconnectMaxMs = 200;
        return o;
    }

    int connections = 0;
    QList<Command> received;

private:
    void onData(QTcpSocket* s)
    {
        QByteArray& buffer = m_buffers[s];
        buffer += s->readAll();
        for (const Command& argv : takeCommands(buffer)) {
            received.append(argv);
            const QByteArray name = argv.value(0).toUpper();
            Answer a;
            if (m_handshake && (name == "CLIENT" || name == "COMMAND"))
                a = m_handshake(argv);
            else if (name == "CLIENT")
                a.bytes = "+OK\r\n";
            else if (name == "COMMAND")
                a.bytes = "*1\r\n$3\r\nset\r\n";
            else if (name == "PING")
                a.bytes = "+PONG\r\n";
            else
                a = m_hostile(argv);
            s->write(a.bytes);
            if (a.reset) {
                resetConnection(s);
                return;
            }
            if (a.close) {
                s->disconnectFromHost();
                return;
            }
        }
    }

    QTcpServer m_server;
    Responder m_hostile;
    Responder m_handshake;
    QHash<QTcpSocket*, QByteArray> m_buffers;
};

QByteArray nested(int depth)
{
    QByteArray out;
    for (int i = 0; i < depth; ++i)
        out += "*1\r\n";
    return out + ":1\r\n";
}

} // namespace

class TestHostilePeer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void badReply_data();
    void badReply();
    void deepButSupportedNesting();
    void unsolicitedReply();
    void peerClosesDuringHandshake();
    void peerResetsRightAfterTheHandshake();
};

void TestHostilePeer::badReply_data()
{
    QTest::addColumn<QByteArray>("reply");
    QTest::addColumn<bool>("closeAfter");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("mentions");
    const int protocol = int(Reply::ErrorKind::Protocol);
    QTest::addRow("text garbage") << QByteArray("this is not RESP\r\n") << false << protocol
                                  << QStringLiteral("protocol error");
    QTest::addRow("binary garbage") << QByteArray("\x00\x01\xfe\xff\r\n", 6) << false << protocol
                                    << QStringLiteral("protocol error");
    QTest::addRow("4 GiB bulk") << QByteArray("$4294967296\r\n") + QByteArray(4096, 'x') << false << protocol
                                << QStringLiteral("4294967296");
    QTest::addRow("4 GiB bulk, header only")
        << QByteArray("$4294967296\r\n") << false << protocol << QStringLiteral("4294967296");
    QTest::addRow("bad bulk length") << QByteArray("$12ab\r\nhello\r\n") << false << protocol
                                     << QStringLiteral("protocol error");
    QTest::addRow("huge array") << QByteArray("*2147483647\r\n") << false << protocol
                                << QStringLiteral("protocol error");
    QTest::addRow("array beyond int") << QByteArray("*99999999999\r\n") << false << protocol
                                      << QStringLiteral("protocol error");
    QTest::addRow("9 nested arrays") << nested(9) << false << protocol << QStringLiteral("protocol error");
    QTest::addRow("20 nested arrays") << nested(20) << false << protocol << QStringLiteral("protocol error");
    QTest::addRow("RESP3 map") << QByteArray("%1\r\n+a\r\n:1\r\n") << false << protocol
                               << QStringLiteral("protocol error");
    QTest::addRow("closed mid-reply") << QByteArray("$10\r\nabc") << true << int(Reply::ErrorKind::Connection)
                                      << QStringLiteral("connection");
}

void TestHostilePeer::badReply()
{
    QFETCH(QByteArray, reply);
    QFETCH(bool, closeAfter);
    QFETCH(int, kind);
    QFETCH(QString, mentions);

    FakeRedis fake([&](const Command&) { return Answer { reply, closeAfter }; });
    QVERIFY(fake.listen());
    ConnectionOptions o = fake.options();
    o.requestTimeoutMs = 60000; // the failure must come from the bytes, not from a timeout
    RedisClient client(o);
    StateRecorder rec(&client);
    BP_OPEN_READY(client);
    QCOMPARE(rec.sequence(), QStringLiteral("connecting ready"));

    const QFuture<Reply> bad = client.command({ "GET", "k" });
    const QFuture<Reply> behind = client.command({ "ECHO", "behind" });
    BP_AWAIT(r, bad);
    QCOMPARE(r.errorKind(), Reply::ErrorKind(kind));
    QVERIFY2(r.errorMessage().contains(mentions), qPrintable(r.errorMessage()));
    BP_AWAIT(b, behind);
    QVERIFY(b.isError());
    QCOMPARE(b.errorKind(), Reply::ErrorKind::Connection);

    // Reconnects by itself: the state cycles back to Ready on a new connection.
    QVERIFY2(rec.waitFor(ConnectionState::Ready, 2), qPrintable(rec.dump()));
    QCOMPARE(rec.sequence(), QStringLiteral("connecting ready disconnected connecting ready"));
    QVERIFY2(!rec.reasons.at(2).isEmpty(), qPrintable(rec.dump()));
    QCOMPARE(fake.connections, 2);
    BP_AWAIT(ping, client.command({ "PING" }));
    QCOMPARE(ping.toDisplayString(), QStringLiteral("PONG"));
}

void TestHostilePeer::deepButSupportedNesting()
{
    // hiredis 0.14 supports 7 levels below the top: that is valid data, not an attack.
    FakeRedis fake([](const Command&) { return Answer { nested(8), false }; });
    QVERIFY(fake.listen());
    RedisClient client(fake.options());
    BP_OPEN_READY(client);
    BP_AWAIT(r, client.command({ "GET", "k" }));
    QVERIFY2(r.isArray(), qPrintable(r.toDisplayString()));
    Reply inner = r;
    for (int i = 0; i < 8; ++i) {
        QCOMPARE(inner.size(), qsizetype(1));
        inner = Reply(inner.at(0));
    }
    QCOMPARE(inner.integer(), qint64(1));
    BP_COMPARE_STATE(client.state(), ConnectionState::Ready);
}

void TestHostilePeer::unsolicitedReply()
{
    // An extra reply nobody asked for: we no longer know which reply answers what.
    FakeRedis fake([](const Command&) { return Answer { "$5\r\nvalue\r\n+EXTRA\r\n", false }; });
    QVERIFY(fake.listen());
    RedisClient client(fake.options());
    StateRecorder rec(&client);
    BP_OPEN_READY(client);
    BP_AWAIT(r, client.command({ "GET", "k" }));
    QCOMPARE(r.bytes(), QByteArray("value"));
    QVERIFY2(rec.waitFor(ConnectionState::Disconnected), qPrintable(rec.dump()));
    QVERIFY2(rec.reasons.at(rec.indexOf(ConnectionState::Disconnected)).contains(QLatin1String("unexpected reply")),
        qPrintable(rec.dump()));
    QVERIFY2(rec.waitFor(ConnectionState::Ready, 2), qPrintable(rec.dump()));
}

void TestHostilePeer::peerClosesDuringHandshake()
{
    // A peer that hangs up on the handshake: waiting requests fail at once, and it keeps trying.
    int attempts = 0;
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    connect(&server, &QTcpServer::newConnection, &server, [&] {
        while (QTcpSocket* s = server.nextPendingConnection()) {
            ++attempts;
            connect(s, &QTcpSocket::readyRead, s, [s] {
                s->readAll();
                s->disconnectFromHost();
            });
            connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
        }
    });
    ConnectionOptions o;
    o.port = server.serverPort();
    o.reconnectInitialMs = 30;
    o.reconnectMaxMs = 100;
    o.requestTimeoutMs = 60000;
    o.connectTimeoutMs = 60000;
    RedisClient client(o);
    StateRecorder rec(&client);
    const QFuture<Reply> f = client.command({ "PING" });
    client.open();
    BP_AWAIT(r, f);
    QCOMPARE(r.errorKind(), Reply::ErrorKind::Connection);
    QTRY_VERIFY_WITH_TIMEOUT(attempts >= 3, 10000);
    QCOMPARE(rec.indexOf(ConnectionState::Ready), -1);
    QCOMPARE(rec.indexOf(ConnectionState::Failed), -1);
}

void TestHostilePeer::peerResetsRightAfterTheHandshake()
{
    // The handshake succeeds and the peer resets the connection at once: the requests that
    // waited for the handshake are written into a dead socket, where a write error can reset
    // the connection in the middle of sending them.
    FakeRedis fake(
        [](const Command&) {
            return Answer { {}, false, true };
        },
        [](const Command& argv) {
            if (argv.value(0).toUpper() == "CLIENT")
                return Answer { "+OK\r\n" };
            return Answer { "*0\r\n", false, true };
        });
    QVERIFY(fake.listen());
    ConnectionOptions o = fake.options();
    o.requestTimeoutMs = 60000;
    auto client = std::make_unique<RedisClient>(o);
    StateRecorder rec(client.get());
    QList<QFuture<Reply>> futures;
    for (int i = 0; i < 200; ++i)
        futures.append(client->command({ "SET", "k" + QByteArray::number(i), QByteArray(1000, 'v') }));
    client->open();
    for (const auto& f : std::as_const(futures)) {
        BP_AWAIT(r, f);
        QCOMPARE(r.errorKind(), Reply::ErrorKind::Connection);
    }
    // Requests sent while the client believes it is ready meet the same fate, in every phase.
    for (int round = 0; round < 5; ++round) {
        QVERIFY2(rec.waitFor(ConnectionState::Ready, rec.states.size()), qPrintable(rec.dump()));
        QList<QFuture<Reply>> more;
        for (int i = 0; i < 50; ++i)
            more.append(client->command({ "GET", "k" }));
        for (const auto& f : std::as_const(more)) {
            BP_AWAIT(r, f);
            QVERIFY2(r.errorKind() == Reply::ErrorKind::Connection, qPrintable(r.toDisplayString()));
        }
    }
    client.reset();
    QVERIFY(fake.connections >= 5);
}

QTEST_GUILESS_MAIN(TestHostilePeer)
#include "tst_hostilepeer.moc"
