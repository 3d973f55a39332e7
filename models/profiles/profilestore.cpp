// SPDX-License-Identifier: MIT
#include "profilestore.h"

#include <QSettings>

namespace bullpen::connections {

namespace {

    // Settings keys, one place. Version 1 of the layout; bump it when keys change meaning.
    namespace Key {
        const QString group = QStringLiteral("connections");
        const QString version = QStringLiteral("version");
        const QString order = QStringLiteral("order");
        const QString name = QStringLiteral("name");
        const QString transport = QStringLiteral("transport");
        const QString host = QStringLiteral("host");
        const QString port = QStringLiteral("port");
        const QString socket = QStringLiteral("socket");
        const QString db = QStringLiteral("db");
        const QString user = QStringLiteral("user");
        const QString ca = QStringLiteral("tlsCa");
        const QString cert = QStringLiteral("tlsCert");
        const QString key = QStringLiteral("tlsKey");
        const QString insecure = QStringLiteral("tlsInsecure");
        const QString readOnly = QStringLiteral("readOnly");
        const QString production = QStringLiteral("production");
        const QString colour = QStringLiteral("colour");
        const QString password = QStringLiteral("passwordStorage"); // where, never what
        // Absent in profiles saved before topologies existed: they load as standalone.
        const QString topology = QStringLiteral("topology");
        const QString sentinels = QStringLiteral("sentinels");
        const QString sentinelMaster = QStringLiteral("sentinelMaster");
        const QString sentinelUser = QStringLiteral("sentinelUser");
        const QString sentinelPassword = QStringLiteral("sentinelPasswordStorage"); // where, never what
        const QString clusterSeeds = QStringLiteral("clusterSeeds");
        const QString readFromReplicas = QStringLiteral("readFromReplicas");
    } // namespace Key
    constexpr int kVersion = 1;

    QString transportName(ConnectionOptions::Transport t)
    {
        switch (t) {
        case ConnectionOptions::Transport::Tls:
            return QStringLiteral("tls");
        case ConnectionOptions::Transport::Unix:
            return QStringLiteral("unix");
        case ConnectionOptions::Transport::Tcp:
            break;
        }
        return QStringLiteral("tcp");
    }

    ConnectionOptions::Transport transportFromName(const QString& name)
    {
        if (name == QLatin1String("tls"))
            return ConnectionOptions::Transport::Tls;
        if (name == QLatin1String("unix"))
            return ConnectionOptions::Transport::Unix;
        return ConnectionOptions::Transport::Tcp;
    }

    QString storageName(PasswordStorage s)
    {
        switch (s) {
        case PasswordStorage::Keychain:
            return QStringLiteral("keychain");
        case PasswordStorage::AskOnConnect:
            return QStringLiteral("ask");
        case PasswordStorage::None:
            break;
        }
        return QStringLiteral("none");
    }

    PasswordStorage storageFromName(const QString& name)
    {
        if (name == QLatin1String("keychain"))
            return PasswordStorage::Keychain;
        if (name == QLatin1String("ask"))
            return PasswordStorage::AskOnConnect;
        return PasswordStorage::None;
    }

    QStringList nodeStrings(const QList<NodeAddress>& nodes)
    {
        QStringList items;
        for (const NodeAddress& n : nodes)
            items << n.toString();
        return items;
    }

