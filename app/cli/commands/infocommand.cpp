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
    return positionalArguments("info", args, &m_sections);
}

void InfoCommand::run(CliSession& session)
{
    Command argv { "INFO" };
    argv.append(m_sections);
    if (auto* cluster = qobject_cast<ClusterClient*>(session.client())) {
        // Every master's INFO: "# Node HOST:PORT" before each in text, keyed by node in JSON.
        cluster->forEachMaster(argv, session.callOptions())
            .then(&session, [&session](const QList<ClusterClient::NodeReply>& replies) {
                QJsonObject nodes;
                QString text;
                for (const auto& nr : replies) {
                    if (nr.reply.isError() || !nr.reply.isString()) {
                        session.finishWithReply(nr.reply.isError()
                                ? nr.reply
                                : Reply::failure(Reply::ErrorKind::Protocol,
                                    nr.node.toString() + QStringLiteral(": INFO did not return text")));
                        return;
                    }
                    nodes.insert(nr.node.toString(), infoToJson(ServerInfo::parse(nr.reply.bytes())));
                    QByteArray body = nr.reply.bytes();
                    body.replace("\r\n", "\n");
                    while (body.endsWith('\n'))
                        body.chop(1);
                    if (!text.isEmpty())
                        text += QLatin1String("\n\n");
                    text += QStringLiteral("# Node ") + nr.node.toString() + QLatin1Char('\n') + QString::fromUtf8(body);
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
