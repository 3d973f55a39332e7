// SPDX-License-Identifier: MIT
// PushDecoder, the subscriber connection's fast path: canned byte streams mixing message and
// pmessage frames with other replies are fed whole, split at every byte boundary and byte by
// byte; what comes out must be what RespDecoder (hiredis) reads from the same bytes, in the
// same order. Binary payloads, drops beyond the room given, shared channel bytes, and the
// protocol errors that must reset the connection.
#include "pushdecoder.h"
#include "replydump.h"

#include <QTest>

using namespace bullpen;
using namespace bullpen::test;

namespace {

// Payloads up to 512 bytes in full, larger ones by digest.
QString shown(const QByteArray& bytes)
{
    return bytes.size() <= 512 ? escaped(bytes) : digest(bytes);
}

QString dumpMessage(const PubSubMessage& m)
{
    return QStringLiteral("msg %1|%2|%3").arg(escaped(m.pattern), escaped(m.channel), shown(m.payload));
}

// What the general codec makes of a stream, with message-shaped replies rendered as messages:
// the reference the fast path must match.
QStringList reference(const QByteArray& stream)
{
    RespDecoder d;
    d.feed(stream);
    QStringList out;
    while (auto r = d.next()) {
        const bool allBulk = [&] {
            for (const Reply& e : r->elements())
                if (e.type() != Reply::Type::Bulk)
                    return false;
            return true;
        }();
        if (r->isArray() && allBulk && r->size() == 3 && r->at(0).bytes() == "message")
            out.append(QStringLiteral("msg |%1|%2").arg(escaped(r->at(1).bytes()), shown(r->at(2).bytes())));
        else if (r->isArray() && allBulk && r->size() == 4 && r->at(0).bytes() == "pmessage")
            out.append(QStringLiteral("msg %1|%2|%3")
                           .arg(escaped(r->at(1).bytes()), escaped(r->at(2).bytes()), shown(r->at(3).bytes())));
        else
            out.append(dumpReply(*r));
    }
    return out;
}

void drain(PushDecoder& d, QStringList& out, qint64& dropped, qint64 room = 1 << 30)
{
    for (;;) {
        QList<PubSubMessage> messages;
        auto r = d.next(messages, 42, room, dropped);
        for (const PubSubMessage& m : std::as_const(messages)) {
            QCOMPARE(m.receivedMs, qint64(42));
            out.append(dumpMessage(m));
        }
        room -= messages.size();
        if (!r)
            return;
        out.append(dumpReply(*r));
    }
}

QStringList decodeParts(const QByteArray& stream, const QList<qsizetype>& cuts, QString* error)
{
    PushDecoder d;
    QStringList out;
    qint64 dropped = 0;
    qsizetype from = 0;
    for (const qsizetype at : cuts) {
        d.feed(stream.constData() + from, at - from);
        drain(d, out, dropped);
        from = at;
    }
    d.feed(stream.constData() + from, stream.size() - from);
    drain(d, out, dropped);
    *error = d.errorString();
    if (d.bufferedBytes() != 0)
        out.append(QStringLiteral("(%1 bytes left)").arg(d.bufferedBytes()));
    return out;
}

QByteArray bulk(const QByteArray& payload)
{
    return '$' + QByteArray::number(payload.size()) + "\r\n" + payload + "\r\n";
}

QByteArray message(const QByteArray& channel, const QByteArray& payload)
{
    return "*3\r\n" + bulk("message") + bulk(channel) + bulk(payload);
}

QByteArray pmessage(const QByteArray& pattern, const QByteArray& channel, const QByteArray& payload)
{
    return "*4\r\n" + bulk("pmessage") + bulk(pattern) + bulk(channel) + bulk(payload);
}

QByteArray binary(int size, quint32 seed)
{
    QByteArray p(size, Qt::Uninitialized);
    quint32 x = seed; // xorshift: includes \r \n \0 and every other byte
    for (char& c : p) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        c = char(x & 0xff);
    }
    return p;
}

} // namespace

class TestPushDecoder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void decode_data();
    void decode();
    void largePayloadAtSelectedSplits();
    void dropsBeyondRoom();
    void stopsWhenFull();
    void channelBytesAreShared();
    void invalid_data();
    void invalid();
    void hugeBulkHeaderFailsBeforeBuffering();
    void bufferedBytesLimit();
};

