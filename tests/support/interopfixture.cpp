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
    m_process.setWorkingDirectory(dir());
    m_process.start(m_node, { QStringLiteral("fixture.js"), lib, redisUrl });
    if (!m_process.waitForStarted(10000)) {
        *error = QStringLiteral("node fixture.js did not start: ") + m_process.errorString();
        return false;
    }
    QByteArray line;
    while (!line.endsWith('\n')) {
        if (!m_process.waitForReadyRead(30000)) {
            *error = QString::fromLocal8Bit(m_process.readAllStandardError());
            if (error->isEmpty())
                *error = QStringLiteral("fixture.js did not report READY: ") + QString::fromUtf8(line);
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
