// SPDX-License-Identifier: MIT
#include "mainwindow.h"
#include "ui_mainwindow.h"

#include "clientpage.h"
#include "connectionbanner.h"
#include "connectiondialog.h"
#include "connectionoptions.h"
#include "profiles/profilestore.h"
#include "profiles/secretstore.h"
#include "connectionsidebar.h"
#include "connectionworkspace.h"
#include "redisclient.h"

#include <QDialogButtonBox>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QStatusBar>

namespace bullpen {

using connections::ConnectionProfile;
using connections::PasswordStorage;
using connections::SecretResult;

namespace {
    const QString kDefaultUrl = QStringLiteral("redis://127.0.0.1:6379");
}

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_ui(std::make_unique<Ui::MainWindow>())
{
    m_ui->setupUi(this);
    m_sidebar = m_ui->sidebar;
    m_ui->splitter->setStretchFactor(0, 0);
    m_ui->splitter->setStretchFactor(1, 1);
    m_ui->splitter->setSizes({ 210, 770 }); // room for a cluster's masters under its entry
    connect(m_ui->actionConnect, &QAction::triggered, this, [this] { showConnectDialog(); });
    connect(m_ui->actionNewConnection, &QAction::triggered, this, [this] { showConnectionDialog(); });
    connect(m_ui->actionEditConnection, &QAction::triggered, this, [this] {
        if (!currentWorkspace()->profile().id.isEmpty())
            showConnectionDialog(currentWorkspace()->profile());
    });
    connect(m_ui->actionCloseConnection, &QAction::triggered, this, [this] { closeConnection(); });
    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->actionRefresh, &QAction::triggered, this, [this] {
        if (ClientPage* page = currentWorkspace()->currentPage())
            page->refreshNow();
    });
    connect(m_ui->actionAbout, &QAction::triggered, this, &MainWindow::showAbout);
    connect(m_sidebar, &QListWidget::currentRowChanged, this, [this](int row) {
        if (ConnectionWorkspace* workspace = m_sidebar->workspaceAt(row))
            setCurrentWorkspace(workspace);
    });
    connect(m_sidebar, &ConnectionSidebar::closeRequested, this, &MainWindow::closeConnection);
    connect(m_sidebar, &ConnectionSidebar::forgetRequested, this,
        [this](ConnectionWorkspace* workspace) { forgetProfile(workspace->profile().id); });
    connect(m_sidebar, &ConnectionSidebar::editRequested, this,
        [this](ConnectionWorkspace* workspace) { showConnectionDialog(workspace->profile()); });
    // The pages of a connection are listed in ConnectionWorkspace::createPages(), one line each.
    setCurrentWorkspace(addWorkspace());
    rebuildProfileMenu();
}

MainWindow::~MainWindow()
{
    // Pages let go of their clients before any client dies (each workspace closes its own).
    // m_ui dies before the child widgets: nothing of theirs may call back into this window.
    disconnect(m_sidebar, nullptr, this, nullptr);
    const auto all = workspaces();
    for (ConnectionWorkspace* workspace : all) {
        disconnect(workspace, nullptr, this, nullptr);
        workspace->closeConnection();
    }
}

void MainWindow::setProfileStores(connections::ProfileStore* profiles, connections::SecretStore* secrets)
{
    if (m_profiles)
        disconnect(m_profiles, nullptr, this, nullptr);
    m_profiles = profiles;
    m_secrets = secrets;
    if (m_profiles)
        connect(m_profiles, &connections::ProfileStore::changed, this, &MainWindow::rebuildProfileMenu);
    rebuildProfileMenu();
}

ConnectionWorkspace* MainWindow::addWorkspace()
{
    auto* workspace = new ConnectionWorkspace(m_ui->workspaces);
    m_ui->workspaces->addWidget(workspace);
    m_sidebar->addWorkspace(workspace);
    connect(workspace, &ConnectionWorkspace::changed, this, [this, workspace] {
        if (workspace == currentWorkspace())
            updateTitle();
    });
    return workspace;
}

ConnectionWorkspace* MainWindow::freshWorkspace()
{
    ConnectionWorkspace* current = currentWorkspace();
    if (current && !current->client() && current->address().isEmpty() && current->profile().id.isEmpty())
        return current;
    return addWorkspace();
}

