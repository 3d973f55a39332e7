// SPDX-License-Identifier: MIT
#include "connectiondialog.h"

#include "bullmq/futurewatch.h"
#include "clusterclient.h"
#include "profiles/profilestore.h"
#include "profiles/secretstore.h"
#include "redisclient.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <memory>

namespace bullpen {

using connections::ColourTag;
using connections::ConnectionProfile;
using connections::PasswordStorage;
using connections::SecretResult;
using connections::Topology;
using Transport = ConnectionOptions::Transport;

namespace {

    constexpr int kTestTimeoutMs = 5000;

    QLabel* plainLabel(QWidget* parent, const QString& objectName)
    {
        auto* label = new QLabel(parent);
        label->setObjectName(objectName);
        label->setTextFormat(Qt::PlainText); // server errors and typed text are untrusted
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        return label;
    }

} // namespace

ConnectionDialog::ConnectionDialog(connections::ProfileStore* store, connections::SecretStore* secrets,
    const ConnectionProfile& profile, QWidget* parent)
    : QDialog(parent)
    , m_store(store)
    , m_secrets(secrets)
    , m_original(profile)
{
    setObjectName(QStringLiteral("connectionDialog"));
    setWindowTitle(profile.id.isEmpty() ? tr("New Connection") : tr("Edit Connection"));
    setMinimumWidth(480);
    buildForm();
    setFields(profile);
    updateState();
}

ConnectionDialog::~ConnectionDialog()
{
    delete m_testClient.data();
}

void ConnectionDialog::buildForm()
{
    auto* layout = new QVBoxLayout(this);
    auto* form = m_form = new QFormLayout;
    layout->addLayout(form);

    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("name"));
    m_name->setPlaceholderText(tr("e.g. Production queues"));
    form->addRow(tr("&Name:"), m_name);

    m_url = new QLineEdit(this);
    m_url->setObjectName(QStringLiteral("url"));
    m_url->setPlaceholderText(QStringLiteral("redis://[user:password@]host:port/db"));
    m_url->setToolTip(tr("redis://, rediss:// (TLS), unix:///path, redis-sentinel://host1:26379,host2/mymaster or "
                         "redis-cluster://host1:6379,host2:6379. A password typed here goes to the password "
                         "field, never into the saved URL."));
    form->addRow(tr("&URL:"), m_url);

    m_transport = new QComboBox(this);
    m_transport->setObjectName(QStringLiteral("transport"));
    m_transport->addItem(tr("TCP"), int(Transport::Tcp));
    m_transport->addItem(tr("TLS"), int(Transport::Tls));
    m_transport->addItem(tr("Unix socket"), int(Transport::Unix));
    form->addRow(tr("&Transport:"), m_transport);

    m_topology = new QComboBox(this);
    m_topology->setObjectName(QStringLiteral("topology"));
    m_topology->addItem(tr("Standalone server"), int(Topology::Standalone));
    m_topology->addItem(tr("Sentinel (master found through Redis Sentinel)"), int(Topology::Sentinel));
    m_topology->addItem(tr("Cluster (Redis Cluster)"), int(Topology::Cluster));
    form->addRow(tr("T&opology:"), m_topology);

