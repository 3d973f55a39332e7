// SPDX-License-Identifier: MIT
// RESP decoding through a scripted fake transport: canned byte streams are fed to RespDecoder
// whole, split at every byte boundary and byte by byte, and the decoded replies are compared
// with a text dump.
#include "replydump.h"
#include "respcodec.h"

// sds.h has no extern "C" guard of its own in hiredis 0.14.
extern "C" {
#include <hiredis/sds.h>
}
#include <hiredis/hiredis.h>

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QTest>
#include <QVarLengthArray>

using namespace bullpen;
using namespace bullpen::test;

namespace {

// Drains every complete reply.
void drain(RespDecoder& d, QStringList& out)
{
    while (auto r = d.next())
        out.append(dumpReply(*r));
}

QStringList decodeWhole(const QByteArray& stream, QString* error = nullptr)
{
    RespDecoder d;
    QStringList out;
    d.feed(stream);
    drain(d, out);
    if (error)
        *error = d.errorString();
    return out;
}

QStringList decodeSplit(const QByteArray& stream, qsizetype at, QString* error)
{
    RespDecoder d;
    QStringList out;
    d.feed(stream.constData(), at);
    drain(d, out);
    d.feed(stream.constData() + at, stream.size() - at);
    drain(d, out);
    *error = d.errorString();
    return out;
}

QStringList decodeByteByByte(const QByteArray& stream, QString* error)
{
    RespDecoder d;
    QStringList out;
    for (qsizetype i = 0; i < stream.size(); ++i) {
        d.feed(stream.constData() + i, 1);
        drain(d, out);
    }
    *error = d.errorString();
    return out;
}

// A bulk string header and payload.
QByteArray bulk(const QByteArray& payload)
{
    return '$' + QByteArray::number(payload.size()) + "\r\n" + payload + "\r\n";
}

// `depth` arrays nested in one another around an integer: [[[:1]]] for depth 3.
QByteArray nested(int depth)
{
    QByteArray s;
    for (int i = 0; i < depth; ++i)
        s += "*1\r\n";
    return s + ":1\r\n";
}

QString nestedDump(int depth)
{
    return QString(depth, QLatin1Char('[')) + QStringLiteral(":1") + QString(depth, QLatin1Char(']'));
}

QByteArray largePayload()
{
    static const QByteArray payload = [] {
        QByteArray p(8 * 1024 * 1024, Qt::Uninitialized);
        quint32 x = 2463534242u; // xorshift: deterministic, no repeating pattern, includes \r \n \0
        for (char& c : p) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            c = char(x & 0xff);
        }
        return p;
    }();
    return payload;
}

} // namespace

class TestRespCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decode_data();
    void decode();
    void decodeLargeBulkAtSelectedSplits();
    void displayString();

    void invalid_data();
    void invalid();
    void errorIsFinal();
    void hugeBulkHeaderFailsBeforeBuffering();
    void hugeArrayCount_data();
    void hugeArrayCount();
    void arrayLimit();
    void bulkLimit();
    void announcedCountIsNotAllocated();
    void bufferedBytesLimit();
    void bufferedBytesCountsUnparsedData();

    void encode_data();
    void encode();
    void encodeAppends();
    void encodeMatchesHiredis();
};