void TestPushDecoder::decode_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QStringList>("expected");

    const QByteArray subscribed = "*3\r\n" + bulk("psubscribe") + bulk("bench:*") + ":1\r\n";
    QTest::addRow("message") << message("ch", "hello") << QStringList { QStringLiteral("msg |ch|hello") };
    QTest::addRow("pmessage") << pmessage("c*", "ch", "hello") << QStringList { QStringLiteral("msg c*|ch|hello") };
    QTest::addRow("empty fields") << (message("", "") + pmessage("", "", ""))
                                  << QStringList { QStringLiteral("msg ||"), QStringLiteral("msg ||") };
    QTest::addRow("confirmation then messages")
        << (subscribed + pmessage("bench:*", "bench:a", "1") + pmessage("bench:*", "bench:b", "2"))
        << QStringList { QStringLiteral("[\"psubscribe\", \"bench:*\", :1]"), QStringLiteral("msg bench:*|bench:a|1"),
               QStringLiteral("msg bench:*|bench:b|2") };
    QTest::addRow("other replies between messages")
        << (message("a", "1") + "+OK\r\n" + message("a", "2") + "-ERR no\r\n" + ":7\r\n" + "$-1\r\n" + "*-1\r\n"
               + "*2\r\n*1\r\n$1\r\nx\r\n:3\r\n" + message("a", "3") + "*0\r\n" + "$0\r\n\r\n")
        << QStringList { QStringLiteral("msg |a|1"), QStringLiteral("+OK"), QStringLiteral("msg |a|2"),
               QStringLiteral("-ERR no"), QStringLiteral(":7"), QStringLiteral("nil"), QStringLiteral("nil"),
               QStringLiteral("[[\"x\"], :3]"), QStringLiteral("msg |a|3"), QStringLiteral("[]"),
               QStringLiteral("\"\"") };
    // Frames that start like a message but are not one the fast path knows: the general codec reads them.
    QTest::addRow("message with nil payload")
        << ("*3\r\n" + bulk("message") + bulk("ch") + "$-1\r\n" + message("ch", "x"))
        << QStringList { QStringLiteral("[\"message\", \"ch\", nil]"), QStringLiteral("msg |ch|x") };
    QTest::addRow("message with integer channel")
        << ("*3\r\n" + bulk("message") + ":5\r\n" + bulk("p") + message("ch", "x"))
        << QStringList { QStringLiteral("[\"message\", :5, \"p\"]"), QStringLiteral("msg |ch|x") };
    QTest::addRow("message of 2 elements")
        << ("*2\r\n" + bulk("message") + bulk("ch") + message("ch", "x"))
        << QStringList { QStringLiteral("[\"message\", \"ch\"]"), QStringLiteral("msg |ch|x") };
    QTest::addRow("smessage and pong") << ("*3\r\n" + bulk("smessage") + bulk("ch") + bulk("x") + "*2\r\n"
        + bulk("pong") + bulk("") + message("c", "y"))
                                       << QStringList { QStringLiteral("[\"smessage\", \"ch\", \"x\"]"),
                                              QStringLiteral("[\"pong\", \"\"]"), QStringLiteral("msg |c|y") };
    // Payloads holding CRLF, NUL, and the bytes of a message frame.
    const QByteArray tricky = QByteArray("a\r\nb\0c", 6) + message("x", "y") + "\r\n";
    QTest::addRow("binary payloads")
        << (message(QByteArray("ch\0\r\n", 5), tricky) + pmessage(QByteArray("*\0", 2), "ch", binary(300, 7))
               + message("ch", binary(70, 11)))
        << QStringList { QStringLiteral("msg |%1|%2").arg(escaped(QByteArray("ch\0\r\n", 5)), escaped(tricky)),
               QStringLiteral("msg %1|ch|%2").arg(escaped(QByteArray("*\0", 2)), escaped(binary(300, 7))),
               QStringLiteral("msg |ch|%1").arg(escaped(binary(70, 11))) };
    QStringList many;
    QByteArray manyStream;
    for (int i = 0; i < 40; ++i) {
        const QByteArray channel = "ch:" + QByteArray::number(i % 11);
        const QByteArray payload = binary(1 + i * 3, quint32(i + 1));
        manyStream += i % 2 ? message(channel, payload) : pmessage("ch:*", channel, payload);
        many.append(QStringLiteral("msg %1|%2|%3")
                        .arg(i % 2 ? QString() : QStringLiteral("ch:*"), escaped(channel), escaped(payload)));
    }
    QTest::addRow("40 messages on 11 channels") << manyStream << many;
    QTest::addRow("no data") << QByteArray() << QStringList {};
}

