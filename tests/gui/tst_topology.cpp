// SPDX-License-Identifier: MIT
// Sentinel and cluster connections from the connection dialog to the sidebar, against real
// processes: a 3-master Redis Cluster, and a master, its replica and a sentinel. The dialog is
// driven from the keyboard (topology chosen with the arrow keys), tests the connection, saves the
// profile; the window opens it and the sidebar shows the cluster's masters, or the master the
// sentinel names, and the new one after SENTINEL FAILOVER.

#include "clienttest.h"
#include "connectiondialog.h"
#include "connectionsidebar.h"
#include "connectionworkspace.h"
#include "mainwindow.h"
#include "profiles/memorysecretstore.h"
#include "profiles/profilestore.h"
#include "rediscluster.h"
#include "redisserver.h"
#include "redissentinel.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QGroupBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace bullpen;
using namespace bullpen::connections;
using namespace bullpen::test;

namespace {

constexpr int kTimeout = 20000;

template <typename T> T* child(const QObject* parent, const char* name)
{
    auto* w = parent->findChild<T*>(QString::fromLatin1(name));
    if (!w)
        qFatal("no child %s", name);
    return w;
}

void typeInto(QLineEdit* edit, const QString& text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

// The topology combo, as a keyboard user picks it: focus it and press Down `steps` times.
void pickTopology(ConnectionDialog* dialog, int steps)
{
    auto* combo = child<QComboBox>(dialog, "topology");
    combo->setFocus();
    for (int i = 0; i < steps; ++i)
        QTest::keyClick(combo, Qt::Key_Down);
}

QByteArray fieldOf(const QList<QPair<QByteArray, QByteArray>>& fields, const QByteArray& field)
{
    for (const auto& [k, v] : fields) {
        if (k == field)
            return v;
    }
    return {};
}

QString local(quint16 port)
{
    return QStringLiteral("127.0.0.1:%1").arg(port);
}

} // namespace

class TestTopology : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void clusterFromTheDialogToTheSidebar();
    void sentinelFromTheDialogToTheSidebarAndAfterAFailover();
};

void TestTopology::clusterFromTheDialogToTheSidebar()
{
    RedisCluster cluster(3);
    QVERIFY2(cluster.start(), qPrintable(cluster.error()));
    ProfileStore store(nullptr);
    MemorySecretStore secrets;
    MainWindow window;
    window.setProfileStores(&store, &secrets);
    window.show();

    ConnectionDialog* dialog = window.showConnectionDialog();
    typeInto(child<QLineEdit>(dialog, "name"), QStringLiteral("Cache cluster"));
    pickTopology(dialog, 2);
    QVERIFY(child<QGroupBox>(dialog, "clusterGroup")->isVisible());
    QVERIFY(!child<QGroupBox>(dialog, "sentinelGroup")->isVisible());
    QVERIFY(!child<QLineEdit>(dialog, "host")->isVisible()); // the seeds say where
    // The host of the form is the first seed already; a bad port is named.
    QCOMPARE(child<QLineEdit>(dialog, "clusterSeeds")->text(), QStringLiteral("127.0.0.1:6379"));
    typeInto(child<QLineEdit>(dialog, "clusterSeeds"), QStringLiteral("127.0.0.1:70000"));
    QCOMPARE(dialog->validationError(), QStringLiteral("Seed nodes: '127.0.0.1:70000': the port must be a number from 1 to 65535."));
    typeInto(child<QLineEdit>(dialog, "clusterSeeds"), local(cluster.node(0).port()) + QStringLiteral(", ") + local(cluster.node(1).port()));
    QCOMPARE(dialog->validationError(), QString());
    QCOMPARE(dialog->urlEdit()->text(),
        QStringLiteral("redis-cluster://%1,%2").arg(local(cluster.node(0).port()), local(cluster.node(1).port())));

    QSignalSpy tested(dialog, &ConnectionDialog::testFinished);
    dialog->testButton()->setFocus();
    QTest::keyClick(dialog->testButton(), Qt::Key_Space);
    QTRY_COMPARE_WITH_TIMEOUT(tested.size(), 1, kTimeout);
    QVERIFY2(tested.at(0).at(0).toBool(), qPrintable(dialog->testResult()));
    QVERIFY2(dialog->testResult().contains(QLatin1String("a cluster of 3 masters serving 16384 of 16384 slots")),
        qPrintable(dialog->testResult()));

    QSignalSpy saved(dialog, &ConnectionDialog::saved);
    dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Save)->click();
    QVERIFY(saved.count() == 1 || saved.wait(kTimeout)); // no keychain write: saved at once
    QCOMPARE(store.profiles().size(), 1);
    const ConnectionProfile profile = store.profiles().at(0);
    QCOMPARE(profile.topology, Topology::Cluster);
    QCOMPARE(profile.clusterSeeds.size(), 2);

    // The window opened it; the sidebar lists the masters, each with its slots.
    ConnectionWorkspace* workspace = window.currentWorkspace();
    QCOMPARE(workspace->profile().id, profile.id);
    ConnectionSidebar* sidebar = window.sidebar();
    QTRY_COMPARE_WITH_TIMEOUT(sidebar->topologyText(workspace).size(), 4, kTimeout);
    const QStringList lines = sidebar->topologyText(workspace);
    QCOMPARE(lines.at(0), QStringLiteral("Cluster: 3 masters, all slots served"));
    int total = 0;
    for (int i = 0; i < cluster.size(); ++i) {
        const QString prefix = QStringLiteral("%1 · ").arg(local(cluster.node(i).port()));
        const auto it = std::find_if(lines.cbegin(), lines.cend(), [&](const QString& l) { return l.startsWith(prefix); });
        QVERIFY2(it != lines.cend(), qPrintable(lines.join(QLatin1Char('\n'))));
        QVERIFY2(it->endsWith(QLatin1String(" slots, 1 range")), qPrintable(*it)); // redis-cli gives each one range
        total += it->mid(prefix.size()).section(QLatin1Char(' '), 0, 0).toInt();
    }
    QCOMPARE(total, 16384);
    QVERIFY(sidebar->item(sidebar->rowOf(workspace))->toolTip().contains(local(cluster.node(2).port())));
    // The entry is taller than a plain one: the lines are painted under the name.
    QVERIFY(sidebar->visualItemRect(sidebar->item(sidebar->rowOf(workspace))).height()
        > 3 * sidebar->fontMetrics().height());
    window.closeConnection(workspace);
}