void TestRespCodec::decode_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QStringList>("expected");

    QTest::addRow("status") << QByteArray("+OK\r\n") << QStringList { QStringLiteral("+OK") };
    QTest::addRow("status with spaces") << QByteArray("+hello world\r\n")
                                        << QStringList { QStringLiteral("+hello world") };
    QTest::addRow("empty status") << QByteArray("+\r\n") << QStringList { QStringLiteral("+") };
    QTest::addRow("error") << QByteArray("-ERR unknown command 'FOO'\r\n")
                           << QStringList { QStringLiteral("-ERR unknown command 'FOO'") };
    QTest::addRow("wrongtype error") << QByteArray("-WRONGTYPE Operation against a key\r\n")
                                     << QStringList { QStringLiteral("-WRONGTYPE Operation against a key") };
    QTest::addRow("integer") << QByteArray(":1000\r\n") << QStringList { QStringLiteral(":1000") };
    QTest::addRow("zero") << QByteArray(":0\r\n") << QStringList { QStringLiteral(":0") };
    QTest::addRow("negative integer") << QByteArray(":-42\r\n") << QStringList { QStringLiteral(":-42") };
    QTest::addRow("int64 max") << QByteArray(":9223372036854775807\r\n")
                               << QStringList { QStringLiteral(":9223372036854775807") };
    QTest::addRow("int64 min") << QByteArray(":-9223372036854775808\r\n")
                               << QStringList { QStringLiteral(":-9223372036854775808") };
    QTest::addRow("bulk") << QByteArray("$5\r\nhello\r\n") << QStringList { QStringLiteral("\"hello\"") };
    QTest::addRow("empty bulk") << QByteArray("$0\r\n\r\n") << QStringList { QStringLiteral("\"\"") };
    QTest::addRow("nil bulk") << QByteArray("$-1\r\n") << QStringList { QStringLiteral("nil") };
    QTest::addRow("nil array") << QByteArray("*-1\r\n") << QStringList { QStringLiteral("nil") };
    QTest::addRow("empty array") << QByteArray("*0\r\n") << QStringList { QStringLiteral("[]") };
    QTest::addRow("binary bulk") << QByteArray("$8\r\na\0b\r\nc\n\r\r\n", 14)
                                 << QStringList { QStringLiteral("\"a\\x00b\\x0d\\x0ac\\x0a\\x0d\"") };
    QTest::addRow("bulk that looks like replies")
        << bulk("+OK\r\n*2\r\n$-1\r\n") << QStringList { QStringLiteral("\"+OK\\x0d\\x0a*2\\x0d\\x0a$-1\\x0d\\x0a\"") };
    QTest::addRow("all byte values") << bulk([] {
        QByteArray all(256, Qt::Uninitialized);
        for (int i = 0; i < 256; ++i)
            all[i] = char(i);
        return all;
    }()) << QStringList { QStringLiteral("$256 bytes sha1=4916d6bdb7f78e6803698cab32d1586ea457dfc8") };
    QTest::addRow("flat array") << QByteArray("*3\r\n$3\r\nfoo\r\n:7\r\n+QUEUED\r\n")
                                << QStringList { QStringLiteral("[\"foo\", :7, +QUEUED]") };
    QTest::addRow("array with nils and error") << QByteArray("*4\r\n$-1\r\n*-1\r\n-ERR x\r\n$0\r\n\r\n")
                                               << QStringList { QStringLiteral("[nil, nil, -ERR x, \"\"]") };
    QTest::addRow("nested arrays") << QByteArray("*2\r\n*2\r\n:1\r\n:2\r\n*1\r\n*0\r\n")
                                   << QStringList { QStringLiteral("[[:1, :2], [[]]]") };
    QTest::addRow("scan page") << QByteArray("*2\r\n$2\r\n17\r\n*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n")
                               << QStringList { QStringLiteral("[\"17\", [\"a\", \"b\", \"c\"]]") };
    // Nested arrays after a sibling at every level, then a scalar after the deepest one: the
    // builder must find each parent again after its children complete.
    QTest::addRow("siblings at every depth") << QByteArray("*2\r\n*2\r\n*2\r\n:1\r\n:2\r\n:3\r\n*1\r\n$1\r\nx\r\n")
                                             << QStringList { QStringLiteral("[[[:1, :2], :3], [\"x\"]]") };
    for (int depth = 1; depth <= 8; ++depth)
        QTest::addRow("nested depth %d", depth) << nested(depth) << QStringList { nestedDump(depth) };
    // The 8th level holds an empty array, and an array with a nil and a status.
    QTest::addRow("depth 8 with empty and mixed arrays")
        << QByteArray(QByteArray("*1\r\n").repeated(6) + "*2\r\n*0\r\n*2\r\n$-1\r\n+x\r\n")
        << QStringList { QStringLiteral("[[[[[[[[], [nil, +x]]]]]]]]") };
    QTest::addRow("several replies in one buffer")
        << QByteArray("+OK\r\n:1\r\n$3\r\nbar\r\n*0\r\n$-1\r\n-ERR no\r\n*1\r\n+x\r\n")
        << QStringList { QStringLiteral("+OK"), QStringLiteral(":1"), QStringLiteral("\"bar\""), QStringLiteral("[]"),
               QStringLiteral("nil"), QStringLiteral("-ERR no"), QStringLiteral("[+x]") };
    QTest::addRow("pipelined pings") << QByteArray("+PONG\r\n").repeated(50)
                                     << QStringList(50, QStringLiteral("+PONG"));
    // More than 1 KiB consumed: hiredis compacts its buffer then, under a reply in progress.
    QTest::addRow("array over buffer compaction")
        << QByteArray(QByteArray("*300\r\n") + QByteArray(":12345\r\n").repeated(300) + "+after\r\n")
        << QStringList { QLatin1Char('[') + QStringList(300, QStringLiteral(":12345")).join(QStringLiteral(", "))
                   + QLatin1Char(']'),
               QStringLiteral("+after") };
    QTest::addRow("no data") << QByteArray() << QStringList {};
    QTest::addRow("incomplete bulk") << QByteArray("$5\r\nhel") << QStringList {};
    QTest::addRow("incomplete array") << QByteArray("*2\r\n:1\r\n") << QStringList {};
    QTest::addRow("complete then incomplete")
        << QByteArray("+OK\r\n*2\r\n$1\r\n") << QStringList { QStringLiteral("+OK") };
}

