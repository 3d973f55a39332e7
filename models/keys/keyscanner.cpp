// SPDX-License-Identifier: MIT
#include "keyscanner.h"

#include "bullmq/futurewatch.h"
#include "redisclient.h"

namespace bullpen::keys {

KeyScanner::KeyScanner(RedisClient* client, QObject* parent)
    : QObject(parent)
    , m_client(client)
{
}

KeyScanner::~KeyScanner() = default;

void KeyScanner::start(const ScanOptions& options)
{
    ++m_generation;
    m_options = options;
    m_cursor = QByteArrayLiteral("0");
    m_scanned = 0;
    m_limit = options.limit;
    m_roundTrips = 0;
    m_atEnd = false;
    m_started = true;
    m_running = true;
    m_inFlight = false;
    send();
}

void KeyScanner::cancel()
{
    ++m_generation;
    m_running = false;
    m_inFlight = false;
    m_started = false;
}

void KeyScanner::resume(qint64 more)
{
    if (m_running || m_atEnd || !m_started)
        return;
    m_limit = more > 0 ? m_scanned + more : 0;
    m_running = true;
    send();
}

void KeyScanner::send()
{
    if (!m_client) {
        m_running = false;
        Q_EMIT failed(tr("not connected"), Reply::ErrorKind::Connection);
        return;
    }
    Command cmd { QByteArrayLiteral("SCAN"), m_cursor };
    if (!m_options.match.isEmpty())
        cmd << QByteArrayLiteral("MATCH") << m_options.match;
    cmd << QByteArrayLiteral("COUNT") << QByteArray::number(std::max(1, m_options.count));
    if (!m_options.type.isEmpty())
        cmd << QByteArrayLiteral("TYPE") << m_options.type;
    m_inFlight = true;
    ++m_roundTrips;
    const quint64 gen = m_generation;
    bullmq::whenReady(this, m_client->command(cmd), [this, gen](const Reply& r) {
        if (gen != m_generation)
            return; // cancelled or restarted
        m_inFlight = false;
        if (r.isError() || !r.isArray() || r.size() != 2 || !r.at(1).isArray()) {
            m_running = false;
            Q_EMIT failed(r.isError() ? r.errorMessage() : tr("unexpected SCAN reply"),
                r.isError() ? r.errorKind() : Reply::ErrorKind::Protocol);
            return;
        }
        m_cursor = r.at(0).bytes();
        m_atEnd = m_cursor == "0";
        m_scanned += r.at(1).size();
        const bool more = !m_atEnd && (m_limit <= 0 || m_scanned < m_limit);
        if (more)
            send(); // overlap the next round trip with the work on this page
        else
            m_running = false;
        Q_EMIT page(r.at(1));
        if (!more && gen == m_generation)
            Q_EMIT finished();
    });
}

} // namespace bullpen::keys