    // A hand-edited entry that does not parse is dropped rather than failing the whole profile:
    // the dialog then says that the list is empty.
    QList<NodeAddress> nodesFrom(const QStringList& items, quint16 defaultPort)
    {
        QList<NodeAddress> nodes;
        for (const QString& item : items) {
            if (const auto parsed = parseNodeList(item, defaultPort, nullptr))
                nodes += *parsed;
        }
        return nodes;
    }

} // namespace

ProfileStore::ProfileStore(QSettings* settings, QObject* parent)
    : QObject(parent)
    , m_settings(settings)
{
    load();
}

ProfileStore::~ProfileStore() = default;

std::optional<ConnectionProfile> ProfileStore::profile(const QString& id) const
{
    for (const ConnectionProfile& p : m_profiles) {
        if (p.id == id)
            return p;
    }
    return std::nullopt;
}

QString ProfileStore::save(ConnectionProfile profile, QString* error)
{
    if (profile.id.isEmpty())
        profile.id = ConnectionProfile::newId();
    const QList<ConnectionProfile> before = m_profiles;
    bool replaced = false;
    for (ConnectionProfile& p : m_profiles) {
        if (p.id == profile.id) {
            p = profile;
            replaced = true;
        }
    }
    if (!replaced)
        m_profiles.append(profile);
    if (!write(error)) {
        m_profiles = before;
        return {};
    }
    Q_EMIT changed();
    return profile.id;
}

bool ProfileStore::remove(const QString& id, QString* error)
{
    const QList<ConnectionProfile> before = m_profiles;
    if (m_profiles.removeIf([&id](const ConnectionProfile& p) { return p.id == id; }) == 0)
        return true;
    if (!write(error)) {
        m_profiles = before;
        return false;
    }
    Q_EMIT changed();
    return true;
}

void ProfileStore::load()
{
    if (!m_settings)
        return;
    m_settings->beginGroup(Key::group);
    const QStringList order = m_settings->value(Key::order).toStringList();
    for (const QString& id : order) {
        if (id.isEmpty() || !m_settings->childGroups().contains(id))
            continue;
        m_settings->beginGroup(id);
        ConnectionProfile p;
        p.id = id;
        p.name = m_settings->value(Key::name).toString();
        p.transport = transportFromName(m_settings->value(Key::transport).toString());
        p.host = m_settings->value(Key::host, p.host).toString();
        p.port = quint16(m_settings->value(Key::port, p.port).toUInt());
        p.socketPath = m_settings->value(Key::socket).toString();
        p.db = m_settings->value(Key::db, 0).toInt();
        p.user = m_settings->value(Key::user).toString();
        p.caFile = m_settings->value(Key::ca).toString();
        p.certFile = m_settings->value(Key::cert).toString();
        p.keyFile = m_settings->value(Key::key).toString();
        p.insecure = m_settings->value(Key::insecure, false).toBool();
        p.readOnly = m_settings->value(Key::readOnly, false).toBool();
        p.production = m_settings->value(Key::production, false).toBool();
        p.colour = colourTagFromName(m_settings->value(Key::colour).toString());
        p.passwordStorage = storageFromName(m_settings->value(Key::password).toString());
        p.topology = topologyFromName(m_settings->value(Key::topology).toString());
        p.sentinels = nodesFrom(m_settings->value(Key::sentinels).toStringList(), 26379);
        p.sentinelMaster = m_settings->value(Key::sentinelMaster).toString();
        p.sentinelUser = m_settings->value(Key::sentinelUser).toString();
        p.sentinelPasswordStorage = storageFromName(m_settings->value(Key::sentinelPassword).toString());
        p.clusterSeeds = nodesFrom(m_settings->value(Key::clusterSeeds).toStringList(), 6379);
        p.readFromReplicas = m_settings->value(Key::readFromReplicas, false).toBool();
        m_settings->endGroup();
        m_profiles.append(p);
    }
    m_settings->endGroup();
}

bool ProfileStore::write(QString* error)
{
    if (!m_settings)
        return true;
    m_settings->remove(Key::group);
    m_settings->beginGroup(Key::group);
    m_settings->setValue(Key::version, kVersion);
    QStringList order;
    for (const ConnectionProfile& p : std::as_const(m_profiles)) {
        order << p.id;
        m_settings->beginGroup(p.id);
        m_settings->setValue(Key::name, p.name);
        m_settings->setValue(Key::transport, transportName(p.transport));
        m_settings->setValue(Key::host, p.host);
        m_settings->setValue(Key::port, p.port);
        m_settings->setValue(Key::socket, p.socketPath);
        m_settings->setValue(Key::db, p.db);
        m_settings->setValue(Key::user, p.user);
        m_settings->setValue(Key::ca, p.caFile);
        m_settings->setValue(Key::cert, p.certFile);
        m_settings->setValue(Key::key, p.keyFile);
        m_settings->setValue(Key::insecure, p.insecure);
        m_settings->setValue(Key::readOnly, p.readOnly);
        m_settings->setValue(Key::production, p.production);
        m_settings->setValue(Key::colour, colourTagName(p.colour));
        m_settings->setValue(Key::password, storageName(p.passwordStorage));
        m_settings->setValue(Key::topology, topologyName(p.topology));
        // Only what is set: a standalone profile's group looks as it did before topologies.
        if (!p.sentinels.isEmpty())
            m_settings->setValue(Key::sentinels, nodeStrings(p.sentinels));
        if (!p.sentinelMaster.isEmpty())
            m_settings->setValue(Key::sentinelMaster, p.sentinelMaster);
        if (!p.sentinelUser.isEmpty())
            m_settings->setValue(Key::sentinelUser, p.sentinelUser);
        if (p.sentinelPasswordStorage != PasswordStorage::None)
            m_settings->setValue(Key::sentinelPassword, storageName(p.sentinelPasswordStorage));
        if (!p.clusterSeeds.isEmpty())
            m_settings->setValue(Key::clusterSeeds, nodeStrings(p.clusterSeeds));
        if (p.readFromReplicas && p.topology != Topology::Standalone)
            m_settings->setValue(Key::readFromReplicas, true);
        m_settings->endGroup();
    }
    m_settings->setValue(Key::order, order);
    m_settings->endGroup();
    m_settings->sync();
    if (m_settings->status() != QSettings::NoError) {
        if (error)
            *error = tr("Cannot write the connection profiles to %1").arg(m_settings->fileName());
        return false;
    }
    return true;
}

} // namespace bullpen::connections