void TestRespCodec::decode()
{
    QFETCH(QByteArray, stream);
    QFETCH(QStringList, expected);

    QString error;
    QCOMPARE(decodeWhole(stream, &error), expected);
    QCOMPARE(error, QString());

    for (qsizetype at = 0; at <= stream.size(); ++at) {
        const QStringList got = decodeSplit(stream, at, &error);
        if (got != expected || !error.isEmpty()) {
            qWarning("split at byte %lld of %lld", qlonglong(at), qlonglong(stream.size()));
            QCOMPARE(got, expected);
            QCOMPARE(error, QString());
        }
    }

    QCOMPARE(decodeByteByByte(stream, &error), expected);
    QCOMPARE(error, QString());
}

// An 8 MiB bulk: whole, byte by byte, and split at every boundary in the header and the end
// (the interesting ones) plus a stride through the payload. Splitting at all 8 Mi boundaries
// would decode 64 TiB.
void TestRespCodec::decodeLargeBulkAtSelectedSplits()
{
    const QByteArray payload = largePayload();
    QVERIFY(payload.contains('\0') && payload.contains("\r\n"));
    const QByteArray stream = bulk(payload) + ":1\r\n";
    const QString big
        = QStringLiteral("$%1 bytes sha1=%2")
              .arg(payload.size())
              .arg(QString::fromLatin1(QCryptographicHash::hash(payload, QCryptographicHash::Sha1).toHex()));
    const QStringList expected { big, QStringLiteral(":1") };

    QCOMPARE(decodeWhole(stream), expected);

    QString error;
    QCOMPARE(decodeByteByByte(stream, &error), expected);
    QCOMPARE(error, QString());

    QList<qsizetype> splits;
    for (qsizetype i = 0; i <= 32; ++i) {
        splits.append(i);
        splits.append(stream.size() - i);
    }
    for (qsizetype i = 0; i < stream.size(); i += 1024 * 1024 + 7)
        splits.append(i);
    for (const qsizetype at : std::as_const(splits)) {
        const QStringList got = decodeSplit(stream, at, &error);
        if (got != expected || !error.isEmpty()) {
            qWarning("split at byte %lld", qlonglong(at));
            QCOMPARE(got, expected);
            QCOMPARE(error, QString());
        }
    }

    // The bytes come back as they went in, not only with the same digest.
    RespDecoder d;
    d.feed(stream);
    const auto r = d.next();
    QVERIFY(r);
    QCOMPARE(r->type(), Reply::Type::Bulk);
    QVERIFY(r->bytes() == payload);
}

