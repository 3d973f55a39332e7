// SPDX-License-Identifier: MIT
#include "infocommand.h"

#include "clisession.h"
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