    m_sentinelGroup = new QGroupBox(tr("Sentinel"), this);
    m_sentinelGroup->setObjectName(QStringLiteral("sentinelGroup"));
    auto* sentinelForm = new QFormLayout(m_sentinelGroup);
    m_sentinels = new QLineEdit(this);
    m_sentinels->setObjectName(QStringLiteral("sentinels"));
    m_sentinels->setPlaceholderText(QStringLiteral("10.0.0.1:26379, 10.0.0.2:26379"));
    m_sentinels->setToolTip(tr("The sentinels to ask for the master's address, in this order, separated by commas "
                               "(port 26379 when left out)."));
    sentinelForm->addRow(tr("Sentine&ls:"), m_sentinels);
    m_sentinelMaster = new QLineEdit(this);
    m_sentinelMaster->setObjectName(QStringLiteral("sentinelMaster"));
    m_sentinelMaster->setPlaceholderText(QStringLiteral("mymaster"));
    sentinelForm->addRow(tr("&Master name:"), m_sentinelMaster);
    m_sentinelUser = new QLineEdit(this);
    m_sentinelUser->setObjectName(QStringLiteral("sentinelUser"));
    m_sentinelUser->setPlaceholderText(tr("only if the sentinels require AUTH"));
    sentinelForm->addRow(tr("Sentinel us&er:"), m_sentinelUser);
    m_sentinelPassword = new QLineEdit(this);
    m_sentinelPassword->setObjectName(QStringLiteral("sentinelPassword"));
    m_sentinelPassword->setEchoMode(QLineEdit::Password);
    m_sentinelPassword->setToolTip(tr("Saved like the password below: in the system keychain, or asked for on "
                                      "connect. Never written to the settings file."));
    sentinelForm->addRow(tr("Sentinel pass&word:"), m_sentinelPassword);
    form->addRow(m_sentinelGroup);

    m_clusterGroup = new QGroupBox(tr("Cluster"), this);
    m_clusterGroup->setObjectName(QStringLiteral("clusterGroup"));
    auto* clusterForm = new QFormLayout(m_clusterGroup);
    m_seeds = new QLineEdit(this);
    m_seeds->setObjectName(QStringLiteral("clusterSeeds"));
    m_seeds->setPlaceholderText(QStringLiteral("10.0.0.1:6379, 10.0.0.2:6379"));
    m_seeds->setToolTip(tr("Any nodes of the cluster, separated by commas (port 6379 when left out): the slot map "
                           "is read from the first one that answers."));
    clusterForm->addRow(tr("S&eed nodes:"), m_seeds);
    form->addRow(m_clusterGroup);

    m_hostRow = new QWidget(this);
    auto* hostRow = new QHBoxLayout(m_hostRow);
    hostRow->setContentsMargins(0, 0, 0, 0);
    m_host = new QLineEdit(this);
    m_host->setObjectName(QStringLiteral("host"));
    m_port = new QSpinBox(this);
    m_port->setObjectName(QStringLiteral("port"));
    m_port->setRange(1, 65535);
    hostRow->addWidget(m_host, 1);
    hostRow->addWidget(new QLabel(tr("Port:"), this));
    hostRow->addWidget(m_port);
    auto* hostLabel = new QLabel(tr("&Host:"), this);
    hostLabel->setBuddy(m_host); // a row of a layout gets no buddy by itself
    form->addRow(hostLabel, m_hostRow);

    m_socket = new QLineEdit(this);
    m_socket->setObjectName(QStringLiteral("socket"));
    m_socket->setPlaceholderText(tr("/run/redis/redis.sock"));
    form->addRow(tr("&Socket:"), m_socket);

    m_db = new QSpinBox(this);
    m_db->setObjectName(QStringLiteral("db"));
    m_db->setRange(0, 1 << 20);
    form->addRow(tr("&Database:"), m_db);

    m_user = new QLineEdit(this);
    m_user->setObjectName(QStringLiteral("user"));
    m_user->setPlaceholderText(tr("default"));
    form->addRow(tr("U&ser:"), m_user);

    m_password = new QLineEdit(this);
    m_password->setObjectName(QStringLiteral("password"));
    m_password->setEchoMode(QLineEdit::Password);
    form->addRow(tr("&Password:"), m_password);
    m_savePassword = new QCheckBox(tr("Save the password in the system keychain"), this);
    m_savePassword->setObjectName(QStringLiteral("savePassword"));
    m_savePassword->setToolTip(tr("Unticked, the password is asked for on every connect. It is never written to "
                                  "the settings file."));
    form->addRow(QString(), m_savePassword);