void TestPushDecoder::decode()
{
    QFETCH(QByteArray, stream);
    QFETCH(QStringList, expected);

    QCOMPARE(reference(stream), expected); // the expectation itself is what hiredis reads

    QString error;
    QCOMPARE(decodeParts(stream, {}, &error), expected);
    QCOMPARE(error, QString());
    for (qsizetype at = 0; at <= stream.size(); ++at) {
        const QStringList got = decodeParts(stream, { at }, &error);
        if (got != expected || !error.isEmpty()) {
            qWarning("split at byte %lld of %lld", qlonglong(at), qlonglong(stream.size()));
            QCOMPARE(got, expected);
            QCOMPARE(error, QString());
        }
    }
    QList<qsizetype> every;
    for (qsizetype i = 1; i < stream.size(); ++i)
        every.append(i);
    QCOMPARE(decodeParts(stream, every, &error), expected);
    QCOMPARE(error, QString());
}

// A 3 MiB binary payload: split at every boundary around its headers and its end.
void TestPushDecoder::largePayloadAtSelectedSplits()
{
    const QByteArray payload = binary(3 * 1024 * 1024, 99);
    const QByteArray stream = pmessage("p*", "p1", payload) + "+OK\r\n" + message("p1", "tail");
    const QStringList expected { QStringLiteral("msg p*|p1|%1").arg(shown(payload)), QStringLiteral("+OK"),
        QStringLiteral("msg |p1|tail") };
    QString error;
    for (qsizetype i = 0; i <= 50; ++i) {
        for (const qsizetype at : { i, stream.size() - i }) {
            const QStringList got = decodeParts(stream, { at }, &error);
            if (got != expected || !error.isEmpty()) {
                qWarning("split at byte %lld", qlonglong(at));
                QCOMPARE(got, expected);
                QCOMPARE(error, QString());
            }
        }
    }
    QList<qsizetype> chunks; // as a socket delivers it
    for (qsizetype at = 65536; at < stream.size(); at += 65536)
        chunks.append(at);
    QCOMPARE(decodeParts(stream, chunks, &error), expected);
}

void TestPushDecoder::dropsBeyondRoom()
{
    PushDecoder d;
    d.feed(
        message("a", "1") + message("a", "2") + "+OK\r\n" + message("a", "3") + message("a", "4") + message("a", "5"));
    QList<PubSubMessage> out;
    qint64 dropped = 0;
    auto r = d.next(out, 1, 1, dropped);
    QVERIFY(r);
    QCOMPARE(dumpReply(*r), QStringLiteral("+OK"));
    QCOMPARE(out.size(), 1);
    QCOMPARE(out.at(0).payload, QByteArray("1"));
    QCOMPARE(dropped, 1);
    r = d.next(out, 1, 2, dropped);
    QVERIFY(!r);
    QCOMPARE(out.size(), 3);
    QCOMPARE(out.at(1).payload, QByteArray("3"));
    QCOMPARE(out.at(2).payload, QByteArray("4"));
    QCOMPARE(dropped, 2);
    QCOMPARE(d.bufferedBytes(), 0);
    QVERIFY(!d.hasError());
}

void TestPushDecoder::stopsWhenFull()
{
    PushDecoder d;
    const QByteArray stream
        = message("a", "1") + message("a", "2") + "+OK\r\n" + message("a", "3") + message("a", "4");
    d.feed(stream);
    QList<PubSubMessage> out;
    qint64 dropped = 0;
    // Full after one: the second message stays in the buffer, nothing is dropped.
    QVERIFY(!d.next(out, 1, 1, dropped, true));
    QCOMPARE(out.size(), 1);
    const qsizetype left = d.bufferedBytes();
    QCOMPARE(left, stream.size() - message("a", "1").size());
    QVERIFY(!d.next(out, 1, 0, dropped, true));
    QCOMPARE(d.bufferedBytes(), left);
    // Other replies are not held back by a full queue: only messages wait.
    d.feed("+LAST\r\n");
    auto r = d.next(out, 1, 1, dropped, true);
    QVERIFY(r);
    QCOMPARE(dumpReply(*r), QStringLiteral("+OK"));
    QCOMPARE(out.size(), 2);
    QVERIFY(!d.next(out, 1, 1, dropped, true));
    QCOMPARE(out.size(), 3);
    r = d.next(out, 1, 5, dropped, true);
    QVERIFY(r);
    QCOMPARE(dumpReply(*r), QStringLiteral("+LAST"));
    QCOMPARE(out.size(), 4);
    for (int i = 0; i < 4; ++i)
        QCOMPARE(out.at(i).payload, QByteArray::number(i + 1));
    QCOMPARE(dropped, 0);
    QCOMPARE(d.bufferedBytes(), 0);
    QVERIFY(!d.hasError());
}

