// SPDX-License-Identifier: MIT
#include "execcommand.h"

#include "clisession.h"

namespace bullpen::cli {

QString ExecCommand::parse(const QList<QByteArray>& args)
{
    if (QString error = positionalArguments("exec", args, &m_argv); !error.isEmpty())
        return error;
    if (m_argv.isEmpty())
        return QStringLiteral("exec needs a command, as in: bullpen-cli exec -- GET key");
    return {};
}

void ExecCommand::run(CliSession& session)
{
    const CallOptions call = session.callOptions();
    session.client()->command(m_argv, call).then(&session, [this, &session, call](const Reply& reply) {
        if (reply.errorKind() != Reply::ErrorKind::Refused) {
            session.finishWithReply(reply);
            return;
        }
        // Tell people which switch would let it through.
        const RedisClient* client = session.client();
        const bool guard
            = !call.allowDangerous && client->checkAllowed(m_argv, false) != client->checkAllowed(m_argv, true);
        session.fail(reply,
            guard ? QStringLiteral(" (add --allow-dangerous to run it anyway)")
                  : QStringLiteral(" (drop --read-only to allow writes)"));
    });
}

} // namespace bullpen::cli