    auto* tls = new QGroupBox(tr("TLS"), this);
    tls->setObjectName(QStringLiteral("tlsGroup"));
    auto* tlsForm = new QFormLayout(tls);
    const auto fileRow = [this, tlsForm](QLineEdit** edit, const QString& name, const QString& label) {
        *edit = new QLineEdit(this);
        (*edit)->setObjectName(name);
        auto* browse = new QToolButton(this);
        browse->setText(QStringLiteral("…"));
        browse->setToolTip(tr("Choose a PEM file"));
        QLineEdit* target = *edit;
        connect(browse, &QToolButton::clicked, this, [this, target] {
            auto* chooser = new QFileDialog(this, tr("Choose a PEM file"));
            chooser->setAttribute(Qt::WA_DeleteOnClose);
            chooser->setFileMode(QFileDialog::ExistingFile);
            connect(chooser, &QFileDialog::fileSelected, target, [target](const QString& file) {
                target->setText(file);
                Q_EMIT target->textEdited(file);
            });
            chooser->open();
        });
        auto* row = new QHBoxLayout;
        row->addWidget(*edit, 1);
        row->addWidget(browse);
        tlsForm->addRow(label, row);
    };
    fileRow(&m_ca, QStringLiteral("caFile"), tr("CA certificate:"));
    fileRow(&m_cert, QStringLiteral("certFile"), tr("Client certificate:"));
    fileRow(&m_key, QStringLiteral("keyFile"), tr("Client key:"));
    m_insecure = new QCheckBox(tr("Skip certificate verification (insecure)"), this);
    m_insecure->setObjectName(QStringLiteral("insecure"));
    tlsForm->addRow(QString(), m_insecure);
    layout->addWidget(tls);

    auto* flags = new QFormLayout;
    m_production = new QCheckBox(tr("Production (read-only by default)"), this);
    m_production->setObjectName(QStringLiteral("production"));
    m_readOnly = new QCheckBox(tr("Read-only: refuse every write command"), this);
    m_readOnly->setObjectName(QStringLiteral("readOnly"));
    m_colour = new QComboBox(this);
    m_colour->setObjectName(QStringLiteral("colour"));
    const std::pair<ColourTag, QString> colours[] = {
        { ColourTag::None, tr("None") },
        { ColourTag::Red, tr("Red") },
        { ColourTag::Orange, tr("Orange") },
        { ColourTag::Yellow, tr("Yellow") },
        { ColourTag::Green, tr("Green") },
        { ColourTag::Blue, tr("Blue") },
        { ColourTag::Purple, tr("Purple") },
    };
    for (const auto& [tag, label] : colours) {
        QPixmap swatch(12, 12);
        swatch.fill(tag == ColourTag::None ? QColor(Qt::transparent) : QColor(connections::colourTagHex(tag)));
        m_colour->addItem(QIcon(swatch), label, int(tag));
    }
    flags->addRow(QString(), m_production);
    flags->addRow(QString(), m_readOnly);
    m_readFromReplicas = new QCheckBox(tr("Read from &replicas"), this);
    m_readFromReplicas->setObjectName(QStringLiteral("readFromReplicas"));
    m_readFromReplicas->setToolTip(tr("Cluster: commands that only read go to a replica of their slot (the master when "
                                      "it does not answer). Sentinel: a read-only connection goes to a healthy replica. "
                                      "Writes always go to the master."));
    flags->addRow(QString(), m_readFromReplicas);
    flags->addRow(tr("&Colour tag:"), m_colour);
    layout->addLayout(flags);

    auto* testRow = new QHBoxLayout;
    m_test = new QPushButton(tr("&Test Connection"), this);
    m_test->setObjectName(QStringLiteral("testButton"));
    m_testResult = plainLabel(this, QStringLiteral("testResult"));
    testRow->addWidget(m_test);
    testRow->addWidget(m_testResult, 1);
    layout->addLayout(testRow);

    m_error = plainLabel(this, QStringLiteral("error"));
    m_error->setStyleSheet(QStringLiteral("color: #b71c1c;"));
    layout->addWidget(m_error);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    layout->addWidget(m_buttons);

