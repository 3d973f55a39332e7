// SPDX-License-Identifier: MIT
#pragma once

#include "reply.h"

#include <QString>

#include <memory>
#include <optional>

struct redisReader;

namespace bullpen {

/// Encodes one command as a RESP multi-bulk request (binary safe), appending to `out`.
/// Appends nothing for an empty command: the server would never answer it.
void encodeCommand(const Command& argv, QByteArray& out);

/// Incremental RESP2 decoder around hiredis' redisReader. Pure: no I/O, no threads.
///
/// Bytes go in with feed(); complete replies come out of next(). Once the stream is found
/// to be invalid (garbage, a bulk or array larger than the limits, a bulk payload not followed
/// by CRLF, nesting deeper than the 8 levels hiredis supports) hasError() is true for good,
/// next() returns nothing more and the connection must be reset. Array elements are allocated
/// as they arrive, never for the announced count.
class RespDecoder
{
public:
    struct Limits {
        qint64 maxBulkBytes = 512LL * 1024 * 1024; ///< Redis' own proto-max-bulk-len default
        qint64 maxArrayElements = 64LL * 1024 * 1024;
        qint64 maxBufferedBytes = 1024LL * 1024 * 1024; ///< unparsed bytes held at most
    };

    RespDecoder();
    explicit RespDecoder(Limits limits);
    ~RespDecoder();
    RespDecoder(const RespDecoder&) = delete;
    RespDecoder& operator=(const RespDecoder&) = delete;

    void feed(const char* data, qsizetype size);
    void feed(const QByteArray& data) { feed(data.constData(), data.size()); }

    /// The next complete reply, or nothing when more bytes are needed (or on error).
    std::optional<Reply> next();

    bool hasError() const { return !m_error.isEmpty(); }
    QString errorString() const { return m_error; }
    /// Bytes received but not yet turned into replies.
    qsizetype bufferedBytes() const;

private:
    void checkPendingHeader();
    void fail(const QString& why);

    struct ReaderFree {
        void operator()(redisReader* r) const;
    };
    std::unique_ptr<redisReader, ReaderFree> m_reader;
    Limits m_limits;
    QString m_error;
};

} // namespace bullpen
