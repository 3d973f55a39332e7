// SPDX-License-Identifier: MIT
// What `add`/`duplicate` write before any script runs: the data JSON as typed (compacted, one
// value only) and the opts JSON in each library's key order.

#include "bullmq/actions.h"

#include <QTest>

using namespace bullpen::bullmq;

class TestAddJobData : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void compactsAndKeepsOrder();
    void refusesWhatIsNotOneJsonValue_data();
    void refusesWhatIsNotOneJsonValue();
    void optsInTheLibrarysOrder();
};

void TestAddJobData::compactsAndKeepsOrder()
{
    QString error;
    QCOMPARE(compactJson(" { \"b\" : 1.50 ,\n \"a\": [1, \"x y\"] } ", &error),
        QByteArray("{\"b\":1.50,\"a\":[1,\"x y\"]}"));
    QCOMPARE(compactJson("\"a \\\" b\"", &error), QByteArray("\"a \\\" b\""));
    QCOMPARE(compactJson("42", &error), QByteArray("42"));
}

void TestAddJobData::refusesWhatIsNotOneJsonValue_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("two values") << QByteArray("1,2");
    QTest::newRow("two objects") << QByteArray("{},{}");
    QTest::newRow("unterminated") << QByteArray("{bad");
    QTest::newRow("empty") << QByteArray("  ");
    QTest::newRow("closes the bracket") << QByteArray("1],[2");
}

void TestAddJobData::refusesWhatIsNotOneJsonValue()
{
    QFETCH(QByteArray, text);
    QString error;
    QVERIFY(compactJson(text, &error).isEmpty());
    QVERIFY2(!error.isEmpty(), text.constData());
}

void TestAddJobData::optsInTheLibrarysOrder()
{
    ActionRequest::NewJob job;
    QCOMPARE(addedJobOpts(Library::BullMQ, Generation::V6, job, 7), QByteArray("{\"attempts\":0}"));
    QCOMPARE(addedJobOpts(Library::BullMQ, Generation::V4, job, 7), QByteArray("{\"delay\":0,\"attempts\":0}"));
    QCOMPARE(addedJobOpts(Library::Bull, Generation::Bull, job, 7),
        QByteArray("{\"attempts\":1,\"delay\":0,\"timestamp\":7}"));
    job.priority = 5;
    job.delayMs = 1000;
    job.attempts = 3;
    QCOMPARE(addedJobOpts(Library::BullMQ, Generation::V5, job, 7),
        QByteArray("{\"priority\":5,\"delay\":1000,\"attempts\":3}"));
    QCOMPARE(addedJobOpts(Library::Bull, Generation::Bull, job, 7),
        QByteArray("{\"priority\":5,\"delay\":1000,\"attempts\":3,\"timestamp\":7}"));
}

QTEST_GUILESS_MAIN(TestAddJobData)
#include "tst_addjobdata.moc"
