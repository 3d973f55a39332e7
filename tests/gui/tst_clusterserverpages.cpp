// SPDX-License-Identifier: MIT
// The Server and Charts pages on a real 3-master Redis Cluster, offscreen: a node selector with
// "All nodes (sum)" and each master; choosing a master shows its figures; hidden on one server.

#include "clienttest.h"
#include "clusterclient.h"
#include "rediscluster.h"
#include "redisserver.h"
#include "server/latencyprobe.h"
#include "server/serverinfopoller.h"
#include "server/servermetricsmodel.h"
#include "server/serversampler.h"
#include "server/serversummarymodel.h"
#include "server/servertablemodels.h"
#include "serverchartspage.h"
#include "serversummarypage.h"

#include <QComboBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace bullpen;
using namespace bullpen::test;

class TestClusterServerPages : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void summaryPageListsTheMasters();
    void chartsPageListsTheMasters();
    void noSelectorOnOneServer();

private:
    QStringList masters() const
    {
        QStringList out;
        for (int i = 0; i < m_cluster->size(); ++i)
            out.append(QStringLiteral("127.0.0.1:%1").arg(m_cluster->node(i).port()));
        out.sort();
        return out;
    }
    static QStringList itemData(const QComboBox* box)
    {
        QStringList out;
        for (int i = 0; i < box->count(); ++i)
            out.append(box->itemData(i).toString());
        return out;
    }

    std::unique_ptr<RedisCluster> m_cluster;
    std::unique_ptr<ClusterClient> m_client;
};

void TestClusterServerPages::initTestCase()
{
    m_cluster = std::make_unique<RedisCluster>(3);
    QVERIFY2(m_cluster->start(), qPrintable(m_cluster->error()));
    m_client = std::make_unique<ClusterClient>(m_cluster->options());
    BP_OPEN_READY(*m_client);
    QList<Command> sets;
    for (int i = 0; i < 90; ++i)
        sets.append({ "SET", "page:" + QByteArray::number(i), "v" });
    BP_AWAIT(replies, m_client->pipeline(sets));
    QCOMPARE(replies.size(), 90);
}

void TestClusterServerPages::cleanupTestCase()
{
    m_client.reset();
    m_cluster.reset();
}