void TestPushDecoder::channelBytesAreShared()
{
    PushDecoder d;
    d.feed(pmessage("c*", "c1", "1") + pmessage("c*", "c2", "2") + pmessage("c*", "c1", "3"));
    QList<PubSubMessage> out;
    qint64 dropped = 0;
    QVERIFY(!d.next(out, 0, 10, dropped));
    QCOMPARE(out.size(), 3);
    QCOMPARE(out.at(0).channel.constData(), out.at(2).channel.constData());
    QCOMPARE(out.at(0).pattern.constData(), out.at(1).pattern.constData());
    QVERIFY(out.at(0).channel.constData() != out.at(1).channel.constData());
    QCOMPARE(out.at(1).channel, QByteArray("c2"));
}

void TestPushDecoder::invalid_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QString>("error");
    QTest::addRow("payload not followed by CRLF")
        << QByteArray("*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$3\r\nabcd\r\n") << QStringLiteral("not followed by CRLF");
    QTest::addRow("channel not followed by CRLF")
        << QByteArray("*3\r\n$7\r\nmessage\r\n$2\r\nchx\r\n$1\r\na\r\n") << QStringLiteral("not followed by CRLF");
    QTest::addRow("junk length") << QByteArray("*3\r\n$7\r\nmessage\r\n$2x\r\nch\r\n")
                                 << QStringLiteral("invalid length");
    QTest::addRow("negative length") << QByteArray("*3\r\n$7\r\nmessage\r\n$-2\r\n")
                                     << QStringLiteral("protocol error");
    QTest::addRow("length line too long")
        << (QByteArray("*3\r\n$7\r\nmessage\r\n$") + QByteArray(40, '1')) << QStringLiteral("too long");
    QTest::addRow("bad type byte") << QByteArray("?what\r\n") << QStringLiteral("invalid reply type byte 0x3f");
    QTest::addRow("bad type byte after a message")
        << (message("a", "b") + "x\r\n") << QStringLiteral("invalid reply type byte 0x78");
    QTest::addRow("other bulk not followed by CRLF") << QByteArray("$2\r\nabc\r\n") << QStringLiteral("CRLF");
    QTest::addRow("nesting deeper than hiredis reads")
        << QByteArray("*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n")
        << QStringLiteral("protocol error");
}

void TestPushDecoder::invalid()
{
    QFETCH(QByteArray, stream);
    QFETCH(QString, error);
    for (qsizetype at = 0; at <= stream.size(); ++at) {
        QString got;
        decodeParts(stream, { at }, &got);
        if (!got.contains(error)) {
            qWarning("split at byte %lld", qlonglong(at));
            QVERIFY2(got.contains(error), qPrintable(got));
        }
    }
    // Final: nothing more comes out, even for valid bytes.
    PushDecoder d;
    d.feed(stream);
    QList<PubSubMessage> out;
    qint64 dropped = 0;
    while (d.next(out, 0, 100, dropped)) { }
    QVERIFY(d.hasError());
    out.clear();
    d.feed(message("a", "b"));
    QVERIFY(!d.next(out, 0, 100, dropped));
    QVERIFY(out.isEmpty());
}

void TestPushDecoder::hugeBulkHeaderFailsBeforeBuffering()
{
    RespDecoder::Limits limits;
    limits.maxBulkBytes = 1000;
    PushDecoder d(limits);
    QList<PubSubMessage> out;
    qint64 dropped = 0;
    d.feed("*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$1001\r\n");
    QVERIFY(!d.next(out, 0, 10, dropped));
    QVERIFY(d.hasError());
    QVERIFY2(d.errorString().contains(QLatin1String("exceeds the limit")), qPrintable(d.errorString()));

    PushDecoder ok(limits);
    ok.feed(message("ch", QByteArray(1000, 'x')) + "$1001\r\n");
    QVERIFY(!ok.next(out, 0, 10, dropped));
    QCOMPARE(out.size(), 1);
    QVERIFY(ok.hasError()); // a non-message bulk is checked as well
}

void TestPushDecoder::bufferedBytesLimit()
{
    RespDecoder::Limits limits;
    limits.maxBufferedBytes = 100;
    PushDecoder d(limits);
    QList<PubSubMessage> out;
    qint64 dropped = 0;
    d.feed(QByteArray("*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$90\r\n") + QByteArray(60, 'x'));
    QVERIFY(!d.next(out, 0, 10, dropped));
    QVERIFY(!d.hasError());
    d.feed(QByteArray(40, 'x'));
    QVERIFY(d.hasError());
    QVERIFY2(d.errorString().contains(QLatin1String("100 bytes")), qPrintable(d.errorString()));
}

QTEST_APPLESS_MAIN(TestPushDecoder)
#include "tst_pushdecoder.moc"
