// SPDX-License-Identifier: MIT
#include "flowcommand.h"

#include "bullmq/flowtree.h"
#include "clisession.h"

#include <QJsonValue>

namespace bullpen::cli {

using namespace bullmq;

namespace {

    const char kUsage[] = "usage: flow QUEUE ID [--depth N] [--max-children N] [--prefix P]";

    bool positiveOption(const QueueArgs& args, const QByteArray& name, int* out, QString* error)
    {
        if (!args.values.contains(name))
            return true;
        bool ok = false;
        const int value = args.values.value(name).toInt(&ok);
        if (!ok || value < 1) {
            *error = QStringLiteral("%1 needs a positive integer").arg(QString::fromLatin1(name));
            return false;
        }
        *out = value;
        return true;
    }

    QString nodeText(const FlowNode& n)
    {
        const QString where = QStringLiteral("%1:%2").arg(cell(n.ref.name), cell(n.id, 80));
        if (!n.error.isEmpty())
            return QStringLiteral("%1  (unreadable: %2)").arg(where, n.error);
        if (!n.exists)
            return QStringLiteral("%1  (gone: the job hash no longer exists)").arg(where);
        QString text = QStringLiteral("%1  %2  [%3]").arg(where, cell(n.name), n.state);
        if (n.childCount > n.children.size())
            text += QStringLiteral("  (%1 children, %2 shown)").arg(n.childCount).arg(n.children.size());
        return text;
    }

    void drawTree(const FlowNode& node, const QString& indent, QStringList* lines)
    {
        for (qsizetype i = 0; i < node.children.size(); ++i) {
            const bool last = i + 1 == node.children.size();
            lines->append(indent + (last ? QStringLiteral("└─ ") : QStringLiteral("├─ ")) + nodeText(node.children.at(i)));
            drawTree(node.children.at(i), indent + (last ? QStringLiteral("   ") : QStringLiteral("│  ")), lines);
        }
    }

} // namespace

QString FlowCommand::parse(const QList<QByteArray>& args)
{
    QString error = parseQueueArgs("flow", args, { "--depth", "--max-children" }, {}, &m_args);
    if (!error.isEmpty())
        return error;
    if (!positiveOption(m_args, "--depth", &m_depth, &error) || !positiveOption(m_args, "--max-children", &m_maxChildren, &error))
        return error;
    return m_args.positional.size() == 2 ? QString() : QString::fromLatin1(kUsage);
}

void FlowCommand::run(CliSession& session)
{
    const QByteArray id = m_args.positional.at(1);
    const FlowOptions options { m_depth, m_maxChildren };
    withQueue(session, m_args.positional.at(0), m_args.prefix, [&session, id, options](const QueueSnapshot& queue) {
        fetchFlow(session.client(), queue, id, options).then(&session, [&session](const FlowNode& root) {
            if (!root.error.isEmpty()) {
                failRead(session, root.errorKind, root.error);
                return;
            }
            if (!root.exists) {
                failNotFound(session,
                    QStringLiteral("no job \"%1\" in queue %2").arg(cell(root.id, 80), root.ref.displayName()));
                return;
            }
            if (session.json()) {
                session.finishWithJson(flowToJson(root));
                return;
            }
            QStringList lines { nodeText(root) };
            drawTree(root, QString(), &lines);
            session.finishWithText(lines.join(QLatin1Char('\n')));
        });
    });
}

} // namespace bullpen::cli