QList<ConnectionWorkspace*> MainWindow::workspaces() const
{
    QList<ConnectionWorkspace*> all;
    for (int i = 0; i < m_ui->workspaces->count(); ++i)
        all.append(qobject_cast<ConnectionWorkspace*>(m_ui->workspaces->widget(i)));
    return all;
}

ConnectionWorkspace* MainWindow::currentWorkspace() const
{
    return qobject_cast<ConnectionWorkspace*>(m_ui->workspaces->currentWidget());
}

ConnectionSidebar* MainWindow::sidebar() const
{
    return m_sidebar;
}

void MainWindow::setCurrentWorkspace(ConnectionWorkspace* workspace)
{
    m_ui->workspaces->setCurrentWidget(workspace);
    const int row = m_sidebar->rowOf(workspace);
    if (m_sidebar->currentRow() != row)
        m_sidebar->setCurrentRow(row);
    updateTitle();
}

void MainWindow::updateTitle()
{
    const ConnectionWorkspace* workspace = currentWorkspace();
    if (!workspace || !workspace->client()) {
        setWindowTitle(tr("Bullpen — not connected"));
    } else if (workspace->profile().name.isEmpty()) {
        setWindowTitle(tr("Bullpen — %1").arg(workspace->address()));
    } else {
        setWindowTitle(tr("Bullpen — %1 (%2)").arg(workspace->profile().name, workspace->address()));
    }
    m_ui->actionEditConnection->setEnabled(workspace && !workspace->profile().id.isEmpty());
}

void MainWindow::addPage(ClientPage* page, const QString& title)
{
    currentWorkspace()->addPage(page, title);
}

ConnectionBanner* MainWindow::banner() const
{
    return currentWorkspace()->banner();
}

ServerSummaryPage* MainWindow::summaryPage() const
{
    return currentWorkspace()->summaryPage();
}

RedisClient* MainWindow::client() const
{
    return currentWorkspace()->client();
}

QString MainWindow::url() const
{
    return currentWorkspace()->url();
}

bool MainWindow::connectToUrl(const QString& url, QString* error)
{
    QString why;
    const auto options = ConnectionOptions::fromUrl(url, &why);
    ConnectionWorkspace* workspace = currentWorkspace();
    if (!options) {
        // The URL may hold a password: the message names the problem, not the whole URL.
        workspace->setUrl({});
        workspace->showFailure(tr("Invalid Redis URL: %1").arg(why));
        updateTitle();
        if (error)
            *error = why;
        return false;
    }
    workspace->setUrl(url);
    connectTo(*options);
    return true;
}

void MainWindow::connectTo(const ConnectionOptions& options)
{
    currentWorkspace()->connectTo(options);
    updateTitle();
}

void MainWindow::openProfile(const ConnectionProfile& profile, const std::optional<QString>& password,
    const std::optional<QString>& sentinelPassword)
{
    // Each password in turn (the main one, then through Sentinel the sentinels'), from the
    // caller, the keychain or the user; then the connection opens.
    const bool sentinel = password.has_value();
    if (sentinel && (profile.topology != connections::Topology::Sentinel || sentinelPassword)) {
        ConnectionWorkspace* workspace = freshWorkspace();
        workspace->setUrl(profile.toUrl());
        workspace->connectTo(profile.toOptions(*password, sentinelPassword.value_or(QString())), profile);
        setCurrentWorkspace(workspace);
        return;
    }
    const PasswordStorage storage = sentinel ? profile.sentinelPasswordStorage : profile.passwordStorage;
    const auto next = [this, profile, sentinel, password](const QString& secret) {
        if (sentinel)
            openProfile(profile, password, secret);
        else
            openProfile(profile, secret);
    };
    switch (storage) {
    case PasswordStorage::None:
        next({});
        return;
    case PasswordStorage::AskOnConnect:
        askPassword(profile, {}, sentinel, password);
        return;
    case PasswordStorage::Keychain:
        break;
    }
    if (!m_secrets) {
        askPassword(profile, tr("No system keychain is available."), sentinel, password);
        return;
    }
    const QString secretId = sentinel ? connections::sentinelSecretId(profile.id) : profile.id;
    m_secrets->readPassword(secretId, this, [this, profile, next, sentinel, password](const SecretResult& r) {
        if (r.ok())
            next(r.password);
        else if (r.error == SecretResult::Error::NotFound)
            askPassword(profile, tr("The keychain has no password for this connection."), sentinel, password);
        else
            askPassword(profile, tr("The keychain did not give the password: %1").arg(r.message), sentinel, password);
    });
}