// Reply's own rendering of decoded replies (what the CLI prints).
void TestRespCodec::displayString()
{
    RespDecoder d;
    d.feed(QByteArray("*3\r\n$1\r\na\r\n*2\r\n:1\r\n$-1\r\n*0\r\n+OK\r\n-ERR x\r\n"));
    const auto array = d.next();
    QVERIFY(array);
    QCOMPARE(array->toDisplayString(), QStringLiteral("1) \"a\"\n2) 1) (integer) 1\n   2) (nil)\n3) (empty array)"));
    const auto status = d.next();
    QVERIFY(status);
    QCOMPARE(status->toDisplayString(), QStringLiteral("OK"));
    const auto error = d.next();
    QVERIFY(error);
    QCOMPARE(error->toDisplayString(), QStringLiteral("(error) ERR x"));
    QCOMPARE(error->errorKind(), Reply::ErrorKind::Server);
    QVERIFY(!d.next());
}

void TestRespCodec::invalid_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QStringList>("before"); // replies decoded before the bad bytes arrive

    QTest::addRow("garbage") << QByteArray("hello\r\n") << QStringList {};
    QTest::addRow("garbage after a reply") << QByteArray("+OK\r\n!x") << QStringList { QStringLiteral("+OK") };
    QTest::addRow("RESP3 double") << QByteArray(",3.14\r\n") << QStringList {};
    QTest::addRow("RESP3 map") << QByteArray("%1\r\n+a\r\n:1\r\n") << QStringList {};
    QTest::addRow("nul byte as type") << QByteArray("\0", 1) << QStringList {};
    QTest::addRow("garbage inside an array") << QByteArray("*2\r\n:1\r\nx") << QStringList {};
    QTest::addRow("nesting depth 9") << nested(9) << QStringList {};
    QTest::addRow("empty array at depth 9")
        << QByteArray(QByteArray("*1\r\n").repeated(8) + "*0\r\n") << QStringList {};
    QTest::addRow("nesting depth 9 after a reply")
        << QByteArray(QByteArray("+OK\r\n") + nested(9)) << QStringList { QStringLiteral("+OK") };
    QTest::addRow("bulk length not a number") << QByteArray("$abc\r\n") << QStringList {};
    QTest::addRow("bulk length empty") << QByteArray("$\r\n") << QStringList {};
    QTest::addRow("bulk length -2") << QByteArray("$-2\r\n") << QStringList {};
    QTest::addRow("bulk length with junk") << QByteArray("$3x\r\nfoo\r\n") << QStringList {};
    QTest::addRow("bulk length line without end") << QByteArray("$").append(QByteArray(40, '1')) << QStringList {};
    QTest::addRow("bulk too short") << QByteArray("$3\r\nfoobar\r\n") << QStringList {};
    QTest::addRow("bulk without CRLF") << QByteArray("$3\r\nfooXY+OK\r\n") << QStringList {};
    QTest::addRow("array count not a number") << QByteArray("*x\r\n") << QStringList {};
    QTest::addRow("array count -2") << QByteArray("*-2\r\n") << QStringList {};
    QTest::addRow("integer not a number") << QByteArray(":12a\r\n") << QStringList {};
    QTest::addRow("integer empty") << QByteArray(":\r\n") << QStringList {};
    QTest::addRow("integer overflow") << QByteArray(":9223372036854775808\r\n") << QStringList {};
    QTest::addRow("CR inside an integer") << QByteArray(":12\rx\r\n") << QStringList {};
    QTest::addRow("bulk followed by LF only") << QByteArray("$2\r\nab\n+OK\r\n") << QStringList {};
}

// Bad bytes make the decoder fail for good, with a message naming a protocol error, whether
// they arrive whole, split anywhere or byte by byte.
void TestRespCodec::invalid()
{
    QFETCH(QByteArray, stream);
    QFETCH(QStringList, before);

    QString error;
    const QStringList whole = decodeWhole(stream, &error);
    QVERIFY2(error.contains(QLatin1String("protocol error")), qPrintable(error));
    QVERIFY(whole.size() <= before.size());
    QCOMPARE(whole, before.mid(0, whole.size()));

    for (qsizetype at = 0; at <= stream.size(); ++at) {
        const QStringList got = decodeSplit(stream, at, &error);
        if (!error.contains(QLatin1String("protocol error")) || got != before.mid(0, got.size())) {
            qWarning("split at byte %lld", qlonglong(at));
            QVERIFY2(error.contains(QLatin1String("protocol error")), qPrintable(error));
            QCOMPARE(got, before.mid(0, got.size()));
        }
    }
    const QStringList bytewise = decodeByteByByte(stream, &error);
    QVERIFY2(error.contains(QLatin1String("protocol error")), qPrintable(error));
    // Fed a byte at a time, every reply before the bad bytes is drained before they arrive.
    QCOMPARE(bytewise, before);
}