    connect(m_url, &QLineEdit::textEdited, this, &ConnectionDialog::urlEdited);
    // Once the URL field is left, it shows the URL without the password that was typed into it.
    connect(m_url, &QLineEdit::editingFinished, this, [this] {
        if (validationError().isEmpty())
            fieldsChanged();
    });
    for (QLineEdit* edit : { m_host, m_socket, m_user, m_ca, m_cert, m_key, m_sentinels, m_sentinelMaster,
             m_sentinelUser, m_seeds })
        connect(edit, &QLineEdit::textEdited, this, &ConnectionDialog::fieldsChanged);
    connect(m_name, &QLineEdit::textEdited, this, &ConnectionDialog::updateState);
    connect(m_password, &QLineEdit::textEdited, this, &ConnectionDialog::updateState);
    connect(m_sentinelPassword, &QLineEdit::textEdited, this, &ConnectionDialog::updateState);
    connect(m_topology, &QComboBox::currentIndexChanged, this, [this] {
        // A server turned cluster: it is a good first seed.
        if (!m_syncing && Topology(m_topology->currentData().toInt()) == Topology::Cluster
            && m_seeds->text().trimmed().isEmpty() && !m_host->text().trimmed().isEmpty())
            m_seeds->setText(connections::NodeAddress { m_host->text().trimmed(), quint16(m_port->value()) }.toString());
        if (m_syncing)
            return; // setFields(): updateState() follows, and the dialog is sized when shown
        fieldsChanged();
        updateState();
        // Only the chosen topology's fields are shown: the dialog takes their height.
        adjustSize();
    });
    connect(m_port, &QSpinBox::valueChanged, this, &ConnectionDialog::fieldsChanged);
    connect(m_db, &QSpinBox::valueChanged, this, &ConnectionDialog::fieldsChanged);
    connect(m_transport, &QComboBox::currentIndexChanged, this, &ConnectionDialog::fieldsChanged);
    connect(m_insecure, &QCheckBox::toggled, this, &ConnectionDialog::fieldsChanged);
    connect(m_readOnly, &QCheckBox::toggled, this, &ConnectionDialog::fieldsChanged);
    connect(m_readFromReplicas, &QCheckBox::toggled, this, &ConnectionDialog::fieldsChanged);
    connect(m_production, &QCheckBox::toggled, this, [this](bool on) {
        // Marking a profile production makes read-only the default; it can still be unticked.
        if (on && !m_syncing)
            m_readOnly->setChecked(true);
    });
    connect(m_test, &QPushButton::clicked, this, &ConnectionDialog::testConnection);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ConnectionDialog::save);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

void ConnectionDialog::setFields(const ConnectionProfile& p)
{
    m_syncing = true;
    m_name->setText(p.name);
    m_transport->setCurrentIndex(m_transport->findData(int(p.transport)));
    m_topology->setCurrentIndex(m_topology->findData(int(p.topology)));
    m_sentinels->setText(connections::nodeListText(p.sentinels));
    m_sentinelMaster->setText(p.sentinelMaster);
    m_sentinelUser->setText(p.sentinelUser);
    m_seeds->setText(connections::nodeListText(p.clusterSeeds));
    if (p.sentinelPasswordStorage == PasswordStorage::Keychain)
        m_sentinelPassword->setPlaceholderText(tr("unchanged (saved in the keychain)"));
    else if (p.sentinelPasswordStorage == PasswordStorage::AskOnConnect)
        m_sentinelPassword->setPlaceholderText(tr("asked for on connect"));
    else
        m_sentinelPassword->setPlaceholderText(tr("only if the sentinels require AUTH"));
    m_host->setText(p.host);
    m_port->setValue(p.port);
    m_socket->setText(p.socketPath);
    m_db->setValue(p.db);
    m_user->setText(p.user);
    m_ca->setText(p.caFile);
    m_cert->setText(p.certFile);
    m_key->setText(p.keyFile);
    m_insecure->setChecked(p.insecure);
    m_production->setChecked(p.production);
    m_readOnly->setChecked(p.readOnly);
    m_readFromReplicas->setChecked(p.readFromReplicas);
    m_colour->setCurrentIndex(m_colour->findData(int(p.colour)));
    m_savePassword->setChecked(p.passwordStorage != PasswordStorage::AskOnConnect && m_secrets);
    if (p.passwordStorage == PasswordStorage::Keychain)
        m_password->setPlaceholderText(tr("unchanged (saved in the keychain)"));
    else if (p.passwordStorage == PasswordStorage::AskOnConnect)
        m_password->setPlaceholderText(tr("asked for on connect"));
    m_url->setText(p.toUrl());
    // Long values (a URL with TLS files, three sentinels) open at their start: scheme, first node.
    for (QLineEdit* edit : { m_url, m_sentinels, m_seeds, m_ca, m_cert, m_key })
        edit->setCursorPosition(0);
    m_syncing = false;
}

