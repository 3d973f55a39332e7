// SPDX-License-Identifier: MIT
// The pub/sub page, offscreen, against a real redis-server.

#include "clienttest.h"
#include "pubsub/messagelogmodel.h"
#include "pubsub/pubsubmonitor.h"
#include "pubsubpage.h"
#include "redisclient.h"
#include "redisserver.h"

#include <QComboBox>
#include <QPushButton>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace bullpen;
using namespace bullpen::test;

class TestPubSubPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void subscribePublishFilterPause();
    void logCapacityChosenAndRemembered();
    void readOnlyCannotPublish();
    void whenBehindChosenPerKindOfConnection();
};

namespace {
int numpat(const RedisServer& server)
{
    return server.cli({ QStringLiteral("PUBSUB"), QStringLiteral("NUMPAT") }).toInt();
}
}

void TestPubSubPage::initTestCase()
{
    // The page keeps the capacity in the user's settings: here in a directory of our own.
    static QTemporaryDir settingsDir;
    QVERIFY(settingsDir.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());
    QCoreApplication::setOrganizationName(QStringLiteral("BullpenTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_pubsubpage"));
}

void TestPubSubPage::subscribePublishFilterPause()
{
    RedisServer server;
    BP_START(server);
    RedisClient client(server.options());
    BP_OPEN_READY(client);
    PubSubPage page;
    page.resize(900, 600);
    page.show();
    page.setClient(&client);
    QVERIFY(page.canPublish());
    QVERIFY(page.findChild<QPushButton*>(QStringLiteral("publish"))->isEnabled());
    page.subscribeTo(QStringLiteral("news:* plain"));
    QTRY_COMPARE_WITH_TIMEOUT(numpat(server), 1, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(page.statusText() == QStringLiteral("Subscribed."), 10000);

    page.publish("plain", R"({"a":1})");
    page.publish("news:1", "first news");
    QTRY_COMPARE_WITH_TIMEOUT(page.logView()->model()->rowCount(), 2, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(page.channelView()->model()->rowCount(), 2, 10000);
    page.logView()->setCurrentIndex(page.logView()->model()->index(0, 0));
    QCOMPARE(page.detailText(), QStringLiteral("{\n    \"a\": 1\n}"));

    page.setFilter(QStringLiteral("NEWS"));
    QCOMPARE(page.logView()->model()->rowCount(), 1);
    page.setFilter(QString());
    QCOMPARE(page.logView()->model()->rowCount(), 2);

    page.setPaused(true);
    for (int i = 0; i < 3; ++i)
        page.publish("news:2", QByteArray::number(i));
    QTRY_COMPARE_WITH_TIMEOUT(page.monitor()->received(), qint64(5), 10000);
    QCOMPARE(page.logView()->model()->rowCount(), 2);
    page.setPaused(false);
    QCOMPARE(page.logView()->model()->rowCount(), 5);

    // Binary payloads show as hex.
    server.cli({ QStringLiteral("PUBLISH"), QStringLiteral("news:bin"), QStringLiteral("\x01\x02") });
    QTRY_COMPARE_WITH_TIMEOUT(page.logView()->model()->rowCount(), 6, 10000);
    QCOMPARE(page.logView()->model()->index(5, MessageLogModel::PayloadColumn).data().toString(), QStringLiteral("0x0102"));
    page.setClient(nullptr);
}

// The log's capacity is chosen on the page, bounds the log at once, and the next page (another
// connection, the next start) begins with it.
void TestPubSubPage::logCapacityChosenAndRemembered()
{
    QSettings().remove(QStringLiteral("pubsub/logCapacity"));
    RedisServer server;
    BP_START(server);
    RedisClient client(server.options());
    BP_OPEN_READY(client);
    {
        PubSubPage page;
        page.show();
        auto* combo = page.findChild<QComboBox*>(QStringLiteral("logCapacity"));
        QVERIFY(combo);
        QCOMPARE(combo->currentData().toInt(), 100000);
        QCOMPARE(page.monitor()->log()->capacity(), 100000);
        combo->setCurrentIndex(combo->findData(1000)); // as the user picks it
        QCOMPARE(page.logCapacity(), 1000);
        QCOMPARE(QSettings().value(QStringLiteral("pubsub/logCapacity")).toInt(), 1000);

        page.setClient(&client);
        page.subscribeTo(QStringLiteral("cap:*"));
        QTRY_COMPARE_WITH_TIMEOUT(numpat(server), 1, 10000);
        QList<Command> publishes;
        for (int i = 0; i < 1500; ++i)
            publishes.append({ "PUBLISH", "cap:1", QByteArray::number(i) });
        const auto replies = await(client.pipeline(publishes));
        QVERIFY(replies);
        QTRY_COMPARE_WITH_TIMEOUT(page.monitor()->received(), qint64(1500), 10000);
        QCOMPARE(page.logView()->model()->rowCount(), 1000);
        QCOMPARE(
            page.logView()->model()->index(0, MessageLogModel::PayloadColumn).data().toString(), QStringLiteral("500"));
        page.setClient(nullptr);
    }
    PubSubPage next;
    QCOMPARE(next.logCapacity(), 1000);
    QCOMPARE(next.findChild<QComboBox*>(QStringLiteral("logCapacity"))->currentData().toInt(), 1000);
    // A value put into the settings by hand is offered as it is.
    QSettings().setValue(QStringLiteral("pubsub/logCapacity"), 2500);
    PubSubPage edited;
    QCOMPARE(edited.logCapacity(), 2500);
    QCOMPARE(edited.findChild<QComboBox*>(QStringLiteral("logCapacity"))->currentData().toInt(), 2500);
}

void TestPubSubPage::readOnlyCannotPublish()
{
    RedisServer server;
    BP_START(server);
    ConnectionOptions o = server.options();
    o.readOnly = true;
    RedisClient client(o);
    BP_OPEN_READY(client);
    PubSubPage page;
    page.setClient(&client);
    QVERIFY(!page.canPublish());
    QVERIFY(!page.findChild<QPushButton*>(QStringLiteral("publish"))->isEnabled());
    page.setClient(nullptr);
}

void TestPubSubPage::whenBehindChosenPerKindOfConnection()
{
    QSettings().remove(QStringLiteral("pubsub/whenBehind"));
    RedisServer server;
    BP_START(server);
    RedisClient readWrite(server.options());
    BP_OPEN_READY(readWrite);
    ConnectionOptions o = server.options();
    o.readOnly = true;
    RedisClient readOnly(o);
    BP_OPEN_READY(readOnly);
    const auto shown = [](const PubSubPage& page) {
        return SubscriberOverflow(page.findChild<QComboBox*>(QStringLiteral("whenBehind"))->currentData().toInt());
    };
    {
        // Read-write: Redis buffers by default. The user picks "drop here" with the keyboard.
        PubSubPage page;
        page.show();
        page.setClient(&readWrite);
        QCOMPARE(shown(page), SubscriberOverflow::Hold);
        QCOMPARE(page.monitor()->subscriber()->overflow(), SubscriberOverflow::Hold);
        auto* combo = page.findChild<QComboBox*>(QStringLiteral("whenBehind"));
        combo->setFocus();
        QTest::keyClick(combo, Qt::Key_Down);
        QCOMPARE(shown(page), SubscriberOverflow::Drop);
        QCOMPARE(page.overflow(), SubscriberOverflow::Drop);
        QCOMPARE(page.monitor()->subscriber()->overflow(), SubscriberOverflow::Drop); // at once, while connected
        QCOMPARE(QSettings().value(QStringLiteral("pubsub/whenBehind/readWrite")).toString(), QStringLiteral("drop"));
        page.setClient(nullptr);
    }
    {
        // Read-only (production): dropping is the default; a choice here is kept for read-only only.
        PubSubPage page;
        page.show();
        page.setClient(&readOnly);
        QCOMPARE(shown(page), SubscriberOverflow::Drop);
        QCOMPARE(page.monitor()->subscriber()->overflow(), SubscriberOverflow::Drop);
        page.setOverflow(SubscriberOverflow::Hold);
        QCOMPARE(shown(page), SubscriberOverflow::Hold);
        QCOMPARE(page.monitor()->subscriber()->overflow(), SubscriberOverflow::Hold);
        QCOMPARE(QSettings().value(QStringLiteral("pubsub/whenBehind/readOnly")).toString(), QStringLiteral("hold"));
        page.setClient(nullptr);
    }
    PubSubPage next;
    next.setClient(&readWrite);
    QCOMPARE(shown(next), SubscriberOverflow::Drop);
    QCOMPARE(next.monitor()->subscriber()->overflow(), SubscriberOverflow::Drop);
    next.setClient(&readOnly);
    QCOMPARE(shown(next), SubscriberOverflow::Hold);
    QCOMPARE(next.monitor()->subscriber()->overflow(), SubscriberOverflow::Hold);
    next.setClient(nullptr);
}

QTEST_MAIN(TestPubSubPage)
#include "tst_pubsubpage.moc"
