// SPDX-License-Identifier: MIT
#include "cliapp.h"
#include "redisclient.h"

#include <QCoreApplication>
#include <QProcessEnvironment>

int main(int argc, char* argv[])
{
    // The raw bytes, before Qt decodes them: `exec` arguments are values and may be binary.
    QList<QByteArray> args;
    for (int i = 1; i < argc; ++i)
        args.append(QByteArray(argv[i]));

    bullpen::prepareProcess();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("bullpen-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(BULLPEN_VERSION));
    return bullpen::cli::runCli(args, QProcessEnvironment::systemEnvironment());
}