ConnectionProfile ConnectionDialog::profile() const
{
    ConnectionProfile p = m_original;
    p.name = m_name->text().trimmed();
    p.transport = Transport(m_transport->currentData().toInt());
    p.host = m_host->text().trimmed();
    p.port = quint16(m_port->value());
    p.socketPath = m_socket->text().trimmed();
    p.db = m_db->value();
    p.user = m_user->text();
    p.caFile = m_ca->text().trimmed();
    p.certFile = m_cert->text().trimmed();
    p.keyFile = m_key->text().trimmed();
    p.insecure = m_insecure->isChecked();
    p.readOnly = m_readOnly->isChecked();
    p.readFromReplicas = m_readFromReplicas->isChecked() && m_readFromReplicas->isEnabled();
    p.production = m_production->isChecked();
    p.colour = ColourTag(m_colour->currentData().toInt());
    const auto storage = [this](bool typed, PasswordStorage before) {
        if (m_savePassword->isChecked())
            return typed || before == PasswordStorage::Keychain ? PasswordStorage::Keychain : PasswordStorage::None;
        return typed || before != PasswordStorage::None ? PasswordStorage::AskOnConnect : PasswordStorage::None;
    };
    p.passwordStorage = storage(!m_password->text().isEmpty(), m_original.passwordStorage);
    // Only the chosen topology's settings are kept.
    p.topology = Topology(m_topology->currentData().toInt());
    p.sentinels.clear();
    p.sentinelMaster.clear();
    p.sentinelUser.clear();
    p.sentinelPasswordStorage = PasswordStorage::None;
    p.clusterSeeds.clear();
    if (p.topology == Topology::Sentinel) {
        p.sentinels = connections::parseNodeList(m_sentinels->text(), 26379, nullptr).value_or(QList<connections::NodeAddress>());
        p.sentinelMaster = m_sentinelMaster->text().trimmed();
        p.sentinelUser = m_sentinelUser->text();
        p.sentinelPasswordStorage = storage(!m_sentinelPassword->text().isEmpty(), m_original.sentinelPasswordStorage);
    } else if (p.topology == Topology::Cluster) {
        p.clusterSeeds = connections::parseNodeList(m_seeds->text(), 6379, nullptr).value_or(QList<connections::NodeAddress>());
    }
    return p;
}

QString ConnectionDialog::password() const
{
    return m_password->text();
}

QString ConnectionDialog::sentinelPassword() const
{
    return profile().topology == Topology::Sentinel ? m_sentinelPassword->text() : QString();
}

