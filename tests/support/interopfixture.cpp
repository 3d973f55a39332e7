// SPDX-License-Identifier: MIT
#include "interopfixture.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QStandardPaths>

namespace bullpen::test {

namespace {
    QString compact(const QJsonDocument& doc)
    {
        return QString::fromUtf8(doc.toJson(QJsonDocument::Compact));
    }
} // namespace

InteropFixture::~InteropFixture()
{
    kill();
}

QString InteropFixture::dir()
{
    return QStringLiteral(BULLPEN_INTEROP_DIR);
}

bool InteropFixture::start(const QString& lib, const QString& redisUrl, QString* error)
{
    m_node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (m_node.isEmpty()) {
        *error = QStringLiteral("node is not in PATH (apt-get install nodejs npm)");
        return false;
    }
    if (!QFileInfo::exists(dir() + QStringLiteral("/node_modules/") + lib + QStringLiteral("/package.json"))) {
        *error = QStringLiteral("tests/interop/node_modules is missing: run scripts/setup-deps --npm tests/interop");
        return false;
    }
    m_lib = lib;
    m_url = redisUrl;
    return startScript({ QStringLiteral("fixture.js"), lib, redisUrl }, error);
}

bool InteropFixture::startScript(const QStringList& args, QString* error)
{
    if (m_node.isEmpty())
        m_node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (m_node.isEmpty()) {
        *error = QStringLiteral("node is not in PATH (apt-get install nodejs npm)");
        return false;
    }
    if (!QFileInfo::exists(dir() + QStringLiteral("/node_modules/bullmq6/package.json"))) {
        *error = QStringLiteral("tests/interop/node_modules is missing: run scripts/setup-deps --npm tests/interop");
        return false;
    }
    m_process.setWorkingDirectory(dir());
    m_process.start(m_node, args);
    if (!m_process.waitForStarted(10000)) {
        *error = QStringLiteral("node %1 did not start: ").arg(args.value(0)) + m_process.errorString();
        return false;
    }
    QByteArray line;
    while (!line.endsWith('\n')) {
        if (!m_process.waitForReadyRead(30000)) {
            *error = QString::fromLocal8Bit(m_process.readAllStandardError());
            if (error->isEmpty())
                *error = args.value(0) + QStringLiteral(" did not report READY: ") + QString::fromUtf8(line);
            return false;
        }
        line += m_process.readAllStandardOutput();
    }
    if (!line.startsWith("READY ")) {
        *error = QString::fromUtf8(line);
        return false;
    }
    m_ready = QJsonDocument::fromJson(line.mid(6)).object();
    return true;
}

QJsonArray InteropFixture::dump(const QJsonArray& queues, const QJsonObject& extraIds, QString* error) const
{
    QStringList args { QStringLiteral("dump.js"), m_lib, m_url, compact(QJsonDocument(queues)) };
    if (!extraIds.isEmpty())
        args << compact(QJsonDocument(extraIds));
    QProcess dump;
    dump.setWorkingDirectory(dir());
    dump.start(m_node, args);
    if (!dump.waitForFinished(60000) || dump.exitStatus() != QProcess::NormalExit || dump.exitCode() != 0) {
        *error = QStringLiteral("dump.js failed: ") + QString::fromLocal8Bit(dump.readAllStandardError());
        return {};
    }
    return QJsonDocument::fromJson(dump.readAllStandardOutput()).object().value(QStringLiteral("queues")).toArray();
}

void InteropFixture::kill()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(10000);
    }
}

} // namespace bullpen::test
