// SPDX-License-Identifier: MIT
#include "infocommand.h"

#include "clisession.h"
#include "clusterclient.h"
#include "server/serverinfo.h"

#include <QJsonObject>

namespace bullpen::cli {

namespace {

    QJsonObject infoToJson(const ServerInfo& info)
    {
        QJsonObject sections;
        for (const ServerInfo::Section& section : info.sections()) {
            QJsonObject fields;
            for (const auto& [key, value] : section.fields)
                fields.insert(QString::fromUtf8(key), QString::fromUtf8(value));
            // "# Server" → "server", the spelling INFO takes as an argument.
            sections.insert(section.name.toLower(), fields);
        }
        return sections;
    }

} // namespace

QString InfoCommand::parse(const QList<QByteArray>& args)
{
    QList<QByteArray> rest;
    for (const QByteArray& a : args) {
        if (a == "--sum")
            m_sum = true;
        else
            rest.append(a);
    }
    return positionalArguments("info", rest, &m_sections);
}

void InfoCommand::run(CliSession& session)
{
    Command argv { "INFO" };
    argv.append(m_sections);
    if (auto* cluster = qobject_cast<ClusterClient*>(session.client())) {
        // Every master's INFO: "# Node HOST:PORT" before each in text, keyed by node in JSON.
        cluster->forEachMaster(argv, session.callOptions())
            .then(&session, [&session, sum = m_sum](const QList<ClusterClient::NodeReply>& replies) {
                QJsonObject nodes;
                QString text;
                QList<ServerInfo> infos;
                for (const auto& nr : replies) {
                    if (nr.reply.isError() || !nr.reply.isString()) {
                        session.finishWithReply(nr.reply.isError()
                                ? nr.reply
                                : Reply::failure(Reply::ErrorKind::Protocol,
                                    nr.node.toString() + QStringLiteral(": INFO did not return text")));
                        return;
                    }
                    infos.append(ServerInfo::parse(nr.reply.bytes()));
                    nodes.insert(nr.node.toString(), infoToJson(infos.last()));
                    QByteArray body = nr.reply.bytes();
                    body.replace("\r\n", "\n");
                    while (body.endsWith('\n'))
                        body.chop(1);
                    if (!text.isEmpty())
                        text += QLatin1String("\n\n");
                    text += QStringLiteral("# Node ") + nr.node.toString() + QLatin1Char('\n') + QString::fromUtf8(body);
                }
                if (sum) {
                    // One INFO: the masters added up, in INFO's own text layout.
                    const ServerInfo total = ServerInfo::sum(infos);
                    if (session.json()) {
                        session.finishWithJson(infoToJson(total));
                        return;
                    }
                    QString out;
                    for (const ServerInfo::Section& section : total.sections()) {
                        if (!out.isEmpty())
                            out += QLatin1Char('\n');
                        out += QStringLiteral("# ") + section.name + QLatin1Char('\n');
                        for (const auto& [key, value] : section.fields)
                            out += QString::fromUtf8(key + ':' + value) + QLatin1Char('\n');
                    }
                    out.chop(1);
                    session.finishWithText(out);
                    return;
                }
                if (session.json())
                    session.finishWithJson(nodes);
                else
                    session.finishWithText(text);
            });
        return;
    }
    session.client()->command(argv, session.callOptions()).then(&session, [&session](const Reply& reply) {
        if (reply.isError() || !reply.isString()) {
            session.finishWithReply(reply);
            return;
        }
        if (session.json()) {
            session.finishWithJson(infoToJson(ServerInfo::parse(reply.bytes())));
            return;
        }
        QByteArray text = reply.bytes();
        text.replace("\r\n", "\n");
        while (text.endsWith('\n'))
            text.chop(1);
        session.finishWithText(QString::fromUtf8(text));
    });
}

} // namespace bullpen::cli