QString ConnectionDialog::validationError() const
{
    const ConnectionProfile p = profile();
    if (p.name.isEmpty())
        return tr("Give the connection a name.");
    QString why;
    if (p.topology == Topology::Sentinel) {
        if (p.transport == Transport::Unix)
            return tr("Sentinels and their master are reached over TCP or TLS: choose one of them as the transport "
                      "(not a Unix socket).");
        const auto nodes = connections::parseNodeList(m_sentinels->text(), 26379, &why);
        if (!nodes)
            return tr("Sentinels: %1.").arg(why);
        if (nodes->isEmpty())
            return tr("Enter at least one sentinel as host:port (port 26379 when left out).");
        if (p.sentinelMaster.isEmpty())
            return tr("Enter the name of the master that the sentinels monitor (e.g. mymaster).");
    } else if (p.topology == Topology::Cluster) {
        if (p.transport == Transport::Unix)
            return tr("A cluster is reached over TCP or TLS, not a Unix socket: choose TCP or TLS as the transport.");
        const auto nodes = connections::parseNodeList(m_seeds->text(), 6379, &why);
        if (!nodes)
            return tr("Seed nodes: %1.").arg(why);
        if (nodes->isEmpty())
            return tr("Enter at least one node of the cluster as host:port (port 6379 when left out).");
        if (p.db != 0)
            return tr("A cluster has database 0 only.");
    } else if (p.transport == Transport::Unix) {
        if (p.socketPath.isEmpty())
            return tr("Enter the path of the Unix socket.");
        if (!p.socketPath.startsWith(QLatin1Char('/')))
            return tr("The socket path must be absolute (start with /).");
    } else if (p.host.isEmpty()) {
        return tr("Enter a host name or address.");
    }
    if (p.transport == Transport::Tls && p.certFile.isEmpty() != p.keyFile.isEmpty())
        return tr("A client certificate needs its key, and a key its certificate.");
    // The URL field may hold what was typed last: it must parse too.
    if (!ConnectionProfile::fromUrl(m_url->text().trimmed(), nullptr, &why))
        return tr("Invalid URL: %1").arg(why);
    return {};
}

QString ConnectionDialog::testResult() const
{
    return m_testResult->text();
}

QString ConnectionDialog::errorText() const
{
    return m_error->text();
}

void ConnectionDialog::fieldsChanged()
{
    if (m_syncing)
        return;
    // TLS files stay in their fields while another transport is chosen, but not in the URL.
    m_syncing = true;
    m_url->setText(profile().toUrl());
    m_url->setCursorPosition(0); // the user types elsewhere: show the scheme and host
    m_syncing = false;
    updateState();
}

void ConnectionDialog::urlEdited(const QString& text)
{
    if (m_syncing)
        return;
    QString password;
    QString sentinelPassword;
    QString why;
    const auto parsed = ConnectionProfile::fromUrl(text.trimmed(), &password, &why, &sentinelPassword);
    if (parsed) {
        ConnectionProfile p = profile();
        p.setOptions(parsed->toOptions());
        m_syncing = true;
        const QString name = m_name->text();
        const bool production = m_production->isChecked();
        const bool readOnly = m_readOnly->isChecked();
        const int colour = m_colour->currentIndex();
        const bool save = m_savePassword->isChecked();
        const QString url = m_url->text();
        const int cursor = m_url->cursorPosition();
        setFields(p);
        m_name->setText(name);
        m_production->setChecked(production);
        m_readOnly->setChecked(readOnly);
        m_colour->setCurrentIndex(colour);
        m_savePassword->setChecked(save);
        m_url->setText(url); // keep what is being typed; rewritten without password on leaving
        m_url->setCursorPosition(cursor); // and where: setText() would move the cursor to the end
        // The password leaves the URL for the password field (and from there the keychain).
        if (!password.isEmpty())
            m_password->setText(password);
        if (!sentinelPassword.isEmpty())
            m_sentinelPassword->setText(sentinelPassword);
        m_syncing = false;
    }
    updateState();
}

void ConnectionDialog::updateState()
{
    const bool tls = Transport(m_transport->currentData().toInt()) == Transport::Tls;
    const bool unix = Transport(m_transport->currentData().toInt()) == Transport::Unix;
    const Topology topology = Topology(m_topology->currentData().toInt());
    if (auto* group = findChild<QGroupBox*>(QStringLiteral("tlsGroup")))
        group->setEnabled(tls);
    // Sentinel: replicas serve read-only connections only.
    m_readFromReplicas->setEnabled(topology == Topology::Cluster
        || (topology == Topology::Sentinel && m_readOnly->isChecked()));
    // Hidden fields leave the tab order too: Tab goes only through what applies.
    m_sentinelGroup->setVisible(topology == Topology::Sentinel);
    m_clusterGroup->setVisible(topology == Topology::Cluster);
    m_form->setRowVisible(m_hostRow, topology == Topology::Standalone);
    m_form->setRowVisible(m_socket, topology == Topology::Standalone);
    m_host->setEnabled(!unix);
    m_port->setEnabled(!unix);
    m_socket->setEnabled(unix && topology == Topology::Standalone);
    m_savePassword->setEnabled(m_secrets != nullptr);
    const QString why = validationError();
    m_error->setText(why);
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(why.isEmpty());
    m_test->setEnabled(why.isEmpty() || why == tr("Give the connection a name."));
}

