// SPDX-License-Identifier: MIT
#include "redisserver.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QHostAddress>
#include <QLocalSocket>
#include <QTest>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

#include <csignal>

#ifdef Q_OS_LINUX
#include <sys/prctl.h>
#include <unistd.h>
#endif

namespace bullpen::test {

void RedisServer::addTransportRows()
{
    QTest::addColumn<int>("transport");
    QTest::addRow("tcp") << 0;
    QTest::addRow("unix") << 1;
    QTest::addRow("tls") << 2;
}

RedisServer::Config RedisServer::forTransport()
{
    QFETCH(int, transport);
    Config config;
    config.unixSocket = transport == 1;
    config.tls = transport == 2;
    return config;
}

RedisServer::RedisServer()
    : RedisServer(Config {})
{
}

RedisServer::RedisServer(Config config)
    : m_config(std::move(config))
    , m_dir(QDir::tempPath() + QStringLiteral("/bullpen-test-XXXXXX"))
{
}

RedisServer::~RedisServer()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        resume();
        kill();
    }
}

quint16 RedisServer::freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

QString RedisServer::socketPath() const
{
    return dir() + QStringLiteral("/r.sock");
}

static bool run(const QString& program, const QStringList& args, const QString& cwd, QString* error)
{
    QProcess p;
    p.setWorkingDirectory(cwd);
    p.start(program, args);
    if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        *error = QStringLiteral("%1 %2 failed: %3")
                     .arg(program, args.join(QLatin1Char(' ')), QString::fromLocal8Bit(p.readAllStandardError()));
        return false;
    }
    return true;
}

bool RedisServer::makeCertificates()
{
    const QString d = dir();
    const QString openssl = QStringLiteral("openssl");
    QFile ext(d + QStringLiteral("/ext.cnf"));
    if (!ext.open(QIODevice::WriteOnly))
        return false;
    ext.write("subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n");
    ext.close();
    const auto req = [&](const QString& name) {
        return run(openssl,
                   { QStringLiteral("req"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"), QStringLiteral("-nodes"),
                       QStringLiteral("-subj"), QStringLiteral("/CN=localhost"), QStringLiteral("-keyout"),
                       name + QStringLiteral(".key"), QStringLiteral("-out"), name + QStringLiteral(".csr") },
                   d, &m_error)
            && run(openssl,
                { QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), name + QStringLiteral(".csr"),
                    QStringLiteral("-CA"), QStringLiteral("ca.crt"), QStringLiteral("-CAkey"), QStringLiteral("ca.key"),
                    QStringLiteral("-CAcreateserial"), QStringLiteral("-days"), QStringLiteral("2"),
                    QStringLiteral("-extfile"), QStringLiteral("ext.cnf"), QStringLiteral("-out"),
                    name + QStringLiteral(".crt") },
                d, &m_error);
    };
    return run(openssl,
               { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                   QStringLiteral("-nodes"), QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                   QStringLiteral("/CN=bullpen-test-ca"), QStringLiteral("-keyout"), QStringLiteral("ca.key"),
                   QStringLiteral("-out"), QStringLiteral("ca.crt") },
               d, &m_error)
        && req(QStringLiteral("server")) && req(QStringLiteral("client"));
}

bool RedisServer::start()
{
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("cannot create a temporary directory");
        return false;
    }
    if (m_config.tls && !QFile::exists(caFile()) && !makeCertificates())
        return false;
    for (int attempt = 0; attempt < 5; ++attempt) {
        if (!m_config.unixSocket)
            m_port = m_config.port != 0 ? m_config.port : freePort();
        if (launch())
            return true;
    }
    return false;
}

bool RedisServer::restart()
{
    return launch();
}

bool RedisServer::launch()
{
    QStringList args { QStringLiteral("--bind"), QStringLiteral("127.0.0.1"), QStringLiteral("--dir"), dir(),
        QStringLiteral("--save"), QString(), QStringLiteral("--appendonly"), QStringLiteral("no"),
        QStringLiteral("--daemonize"), QStringLiteral("no"), QStringLiteral("--logfile"),
        dir() + QStringLiteral("/redis.log"), QStringLiteral("--enable-debug-command"), QStringLiteral("yes") };
    if (m_config.unixSocket) {
        args << QStringLiteral("--port") << QStringLiteral("0") << QStringLiteral("--unixsocket") << socketPath()
             << QStringLiteral("--unixsocketperm") << QStringLiteral("700");
    } else if (m_config.tls) {
        args << QStringLiteral("--port") << QStringLiteral("0") << QStringLiteral("--tls-port") << QString::number(m_port)
             << QStringLiteral("--tls-cert-file") << certDir() + QStringLiteral("/server.crt")
             << QStringLiteral("--tls-key-file") << certDir() + QStringLiteral("/server.key")
             << QStringLiteral("--tls-ca-cert-file") << caFile() << QStringLiteral("--tls-auth-clients")
             << (m_config.tlsAuthClients ? QStringLiteral("yes") : QStringLiteral("no"));
    } else {
        args << QStringLiteral("--port") << QString::number(m_port);
    }
    args << m_config.extraArgs;

    m_process = std::make_unique<QProcess>();
#ifdef Q_OS_LINUX
    // A test killed by ctest's timeout (or crashing) must not leave its server running. The
    // signal follows the death of the thread that started the server: tests start it on the
    // main thread.
    m_process->setChildProcessModifier([parent = ::getpid()] {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent)
            ::_exit(1);
    });
