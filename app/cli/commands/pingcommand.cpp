// SPDX-License-Identifier: MIT
#include "pingcommand.h"

#include "clisession.h"

namespace bullpen::cli {

QString PingCommand::parse(const QList<QByteArray>& args)
{
    QList<QByteArray> positional;
    if (QString error = positionalArguments("ping", args, &positional); !error.isEmpty())
        return error;
    if (!positional.isEmpty())
        return QStringLiteral("ping takes no arguments");
    return {};
}

void PingCommand::run(CliSession& session)
{
    session.client()->command({ "PING" }, session.callOptions()).then(&session, [&session](const Reply& reply) {
        session.finishWithReply(reply);
    });
}

} // namespace bullpen::cli
