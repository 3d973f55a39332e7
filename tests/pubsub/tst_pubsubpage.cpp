// SPDX-License-Identifier: MIT
// The pub/sub page, offscreen, against a real redis-server.

#include "clienttest.h"
#include "pubsub/messagelogmodel.h"
#include "pubsub/pubsubmonitor.h"
#include "pubsubpage.h"
#include "redisserver.h"

#include <QPushButton>
#include <QTableView>
#include <QTest>

using namespace bullpen;
using namespace bullpen::test;

class TestPubSubPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void subscribePublishFilterPause();
    void readOnlyCannotPublish();
};

namespace {
int numpat(const RedisServer& server)
{
    return server.cli({ QStringLiteral("PUBSUB"), QStringLiteral("NUMPAT") }).toInt();
}
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

QTEST_MAIN(TestPubSubPage)
#include "tst_pubsubpage.moc"
