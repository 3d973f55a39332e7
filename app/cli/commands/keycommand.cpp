// SPDX-License-Identifier: MIT
#include "keycommand.h"

#include "bullmq/futurewatch.h"
#include "clioutput.h"
#include "clisession.h"
#include "keys/keyname.h"

#include <QJsonArray>

namespace bullpen::cli {

namespace {
    constexpr int kPreviewItems = 10;
    constexpr int kPreviewBytes = 256;

    QJsonValue bytesJson(const QByteArray& b)
    {
        QJsonObject o;
        putName(o, b, QStringLiteral("v"));
        return o.contains(QStringLiteral("v")) ? o.value(QStringLiteral("v"))
                                                : QJsonObject { { QStringLiteral("base64"), o.value(QStringLiteral("v_base64")) } };
    }
} // namespace

QString KeyCommand::parse(const QList<QByteArray>& args)
{
    KeyArgs a;
    const QString error = parseKeyArgs("key", args, {}, &a);
    if (!error.isEmpty())
        return error;
    if (a.positional.size() != 1)
        return QStringLiteral("key needs exactly one key name, as in: bullpen-cli key user:1");
    m_name = a.positional.first();
    return {};
}

void KeyCommand::run(CliSession& session)
{
    const QList<Command> cmds { { "TYPE", m_name }, { "PTTL", m_name }, { "MEMORY", "USAGE", m_name },
        { "OBJECT", "ENCODING", m_name } };
    bullmq::whenReady(&session, session.client()->pipeline(cmds), [this, &session](const QList<Reply>& r) {
        const Reply& type = r.value(0);
        if (type.isError()) {
            failRead(session, type.errorKind(), type.errorMessage());
            return;
        }
        if (type.bytes() == "none") {
            failNotFound(session, QStringLiteral("no key %1").arg(keys::displayBytes(m_name)));
            return;
        }
        QJsonObject info;
        putName(info, m_name);
        info.insert(QStringLiteral("type"), QString::fromLatin1(type.bytes()));
        info.insert(QStringLiteral("ttl_ms"), double(r.value(1).integer()));
        const Reply& mem = r.value(2);
        if (mem.isInteger())
            info.insert(QStringLiteral("memory"), double(mem.integer()));
        else
            info.insert(QStringLiteral("memory_error"), mem.isError() ? mem.errorMessage() : QStringLiteral("not available"));
        info.insert(QStringLiteral("encoding"), QString::fromLatin1(r.value(3).bytes()));
        preview(session, type.bytes(), info);
    });
}

void KeyCommand::preview(CliSession& session, const QByteArray& type, QJsonObject info)
{
    const QByteArray n = QByteArray::number(kPreviewItems);
    const QByteArray last = QByteArray::number(kPreviewItems - 1);
    QList<Command> cmds;
    if (type == "string")
        cmds = { { "STRLEN", m_name }, { "GETRANGE", m_name, "0", QByteArray::number(kPreviewBytes - 1) } };
    else if (type == "hash")
        cmds = { { "HLEN", m_name }, { "HSCAN", m_name, "0", "COUNT", n } };
    else if (type == "list")
        cmds = { { "LLEN", m_name }, { "LRANGE", m_name, "0", last } };
    else if (type == "set")
        cmds = { { "SCARD", m_name }, { "SSCAN", m_name, "0", "COUNT", n } };
    else if (type == "zset")
        cmds = { { "ZCARD", m_name }, { "ZRANGE", m_name, "0", last, "WITHSCORES" } };
    else if (type == "stream")
        cmds = { { "XLEN", m_name }, { "XRANGE", m_name, "-", "+", "COUNT", "5" } };
    else
        cmds = { { "TYPE", m_name }, { "TYPE", m_name } };
    bullmq::whenReady(&session, session.client()->pipeline(cmds), [this, &session, type, info](const QList<Reply>& r) mutable {
        for (const Reply& x : r) {
            if (x.isError()) {
                failRead(session, x.errorKind(), x.errorMessage());
                return;
            }
        }
        const qint64 length = r.value(0).integer();
        const Reply& body = r.value(1);
        QJsonArray items;
        QStringList lines;
        if (type == "string") {
            info.insert(QStringLiteral("preview"), bytesJson(body.bytes()));
            info.insert(QStringLiteral("truncated"), body.bytes().size() < length);
            lines << keys::displayBytes(body.bytes()) + (body.bytes().size() < length ? QStringLiteral("…") : QString());
        } else if (type == "hash" || type == "set") {
            const Reply& elems = body.at(1);
            const int step = type == "hash" ? 2 : 1;
            for (qsizetype i = 0; i + step - 1 < elems.size() && items.size() < kPreviewItems; i += step) {
                if (step == 2) {
                    items.append(QJsonArray { bytesJson(elems.at(i).bytes()), bytesJson(elems.at(i + 1).bytes()) });
                    lines << keys::displayBytes(elems.at(i).bytes()) + QStringLiteral(" = ")
                            + keys::displayBytes(elems.at(i + 1).bytes().left(200));
                } else {
                    items.append(bytesJson(elems.at(i).bytes()));
                    lines << keys::displayBytes(elems.at(i).bytes().left(200));
                }
            }
        } else if (type == "list") {
            for (qsizetype i = 0; i < body.size(); ++i) {
                items.append(bytesJson(body.at(i).bytes()));
                lines << QStringLiteral("%1) %2").arg(i).arg(keys::displayBytes(body.at(i).bytes().left(200)));
            }
        } else if (type == "zset") {
            for (qsizetype i = 0; i + 1 < body.size(); i += 2) {
                items.append(QJsonArray { bytesJson(body.at(i).bytes()), body.at(i + 1).bytes().toDouble() });
                lines << QStringLiteral("%1 %2").arg(QString::fromLatin1(body.at(i + 1).bytes()),
                             keys::displayBytes(body.at(i).bytes().left(200)));
            }
        } else if (type == "stream") {
            for (const Reply& e : body.elements()) {
                QJsonObject fields;
                QStringList text;
                for (qsizetype i = 0; i + 1 < e.at(1).size(); i += 2) {
                    fields.insert(QString::fromUtf8(e.at(1).at(i).bytes()), bytesJson(e.at(1).at(i + 1).bytes()));
                    text << keys::displayBytes(e.at(1).at(i).bytes()) + QLatin1Char('=')
                            + keys::displayBytes(e.at(1).at(i + 1).bytes().left(200));
                }
                items.append(QJsonObject { { QStringLiteral("id"), QString::fromLatin1(e.at(0).bytes()) },
                    { QStringLiteral("fields"), fields } });
                lines << QString::fromLatin1(e.at(0).bytes()) + QLatin1Char(' ') + text.join(QLatin1Char(' '));
            }
        }
        if (type != "string")
            info.insert(QStringLiteral("preview"), items);
        if (type == "string" || type == "hash" || type == "list" || type == "set" || type == "zset" || type == "stream")
            info.insert(QStringLiteral("length"), double(length));
        if (session.json()) {
            session.finishWithJson(info);
            return;
        }
        const qint64 ttl = qint64(info.value(QStringLiteral("ttl_ms")).toDouble());
        QStringList out;
        out << QStringLiteral("name:     %1").arg(keys::displayBytes(m_name));
        out << QStringLiteral("type:     %1").arg(info.value(QStringLiteral("type")).toString());
        out << QStringLiteral("ttl:      %1")
                   .arg(ttl >= 0 ? QStringLiteral("%1 (%2 ms)").arg(keys::formatDuration(ttl)).arg(ttl) : QStringLiteral("none"));
        out << QStringLiteral("memory:   %1")
                   .arg(info.contains(QStringLiteral("memory"))
                           ? QStringLiteral("%1 (%2 bytes)")
                                 .arg(keys::formatBytes(qint64(info.value(QStringLiteral("memory")).toDouble())))
                                 .arg(qint64(info.value(QStringLiteral("memory")).toDouble()))
                           : QStringLiteral("n/a (%1)").arg(info.value(QStringLiteral("memory_error")).toString()));
        out << QStringLiteral("encoding: %1").arg(info.value(QStringLiteral("encoding")).toString());
        if (info.contains(QStringLiteral("length")))
            out << QStringLiteral("length:   %1").arg(length);
        out << QStringLiteral("preview:");
        for (const QString& l : std::as_const(lines))
            out << QStringLiteral("  ") + l;
        session.finishWithText(out.join(QLatin1Char('\n')));
    });
}

} // namespace bullpen::cli
