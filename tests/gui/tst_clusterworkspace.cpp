// SPDX-License-Identifier: MIT
// The GUI on a real 3-master Redis Cluster: a redis-cluster:// connection gets a ClusterClient,
// and the key browser (written for one server) lists the keys of every master once and opens
// values wherever they live.

#include "clienttest.h"
#include "clusterclient.h"
#include "connectionworkspace.h"
#include "keys/keytreemodel.h"
#include "keyspage.h"
#include "keyvalueviewer.h"
#include "rediscluster.h"

#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace bullpen;
using namespace bullpen::test;

class TestClusterWorkspace : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void keysPageListsEveryMaster();
    void workspaceOpensAClusterUrl();

private:
    std::unique_ptr<RedisCluster> m_cluster;
    std::unique_ptr<ClusterClient> m_client;
};

void TestClusterWorkspace::initTestCase()
{
    m_cluster = std::make_unique<RedisCluster>(3);
    QVERIFY2(m_cluster->start(), qPrintable(m_cluster->error()));
    m_client = std::make_unique<ClusterClient>(m_cluster->options());
    BP_OPEN_READY(*m_client);
    QList<Command> sets;
    for (int i = 0; i < 300; ++i)
        sets.append({ "SET", "gui:" + QByteArray::number(i), "value " + QByteArray::number(i) });
    BP_AWAIT(replies, m_client->pipeline(sets));
    QCOMPARE(replies.size(), 300);
    for (const Reply& r : replies)
        QCOMPARE(r.bytes(), QByteArray("OK"));
}

void TestClusterWorkspace::cleanupTestCase()
{
    m_client.reset();
    m_cluster.reset();
}

void TestClusterWorkspace::keysPageListsEveryMaster()
{
    KeysPage page;
    page.resize(900, 500);
    page.show();
    QSignalSpy loaded(&page, &KeysPage::loaded);
    page.setClient(m_client.get());
    QVERIFY(loaded.wait(15000));
    QCOMPARE(page.model()->loadedKeys(), quint64(300));
    QVERIFY2(page.statusText().startsWith(QStringLiteral("300 keys")), qPrintable(page.statusText()));

    // A key on a master that is not the seed opens like any other.
    QByteArray key;
    for (int i = 0; key.isEmpty(); ++i) {
        if (m_cluster->ownerOf(cluster::keySlot("gui:" + QByteArray::number(i))) != 0)
            key = "gui:" + QByteArray::number(i);
    }
    QSignalSpy shown(page.viewer(), &KeyValueViewer::shown);
    page.revealKey(key);
    QVERIFY(shown.wait(15000));
    QVERIFY2(page.viewer()->headerText().startsWith(QString::fromLatin1(key) + QStringLiteral(" · string")),
        qPrintable(page.viewer()->headerText()));
    QCOMPARE(page.viewer()->stringText(), QStringLiteral("value ") + QString::fromLatin1(key.mid(4)));
    page.setClient(nullptr);
}

void TestClusterWorkspace::workspaceOpensAClusterUrl()
{
    QString error;
    const auto options = ConnectionOptions::fromUrl(
        QStringLiteral("redis-cluster://127.0.0.1:%1,127.0.0.1:%2")
            .arg(m_cluster->node(0).port())
            .arg(m_cluster->node(1).port()),
        &error);
    QVERIFY2(options.has_value(), qPrintable(error));
    ConnectionWorkspace workspace;
    workspace.connectTo(*options);
    auto* client = qobject_cast<ClusterClient*>(workspace.client());
    QVERIFY(client);
    QVERIFY(waitForState(*client, ConnectionState::Ready));
    QVERIFY2(workspace.address().startsWith(QStringLiteral("cluster 127.0.0.1:")), qPrintable(workspace.address()));
    BP_AWAIT(value, client->command({ "GET", "gui:7" }));
    QCOMPARE(value.bytes(), QByteArray("value 7"));

    // A plain URL still gets a plain client.
    workspace.connectTo(m_cluster->node(0).options());
    QVERIFY(!qobject_cast<ClusterClient*>(workspace.client()));
}

QTEST_MAIN(TestClusterWorkspace)
#include "tst_clusterworkspace.moc"
