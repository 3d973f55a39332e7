// SPDX-License-Identifier: MIT
#include "keyscommand.h"

#include "bullmq/futurewatch.h"
#include "clioutput.h"
#include "clisession.h"
#include "clusterclient.h"
#include "keys/keyname.h"

#include <QJsonObject>

namespace bullpen::cli {

QString KeysCommand::parse(const QList<QByteArray>& args)
{
    KeyArgs a;
    QString error = parseKeyArgs("keys", args, { "--match", "--type", "--count", "--limit" }, &a);
    if (!error.isEmpty())
        return error;
    if (!a.positional.isEmpty())
        return QStringLiteral("keys takes no arguments (a pattern goes in --match)");
    m_scan.match = a.values.value("--match");
    m_scan.type = a.values.value("--type").toLower();
    m_scan.count = int(std::clamp<qint64>(intOption(a, "--count", 1000, &error), 1, 100000));
    m_limit = intOption(a, "--limit", 0, &error);
    m_scan.limit = m_limit;
    return error;
}

void KeysCommand::maybeFinish(CliSession& session)
{
    if (m_scanDone && m_pending == 0)
        session.finish(ExitCode::Ok);
}

void KeysCommand::run(CliSession& session)
{
    const auto onPage = [this, &session](const Reply& page) {
        QList<QByteArray> names;
        for (const Reply& r : page.elements()) {
            if (m_limit > 0 && m_printed + names.size() >= m_limit)
                break;
            names.append(r.bytes());
        }
        m_printed += names.size();
        if (names.isEmpty())
            return;
        if (!session.json()) {
            QByteArray out;
            for (const QByteArray& n : std::as_const(names))
                out += keys::displayBytes(n).toUtf8() + '\n';
            writeOut(out);
            return;
        }
        // Type and TTL of the page in one pipeline; replies keep the order of the pages.
        QList<Command> cmds;
        for (const QByteArray& n : std::as_const(names))
            cmds << Command { "TYPE", n } << Command { "PTTL", n };
        ++m_pending;
        bullmq::whenReady(&session, session.client()->pipeline(cmds), [this, &session, names](const QList<Reply>& r) {
            --m_pending;
            QByteArray out;
            for (qsizetype i = 0; i < names.size(); ++i) {
                const Reply& type = r.value(i * 2);
                const Reply& ttl = r.value(i * 2 + 1);
                if (type.isError()) {
                    failRead(session, type.errorKind(), type.errorMessage());
                    return;
                }
                QJsonObject o;
                putName(o, names.at(i));
                o.insert(QStringLiteral("type"), QString::fromLatin1(type.bytes()));
                o.insert(QStringLiteral("ttl_ms"), ttl.isInteger() ? QJsonValue(double(ttl.integer())) : QJsonValue());
                out += toJsonText(o) + '\n';
            }
            writeOut(out);
            maybeFinish(session);
        });
    };
    if (auto* cluster = qobject_cast<ClusterClient*>(session.client())) {
        // Every master scanned to the end; each key once.
        bullmq::whenReady(&session, cluster->scanAll(m_scan.match, m_scan.type, m_scan.count),
            [this, &session, onPage](const ClusterClient::ScanResult& result) {
                if (!result.errors.isEmpty()) {
                    failRead(session, Reply::ErrorKind::Server, result.errors.join(QStringLiteral("; ")));
                    return;
                }
                QList<Reply> names;
                for (const QByteArray& k : result.keys)
                    names.append(Reply::bulk(k));
                onPage(Reply::array(std::move(names)));
                m_scanDone = true;
                maybeFinish(session);
            });
        return;
    }
    auto* scanner = new keys::KeyScanner(session.client(), &session);
    QObject::connect(scanner, &keys::KeyScanner::failed, &session,
        [&session](const QString& message, Reply::ErrorKind kind) { failRead(session, kind, message); });
    QObject::connect(scanner, &keys::KeyScanner::finished, &session, [this, &session] {
        m_scanDone = true;
        maybeFinish(session);
    });
    QObject::connect(scanner, &keys::KeyScanner::page, &session, onPage);
    scanner->start(m_scan);
}

} // namespace bullpen::cli
