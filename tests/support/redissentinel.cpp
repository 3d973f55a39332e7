// SPDX-License-Identifier: MIT
#include "redissentinel.h"

#include "redisserver.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QTcpSocket>

#include <csignal>

#ifdef Q_OS_LINUX
#include <sys/prctl.h>
#include <unistd.h>
#endif

namespace bullpen::test {

RedisSentinel::RedisSentinel(quint16 masterPort)
    : RedisSentinel(masterPort, Config {})
{
}

RedisSentinel::RedisSentinel(quint16 masterPort, Config config)
    : m_masterPort(masterPort)
    , m_config(std::move(config))
    , m_dir(QDir::tempPath() + QStringLiteral("/bullpen-sentinel-XXXXXX"))
{
}

RedisSentinel::~RedisSentinel()
{
    kill();
}

QString RedisSentinel::address() const
{
    return QStringLiteral("127.0.0.1:%1").arg(m_port);
}

bool RedisSentinel::start()
{
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("cannot create a temporary directory");
        return false;
    }
    for (int attempt = 0; attempt < 5; ++attempt) {
        m_port = RedisServer::freePort();
        if (launch())
            return true;
    }
    return false;
}

bool RedisSentinel::launch()
{
    // Sentinel rewrites its config file (discovered replicas and sentinels, epochs): a new file
    // for every launch, in our own directory.
    const QString confPath = dir() + QStringLiteral("/sentinel.conf");
    QFile conf(confPath);
    if (!conf.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        m_error = QStringLiteral("cannot write %1").arg(confPath);
        return false;
    }
    const QByteArray name = m_config.masterName.toUtf8();
    if (m_config.tlsDir.isEmpty()) {
        conf.write("port " + QByteArray::number(m_port) + "\nbind 127.0.0.1\n");
    } else {
        const QByteArray d = m_config.tlsDir.toUtf8();
        conf.write("port 0\ntls-port " + QByteArray::number(m_port) + "\nbind 127.0.0.1\n");
        conf.write("tls-cert-file " + d + "/server.crt\ntls-key-file " + d + "/server.key\n");
        conf.write("tls-ca-cert-file " + d + "/ca.crt\ntls-auth-clients no\ntls-replication yes\n");
    }
    conf.write("dir " + dir().toUtf8() + "\nlogfile " + dir().toUtf8() + "/sentinel.log\n");
    conf.write("sentinel monitor " + name + " 127.0.0.1 " + QByteArray::number(m_masterPort) + ' '
        + QByteArray::number(m_config.quorum) + '\n');
    conf.write("sentinel down-after-milliseconds " + name + ' ' + QByteArray::number(m_config.downAfterMs) + '\n');
    conf.write("sentinel failover-timeout " + name + ' ' + QByteArray::number(m_config.failoverTimeoutMs) + '\n');
    conf.close();

    m_process = std::make_unique<QProcess>();
#ifdef Q_OS_LINUX
    // As in RedisServer: a test that dies takes its sentinels with it.
    m_process->setChildProcessModifier([parent = ::getpid()] {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent)
            ::_exit(1);
    });
#endif
    m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process->setStandardOutputFile(QProcess::nullDevice());
    m_process->start(QStringLiteral("redis-server"), { confPath, QStringLiteral("--sentinel") });
    if (!m_process->waitForStarted(10000)) {
        m_error = QStringLiteral("cannot start redis-server --sentinel: %1").arg(m_process->errorString());
        return false;
    }
    const QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired()) {
        if (m_process->state() == QProcess::NotRunning) {
            QFile log(dir() + QStringLiteral("/sentinel.log"));
            log.open(QIODevice::ReadOnly);
            m_error = QStringLiteral("redis-server --sentinel exited: %1")
                          .arg(QString::fromLocal8Bit(log.readAll().right(500)));
            return false;
        }
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, m_port);
        if (s.waitForConnected(100) && cli({ QStringLiteral("PING") }) == "PONG")
            return true;
        m_process->waitForFinished(20); // a short bounded wait, also notices an early exit
    }
    m_error = QStringLiteral("the sentinel did not answer within 10 s");
    return false;
}

void RedisSentinel::kill()
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return;
    m_process->kill();
    m_process->waitForFinished(10000);
}

QByteArray RedisSentinel::cli(const QStringList& args) const
{
    QProcess p;
    QStringList all { QStringLiteral("-p"), QString::number(m_port) };
    if (!m_config.tlsDir.isEmpty())
        all << QStringLiteral("--tls") << QStringLiteral("--cacert") << m_config.tlsDir + QStringLiteral("/ca.crt");
    p.start(QStringLiteral("redis-cli"), all + args);
    if (!p.waitForStarted(10000))
        return {};
    p.closeWriteChannel();
    p.waitForFinished(10000);
    return p.readAllStandardOutput().trimmed();
}

QList<QPair<QByteArray, QByteArray>> RedisSentinel::replicaFields(quint16 replicaPort) const
{
    // redis-cli prints a nested array without a terminal as one element per line: each
    // replica is a flat list of names and values, and every list starts with "name".
    const QList<QByteArray> lines
        = cli({ QStringLiteral("SENTINEL"), QStringLiteral("REPLICAS"), m_config.masterName }).split('\n');
    const QByteArray wanted = "127.0.0.1:" + QByteArray::number(replicaPort);
    QList<QPair<QByteArray, QByteArray>> fields;
    bool inEntry = false;
    for (qsizetype i = 0; i + 1 < lines.size(); i += 2) {
        const QByteArray key = lines.at(i).trimmed();
        const QByteArray value = lines.at(i + 1).trimmed();
        if (key == "name") {
            if (inEntry)
                break;
            inEntry = value == wanted;
        }
        if (inEntry)
            fields.append({ key, value });
    }
    return fields;
}

QByteArray RedisSentinel::masterField(const QByteArray& field) const
{
    const QList<QByteArray> lines
        = cli({ QStringLiteral("SENTINEL"), QStringLiteral("MASTER"), m_config.masterName }).split('\n');
    for (qsizetype i = 0; i + 1 < lines.size(); i += 2) {
        if (lines.at(i).trimmed() == field)
            return lines.at(i + 1).trimmed();
    }
    return {};
}

} // namespace bullpen::test
