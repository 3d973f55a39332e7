// SPDX-License-Identifier: MIT
#include "respcodec.h"

#include <hiredis/hiredis.h>
#include <hiredis/read.h>

#include <charconv>
#include <cstring>

namespace bullpen {

void encodeCommand(const Command& argv, QByteArray& out)
{
    // Redis answers nothing to an empty multi-bulk ("*0\r\n"): sending one would pair every
    // later reply with the wrong request.
    if (argv.isEmpty())
        return;
    // Written straight into `out`, sized once: hiredis' redisFormatSdsCommandArgv builds an sds
    // per command and took ~150 ns for a GET, most of a pipelined GET's client time; this takes
    // ~20 ns. tst_respcodec checks the bytes against hiredis' encoder.
    qsizetype need = 1 + 20 + 2;
    for (const QByteArray& arg : argv)
        need += 1 + 20 + 2 + arg.size() + 2;
    const qsizetype start = out.size();
    out.resize(start + need);
    char* p = out.data() + start;
    char* const end = p + need;
    const auto header = [&p, end](char kind, qsizetype n) {
        *p++ = kind;
        p = std::to_chars(p, end, n).ptr;
        *p++ = '\r';
        *p++ = '\n';
    };
    header('*', argv.size());
    for (const QByteArray& arg : argv) {
        header('$', arg.size());
        if (!arg.isEmpty())
            std::memcpy(p, arg.constData(), size_t(arg.size()));
        p += arg.size();
        *p++ = '\r';
        *p++ = '\n';
    }
    out.truncate(p - out.constData());
}

// hiredis builds replies through these callbacks: we construct Reply values directly, with
// no intermediate redisReply tree. A root object is a heap `Node`; children are appended to
// their parent's element list (hiredis delivers them in order), and arrays hand hiredis a
// pointer to their list so that their own children can find it.
namespace {

struct Node {
    Reply reply;
    QList<Reply>* list = nullptr; // set when reply is an array under construction
};

struct DecoderState {
    Node root; // hiredis builds one root at a time: the decoder's slot for it, no allocation per reply
    qint64 maxArrayElements = 0;
    qint64 maxBulkBytes = 0;
    QString error; // why a callback refused to build an object (hiredis only knows "OOM")
};

// Element lists grow as elements arrive, never by the announced count: a 14-byte header
// announcing 64 Mi elements must not allocate gigabytes before a single element is received.
constexpr qsizetype kMaxReserve = 1024;

int sentinel; // returned for scalar children: hiredis only needs a non-null pointer

QList<Reply>* parentList(const redisReadTask* task)
{
    const redisReadTask* parent = task->parent;
    if (!parent->parent)
        return static_cast<Node*>(parent->obj)->list;
    return static_cast<QList<Reply>*>(parent->obj);
}

Node* rootSlot(const redisReadTask* task, Reply reply, QList<Reply>* list)
{
    Node& root = static_cast<DecoderState*>(task->privdata)->root;
    root.reply = std::move(reply);
    root.list = list;
    return &root;
}

void* place(const redisReadTask* task, Reply reply)
{
    if (!task->parent)
        return rootSlot(task, std::move(reply), nullptr);
    QList<Reply>* list = parentList(task);
    Q_ASSERT(list->size() == task->idx);
    list->append(std::move(reply));
    return &sentinel;
}

void* createString(const redisReadTask* task, char* str, size_t len)
{
    if (task->type == REDIS_REPLY_STRING) {
        auto* state = static_cast<DecoderState*>(task->privdata);
        // Only reached when the header and payload arrived together; a header alone is caught
        // by RespDecoder::checkPendingHeader() before the payload is buffered.
        if (qint64(len) > state->maxBulkBytes) {
            state->error = QStringLiteral("bulk string of %1 bytes exceeds the limit of %2")
                               .arg(qulonglong(len))
                               .arg(state->maxBulkBytes);
            return nullptr;
        }
        // hiredis skips the two bytes after the payload without looking at them. Anything but
        // CRLF there means the announced length is wrong, and every later reply would be read
        // out of the wrong bytes. hiredis only calls us once those two bytes are buffered.
        if (str[len] != '\r' || str[len + 1] != '\n') {
            state->error = QStringLiteral("bulk string of %1 bytes is not followed by CRLF").arg(qulonglong(len));
            return nullptr;
        }
    }
    QByteArray bytes(str, qsizetype(len));
    switch (task->type) {
    case REDIS_REPLY_ERROR:
        return place(task, Reply::error(std::move(bytes)));
    case REDIS_REPLY_STATUS:
        return place(task, Reply::status(std::move(bytes)));
    default:
        return place(task, Reply::bulk(std::move(bytes)));
    }
}

} // namespace

class ReplyBuilder
{
public:
    static void* createArray(const redisReadTask* task, int elements);
};

void* ReplyBuilder::createArray(const redisReadTask* task, int elements)
{
    auto* state = static_cast<DecoderState*>(task->privdata);
    if (elements < 0 || elements > state->maxArrayElements) {
        state->error = QStringLiteral("array of %1 elements exceeds the limit of %2")
                           .arg(elements)
                           .arg(state->maxArrayElements);
        return nullptr; // hiredis turns this into an error and stops
    }
    auto list = std::make_shared<QList<Reply>>();
    list->reserve(qMin(qsizetype(elements), kMaxReserve));
    QList<Reply>* raw = list.get();
    Reply reply;
    reply.m_type = Reply::Type::Array;
    reply.m_array = std::move(list);
    if (!task->parent)
        return rootSlot(task, std::move(reply), raw);
    QList<Reply>* parent = parentList(task);
    Q_ASSERT(parent->size() == task->idx);
    parent->append(std::move(reply));
    return raw;
}

namespace {

void* createInteger(const redisReadTask* task, long long value)
{
    return place(task, Reply::integer(value));
}

void* createNil(const redisReadTask* task)
{
    return place(task, Reply::nil());
}

void freeObject(void* obj)
{
    // hiredis only frees roots (r->reply), which live in DecoderState::root; children belong to
    // their parent's list.
    auto* node = static_cast<Node*>(obj);
    node->reply = Reply();
    node->list = nullptr;
}

redisReplyObjectFunctions g_functions = {
    createString, ReplyBuilder::createArray, createInteger, createNil, freeObject,
};

} // namespace

void RespDecoder::ReaderFree::operator()(redisReader* r) const
{
    if (r) {
        // The reader first: it may free a half-built root, which lives in the state.
        auto* state = static_cast<DecoderState*>(r->privdata);
        redisReaderFree(r);
        delete state;
    }
}

RespDecoder::RespDecoder()
    : RespDecoder(Limits {})
{
}

RespDecoder::RespDecoder(Limits limits)
    : m_reader(redisReaderCreateWithFunctions(&g_functions))
    , m_limits(limits)
{
    Q_ASSERT(m_reader);
    auto* state = new DecoderState;
    state->maxArrayElements = limits.maxArrayElements;
    state->maxBulkBytes = limits.maxBulkBytes;
    m_reader->privdata = state;
}

RespDecoder::~RespDecoder() = default;

qsizetype RespDecoder::bufferedBytes() const
{
    return m_reader && m_reader->buf ? qsizetype(m_reader->len - m_reader->pos) : 0;
}

void RespDecoder::fail(const QString& why)
{
    if (m_error.isEmpty())
        m_error = why;
}

void RespDecoder::feed(const char* data, qsizetype size)
{
    if (hasError() || size <= 0)
        return;
    if (bufferedBytes() + size > m_limits.maxBufferedBytes) {
        fail(QStringLiteral("more than %1 bytes of unparsed reply data").arg(m_limits.maxBufferedBytes));
        return;
    }
    if (redisReaderFeed(m_reader.get(), data, size_t(size)) != REDIS_OK)
        fail(QStringLiteral("protocol error: %1").arg(QString::fromLatin1(m_reader->errstr)));
}

// hiredis waits for a whole bulk string before it builds it, trusting the announced length.
// A hostile peer announcing 4 GiB would make us buffer without bound, so we read the header
// of the bulk hiredis is waiting for and refuse lengths above the limit.
void RespDecoder::checkPendingHeader()
{
    redisReader* r = m_reader.get();
    if (r->ridx < 0 || r->rstack[r->ridx].type != REDIS_REPLY_STRING || !r->buf)
        return;
    const char* begin = r->buf + r->pos;
    const char* end = r->buf + r->len;
    const char* cr = static_cast<const char*>(std::memchr(begin, '\r', size_t(end - begin)));
    if (!cr) {
        if (end - begin > 32)
            fail(QStringLiteral("protocol error: bulk length line too long"));
        return;
    }
    long long len = 0;
    const auto [ptr, ec] = std::from_chars(begin, cr, len);
    if (ec != std::errc() || ptr != cr)
        fail(QStringLiteral("protocol error: invalid bulk length"));
    else if (len > m_limits.maxBulkBytes)
        fail(QStringLiteral("protocol error: bulk string of %1 bytes exceeds the limit of %2")
                 .arg(len)
                 .arg(m_limits.maxBulkBytes));
}

std::optional<Reply> RespDecoder::next()
{
    if (hasError())
        return std::nullopt;
    void* obj = nullptr;
    if (redisReaderGetReply(m_reader.get(), &obj) != REDIS_OK) {
        auto* state = static_cast<DecoderState*>(m_reader->privdata);
        fail(QStringLiteral("protocol error: %1")
                 .arg(state->error.isEmpty() ? QString::fromLatin1(m_reader->errstr) : state->error));
        return std::nullopt;
    }
    if (!obj) {
        checkPendingHeader();
        return std::nullopt;
    }
    // The root slot is the decoder's own: the reply is moved out and the slot left empty.
    auto* node = static_cast<Node*>(obj);
    node->list = nullptr;
    return std::exchange(node->reply, Reply());
}

} // namespace bullpen
