// SPDX-License-Identifier: MIT
#pragma once

#include "redisconnection.h" // PubSubMessage
#include "respcodec.h"

#include <QByteArray>
#include <QList>

#include <optional>

namespace bullpen {

/// The decoder of a subscriber connection: a fast path for the frames that make up a flood.
///
/// `*3 message <channel> <payload>` and `*4 pmessage <pattern> <channel> <payload>` frames are
/// recognised in the read buffer itself and become PubSubMessage values directly: one
/// allocation for the payload, the channel and pattern shared with the previous messages that
/// had the same bytes. Anything else (subscribe confirmations, errors, handshake replies, a
/// message frame of another shape) is measured, handed whole to a RespDecoder (hiredis) and
/// returned as a Reply, in stream order. The limits and the error semantics are those of
/// RespDecoder: once hasError() is true it stays so and the connection must be reset.
class PushDecoder
{
public:
    PushDecoder();
    explicit PushDecoder(RespDecoder::Limits limits);

    void feed(const char* data, qsizetype size);
    void feed(const QByteArray& data) { feed(data.constData(), data.size()); }

    /// Takes complete message frames from the buffer, in order, up to the next other reply
    /// (returned) or the end of what is complete (nothing returned). Messages go to `out` with
    /// `receivedMs`, at most `room` of them: the ones beyond are skipped and counted in
    /// `dropped` (their bytes are never copied), or with `stopWhenFull` left in the buffer: then
    /// nothing is returned once `room` is used up and the next frame is a message.
    std::optional<Reply> next(
        QList<PubSubMessage>& out, qint64 receivedMs, qint64 room, qint64& dropped, bool stopWhenFull = false);

    bool hasError() const { return !m_error.isEmpty(); }
    QString errorString() const { return m_error; }
    qsizetype bufferedBytes() const { return m_buffer.size() - m_pos; }

private:
    enum class Scan { Complete, Incomplete, Other, Invalid };
    /// One message frame at m_pos: Complete fills the fields and `end`.
    Scan scanMessage(qsizetype& end, const char* (&fields)[3], qsizetype (&sizes)[3], int& count);
    /// The length of any RESP2 frame at m_pos (Complete), or why not.
    Scan measureFrame(qsizetype& end);
    /// Reads "<digits>\r\n" at `at` (after the type byte); Invalid on junk or lengths beyond `limit`.
    Scan readLength(qsizetype& at, qint64& value, qint64 limit, bool allowNegative);
    QByteArray shared(const char* data, qsizetype size, QByteArray* cache, int cacheSize, int& nextSlot);
    void compact();
    void fail(const QString& why);

    RespDecoder::Limits m_limits;
    RespDecoder m_fallback;
    QByteArray m_buffer;
    qsizetype m_pos = 0;
    QString m_error;
    static constexpr int kChannelSlots = 8;
    QByteArray m_channels[kChannelSlots]; ///< recently seen channel names, shared by their messages
    int m_nextChannel = 0;
    QByteArray m_pattern[1];
    int m_nextPattern = 0;
};

} // namespace bullpen