void TestClusterServerPages::summaryPageListsTheMasters()
{
    ServerSummaryPage page;
    page.resize(800, 600);
    page.show();
    QComboBox* node = page.findChild<QComboBox*>(QStringLiteral("node"));
    QVERIFY(node);
    QCOMPARE(node, page.nodeSelector());
    page.setClient(m_client.get());
    QTRY_COMPARE_WITH_TIMEOUT(node->count(), 4, 15000);
    QVERIFY(node->isVisible());
    QCOMPARE(itemData(node), QStringList { QString() } + masters());
    QCOMPARE(node->itemText(0), QStringLiteral("All nodes (sum of 3 masters)"));
    QCOMPARE(node->itemText(2), QStringLiteral("Master ") + masters().at(1));
    QCOMPARE(node->currentIndex(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(page.headline().startsWith(QStringLiteral("Cluster, 3 masters summed · Redis ")), 15000);
    QVERIFY2(page.headline().contains(QStringLiteral("90 keys")), qPrintable(page.headline()));

    // One master: its own figures at once.
    QSignalSpy updated(&page, &ServerSummaryPage::updated);
    node->setCurrentIndex(2);
    QCOMPARE(page.poller()->node(), masters().at(1));
    QCOMPARE(updated.size(), 1);
    QVERIFY2(page.headline().startsWith(QStringLiteral("Cluster master ") + masters().at(1)), qPrintable(page.headline()));
    QVERIFY2(!page.headline().contains(QStringLiteral("90 keys")), qPrintable(page.headline()));
    QCOMPARE(page.model()->info().value("tcp_port"), masters().at(1).section(QLatin1Char(':'), 1).toUtf8());
    // The next refresh keeps the choice.
    page.refreshNow();
    QTRY_COMPARE_WITH_TIMEOUT(updated.size(), 2, 15000);
    QCOMPARE(node->currentIndex(), 2);
    QCOMPARE(page.model()->info().value("tcp_port"), masters().at(1).section(QLatin1Char(':'), 1).toUtf8());
    node->setCurrentIndex(0);
    QVERIFY2(page.headline().contains(QStringLiteral("90 keys")), qPrintable(page.headline()));
    page.setClient(nullptr);
    QVERIFY(!node->isVisible());
}

void TestClusterServerPages::chartsPageListsTheMasters()
{
    ServerChartsPage page;
    page.resize(1000, 700);
    page.show();
    QComboBox* node = page.findChild<QComboBox*>(QStringLiteral("node"));
    QVERIFY(node);
    page.sampler()->setInterval(100);
    page.setClient(m_client.get());
    QTRY_COMPARE_WITH_TIMEOUT(node->count(), 4, 15000);
    QVERIFY(node->isVisible());
    QCOMPARE(itemData(node), QStringList { QString() } + masters());
    // CLIENT KILL would reach the seed, not the client's node: off on a cluster.
    QVERIFY(!page.findChild<QPushButton*>(QStringLiteral("killClient"))->isEnabled());
    // The sum's tables hold every master's rows, each with its node (ids count per server).
    auto* clientsView = page.findChild<QTableView*>(QStringLiteral("clients"));
    auto* slowlogView = page.findChild<QTableView*>(QStringLiteral("slowlog"));
    QVERIFY(clientsView && slowlogView);
    QVERIFY(!clientsView->isColumnHidden(ClientListModel::NodeColumn));
    QVERIFY(!slowlogView->isColumnHidden(SlowlogModel::NodeColumn));
    const auto nodesOfClients = [&page] {
        const ClientListModel* clients = page.sampler()->clients();
        QStringList out;
        for (int r = 0; r < clients->rowCount(); ++r)
            out.append(clients->index(r, ClientListModel::NodeColumn).data().toString());
        out.removeDuplicates();
        out.sort();
        return out;
    };
    QTRY_COMPARE_WITH_TIMEOUT(nodesOfClients(), masters(), 15000);

    QSignalSpy sampled(&page, &ServerChartsPage::sampled);
    node->setCurrentIndex(3);
    QCOMPARE(page.sampler()->node(), masters().at(2));
    QVERIFY(clientsView->isColumnHidden(ClientListModel::NodeColumn)); // one node: nothing to tell apart
    QVERIFY(slowlogView->isColumnHidden(SlowlogModel::NodeColumn));
    QTRY_VERIFY_WITH_TIMEOUT(sampled.size() >= 1, 15000);
    QCOMPARE(page.sampler()->last()->usedMemory, page.sampler()->nodeSamples().value(masters().at(2)).usedMemory);

    // The latency probe follows the node on view: its connection moves to that master, and the
    // seed keeps none.
    const auto probesOn = [this](const QString& address) {
        for (int i = 0; i < m_cluster->size(); ++i) {
            if (QStringLiteral("127.0.0.1:%1").arg(m_cluster->node(i).port()) == address)
                return m_cluster->node(i).cli({ QStringLiteral("CLIENT"), QStringLiteral("LIST") }).count("name=bullpen:latency ");
        }
        return qsizetype(-1);
    };
    QCOMPARE(page.probe()->target(), masters().at(2));
    QTRY_COMPARE_WITH_TIMEOUT(probesOn(masters().at(2)), 1, 15000);
    node->setCurrentIndex(1);
    QCOMPARE(page.probe()->target(), masters().at(0));
    QTRY_COMPARE_WITH_TIMEOUT(probesOn(masters().at(0)), 1, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(probesOn(masters().at(2)), 0, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(page.probe()->model()->rowCount() > 0, 15000); // and it measures there
    page.setClient(nullptr);
    QVERIFY(!node->isVisible());
}

void TestClusterServerPages::noSelectorOnOneServer()
{
    RedisServer server;
    BP_START(server);
    RedisClient client(server.options());
    BP_OPEN_READY(client);
    ServerSummaryPage summary;
    summary.show();
    QSignalSpy updated(&summary, &ServerSummaryPage::updated);
    summary.setClient(&client);
    QTRY_VERIFY_WITH_TIMEOUT(updated.size() >= 1, 15000);
    QVERIFY(!summary.nodeSelector()->isVisible());
    QVERIFY(summary.headline().startsWith(QStringLiteral("Redis ")));
    ServerChartsPage charts;
    charts.show();
    QSignalSpy sampled(&charts, &ServerChartsPage::sampled);
    charts.setClient(&client);
    QTRY_VERIFY_WITH_TIMEOUT(sampled.size() >= 1, 15000);
    QVERIFY(!charts.nodeSelector()->isVisible());
    QVERIFY(charts.findChild<QPushButton*>(QStringLiteral("killClient"))->isEnabled());
    summary.setClient(nullptr);
    charts.setClient(nullptr);
}

QTEST_MAIN(TestClusterServerPages)
#include "tst_clusterserverpages.moc"