void ConnectionDialog::showError(const QString& text)
{
    m_error->setText(text);
}

void ConnectionDialog::testConnection()
{
    delete m_testClient.data();
    const quint64 gen = ++m_testGeneration;
    const ConnectionProfile p = profile();
    auto options = std::make_shared<ConnectionOptions>(p.toOptions(m_password->text(), sentinelPassword()));
    options->reconnect = false;
    options->connectTimeoutMs = kTestTimeoutMs;
    options->requestTimeoutMs = kTestTimeoutMs;
    options->role = QStringLiteral("test");

    const auto run = [this, gen, options] {
        if (gen == m_testGeneration)
            runTest(*options);
    };
    // Nothing typed but a saved password: test with the one in the keychain (each password its own).
    const bool readSentinel = p.topology == Topology::Sentinel && m_sentinelPassword->text().isEmpty()
        && m_original.sentinelPasswordStorage == PasswordStorage::Keychain && m_secrets;
    const QString id = m_original.id;
    const auto thenSentinel = [this, readSentinel, id, options, run] {
        if (!readSentinel || !m_secrets) {
            run();
            return;
        }
        m_secrets->readPassword(connections::sentinelSecretId(id), this, [options, run](const SecretResult& r) {
            if (r.ok())
                options->sentinelPassword = r.password;
            run();
        });
    };
    if (m_password->text().isEmpty() && m_original.passwordStorage == PasswordStorage::Keychain && m_secrets) {
        m_testResult->setText(tr("Reading the password from the keychain…"));
        m_secrets->readPassword(id, this, [options, thenSentinel](const SecretResult& r) {
            if (r.ok())
                options->password = r.password;
            thenSentinel();
        });
        return;
    }
    if (readSentinel)
        m_testResult->setText(tr("Reading the password from the keychain…"));
    thenSentinel();
}

void ConnectionDialog::runTest(ConnectionOptions o)
{
    const quint64 gen = m_testGeneration;
    m_testResult->setText(tr("Testing %1…").arg(o.displayAddress()));
    // A cluster is tested as it is used: the seed answers PING, then the slot map must be read.
    m_testClient = o.cluster ? new ClusterClient(o, this) : new RedisClient(o, this);
    m_testClient->open();
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    const QString master = o.sentinelMaster;
    const auto done = [this](bool ok, const QString& text) {
        m_testResult->setText(text);
        if (m_testClient)
            m_testClient->deleteLater();
        Q_EMIT testFinished(ok);
    };
    // whenReady, not .then(this): testFinished must come from the event loop, after the click that
    // started the test has returned, even when the reply is already there.
    bullmq::whenReady(this, m_testClient->command({ QByteArrayLiteral("PING") }), [this, gen, clock, master, done](const Reply& reply) {
        if (gen != m_testGeneration)
            return; // a newer test replaced this one
        const bool ok = !reply.isError() && reply.toDisplayString().contains(QLatin1String("PONG"));
        if (!ok) {
            done(false, tr("✘ %1").arg(reply.isError() ? reply.errorMessage() : reply.toDisplayString()));
            return;
        }
        const qint64 ms = clock->elapsed();
        if (auto* cluster = qobject_cast<ClusterClient*>(m_testClient.data())) {
            QPointer<ClusterClient> guard(cluster);
            bullmq::whenReady(this, cluster->refreshTopology(), [this, gen, guard, ms, done](bool mapped) {
                if (gen != m_testGeneration || !guard)
                    return;
                if (!mapped) {
                    done(false, tr("✘ The node answered PONG, but no slot map: %1").arg(guard->topologyError()));
                    return;
                }
                const cluster::SlotMap map = guard->slotMap();
                const int masters = int(map.shards.size());
                done(true,
                    tr("✔ Connected: PONG in %1 ms; a cluster of %2 serving %3 of %4 slots")
                        .arg(ms)
                        .arg(masters == 1 ? tr("1 master") : tr("%1 masters").arg(masters))
                        .arg(map.coveredSlots())
                        .arg(cluster::slotCount));
            });
            return;
        }
        if (!master.isEmpty() && m_testClient) {
            done(true, tr("✔ Connected to master %1 at %2: PONG in %3 ms").arg(master, m_testClient->serverAddress()).arg(ms));
            return;
        }
        done(true, tr("✔ Connected: PONG in %1 ms").arg(ms));
    });
}