void TestTopology::sentinelFromTheDialogToTheSidebarAndAfterAFailover()
{
    const QStringList noSyncDelay { QStringLiteral("--repl-diskless-sync-delay"), QStringLiteral("0") };
    RedisServer master(RedisServer::Config { .extraArgs = noSyncDelay });
    BP_START(master);
    RedisServer replica(RedisServer::Config { .extraArgs = QStringList { QStringLiteral("--replicaof"),
                                                  QStringLiteral("127.0.0.1"), QString::number(master.port()) }
                                              + noSyncDelay });
    BP_START(replica);
    QTRY_COMPARE_WITH_TIMEOUT(replica.info(QStringLiteral("replication"), "master_link_status"), QByteArray("up"), kTimeout);
    RedisSentinel sentinel(master.port(), RedisSentinel::Config { .masterName = QStringLiteral("queues"), .quorum = 1 });
    QVERIFY2(sentinel.start(), qPrintable(sentinel.error()));
    // A failover needs a replica the sentinel has heard from.
    QTRY_COMPARE_WITH_TIMEOUT(fieldOf(sentinel.replicaFields(replica.port()), "master-link-status"), QByteArray("ok"), kTimeout);

    ProfileStore store(nullptr);
    MemorySecretStore secrets;
    MainWindow window;
    window.setProfileStores(&store, &secrets);
    window.show();

    ConnectionDialog* dialog = window.showConnectionDialog();
    typeInto(child<QLineEdit>(dialog, "name"), QStringLiteral("Queues HA"));
    pickTopology(dialog, 1);
    QVERIFY(child<QGroupBox>(dialog, "sentinelGroup")->isVisible());
    QVERIFY(!child<QGroupBox>(dialog, "clusterGroup")->isVisible());
    QCOMPARE(dialog->validationError(), QStringLiteral("Enter at least one sentinel as host:port (port 26379 when left out)."));
    typeInto(child<QLineEdit>(dialog, "sentinels"), sentinel.address());
    QCOMPARE(dialog->validationError(), QStringLiteral("Enter the name of the master that the sentinels monitor (e.g. mymaster)."));
    typeInto(child<QLineEdit>(dialog, "sentinelMaster"), QStringLiteral("queues"));
    QCOMPARE(dialog->validationError(), QString());
    QCOMPARE(dialog->urlEdit()->text(), QStringLiteral("redis-sentinel://%1/queues").arg(sentinel.address()));

    QSignalSpy tested(dialog, &ConnectionDialog::testFinished);
    dialog->testButton()->click();
    QTRY_COMPARE_WITH_TIMEOUT(tested.size(), 1, kTimeout);
    QVERIFY2(tested.at(0).at(0).toBool(), qPrintable(dialog->testResult()));
    QVERIFY2(dialog->testResult().startsWith(
                 QStringLiteral("✔ Connected to master queues at %1: PONG in ").arg(local(master.port()))),
        qPrintable(dialog->testResult()));

    QSignalSpy saved(dialog, &ConnectionDialog::saved);
    dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Save)->click();
    QVERIFY(saved.count() == 1 || saved.wait(kTimeout));
    QCOMPARE(store.profiles().size(), 1);
    QCOMPARE(store.profiles().at(0).topology, Topology::Sentinel);

    ConnectionWorkspace* workspace = window.currentWorkspace();
    ConnectionSidebar* sidebar = window.sidebar();
    QTRY_COMPARE_WITH_TIMEOUT(sidebar->topologyText(workspace),
        QStringList { QStringLiteral("Sentinel: master queues at %1").arg(local(master.port())) }, kTimeout);

    // -NOGOODSLAVE while the sentinel settles: ask again until it takes it.
    QByteArray answer;
    const bool started = QTest::qWaitFor(
        [&] {
            answer = sentinel.cli({ QStringLiteral("SENTINEL"), QStringLiteral("FAILOVER"), QStringLiteral("queues") });
            return answer == "OK";
        },
        kTimeout);
    QVERIFY2(started, answer.constData());
    QTRY_COMPARE_WITH_TIMEOUT(sidebar->topologyText(workspace),
        QStringList { QStringLiteral("Sentinel: master queues at %1").arg(local(replica.port())) }, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(stateName(workspace->state()), QStringLiteral("ready"), kTimeout);
    window.closeConnection(workspace);
}

QTEST_MAIN(TestTopology)
#include "tst_topology.moc"
