// SPDX-License-Identifier: MIT
#include "workerscommand.h"

#include "clisession.h"
#include "queuecommon.h"

#include <QJsonObject>

namespace bullpen::cli {

using namespace bullmq;

QString WorkersCommand::parse(const QList<QByteArray>& args)
{
    const QString error = parseQueueArgs("workers", args, {}, {}, &m_args);
    if (!error.isEmpty())
        return error;
    return m_args.positional.size() == 1 ? QString() : QStringLiteral("usage: workers QUEUE [--prefix P]");
}

void WorkersCommand::run(CliSession& session)
{
    printQueueRows(session, m_args, &fetchWorkers, [](const QJsonArray& rows) {
        QStringList lines { QStringLiteral("%1 %2 %3 %4 %5").arg(QStringLiteral("ID"), -8).arg(QStringLiteral("ADDRESS"), -22)
                                .arg(QStringLiteral("AGE"), 8).arg(QStringLiteral("IDLE"), 8).arg(QStringLiteral("CONNECTION NAME")) };
        for (const QJsonValue& w : rows) {
            lines << QStringLiteral("%1 %2 %3 %4 %5")
                         .arg(w[QStringLiteral("id")].toString(), -8)
                         .arg(w[QStringLiteral("addr")].toString(), -22)
                         .arg(w[QStringLiteral("age")].toString(), 8)
                         .arg(w[QStringLiteral("idle")].toString(), 8)
                         .arg(w[QStringLiteral("rawname")].toString());
        }
        lines << QStringLiteral("(%1 worker connection(s))").arg(rows.size());
        return lines;
    });
}

} // namespace bullpen::cli