void TestRespCodec::errorIsFinal()
{
    RespDecoder d;
    d.feed(QByteArray("+OK\r\n"));
    const auto ok = d.next();
    QVERIFY(ok);
    QCOMPARE(dumpReply(*ok), QStringLiteral("+OK"));
    QVERIFY(!d.hasError());

    d.feed(QByteArray("!x"));
    QVERIFY(!d.next());
    QVERIFY(d.hasError());
    const QString error = d.errorString();
    QVERIFY2(error.contains(QLatin1String("protocol error")), qPrintable(error));

    // Valid bytes after the error are never decoded, and the first message stays.
    for (int i = 0; i < 3; ++i) {
        d.feed(QByteArray("+OK\r\n:1\r\n"));
        QVERIFY(!d.next());
        QVERIFY(d.hasError());
        QCOMPARE(d.errorString(), error);
    }
}

// hiredis buffers a whole bulk before building it, trusting the announced length: the header
// alone must be enough to refuse it.
void TestRespCodec::hugeBulkHeaderFailsBeforeBuffering()
{
    RespDecoder d;
    d.feed(QByteArray("$4294967296\r\n"));
    QVERIFY(!d.next());
    QVERIFY(d.hasError());
    QVERIFY2(d.errorString().contains(QLatin1String("protocol error")), qPrintable(d.errorString()));
    QVERIFY2(d.errorString().contains(QLatin1String("4294967296")), qPrintable(d.errorString()));

    // The payload that follows is not buffered.
    const QByteArray chunk(64 * 1024, 'x');
    for (int i = 0; i < 16; ++i)
        d.feed(chunk);
    QVERIFY(d.bufferedBytes() <= 16);
    QVERIFY(!d.next());

    // Also inside an array, after the header arrives a byte at a time.
    RespDecoder nestedDecoder;
    for (const char c : QByteArray("*2\r\n:1\r\n$4294967296\r\n"))
        nestedDecoder.feed(&c, 1);
    QVERIFY(!nestedDecoder.next());
    QVERIFY(nestedDecoder.hasError());
    QVERIFY(nestedDecoder.bufferedBytes() <= 32);
}

void TestRespCodec::hugeArrayCount_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addRow("2^32 + 1") << QByteArray("*4294967297\r\n");
    QTest::addRow("2^32") << QByteArray("*4294967296\r\n");
    QTest::addRow("INT_MAX") << QByteArray("*2147483647\r\n");
    QTest::addRow("INT_MAX + 1") << QByteArray("*2147483648\r\n");
    QTest::addRow("2^64 + 1 (wraps to 1)") << QByteArray("*18446744073709551617\r\n");
    QTest::addRow("nested 2^32 + 1") << QByteArray("*1\r\n*4294967297\r\n");
}

// An absurd element count is an error, without trying to allocate for it (that would abort
// the process) and without truncating it to a small count (that would desynchronise).
void TestRespCodec::hugeArrayCount()
{
    QFETCH(QByteArray, header);
    RespDecoder d;
    d.feed(header + ":1\r\n:2\r\n");
    QVERIFY(!d.next());
    QVERIFY(d.hasError());
    QVERIFY2(d.errorString().contains(QLatin1String("protocol error")), qPrintable(d.errorString()));
}

void TestRespCodec::arrayLimit()
{
    RespDecoder::Limits limits;
    limits.maxArrayElements = 3;
    {
        RespDecoder d(limits);
        d.feed(QByteArray("*3\r\n:1\r\n:2\r\n:3\r\n"));
        const auto r = d.next();
        QVERIFY(r);
        QCOMPARE(dumpReply(*r), QStringLiteral("[:1, :2, :3]"));
        QVERIFY(!d.hasError());
    }
    {
        RespDecoder d(limits);
        d.feed(QByteArray("*4\r\n"));
        QVERIFY(!d.next());
        QVERIFY(d.hasError());
        QVERIFY2(d.errorString().contains(QLatin1String("4 elements")), qPrintable(d.errorString()));
    }
}

