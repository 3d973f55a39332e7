// SPDX-License-Identifier: MIT
#include "pushdecoder.h"

#include <cstring>

namespace bullpen {

namespace {
    constexpr char kMessage[] = "*3\r\n$7\r\nmessage\r\n";
    constexpr char kPMessage[] = "*4\r\n$8\r\npmessage\r\n";
    constexpr qsizetype kMessageLen = sizeof kMessage - 1;
    constexpr qsizetype kPMessageLen = sizeof kPMessage - 1;
    constexpr qsizetype kMaxLengthLine = 21; // "-9223372036854775808" and more is junk
    constexpr qsizetype kKeepCapacity = 1024 * 1024; // a larger buffer is released once empty
} // namespace

PushDecoder::PushDecoder()
    : PushDecoder(RespDecoder::Limits {})
{
}

PushDecoder::PushDecoder(RespDecoder::Limits limits)
    : m_limits(limits)
    , m_fallback(limits)
{
}

void PushDecoder::fail(const QString& why)
{
    if (m_error.isEmpty())
        m_error = why;
}

void PushDecoder::compact()
{
    if (m_pos == 0)
        return;
    if (m_pos >= m_buffer.size()) {
        if (m_buffer.capacity() > kKeepCapacity)
            m_buffer = QByteArray();
        else
            m_buffer.resize(0);
    } else {
        m_buffer.remove(0, m_pos); // the start of one frame: small unless a large payload is arriving
    }
    m_pos = 0;
}

void PushDecoder::feed(const char* data, qsizetype size)
{
    if (hasError() || size <= 0)
        return;
    if (bufferedBytes() + size > m_limits.maxBufferedBytes) {
        fail(QStringLiteral("more than %1 bytes of unparsed reply data").arg(m_limits.maxBufferedBytes));
        return;
    }
    compact();
    m_buffer.append(data, size);
}

PushDecoder::Scan PushDecoder::readLength(qsizetype& at, qint64& value, qint64 limit, bool allowNegative)
{
    const char* const b = m_buffer.constData();
    const qsizetype size = m_buffer.size();
    const qsizetype stop = std::min(size, at + kMaxLengthLine + 2);
    const void* cr = std::memchr(b + at, '\r', size_t(stop - at));
    if (!cr)
        return stop - at >= kMaxLengthLine + 2
            ? (fail(QStringLiteral("protocol error: length line too long")), Scan::Invalid)
            : Scan::Incomplete;
    const qsizetype crAt = static_cast<const char*>(cr) - b;
    if (crAt + 1 >= size)
        return Scan::Incomplete;
    if (b[crAt + 1] != '\n') {
        fail(QStringLiteral("protocol error: length line not ended by CRLF"));
        return Scan::Invalid;
    }
    qsizetype i = at;
    if (b[i] == '-') {
        ++i;
        // Only -1 (nil) is valid RESP; hiredis would read any negative length as nil.
        if (!allowNegative || crAt - i != 1 || b[i] != '1') {
            fail(QStringLiteral("protocol error: invalid length"));
            return Scan::Invalid;
        }
        value = -1;
        at = crAt + 2;
        return Scan::Complete;
    }
    if (i == crAt) {
        fail(QStringLiteral("protocol error: invalid length"));
        return Scan::Invalid;
    }
    qint64 v = 0;
    for (; i < crAt; ++i) {
        const char c = b[i];
        if (c < '0' || c > '9') {
            fail(QStringLiteral("protocol error: invalid length"));
            return Scan::Invalid;
        }
        v = v * 10 + (c - '0'); // checked at every digit: no overflow
        if (v > limit) {
            fail(QStringLiteral("protocol error: a length exceeds the limit of %1").arg(limit));
            return Scan::Invalid;
        }
    }
    value = v;
    at = crAt + 2;
    return Scan::Complete;
}

PushDecoder::Scan PushDecoder::scanMessage(qsizetype& end, const char* (&fields)[3], qsizetype (&sizes)[3], int& count)
{
    const char* const b = m_buffer.constData();
    const qsizetype avail = m_buffer.size() - m_pos;
    if (avail <= 0)
        return Scan::Incomplete;
    const char* head = b + m_pos;
    qsizetype prefix = 0;
    if (std::memcmp(head, kMessage, size_t(std::min(avail, kMessageLen))) == 0) {
        prefix = kMessageLen;
        count = 2;
    } else if (std::memcmp(head, kPMessage, size_t(std::min(avail, kPMessageLen))) == 0) {
        prefix = kPMessageLen;
        count = 3;
    } else {
        return Scan::Other;
    }
    // Any frame that starts like one of the two is longer than the prefix: wait for it.
    if (avail < prefix)
        return Scan::Incomplete;
    qsizetype at = m_pos + prefix;
    for (int f = 0; f < count; ++f) {
        if (at >= m_buffer.size())
            return Scan::Incomplete;
        if (b[at] != '$')
            return Scan::Other;
        ++at;
        qint64 len = 0;
        const Scan s = readLength(at, len, m_limits.maxBulkBytes, true);
        if (s != Scan::Complete)
            return s;
        if (len < 0)
            return Scan::Other; // a nil: not a message the fast path knows
        if (m_buffer.size() - at < len + 2)
            return Scan::Incomplete;
        if (b[at + len] != '\r' || b[at + len + 1] != '\n') {
            fail(QStringLiteral("protocol error: bulk string of %1 bytes is not followed by CRLF").arg(len));
            return Scan::Invalid;
        }
        fields[f] = b + at;
        sizes[f] = qsizetype(len);
        at += len + 2;
    }
    end = at;
    return Scan::Complete;
}

PushDecoder::Scan PushDecoder::measureFrame(qsizetype& end)
{
    const char* const b = m_buffer.constData();
    const qsizetype size = m_buffer.size();
    qsizetype at = m_pos;
    qint64 pending = 1; // values still to read
    while (pending > 0) {
        if (at >= size)
            return Scan::Incomplete;
        const char type = b[at++];
        qint64 n = 0;
        switch (type) {
        case '+':
        case '-':
        case ':': {
            const void* cr = std::memchr(b + at, '\r', size_t(size - at));
            if (!cr)
                return Scan::Incomplete;
            at = static_cast<const char*>(cr) - b + 2;
            if (at > size)
                return Scan::Incomplete;
            --pending;
            break;
        }
        case '$': {
            const Scan s = readLength(at, n, m_limits.maxBulkBytes, true);
            if (s != Scan::Complete)
                return s;
            if (n >= 0) { // -1: nil
                if (size - at < n + 2)
                    return Scan::Incomplete;
                at += n + 2;
            }
            --pending;
            break;
        }
        case '*': {
            const Scan s = readLength(at, n, m_limits.maxArrayElements, true);
            if (s != Scan::Complete)
                return s;
            --pending;
            if (n > 0)
                pending += n;
            break;
        }
        default:
            fail(QStringLiteral("protocol error: invalid reply type byte 0x%1")
                     .arg(uint(static_cast<unsigned char>(type)), 2, 16, QLatin1Char('0')));
            return Scan::Invalid;
        }
    }
    end = at;
    return Scan::Complete;
}

QByteArray PushDecoder::shared(const char* data, qsizetype size, QByteArray* cache, int cacheSize, int& nextSlot)
{
    for (int i = 0; i < cacheSize; ++i) {
        const QByteArray& c = cache[i];
        if (c.size() == size && !c.isNull() && std::memcmp(c.constData(), data, size_t(size)) == 0)
            return c;
    }
    QByteArray fresh(data, size);
    cache[nextSlot] = fresh;
    nextSlot = (nextSlot + 1) % cacheSize;
    return fresh;
}

std::optional<Reply> PushDecoder::next(
    QList<PubSubMessage>& out, qint64 receivedMs, qint64 room, qint64& dropped, bool stopWhenFull)
{
    while (!hasError()) {
        qsizetype end = 0;
        const char* fields[3] = {};
        qsizetype sizes[3] = {};
        int count = 0;
        switch (scanMessage(end, fields, sizes, count)) {
        case Scan::Complete:
            if (room > 0) {
                PubSubMessage m;
                const int c = count - 2; // the channel's field
                if (count == 3)
                    m.pattern = shared(fields[0], sizes[0], m_pattern, 1, m_nextPattern);
                m.channel = shared(fields[c], sizes[c], m_channels, kChannelSlots, m_nextChannel);
                m.payload = QByteArray(fields[c + 1], sizes[c + 1]);
                m.receivedMs = receivedMs;
                out.append(std::move(m));
                --room;
            } else if (stopWhenFull) {
                return std::nullopt; // the frame stays for the next call
            } else {
                ++dropped;
            }
            m_pos = end;
            continue;
        case Scan::Incomplete:
        case Scan::Invalid:
            return std::nullopt;
        case Scan::Other:
            break;
        }
        const Scan s = measureFrame(end);
        if (s != Scan::Complete)
            return std::nullopt;
        m_fallback.feed(m_buffer.constData() + m_pos, end - m_pos);
        m_pos = end;
        std::optional<Reply> reply = m_fallback.next();
        if (!reply)
            fail(m_fallback.hasError() ? m_fallback.errorString() : QStringLiteral("protocol error: incomplete reply"));
        return reply;
    }
    return std::nullopt;
}

} // namespace bullpen
