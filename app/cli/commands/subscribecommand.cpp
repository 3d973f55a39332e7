// SPDX-License-Identifier: MIT
#include "subscribecommand.h"

#include "clioutput.h"
#include "clisession.h"
#include "pubsub/channeltrafficmodel.h"
#include "pubsub/messagelogmodel.h"
#include "pubsub/pubsubmonitor.h"
#include "redisclient.h"

#include <QDateTime>
#include <QJsonObject>
#include <QTimer>

#include <cmath>

namespace bullpen::cli {

namespace {

    QJsonValue bytesToJson(const QByteArray& bytes)
    {
        if (MessageLogModel::isPrintableUtf8(bytes))
            return QString::fromUtf8(bytes);
        return QJsonObject { { QStringLiteral("base64"), QString::fromLatin1(bytes.toBase64()) } };
    }

    QByteArray messageLine(const PubSubMessage& m, bool json)
    {
        if (json) {
            QJsonObject o { { QStringLiteral("time_ms"), m.receivedMs }, { QStringLiteral("channel"), bytesToJson(m.channel) },
                { QStringLiteral("payload"), bytesToJson(m.payload) } };
            if (!m.pattern.isEmpty())
                o.insert(QStringLiteral("pattern"), bytesToJson(m.pattern));
            return toJsonText(o) + '\n';
        }
        const auto text = [](const QByteArray& b) {
            return MessageLogModel::isPrintableUtf8(b) ? b : "0x" + b.toHex();
        };
        return text(m.channel) + '\t' + text(m.payload) + '\n';
    }

} // namespace

QString SubscribeCommand::parse(const QList<QByteArray>& args)
{
    bool afterDashes = false;
    for (qsizetype i = 0; i < args.size(); ++i) {
        QByteArray name = args.at(i);
        if (!afterDashes && name == "--") {
            afterDashes = true;
            continue;
        }
        if (afterDashes || !name.startsWith("--")) {
            m_patterns.append(name);
            continue;
        }
        if (name == "--rates") {
            m_rates = true;
            continue;
        }
        if (name == "--drop-when-behind") {
            m_dropWhenBehind = true;
            continue;
        }
        QByteArray value;
        if (const qsizetype eq = name.indexOf('='); eq > 0) {
            value = name.mid(eq + 1);
            name = name.left(eq);
        } else if (name == "--duration" || name == "--count") {
            if (i + 1 >= args.size())
                return QStringLiteral("%1 needs a value").arg(QString::fromLatin1(name));
            value = args.at(++i);
        }
        bool ok = false;
        if (name == "--duration") {
            const double seconds = value.toDouble(&ok);
            if (!ok || seconds <= 0 || seconds > 30 * 86400)
                return QStringLiteral("--duration needs a positive number of seconds");
            m_durationMs = int(std::lround(seconds * 1000));
        } else if (name == "--count") {
            m_count = value.toLongLong(&ok);
            if (!ok || m_count < 1)
                return QStringLiteral("--count needs a positive integer");
        } else {
            return QStringLiteral("unknown option '%1' for subscribe").arg(QString::fromLocal8Bit(args.at(i)));
        }
    }
    if (m_patterns.isEmpty())
        return QStringLiteral("usage: subscribe PATTERN... [--duration S] [--count N] [--rates] [--drop-when-behind]");
    return {};
}

void SubscribeCommand::run(CliSession& session)
{
    auto* monitor = new PubSubMonitor(&session);
    monitor->log()->setCapacity(1); // printed as they arrive; the CLI keeps nothing
    const bool json = session.json();
    const bool rates = m_rates;
    const qint64 count = m_count;
    QObject::connect(monitor, &PubSubMonitor::connectionLost, &session,
        [](const QString& message) { writeErr(QStringLiteral("bullpen-cli: ") + message + QLatin1Char('\n')); });
    QObject::connect(monitor, &PubSubMonitor::resubscribed, &session, [monitor] {
        writeErr(QStringLiteral("bullpen-cli: ") + monitor->status() + QLatin1Char('\n'));
    });
    monitor->setOverflow(m_dropWhenBehind ? SubscriberOverflow::Drop : SubscriberOverflow::Hold);
    monitor->start(session.options().connection);
    auto seen = std::make_shared<qint64>(0);
    QObject::connect(monitor->subscriber(), &RedisSubscriber::messages, &session,
        [&session, json, rates, count, seen](const QList<PubSubMessage>& batch) {
            if (session.isFinished())
                return;
            if (!rates) {
                QByteArray out;
                for (const PubSubMessage& m : batch) {
                    out += messageLine(m, json);
                    if (count > 0 && ++*seen >= count)
                        break;
                }
                writeOut(out);
            } else {
                *seen += batch.size();
            }
            if (count > 0 && *seen >= count)
                session.finish(ExitCode::Ok);
        });
    QObject::connect(monitor->subscriber(), &RedisSubscriber::dropsChanged, &session, [](qint64 total) {
        writeErr(QStringLiteral("bullpen-cli: %1 messages dropped so far (output could not keep up)\n").arg(total));
    });
    if (rates) {
        QObject::connect(monitor, &PubSubMonitor::ticked, &session, [monitor, json] {
            ChannelTrafficModel* m = monitor->channels();
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            QByteArray out;
            for (int r = 0; r < m->rowCount(); ++r) {
                const QByteArray ch = m->index(r, 0).data(ChannelTrafficModel::ChannelRole).toByteArray();
                if (json) {
                    out += toJsonText(QJsonObject { { QStringLiteral("time_ms"), now },
                               { QStringLiteral("channel"), bytesToJson(ch) },
                               { QStringLiteral("messages_per_sec"), m->messagesPerSecond(ch) },
                               { QStringLiteral("bytes_per_sec"), m->bytesPerSecond(ch) },
                               { QStringLiteral("total"), m->total(ch) } })
                        + '\n';
                } else {
                    out += QStringLiteral("%1  %2  %3 msg/s  %4 B/s  total %5\n")
                               .arg(QDateTime::fromMSecsSinceEpoch(now).toString(QStringLiteral("HH:mm:ss")),
                                   MessageLogModel::previewText(ch, 120))
                               .arg(m->messagesPerSecond(ch), 0, 'f', 1)
                               .arg(m->bytesPerSecond(ch), 0, 'f', 0)
                               .arg(m->total(ch))
                               .toUtf8();
                }
            }
            writeOut(out);
        });
    }
    monitor->subscribe(m_patterns);
    if (m_durationMs > 0)
        QTimer::singleShot(m_durationMs, &session, [&session] { session.finish(ExitCode::Ok); });
}

} // namespace bullpen::cli