void TestRespCodec::bulkLimit()
{
    RespDecoder::Limits limits;
    limits.maxBulkBytes = 5;
    {
        RespDecoder d(limits);
        d.feed(QByteArray("$5\r\nhello\r\n"));
        const auto r = d.next();
        QVERIFY(r);
        QCOMPARE(dumpReply(*r), QStringLiteral("\"hello\""));
    }
    {
        RespDecoder d(limits);
        d.feed(QByteArray("*1\r\n$6\r\n"));
        QVERIFY(!d.next());
        QVERIFY(d.hasError());
        QVERIFY2(d.errorString().contains(QLatin1String("6 bytes")), qPrintable(d.errorString()));
    }
    // Header and payload in one read: the limit holds even though nothing waits for the payload.
    {
        RespDecoder d(limits);
        d.feed(QByteArray("+OK\r\n$6\r\nhello!\r\n"));
        const auto ok = d.next();
        QVERIFY(ok);
        QCOMPARE(dumpReply(*ok), QStringLiteral("+OK"));
        QVERIFY(!d.next());
        QVERIFY(d.hasError());
        QVERIFY2(d.errorString().contains(QLatin1String("6 bytes")), qPrintable(d.errorString()));
    }
}

// A count within the limits allocates for the elements that arrive, not for the count: with
// 2e9 announced, allocating up front (about 100 GiB) would abort the process.
void TestRespCodec::announcedCountIsNotAllocated()
{
    RespDecoder::Limits limits;
    limits.maxArrayElements = 2000000000;
    RespDecoder d(limits);
    d.feed(QByteArray("*2000000000\r\n:1\r\n*2000000000\r\n$1\r\nx\r\n"));
    QVERIFY(!d.next());
    QVERIFY(!d.hasError());
    QCOMPARE(d.bufferedBytes(), 0);
}

void TestRespCodec::bufferedBytesLimit()
{
    RespDecoder::Limits limits;
    limits.maxBufferedBytes = 64;

    // Replies larger than the limit in total pass when they are drained as they arrive.
    {
        RespDecoder d(limits);
        QStringList got;
        for (int i = 0; i < 100; ++i) {
            d.feed(QByteArray("+PONG\r\n"));
            drain(d, got);
        }
        QCOMPARE(got, QStringList(100, QStringLiteral("+PONG")));
        QVERIFY(!d.hasError());
    }
    // 60 bytes of a 100-byte bulk fit, 10 more do not.
    {
        RespDecoder d(limits);
        d.feed(QByteArray("$100\r\n") + QByteArray(54, 'a'));
        QCOMPARE(d.bufferedBytes(), 60);
        QVERIFY(!d.next());
        QVERIFY(!d.hasError());
        d.feed(QByteArray(4, 'a'));
        QVERIFY(!d.next());
        QVERIFY(!d.hasError());
        d.feed(QByteArray(10, 'a'));
        QVERIFY(!d.next());
        QVERIFY(d.hasError());
        QVERIFY2(d.errorString().contains(QLatin1String("64")), qPrintable(d.errorString()));
    }
    // A status line that never ends.
    {
        RespDecoder d(limits);
        d.feed(QByteArray("+"));
        for (int i = 0; i < 100 && !d.hasError(); ++i) {
            d.feed(QByteArray("x"));
            QVERIFY(!d.next());
        }
        QVERIFY(d.hasError());
        QVERIFY(d.bufferedBytes() <= 64);
    }
}

void TestRespCodec::bufferedBytesCountsUnparsedData()
{
    RespDecoder d;
    QCOMPARE(d.bufferedBytes(), 0);
    d.feed(QByteArray("+OK\r\n:1"));
    QCOMPARE(d.bufferedBytes(), 7);
    QVERIFY(d.next());
    QCOMPARE(d.bufferedBytes(), 2);
    QVERIFY(!d.next());
    d.feed(QByteArray("\r\n"));
    QVERIFY(d.next());
    QCOMPARE(d.bufferedBytes(), 0);
}