void MainWindow::askPassword(
    const ConnectionProfile& profile, const QString& why, bool sentinel, const std::optional<QString>& password)
{
    auto* dialog = new QInputDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(sentinel ? QStringLiteral("sentinelPasswordDialog") : QStringLiteral("passwordDialog"));
    dialog->setWindowTitle(
        sentinel ? tr("Sentinel password for %1").arg(profile.name) : tr("Password for %1").arg(profile.name));
    dialog->setInputMode(QInputDialog::TextInput);
    dialog->setTextEchoMode(QLineEdit::Password);
    QString prompt = sentinel
        ? tr("Password of the sentinels of %1 (%2):").arg(profile.name, connections::nodeListText(profile.sentinels))
        : tr("Password for %1 (%2):").arg(profile.name, profile.displayAddress());
    if (!why.isEmpty())
        prompt = why + QLatin1Char('\n') + prompt;
    dialog->setLabelText(prompt);
    if (auto* label = dialog->findChild<QLabel*>())
        label->setTextFormat(Qt::PlainText); // names and keychain messages are not markup
    connect(dialog, &QInputDialog::textValueSelected, this, [this, profile, sentinel, password](const QString& typed) {
        if (sentinel)
            openProfile(profile, password, typed);
        else
            openProfile(profile, typed);
    });
    dialog->open();
}

void MainWindow::closeConnection(ConnectionWorkspace* workspace)
{
    if (!workspace)
        workspace = currentWorkspace();
    if (!workspace)
        return;
    workspace->closeConnection();
    if (m_ui->workspaces->count() == 1) {
        // The last one stays, empty: the window always has a banner and pages to show.
        if (workspace->address().isEmpty() && workspace->profile().id.isEmpty())
            return;
        setCurrentWorkspace(addWorkspace());
    }
    m_sidebar->removeWorkspace(workspace);
    m_ui->workspaces->removeWidget(workspace);
    delete workspace;
    setCurrentWorkspace(currentWorkspace());
}

