// SPDX-License-Identifier: MIT
#include "statscommand.h"

#include "clioutput.h"
#include "clisession.h"
#include "clusterclient.h"
#include "commandargs.h"
#include "server/servermetricsmodel.h"
#include "server/serversampler.h"
#include "server/timeseriesmodel.h"

#include <QDateTime>
#include <QJsonObject>

#include <cmath>

namespace bullpen::cli {

namespace {

    QJsonValue number(double v)
    {
        return std::isnan(v) ? QJsonValue() : QJsonValue(v);
    }

    QJsonObject toJson(const ServerSample& s)
    {
        QJsonObject o;
        o.insert(QStringLiteral("time"),
            QDateTime::fromMSecsSinceEpoch(s.timeMs).toUTC().toString(Qt::ISODateWithMs));
        o.insert(QStringLiteral("time_ms"), s.timeMs);
        o.insert(QStringLiteral("used_memory"), s.usedMemory);
        o.insert(QStringLiteral("used_memory_rss"), s.usedMemoryRss);
        o.insert(QStringLiteral("mem_fragmentation_ratio"), number(s.fragmentation));
        o.insert(QStringLiteral("maxmemory"), s.maxMemory);
        o.insert(QStringLiteral("maxmemory_policy"), QString::fromUtf8(s.evictionPolicy));
        o.insert(QStringLiteral("total_commands_processed"), s.totalCommands);
        o.insert(QStringLiteral("ops_per_sec"), number(s.opsPerSecond));
        o.insert(QStringLiteral("connected_clients"), s.connectedClients);
        o.insert(QStringLiteral("blocked_clients"), s.blockedClients);
        o.insert(QStringLiteral("hit_ratio"), number(s.hitRatio));
        o.insert(QStringLiteral("net_input_bytes_per_sec"), number(s.netInPerSecond));
        o.insert(QStringLiteral("net_output_bytes_per_sec"), number(s.netOutPerSecond));
        o.insert(QStringLiteral("expired_keys_per_sec"), number(s.expiredPerSecond));
        o.insert(QStringLiteral("evicted_keys_per_sec"), number(s.evictedPerSecond));
        qint64 keys = 0;
        for (const auto& k : s.keyspace)
            keys += k.keys;
        o.insert(QStringLiteral("keys"), keys);
        return o;
    }

    QByteArray toLine(const ServerSample& s)
    {
        using U = TimeSeriesModel::Unit;
        const auto f = &TimeSeriesModel::formatValue;
        const QString text
            = QStringLiteral("%1  mem %2  rss %3  frag %4  ops %5  clients %6  blocked %7  hits %8  in %9  out %10  "
                             "expired %11  evicted %12")
                  .arg(QDateTime::fromMSecsSinceEpoch(s.timeMs).toString(QStringLiteral("HH:mm:ss")),
                      f(double(s.usedMemory), U::Bytes), f(double(s.usedMemoryRss), U::Bytes),
                      f(s.fragmentation, U::Factor), f(s.opsPerSecond, U::PerSecond),
                      QString::number(s.connectedClients), QString::number(s.blockedClients),
                      f(s.hitRatio, U::Ratio), f(s.netInPerSecond, U::BytesPerSecond))
                  .arg(f(s.netOutPerSecond, U::BytesPerSecond), f(s.expiredPerSecond, U::PerSecond),
                      f(s.evictedPerSecond, U::PerSecond));
        return text.toUtf8() + '\n';
    }

} // namespace

QString StatsCommand::parse(const QList<QByteArray>& args)
{
    for (qsizetype i = 0; i < args.size(); ++i) {
        QByteArray name = args.at(i);
        QByteArray value;
        if (const qsizetype eq = name.indexOf('='); name.startsWith("--") && eq > 0) {
            value = name.mid(eq + 1);
            name = name.left(eq);
        } else if (name == "--interval" || name == "--count" || name == "--node") {
            if (i + 1 >= args.size())
                return QStringLiteral("%1 needs a value").arg(QString::fromLatin1(name));
            value = args.at(++i);
        }
        bool ok = false;
        if (name == "--interval") {
            const double seconds = value.toDouble(&ok);
            if (!ok || seconds < 0.01 || seconds > 86400)
                return QStringLiteral("--interval needs seconds between 0.01 and 86400");
            m_intervalMs = int(std::lround(seconds * 1000));
        } else if (name == "--count") {
            m_count = value.toLongLong(&ok);
            if (!ok || m_count < 1)
                return QStringLiteral("--count needs a positive integer");
        } else if (name == "--node") {
            if (value.isEmpty() || !value.contains(':'))
                return QStringLiteral("--node needs HOST:PORT of a cluster master");
            m_node = QString::fromUtf8(value);
        } else {
            return QStringLiteral("usage: stats [--interval S] [--count N] [--node HOST:PORT] (unexpected '%1')")
                .arg(QString::fromLocal8Bit(args.at(i)));
        }
    }
    return {};
}

void StatsCommand::run(CliSession& session)
{
    const bool cluster = qobject_cast<ClusterClient*>(session.client()) != nullptr;
    if (!m_node.isEmpty() && !cluster) {
        failUsage(session, QStringLiteral("--node needs --cluster: a single server has no nodes to choose from"));
        return;
    }
    auto* sampler = new ServerSampler(&session);
    sampler->metrics()->setCapacity(2); // the CLI prints as it goes; keep nothing
    sampler->setInterval(m_intervalMs);
    sampler->setNode(m_node);
    const qint64 count = m_count;
    const QString node = m_node;
    auto printed = std::make_shared<qint64>(0);
    QObject::connect(sampler, &ServerSampler::sampled, &session,
        [&session, sampler, count, printed, cluster, node](const ServerSample& s) {
            if (cluster && !node.isEmpty() && !sampler->nodes().contains(node)) {
                sampler->stop();
                failUsage(session,
                    QStringLiteral("--node %1 is not a master of this cluster (masters: %2)")
                        .arg(node, sampler->nodes().join(QStringLiteral(", "))));
                return;
            }
            const QString label = node.isEmpty() ? QStringLiteral("all %1 masters").arg(sampler->nodes().size()) : node;
            if (session.json()) {
                QJsonObject o = toJson(s);
                if (cluster) {
                    o.insert(QStringLiteral("node"), node.isEmpty() ? QStringLiteral("all") : node);
                    o.insert(QStringLiteral("nodes"), int(sampler->nodes().size()));
                }
                writeOut(toJsonText(o) + '\n');
            } else {
                writeOut(cluster ? label.toUtf8() + "  " + toLine(s) : toLine(s));
            }
            if (count > 0 && ++*printed >= count) {
                sampler->stop();
                session.finish(ExitCode::Ok);
            }
        });
    QObject::connect(sampler, &ServerSampler::failed, &session, [&session, sampler](const QString& message) {
        sampler->stop();
        session.fail(Reply::failure(Reply::ErrorKind::Connection, message));
    });
    sampler->setClient(session.client());
    sampler->start();
}

} // namespace bullpen::cli