void TestRespCodec::encode_data()
{
    QTest::addColumn<Command>("argv");
    QTest::addColumn<QByteArray>("expected");

    QTest::addRow("ping") << Command { "PING" } << QByteArray("*1\r\n$4\r\nPING\r\n");
    QTest::addRow("set") << command("SET key value") << QByteArray("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n");
    QTest::addRow("empty argument") << Command { "SET", "k", QByteArray() }
                                    << QByteArray("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n");
    QTest::addRow("empty but not null argument")
        << Command { "GET", QByteArray("") } << QByteArray("*2\r\n$3\r\nGET\r\n$0\r\n\r\n");
    QTest::addRow("binary argument") << Command { "SET", QByteArray("a\0b", 3), QByteArray("\r\n\0\xff$1\r\n", 8) }
                                     << QByteArray("*3\r\n$3\r\nSET\r\n$3\r\na\0b\r\n$8\r\n\r\n\0\xff$1\r\n\r\n", 36);
    QTest::addRow("spaces stay in one argument")
        << Command { "ECHO", "a b  c" } << QByteArray("*2\r\n$4\r\nECHO\r\n$6\r\na b  c\r\n");
    QTest::addRow("percent signs are not formats")
        << Command { "ECHO", "%s %b %%" } << QByteArray("*2\r\n$4\r\nECHO\r\n$8\r\n%s %b %%\r\n");
    Command many;
    QByteArray manyBytes = "*20\r\n";
    for (int i = 0; i < 20; ++i) { // more than QVarLengthArray's inline 16
        many.append(QByteArray::number(i));
        manyBytes += '$' + QByteArray::number(QByteArray::number(i).size()) + "\r\n" + QByteArray::number(i) + "\r\n";
    }
    QTest::addRow("20 arguments") << many << manyBytes;
    const QByteArray big(100000, 'z');
    QTest::addRow("large argument") << Command { "SET", "k",
        big } << QByteArray(QByteArray("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000\r\n") + big + "\r\n");
}

void TestRespCodec::encode()
{
    QFETCH(Command, argv);
    QFETCH(QByteArray, expected);
    QByteArray out;
    encodeCommand(argv, out);
    QCOMPARE(out, expected);
}

void TestRespCodec::encodeAppends()
{
    QByteArray out("+prefix");
    encodeCommand(Command { "PING" }, out);
    encodeCommand(Command { "ECHO", "x" }, out);
    QCOMPARE(out, QByteArray("+prefix*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\n"));
    // Nothing for an empty command: Redis would send no reply to "*0\r\n", and every later
    // reply would be matched to the wrong request.
    const QByteArray before = out;
    encodeCommand(Command {}, out);
    QCOMPARE(out, before);
}

// Our encoder writes the bytes itself; hiredis' own encoder is the reference it must match, for
// any number of arguments of any bytes and lengths.
void TestRespCodec::encodeMatchesHiredis()
{
    QRandomGenerator rng(20261126);
    for (int round = 0; round < 2000; ++round) {
        Command argv;
        const int argc = 1 + int(rng.bounded(round % 50 == 0 ? 300 : 8));
        for (int i = 0; i < argc; ++i) {
            const quint32 kind = rng.bounded(10);
            const qsizetype len = kind == 0 ? 0 : kind == 1 ? qsizetype(rng.bounded(100000)) : qsizetype(rng.bounded(40));
            QByteArray arg((len + 3) / 4 * 4, Qt::Uninitialized);
            rng.fillRange(reinterpret_cast<quint32*>(arg.data()), arg.size() / 4); // any byte: NUL, CR, LF, '%'
            arg.truncate(len);
            argv.append(arg);
        }
        QVarLengthArray<const char*, 16> ptrs;
        QVarLengthArray<size_t, 16> lens;
        for (const QByteArray& a : std::as_const(argv)) {
            ptrs.append(a.constData());
            lens.append(size_t(a.size()));
        }
        sds reference = nullptr;
        const int n = redisFormatSdsCommandArgv(&reference, int(argv.size()), ptrs.data(), lens.data());
        QVERIFY(n > 0);
        const QByteArray expected(reference, n);
        sdsfree(reference);
        QByteArray out("prefix");
        encodeCommand(argv, out);
        QVERIFY2(out == "prefix" + expected, qPrintable(QStringLiteral("round %1, %2 arguments").arg(round).arg(argc)));
    }
}

QTEST_GUILESS_MAIN(TestRespCodec)
#include "tst_respcodec.moc"
