// SPDX-License-Identifier: MIT
#pragma once

#include "reply.h"

#include <QFuture>
#include <QObject>
#include <QPointer>

namespace bullpen {
class RedisClient;
}

namespace bullpen::keys {

class KeyScanner;

/// Single-key edits. Each is one command; on a read-only connection the client refuses it
/// (ErrorKind::Refused) before anything is sent. The UI confirms every one first.
QFuture<Reply> setTtl(RedisClient* client, const QByteArray& key, qint64 ms); ///< PEXPIRE
QFuture<Reply> persist(RedisClient* client, const QByteArray& key); ///< PERSIST
/// RENAMENX: never overwrites; the reply is 0 when `to` exists.
QFuture<Reply> renameKey(RedisClient* client, const QByteArray& from, const QByteArray& to);
QFuture<Reply> unlinkKey(RedisClient* client, const QByteArray& key); ///< UNLINK

/// The SCAN MATCH pattern of every key below a folder path.
QByteArray folderPattern(const QByteArray& path, const QByteArray& delimiter);

/// Deletes every key matching a pattern: count() scans and reports how many there are (to be
/// shown before confirming), run() scans again and UNLINKs each SCAN page as it arrives.
class FolderDeleter : public QObject
{
    Q_OBJECT
public:
    FolderDeleter(RedisClient* client, QByteArray pattern, QObject* parent = nullptr);
    ~FolderDeleter() override;

    QByteArray pattern() const { return m_pattern; }
    void count();
    void run();
    void cancel();

Q_SIGNALS:
    void counted(qint64 keys);
    void progress(qint64 deleted);
    void done(qint64 deleted);
    void failed(const QString& message, bullpen::Reply::ErrorKind kind);

private:
    void unlinkPage(const Reply& names);
    void maybeDone();

    QPointer<RedisClient> m_client;
    QByteArray m_pattern;
    KeyScanner* m_scanner = nullptr;
    qint64 m_count = 0;
    qint64 m_deleted = 0;
    int m_pending = 0;
    bool m_deleting = false;
    bool m_scanDone = false;
    bool m_failed = false;
};

} // namespace bullpen::keys
