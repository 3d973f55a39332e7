// SPDX-License-Identifier: MIT
#include "treecommand.h"

#include "clioutput.h"
#include "clisession.h"
#include "keys/keyname.h"
#include "keys/keytree.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>

namespace bullpen::cli {

using keys::KeyTree;

TreeCommand::TreeCommand() = default;
TreeCommand::~TreeCommand() = default;

QString TreeCommand::parse(const QList<QByteArray>& args)
{
    KeyArgs a;
    QString error = parseKeyArgs("tree", args, { "--delimiter", "--depth", "--match", "--type" }, &a);
    if (!error.isEmpty())
        return error;
    if (!a.positional.isEmpty())
        return QStringLiteral("tree takes no arguments");
    if (a.values.contains("--delimiter")) {
        m_delimiter = a.values.value("--delimiter");
        if (m_delimiter.isEmpty())
            return QStringLiteral("--delimiter needs at least one character");
    }
    m_depth = int(std::min<qint64>(intOption(a, "--depth", 2, &error), 1000));
    m_scan.match = a.values.value("--match");
    m_scan.type = a.values.value("--type").toLower();
    return error;
}

void TreeCommand::run(CliSession& session)
{
    // Folders deeper than --depth are never printed: the tree does not build them either.
    m_tree = std::make_unique<KeyTree>(m_delimiter, m_depth);
    auto* scanner = new keys::KeyScanner(session.client(), &session);
    QObject::connect(scanner, &keys::KeyScanner::failed, &session,
        [&session](const QString& message, Reply::ErrorKind kind) { failRead(session, kind, message); });
    QObject::connect(scanner, &keys::KeyScanner::page, &session, [this](const Reply& page) {
        for (const Reply& r : page.elements())
            m_tree->addKey(r.bytes());
    });
    QObject::connect(scanner, &keys::KeyScanner::finished, &session, [this, &session] { print(session); });
    scanner->start(m_scan);
}

namespace {

    // Folder children of a folder, sorted by name bytes.
    QList<KeyTree::Id> subfolders(const KeyTree& t, KeyTree::Id folder)
    {
        QList<KeyTree::Id> out;
        for (int r = 0; r < t.visibleCount(folder); ++r) {
            const KeyTree::Id n = t.child(folder, r);
            if (t.isFolder(n))
                out.append(t.folderOf(n));
        }
        std::sort(out.begin(), out.end(), [&t](KeyTree::Id a, KeyTree::Id b) {
            return t.segment(t.folderNode(a)) < t.segment(t.folderNode(b));
        });
        return out;
    }

    int directKeys(const KeyTree& t, KeyTree::Id folder)
    {
        int n = 0;
        for (int r = 0; r < t.visibleCount(folder); ++r)
            n += t.isFolder(t.child(folder, r)) ? 0 : 1;
        return n;
    }

    QJsonObject toJson(const KeyTree& t, KeyTree::Id folder)
    {
        QJsonObject o;
        if (folder != 0) {
            putName(o, t.segment(t.folderNode(folder)).toByteArray());
            putName(o, t.fullName(t.folderNode(folder)), QStringLiteral("path"));
        }
        o.insert(QStringLiteral("keys"), double(t.keyCount(folder)));
        o.insert(QStringLiteral("direct_keys"), directKeys(t, folder));
        QJsonArray children;
        for (const KeyTree::Id f : subfolders(t, folder))
            children.append(toJson(t, f));
        o.insert(QStringLiteral("folders"), children);
        return o;
    }

    void toText(const KeyTree& t, KeyTree::Id folder, int depth, QByteArray* out)
    {
        for (const KeyTree::Id f : subfolders(t, folder)) {
            const QString name = keys::displayBytes(t.segment(t.folderNode(f)).toByteArray())
                + keys::displayBytes(t.delimiter());
            *out += QStringLiteral("%1%2 %3\n")
                        .arg(QString(depth * 2, QLatin1Char(' ')), name)
                        .arg(t.keyCount(f))
                        .toUtf8();
            toText(t, f, depth + 1, out);
        }
    }

} // namespace

void TreeCommand::print(CliSession& session)
{
    m_tree->publish([](KeyTree::Id, int, int) {}, [] {});
    if (session.json()) {
        QJsonObject o = toJson(*m_tree, 0);
        o.insert(QStringLiteral("delimiter"), keys::displayBytes(m_delimiter));
        session.finishWithJson(o);
        return;
    }
    QByteArray out = QStringLiteral("%1 keys, %2 outside any folder\n")
                         .arg(m_tree->keyCount())
                         .arg(directKeys(*m_tree, 0))
                         .toUtf8();
    toText(*m_tree, 0, 0, &out);
    writeOut(out);
    session.finish(ExitCode::Ok);
}

} // namespace bullpen::cli