void ConnectionDialog::save()
{
    const QString why = validationError();
    if (!why.isEmpty()) {
        showError(why);
        return;
    }
    ConnectionProfile p = profile();
    if (p.id.isEmpty())
        p.id = ConnectionProfile::newId();
    const QString typed = m_password->text();
    if (p.passwordStorage == PasswordStorage::Keychain && !typed.isEmpty()) {
        if (!m_secrets) {
            showError(tr("No system keychain is available: the password cannot be saved. Untick \"Save the "
                         "password\" to be asked for it on every connect."));
            return;
        }
        m_buttons->setEnabled(false);
        showError(tr("Saving the password in the keychain…"));
        m_secrets->writePassword(p.id, typed, this, [this, p](const SecretResult& r) {
            m_buttons->setEnabled(true);
            if (!r.ok()) {
                if (r.error == SecretResult::Error::Unavailable)
                    showError(tr("No system keychain is available (%1). Untick \"Save the password\" to be "
                                 "asked for it on every connect: it is never written to disk.")
                                  .arg(r.message));
                else
                    showError(tr("The keychain did not save the password: %1").arg(r.message));
                return;
            }
            saveSentinelPassword(p);
        });
        return;
    }
    if (p.passwordStorage != PasswordStorage::Keychain && m_original.passwordStorage == PasswordStorage::Keychain
        && m_secrets) {
        // No longer saved: best effort, the profile no longer points at it either way.
        m_secrets->removePassword(p.id, this, [](const SecretResult&) {});
    }
    saveSentinelPassword(p);
}

// The sentinels' password goes the same way as the main one, under its own keychain entry.
void ConnectionDialog::saveSentinelPassword(ConnectionProfile p)
{
    const QString typed = sentinelPassword();
    const QString secretId = connections::sentinelSecretId(p.id);
    if (p.sentinelPasswordStorage == PasswordStorage::Keychain && !typed.isEmpty()) {
        if (!m_secrets) {
            showError(tr("No system keychain is available: the sentinel password cannot be saved. Untick \"Save "
                         "the password\" to be asked for it on every connect."));
            return;
        }
        m_buttons->setEnabled(false);
        showError(tr("Saving the sentinel password in the keychain…"));
        m_secrets->writePassword(secretId, typed, this, [this, p](const SecretResult& r) {
            m_buttons->setEnabled(true);
            if (!r.ok()) {
                showError(tr("The keychain did not save the sentinel password: %1").arg(r.message));
                return;
            }
            finishSave(p);
        });
        return;
    }
    if (p.sentinelPasswordStorage != PasswordStorage::Keychain
        && m_original.sentinelPasswordStorage == PasswordStorage::Keychain && m_secrets)
        m_secrets->removePassword(secretId, this, [](const SecretResult&) {});
    finishSave(p);
}

void ConnectionDialog::finishSave(ConnectionProfile p)
{
    QString error;
    if (m_store && m_store->save(p, &error).isEmpty()) {
        showError(error);
        return;
    }
    m_original = p;
    Q_EMIT saved(p, m_password->text(), sentinelPassword());
    accept();
}

} // namespace bullpen
