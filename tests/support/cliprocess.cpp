// SPDX-License-Identifier: MIT
#include "cliprocess.h"

#include <QProcess>
#include <QProcessEnvironment>

namespace bullpen::test {

CliResult runCli(const QString& program, const QStringList& args, int waitMs)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char* name : { "REDIS_URL", "BULLPEN_PASSWORD", "BULLPEN_SENTINEL_PASSWORD" })
        env.remove(QString::fromLatin1(name));
    p.setProcessEnvironment(env);
    p.start(program, args);
    CliResult r;
    if (!p.waitForStarted(10000) || !p.waitForFinished(waitMs)) {
        p.kill();
        p.waitForFinished(10000);
        r.err = "bullpen-cli did not start or finish: " + p.readAllStandardError();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace bullpen::test
