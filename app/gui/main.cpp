// SPDX-License-Identifier: MIT
// bullpen [URL]: the desktop dashboard. Argument parsing and wiring only.

#include "connectionbanner.h"
#include "connectiondialog.h"
#include "profiles/keychainsecretstore.h"
#include "profiles/profilestore.h"
#include "profiles/urlimport.h"
#include "connectionworkspace.h"
#include "keyspage.h"
#include "mainwindow.h"
#include "pubsubpage.h"
#include "queuespage.h"
#include "redisclient.h"
#include "serversummarypage.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <memory>

namespace {

QStringList arguments(int argc, char** argv)
{
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args.append(QString::fromLocal8Bit(argv[i]));
    return args;
}

void print(FILE* stream, const QString& text)
{
    std::fputs(text.toLocal8Bit().constData(), stream);
    std::fflush(stream);
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication::setApplicationName(QStringLiteral("bullpen"));
    QCoreApplication::setOrganizationName(QStringLiteral("Bullpen"));
    QCoreApplication::setApplicationVersion(QStringLiteral(BULLPEN_VERSION));

    // Parsed before QApplication exists, so --help and --version work without a display.
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Desktop dashboard for Redis and BullMQ/Bull queues."));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("URL"),
        QStringLiteral("redis://[user[:password]@]host[:port][/db], rediss://…, unix:///path, "
                       "redis-sentinel://host1[:port1],…/master or redis-cluster://host1[:port1],… "
                       "(default: $REDIS_URL, else redis://127.0.0.1:6379)"),
        QStringLiteral("[URL]"));
    const QCommandLineOption profileOption(QStringLiteral("profile"),
        QStringLiteral("Open the saved connection NAME (repeatable: several connections at once)."), QStringLiteral("NAME"));
    parser.addOption(profileOption);
    QCommandLineOption quitAfter(QStringLiteral("quit-after"),
        QStringLiteral("Exit with status 0 after MS milliseconds (smoke tests)."), QStringLiteral("MS"));
    quitAfter.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(quitAfter);
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QStringLiteral("Save a picture of the window to FILE once the first data is shown, then exit."),
        QStringLiteral("FILE"));
    screenshot.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(screenshot);
    QCommandLineOption screenshotKey(QStringLiteral("screenshot-key"),
        QStringLiteral("Show the key page with KEY opened (docs/screenshots/keys.png)."), QStringLiteral("KEY"));
    screenshotKey.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(screenshotKey);
    QCommandLineOption screenshotQueue(QStringLiteral("screenshot-queue"),
        QStringLiteral("Show the queues page on PREFIX:NAME, on the STATE tab with its first job (docs/screenshots/queues.png)."),
        QStringLiteral("PREFIX:NAME/STATE"));
    screenshotQueue.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(screenshotQueue);
    // For docs/screenshots: which tab to picture, how long after the data arrived, and what the
    // pub/sub page subscribes to.
    QCommandLineOption screenshotTab(QStringLiteral("screenshot-tab"), QStringLiteral("Tab to show (PAGE or PAGE>TAB)."), QStringLiteral("TITLE"));
    QCommandLineOption screenshotDelay(
        QStringLiteral("screenshot-delay"), QStringLiteral("Wait MS more before the picture."), QStringLiteral("MS"));
    QCommandLineOption subscribe(
        QStringLiteral("subscribe"), QStringLiteral("Pub/sub page subscribes to PATTERNS."), QStringLiteral("PATTERNS"));
    QCommandLineOption screenshotDialog(QStringLiteral("screenshot-dialog"),
        QStringLiteral("Save a picture of the connection dialog (current connection) to FILE, then exit."),
        QStringLiteral("FILE"));
    for (QCommandLineOption* o : { &screenshotTab, &screenshotDelay, &subscribe, &screenshotDialog }) {
        o->setFlags(QCommandLineOption::HiddenFromHelp);
        parser.addOption(*o);
    }

    const QStringList args = arguments(argc, argv);
    if (!parser.parse(args)) {
        print(stderr, QStringLiteral("bullpen: %1\nTry 'bullpen --help'.\n").arg(parser.errorText()));
        return 2;
    }
    if (parser.isSet(help) || parser.isSet(QStringLiteral("help-all"))) {
        // Without a QCoreApplication yet, Qt names the program "<executable_name>".
        print(stdout, parser.helpText().replace(QStringLiteral("<executable_name>"), QStringLiteral("bullpen")));
        return 0;
    }
    if (parser.isSet(version)) {
        print(stdout, QStringLiteral("bullpen %1\n").arg(QStringLiteral(BULLPEN_VERSION)));
        return 0;
    }
    if (parser.positionalArguments().size() > 1) {
        print(stderr, QStringLiteral("bullpen: expected at most one URL\nTry 'bullpen --help'.\n"));
        return 2;
    }
    int quitAfterMs = -1;
    if (parser.isSet(quitAfter)) {
        bool ok = false;
        quitAfterMs = parser.value(quitAfter).toInt(&ok);
        if (!ok || quitAfterMs < 0) {
            print(stderr, QStringLiteral("bullpen: --quit-after needs milliseconds ≥ 0\n"));
            return 2;
        }
    }

    QApplication app(argc, argv);
    // Only now, so that the GUI thread keeps glib's event loop: QtKeychain's Secret Service backend
    // (libsecret) answers through the glib main context, and without it no keychain job ever
    // finishes. The connection threads, started later, still get the plain poll() dispatcher.
    bullpen::prepareProcess();
    // Profiles in the user's settings (~/.config/Bullpen/bullpen.conf), passwords only in the keychain.
    QSettings settings;
    bullpen::connections::ProfileStore profiles(&settings);
    bullpen::connections::KeychainSecretStore secrets(QStringLiteral("Bullpen"));
    bullpen::MainWindow window;
    window.setProfileStores(&profiles, &secrets);

    const QString envUrl = qEnvironmentVariable("REDIS_URL");
    std::optional<bullpen::connections::ConnectionProfile> imported;
    if (profiles.isEmpty() && !envUrl.isEmpty()) {
        // First start: $REDIS_URL becomes a profile (its password, if any, goes to the keychain).
        QString why;
        imported = bullpen::connections::importUrl(&profiles, &secrets, QStringLiteral("REDIS_URL"), envUrl, &window,
            [&window](const QString& reason) {
                window.statusBar()->showMessage(
                    QCoreApplication::translate("main", "No keychain (%1): the password of REDIS_URL is asked for on connect")
                        .arg(reason));
            },
            &why);
        if (!imported)
            print(stderr, QStringLiteral("bullpen: REDIS_URL not saved as a profile: %1\n").arg(why));
    }

    // A URL on the command line (else $REDIS_URL) opens first; each --profile opens beside it.
    const QStringList profileNames = parser.values(profileOption);
    QString url = parser.positionalArguments().value(0);
    if (url.isEmpty() && profileNames.isEmpty())
        url = envUrl;
    if (url.isEmpty() && profileNames.isEmpty() && profiles.isEmpty())
        url = QStringLiteral("redis://127.0.0.1:6379");
    if (imported && !url.isEmpty() && url == envUrl) {
        // With the password from the URL: the keychain may still be saving it.
        QString password;
        QString sentinelPassword;
        bullpen::connections::ConnectionProfile::fromUrl(url, &password, nullptr, &sentinelPassword);
        window.openProfile(*imported, password, sentinelPassword);
    } else if (!url.isEmpty()) {
        QString error;
        if (!window.connectToUrl(url, &error))
            print(stderr, QStringLiteral("bullpen: invalid Redis URL: %1\n").arg(error));
    } else if (profileNames.isEmpty()) {
        window.banner()->showFailure(QCoreApplication::translate(
            "main", "Not connected: open a saved connection (File › Saved Connections) or a new one (File › New Connection…)"));
    }
    for (const QString& name : profileNames) {
        const auto all = profiles.profiles();
        const auto it = std::find_if(all.begin(), all.end(), [&name](const auto& p) { return p.name == name; });
        if (it == all.end()) {
            print(stderr, QStringLiteral("bullpen: no saved connection named '%1'\n").arg(name));
            return 2;
        }
        window.openProfile(*it);
    }

    if (parser.isSet(screenshotDialog)) {
        // For docs/screenshots/connection-dialog.png: the dialog of the current connection.
        const bullpen::connections::ConnectionProfile current = window.currentWorkspace()->profile();
        bullpen::ConnectionDialog* dialog = window.showConnectionDialog(current);
        const QString file = QFileInfo(parser.value(screenshotDialog)).absoluteFilePath();
        QTimer::singleShot(500, dialog, [dialog, file] {
            QDir().mkpath(QFileInfo(file).absolutePath());
            if (!dialog->grab().save(file)) {
                print(stderr, QStringLiteral("bullpen: cannot write %1\n").arg(file));
                QCoreApplication::exit(1);
                return;
            }
            print(stdout, QStringLiteral("bullpen: saved %1\n").arg(file));
            QCoreApplication::exit(0);
        });
    }

    if (parser.isSet(subscribe)) {
        if (auto* page = window.currentWorkspace()->findChild<bullpen::PubSubPage*>())
            page->subscribeTo(parser.value(subscribe));
    }
    const int extraDelayMs = std::max(0, parser.value(screenshotDelay).toInt());
    if (parser.isSet(screenshotTab)) {
        // "Charts>Clients": a page's tab, then a tab inside that page.
        const auto select = [](QTabWidget* tabs, const QString& title) {
            for (int i = 0; i < tabs->count(); ++i) {
                if (tabs->tabText(i).remove(QLatin1Char('&')).compare(title, Qt::CaseInsensitive) == 0) {
                    tabs->setCurrentIndex(i);
                    return true;
                }
            }
            return false;
        };
        const QStringList path = parser.value(screenshotTab).split(QLatin1Char('>'));
        QTabWidget* tabs = window.currentWorkspace()->tabs();
        if (tabs && select(tabs, path.first()) && path.size() > 1 && tabs->currentWidget()) {
            for (QTabWidget* inner : tabs->currentWidget()->findChildren<QTabWidget*>()) {
                if (select(inner, path.at(1)))
                    break;
            }
        }
    }
    if (parser.isSet(screenshotKey)) {
        if (auto* keys = window.currentWorkspace()->findChild<bullpen::KeysPage*>())
            keys->revealKey(parser.value(screenshotKey).toUtf8());
    }
    if (parser.isSet(screenshotQueue)) {
        const QString value = parser.value(screenshotQueue);
        const qsizetype slash = value.lastIndexOf(QLatin1Char('/'));
        const QString queue = slash < 0 ? value : value.left(slash);
        const qsizetype colon = queue.lastIndexOf(QLatin1Char(':'));
        if (auto* page = window.findChild<bullpen::QueuesPage*>(); page && colon > 0)
            page->showQueue({ queue.left(colon).toUtf8(), queue.mid(colon + 1).toUtf8() },
                slash < 0 ? QString() : value.mid(slash + 1));
    }
    if (parser.isSet(screenshot)) {
        // Fixed size, so pictures in the docs stay comparable (larger for the chart pages).
        window.resize(parser.isSet(screenshotQueue) ? QSize(1440, 860)
                : parser.isSet(screenshotTab)       ? QSize(1100, 720)
                                                    : QSize(760, 450));
        const QString file = QFileInfo(parser.value(screenshot)).absoluteFilePath();
        // The second refresh, so rates and uptime look like a server that has been running.
        auto updates = std::make_shared<int>(0);
        QObject::connect(window.summaryPage(), &bullpen::ServerSummaryPage::updated, &app, [&window, file, updates, extraDelayMs] {
            if (++*updates != 2)
                return;
            // Let the views lay out the new rows before the picture is taken.
            QTimer::singleShot(300 + extraDelayMs, &window, [&window, file] {
                if (QWidget* focus = window.focusWidget())
                    focus->clearFocus(); // no focus frame on the first row in the picture
                QDir().mkpath(QFileInfo(file).absolutePath());
                if (!window.grab().save(file)) {
                    print(stderr, QStringLiteral("bullpen: cannot write %1\n").arg(file));
                    QCoreApplication::exit(1);
                    return;
                }
                print(stdout, QStringLiteral("bullpen: saved %1\n").arg(file));
                QCoreApplication::exit(0);
            });
        });
        QTimer::singleShot(15000 + extraDelayMs, &app, [] {
            print(stderr, QStringLiteral("bullpen: no server data within 15 s, no screenshot taken\n"));
            QCoreApplication::exit(1);
        });
    }

    window.show();
    if (quitAfterMs >= 0)
        QTimer::singleShot(quitAfterMs, &app, &QCoreApplication::quit);
    return app.exec();
}