#endif
    m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process->setStandardOutputFile(QProcess::nullDevice());
    m_process->start(QStringLiteral("redis-server"), args);
    if (!m_process->waitForStarted(10000)) {
        m_error = QStringLiteral("cannot start redis-server: %1").arg(m_process->errorString());
        return false;
    }
    // Ready when it accepts connections (the log line would be racy across versions).
    const QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired()) {
        if (m_process->state() == QProcess::NotRunning) {
            QFile log(dir() + QStringLiteral("/redis.log"));
            log.open(QIODevice::ReadOnly);
            m_error = QStringLiteral("redis-server exited: %1").arg(QString::fromLocal8Bit(log.readAll().right(500)));
            return false;
        }
        bool up = false;
        if (m_config.unixSocket) {
            QLocalSocket s;
            s.connectToServer(socketPath());
            up = s.waitForConnected(100);
        } else {
            QTcpSocket s;
            s.connectToHost(QHostAddress::LocalHost, m_port);
            up = s.waitForConnected(100);
        }
        if (up && (m_config.tls || cli({ QStringLiteral("PING") }) == "PONG"))
            return true;
        m_process->waitForFinished(20); // a short bounded wait, also notices an early exit
    }
    m_error = QStringLiteral("redis-server did not answer within 10 s");
    return false;
}

void RedisServer::kill()
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return;
    m_process->kill();
    m_process->waitForFinished(10000);
}

void RedisServer::pause()
{
    if (m_process && m_process->state() == QProcess::Running)
        ::kill(pid_t(m_process->processId()), SIGSTOP);
}

void RedisServer::resume()
{
    if (m_process && m_process->state() == QProcess::Running)
        ::kill(pid_t(m_process->processId()), SIGCONT);
}

ConnectionOptions RedisServer::options() const
{
    ConnectionOptions o;
    if (m_config.unixSocket) {
        o.transport = ConnectionOptions::Transport::Unix;
        o.socketPath = socketPath();
    } else {
        o.port = m_port;
        if (m_config.tls) {
            o.transport = ConnectionOptions::Transport::Tls;
            o.host = QStringLiteral("localhost");
            o.caFile = caFile();
        }
    }
    return o;
}

QString RedisServer::url() const
{
    if (m_config.unixSocket)
        return QStringLiteral("unix://") + socketPath();
    if (m_config.tls)
        return QStringLiteral("rediss://localhost:%1?ca=%2").arg(m_port).arg(caFile());
    return QStringLiteral("redis://127.0.0.1:%1").arg(m_port);
}

QByteArray RedisServer::cli(const QStringList& args) const
{
    return cli(args, QByteArray());
}

QByteArray RedisServer::info(const QString& section, const QByteArray& field) const
{
    const QByteArray prefix = field + ':';
    for (QByteArray line : cli({ QStringLiteral("INFO"), section }).split('\n')) {
        line = line.trimmed();
        if (line.startsWith(prefix))
            return line.mid(prefix.size());
    }
    return {};
}

QByteArray RedisServer::cli(const QStringList& args, const QByteArray& input) const
{
    QStringList all;
    if (m_config.unixSocket) {
        all << QStringLiteral("-s") << socketPath();
    } else {
        all << QStringLiteral("-p") << QString::number(m_port);
        if (m_config.tls) {
            all << QStringLiteral("--tls") << QStringLiteral("--cacert") << caFile();
            if (m_config.tlsAuthClients)
                all << QStringLiteral("--cert") << clientCertFile() << QStringLiteral("--key") << clientKeyFile();
        }
    }
    for (int i = 0; i + 1 < m_config.extraArgs.size(); ++i) {
        if (m_config.extraArgs.at(i) == QLatin1String("--requirepass"))
            all << QStringLiteral("--no-auth-warning") << QStringLiteral("-a") << m_config.extraArgs.at(i + 1);
    }
    all << args;
    QProcess p;
    p.start(QStringLiteral("redis-cli"), all);
    if (!p.waitForStarted(10000))
        return {};
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    p.waitForFinished(10000);
    return p.readAllStandardOutput().trimmed();
}

} // namespace bullpen::test
