// SPDX-License-Identifier: MIT
#include "keyactions.h"

#include "bullmq/futurewatch.h"
#include "keyname.h"
#include "keyscanner.h"
#include "redisclient.h"

namespace bullpen::keys {

QFuture<Reply> setTtl(RedisClient* client, const QByteArray& key, qint64 ms)
{
    return client->command({ "PEXPIRE", key, QByteArray::number(ms) });
}

QFuture<Reply> persist(RedisClient* client, const QByteArray& key)
{
    return client->command({ "PERSIST", key });
}

QFuture<Reply> renameKey(RedisClient* client, const QByteArray& from, const QByteArray& to)
{
    return client->command({ "RENAMENX", from, to });
}

QFuture<Reply> unlinkKey(RedisClient* client, const QByteArray& key)
{
    return client->command({ "UNLINK", key });
}

QByteArray folderPattern(const QByteArray& path, const QByteArray& delimiter)
{
    return globEscape(path + delimiter) + '*';
}

FolderDeleter::FolderDeleter(RedisClient* client, QByteArray pattern, QObject* parent)
    : QObject(parent)
    , m_client(client)
    , m_pattern(std::move(pattern))
{
}

FolderDeleter::~FolderDeleter() = default;

void FolderDeleter::cancel()
{
    delete m_scanner;
    m_scanner = nullptr;
    m_failed = true;
}

void FolderDeleter::count()
{
    delete m_scanner;
    m_scanner = new KeyScanner(m_client, this);
    m_count = 0;
    m_deleting = false;
    connect(m_scanner, &KeyScanner::page, this, [this](const Reply& names) { m_count += names.size(); });
    connect(m_scanner, &KeyScanner::finished, this, [this] { Q_EMIT counted(m_count); });
    connect(m_scanner, &KeyScanner::failed, this, &FolderDeleter::failed);
    m_scanner->start({ m_pattern, {}, 1000, 0 });
}

void FolderDeleter::run()
{
    delete m_scanner;
    m_scanner = new KeyScanner(m_client, this);
    m_deleted = 0;
    m_pending = 0;
    m_deleting = true;
    m_scanDone = false;
    m_failed = false;
    connect(m_scanner, &KeyScanner::page, this, &FolderDeleter::unlinkPage);
    connect(m_scanner, &KeyScanner::finished, this, [this] {
        m_scanDone = true;
        maybeDone();
    });
    connect(m_scanner, &KeyScanner::failed, this, [this](const QString& message, Reply::ErrorKind kind) {
        m_failed = true;
        Q_EMIT failed(message, kind);
    });
    m_scanner->start({ m_pattern, {}, 1000, 0 });
}

void FolderDeleter::unlinkPage(const Reply& names)
{
    if (names.size() == 0 || m_failed || !m_client)
        return;
    Command cmd { "UNLINK" };
    for (const Reply& n : names.elements())
        cmd << n.bytes();
    ++m_pending;
    bullmq::whenReady(this, m_client->command(cmd), [this](const Reply& r) {
        --m_pending;
        if (m_failed)
            return;
        if (r.isError()) {
            m_failed = true;
            if (m_scanner)
                m_scanner->cancel();
            Q_EMIT failed(r.errorMessage(), r.errorKind());
            return;
        }
        m_deleted += r.integer();
        Q_EMIT progress(m_deleted);
        maybeDone();
    });
}

void FolderDeleter::maybeDone()
{
    if (m_scanDone && m_pending == 0 && !m_failed) {
        m_scanDone = false;
        Q_EMIT done(m_deleted);
    }
}

} // namespace bullpen::keys
