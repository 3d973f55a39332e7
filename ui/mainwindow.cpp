// SPDX-License-Identifier: MIT
#include "mainwindow.h"
#include "ui_mainwindow.h"

#include "clientpage.h"
#include "connectionbanner.h"
#include "connectionoptions.h"
#include "keyspage.h"
#include "redisclient.h"
#include "pubsubpage.h"
#include "queuespage.h"
#include "serverchartspage.h"
#include "serversummarypage.h"

#include <QDialogButtonBox>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>

namespace bullpen {

namespace {
    const QString kDefaultUrl = QStringLiteral("redis://127.0.0.1:6379");
}

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_ui(std::make_unique<Ui::MainWindow>())
{
    m_ui->setupUi(this);
    setWindowTitle(tr("Bullpen — not connected"));
    connect(m_ui->actionConnect, &QAction::triggered, this, [this] { showConnectDialog(); });
    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    m_pages.append(m_ui->summaryPage);
    connect(m_ui->actionRefresh, &QAction::triggered, this, [this] {
        if (auto* page = qobject_cast<ClientPage*>(m_ui->pages->currentWidget()))
            page->refreshNow();
    });
    connect(m_ui->actionAbout, &QAction::triggered, this, &MainWindow::showAbout);
    addPage(new QueuesPage(this), tr("Queues"));
    addPage(new KeysPage(this), tr("Keys"));
    addPage(new ServerChartsPage(this), tr("Charts"));
    addPage(new PubSubPage(this), tr("Pub/Sub"));
}

MainWindow::~MainWindow()
{
    closeConnection();
}

void MainWindow::addPage(ClientPage* page, const QString& title)
{
    m_pages.append(page);
    m_ui->pages->addTab(page, title);
    if (m_client)
        page->setClient(m_client);
}

ConnectionBanner* MainWindow::banner() const
{
    return m_ui->banner;
}

ServerSummaryPage* MainWindow::summaryPage() const
{
    return m_ui->summaryPage;
}

bool MainWindow::connectToUrl(const QString& url, QString* error)
{
    QString why;
    const auto options = ConnectionOptions::fromUrl(url, &why);
    if (!options) {
        // The URL may hold a password: the message names the problem, not the whole URL.
        closeConnection();
        m_url.clear();
        setWindowTitle(tr("Bullpen — not connected"));
        m_ui->banner->showFailure(tr("Invalid Redis URL: %1").arg(why));
        if (error)
            *error = why;
        return false;
    }
    m_url = url;
    connectTo(*options);
    return true;
}

void MainWindow::connectTo(const ConnectionOptions& options)
{
    closeConnection();
    m_client = new RedisClient(options, this);
    const QString address = options.displayAddress();
    setWindowTitle(tr("Bullpen — %1").arg(address));
    m_ui->banner->reset(address);
    connect(m_client, &RedisClient::stateChanged, m_ui->banner, &ConnectionBanner::setConnectionState);
    // Opened before the page sends its first INFO: a request that reaches the connection
    // before it started connecting fails with "not connected".
    m_client->open();
    for (ClientPage* page : std::as_const(m_pages))
        page->setClient(m_client);
}

void MainWindow::closeConnection()
{
    if (!m_client)
        return;
    for (ClientPage* page : std::as_const(m_pages))
        page->setClient(nullptr);
    // Waits for the connection thread to stop: bounded, it only closes a socket.
    delete m_client;
    m_client = nullptr;
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
    dialog->setTextValue(m_url.isEmpty() ? kDefaultUrl : m_url);
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