QMessageBox* MainWindow::forgetProfile(const QString& profileId)
{
    const auto profile = m_profiles ? m_profiles->profile(profileId) : std::nullopt;
    if (!profile)
        return nullptr;
    auto* box = new QMessageBox(QMessageBox::Question, tr("Forget Saved Connection"),
        tr("Forget the saved connection \"%1\" (%2) and its password in the keychain?")
            .arg(profile->name, profile->displayAddress()),
        QMessageBox::Cancel, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName(QStringLiteral("forgetBox"));
    box->setTextFormat(Qt::PlainText);
    QPushButton* forget = box->addButton(tr("Forget"), QMessageBox::DestructiveRole);
    connect(forget, &QPushButton::clicked, this, [this, profileId] {
        QString error;
        if (!m_profiles || !m_profiles->remove(profileId, &error)) {
            statusBar()->showMessage(error);
            return;
        }
        if (m_secrets) { // NotFound is fine
            m_secrets->removePassword(profileId, this, [](const SecretResult&) {});
            m_secrets->removePassword(connections::sentinelSecretId(profileId), this, [](const SecretResult&) {});
        }
        const auto all = workspaces();
        for (ConnectionWorkspace* workspace : all) {
            if (workspace->profile().id == profileId) {
                ConnectionProfile unsaved = workspace->profile();
                unsaved.id.clear();
                workspace->setProfile(unsaved);
            }
        }
        updateTitle();
    });
    box->open();
    return box;
}

void MainWindow::rebuildProfileMenu()
{
    QMenu* menu = m_ui->menuProfiles;
    menu->clear();
    const QList<ConnectionProfile> profiles = m_profiles ? m_profiles->profiles() : QList<ConnectionProfile>();
    for (const ConnectionProfile& profile : profiles) {
        // '&' in a name would become a mnemonic.
        QString text = profile.name;
        text.replace(QLatin1Char('&'), QStringLiteral("&&"));
        QAction* action = menu->addAction(text);
        const QString hex = connections::colourTagHex(profile.colour);
        if (!hex.isEmpty()) {
            QPixmap swatch(12, 12);
            swatch.fill(QColor(hex));
            action->setIcon(QIcon(swatch));
        }
        const QString id = profile.id;
        connect(action, &QAction::triggered, this, [this, id] {
            if (const auto p = m_profiles ? m_profiles->profile(id) : std::nullopt)
                openProfile(*p);
        });
    }
    if (profiles.isEmpty())
        menu->addAction(tr("(none yet: File › New Connection…)"))->setEnabled(false);
}

ConnectionDialog* MainWindow::showConnectionDialog(const ConnectionProfile& profile)
{
    ConnectionProfile start = profile;
    if (start.id.isEmpty() && start.name.isEmpty())
        start.name = tr("Local Redis");
    auto* dialog = new ConnectionDialog(m_profiles, m_secrets, start, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const bool editing = !profile.id.isEmpty();
    connect(dialog, &ConnectionDialog::saved, this,
        [this, editing](const ConnectionProfile& saved, const QString& password, const QString& sentinelPassword) {
            if (editing) {
                // The open connection keeps running; it shows the new name and colour.
                const auto all = workspaces();
                for (ConnectionWorkspace* workspace : all) {
                    if (workspace->profile().id == saved.id)
                        workspace->setProfile(saved);
                }
                updateTitle();
                return;
            }
            openProfile(saved,
                password.isEmpty() && saved.passwordStorage != PasswordStorage::None
                    ? std::optional<QString>()
                    : std::optional<QString>(password),
                sentinelPassword.isEmpty() && saved.sentinelPasswordStorage != PasswordStorage::None
                    ? std::optional<QString>()
                    : std::optional<QString>(sentinelPassword));
        });
    dialog->open();
    return dialog;
}

QInputDialog* MainWindow::showConnectDialog()
{
    auto* dialog = new QInputDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("connectDialog"));
    dialog->setWindowTitle(tr("Connect to Redis"));
    dialog->setInputMode(QInputDialog::TextInput);
    dialog->resize(520, dialog->sizeHint().height());
    const QString prompt = tr("Redis URL (redis://, rediss:// or unix://):");
    dialog->setLabelText(prompt);
    // The prompt shows the parser's message, which quotes what was typed: never rich text.
    if (auto* label = dialog->findChild<QLabel*>())
        label->setTextFormat(Qt::PlainText);

    const auto validate = [dialog, prompt](const QString& text) {
        QString why;
        const bool ok = ConnectionOptions::fromUrl(text, &why).has_value();
        dialog->setLabelText(ok ? prompt : prompt + QLatin1Char('\n') + tr("⚠ %1").arg(why));
        if (auto* box = dialog->findChild<QDialogButtonBox*>()) {
            if (QPushButton* okButton = box->button(QDialogButtonBox::Ok))
                okButton->setEnabled(ok);
        }
    };
    connect(dialog, &QInputDialog::textValueChanged, dialog, validate);
    connect(dialog, &QInputDialog::textValueSelected, this, [this](const QString& url) { connectToUrl(url); });
    dialog->setTextValue(url().isEmpty() ? kDefaultUrl : url());
    validate(dialog->textValue());
    dialog->open();
    return dialog;
}

void MainWindow::showAbout()
{
    auto* box = new QMessageBox(this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowTitle(tr("About Bullpen"));
    box->setIconPixmap(windowIcon().pixmap(64, 64));
    box->setTextFormat(Qt::RichText);
    box->setText(
        tr("<h3>Bullpen %1</h3>"
           "<p>A desktop dashboard for Redis and the BullMQ/Bull job queues kept in it.</p>"
           "<p>Built with Qt %2, running on Qt %3.</p>")
            .arg(QStringLiteral(BULLPEN_VERSION), QStringLiteral(QT_VERSION_STR), QString::fromLatin1(qVersion())));
    box->setStandardButtons(QMessageBox::Ok);
    box->open();
}

} // namespace bullpen
