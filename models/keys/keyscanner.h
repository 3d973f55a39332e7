// SPDX-License-Identifier: MIT
#pragma once

#include "reply.h"

#include <QObject>
#include <QPointer>

namespace bullpen {
class RedisClient;
}

namespace bullpen::keys {

struct ScanOptions {
    QByteArray match; ///< SCAN MATCH pattern; empty: every key
    QByteArray type; ///< SCAN TYPE filter ("hash", …); empty: every type
    int count = 1000; ///< SCAN COUNT hint: bounded server work per call
    qint64 limit = 0; ///< stop after this many names (checked per page); 0: no limit
};

/// Iterates SCAN (never KEYS) to the end of the keyspace, or to a limit, one call in flight.
/// The next call is sent as soon as a reply arrives, before the page is handed out, so the
/// server and the network work while the receiver digests the page. The page signal carries
/// the reply's array of names (shared bytes, no copy).
class KeyScanner : public QObject
{
    Q_OBJECT
public:
    explicit KeyScanner(RedisClient* client, QObject* parent = nullptr);
    ~KeyScanner() override;

    /// Starts from cursor 0 (a running scan is dropped).
    void start(const ScanOptions& options);
    /// Stops; a reply in flight is ignored. finished() is not emitted.
    void cancel();
    /// After the limit was reached: scans on until `more` further names (0: to the end).
    void resume(qint64 more);

    bool isRunning() const { return m_running; }
    bool atEnd() const { return m_atEnd; }
    bool limitReached() const { return !m_atEnd && !m_running && m_started; }
    qint64 scanned() const { return m_scanned; }
    int roundTrips() const { return m_roundTrips; }

Q_SIGNALS:
    void page(const bullpen::Reply& names);
    /// The end of the keyspace, or the limit (then limitReached() is true).
    void finished();
    void failed(const QString& message, bullpen::Reply::ErrorKind kind);

private:
    void send();

    QPointer<RedisClient> m_client;
    ScanOptions m_options;
    QByteArray m_cursor = QByteArrayLiteral("0");
    quint64 m_generation = 0;
    qint64 m_scanned = 0;
    qint64 m_limit = 0;
    int m_roundTrips = 0;
    bool m_running = false;
    bool m_atEnd = false;
    bool m_started = false;
    bool m_inFlight = false;
};

} // namespace bullpen::keys
