// SPDX-License-Identifier: MIT
#include "server/serverinfo.h"
#include "server/serversummarymodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace bullpen;

namespace {

// Trimmed from a real redis-server 7.0 INFO reply.
QByteArray infoText(const QByteArray& keyspace, const QByteArray& role = "role:master\r\nconnected_slaves:0\r\n")
{
    return "# Server\r\nredis_version:7.0.15\r\nredis_mode:standalone\r\nuptime_in_seconds:90061\r\n\r\n"
           "# Clients\r\nconnected_clients:3\r\n\r\n"
           "# Memory\r\nused_memory:1258291\r\nused_memory_peak:2097152\r\n\r\n"
           "# Stats\r\ninstantaneous_ops_per_sec:1234\r\n\r\n"
           "# Replication\r\n"
        + role + "\r\n# Keyspace\r\n" + keyspace;
}

QStringList dump(const QAbstractItemModel& model)
{
    QStringList rows;
    for (int r = 0; r < model.rowCount(); ++r)
        rows << model.index(r, ServerSummaryModel::FieldColumn).data().toString() + QLatin1Char('|')
                + model.index(r, ServerSummaryModel::ValueColumn).data().toString();
    return rows;
}

} // namespace

class TestServerSummaryModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }
    void showsHeadlineFields();
    void mergesDatabasesByKey();
    void marksStale();
    void describesReplica();
    void formatsDurations_data();
    void formatsDurations();
};

void TestServerSummaryModel::showsHeadlineFields()
{
    ServerSummaryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setInfo(
        ServerInfo::parse(infoText("db0:keys=1500,expires=20,avg_ttl=0\r\ndb3:keys=1,expires=0,avg_ttl=0\r\n")));
    QCOMPARE(model.columnCount(), int(ServerSummaryModel::ColumnCount));
    const QStringList expected {
        QStringLiteral("Redis version|7.0.15"),
        QStringLiteral("Mode|standalone"),
        QStringLiteral("Role|master"),
        QStringLiteral("Uptime|1 d 1 h"),
        QStringLiteral("Used memory|1.2 MiB (peak 2.0 MiB)"),
        QStringLiteral("Connected clients|3"),
        QStringLiteral("Operations per second|1,234"),
        QStringLiteral("Keys (all databases)|1,501"),
        QStringLiteral("Keys in db 0|1,500 (20 with a TTL)"),
        QStringLiteral("Keys in db 3|1"),
    };
    QCOMPARE(dump(model), expected);
    QCOMPARE(model.index(3, ServerSummaryModel::ValueColumn).data(ServerSummaryModel::SortRole).toLongLong(), 90061);
    QCOMPARE(model.index(8, 0).data(ServerSummaryModel::KeyRole).toByteArray(), QByteArray("db0"));
    QCOMPARE(model.valueText("instantaneous_ops_per_sec"), QStringLiteral("1,234"));
    QVERIFY(model.valueText("nope").isNull());
}

void TestServerSummaryModel::mergesDatabasesByKey()
{
    ServerSummaryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setInfo(ServerInfo::parse(infoText("db0:keys=5,expires=0,avg_ttl=0\r\ndb2:keys=7,expires=0,avg_ttl=0\r\n")));
    QCOMPARE(model.rowCount(), 10);

    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    // db0 emptied (gone from Keyspace), db1 and db5 appeared, db2 changed.
    model.setInfo(ServerInfo::parse(infoText(
        "db1:keys=2,expires=0,avg_ttl=0\r\ndb2:keys=8,expires=0,avg_ttl=0\r\ndb5:keys=1,expires=1,avg_ttl=9\r\n")));
    QCOMPARE(reset.count(), 0);
    QCOMPARE(removed.count(), 1);
    // One forward pass: db1 is inserted at row 8 first, which moves db0 to row 9.
    QCOMPARE(removed.first().at(1).toInt(), 9);
    QCOMPARE(removed.first().at(2).toInt(), 9);
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(dump(model).mid(7),
        QStringList({ QStringLiteral("Keys (all databases)|11"), QStringLiteral("Keys in db 1|2"),
            QStringLiteral("Keys in db 2|8"), QStringLiteral("Keys in db 5|1 (1 with a TTL)") }));
    QCOMPARE(changed.count(), 2); // total and db2; nothing else changed

    // Everything gone: only the fixed rows stay.
    removed.clear();
    model.setInfo(ServerInfo::parse(infoText({})));
    QCOMPARE(model.rowCount(), 8);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.first().at(1).toInt(), 8);
    QCOMPARE(removed.first().at(2).toInt(), 10);

    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.hasData());
}

void TestServerSummaryModel::marksStale()
{
    ServerSummaryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setInfo(ServerInfo::parse(infoText("db0:keys=5,expires=0,avg_ttl=0\r\n")));
    QSignalSpy stale(&model, &ServerSummaryModel::staleChanged);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QCOMPARE(model.index(0, 1).data(ServerSummaryModel::StaleRole).toBool(), false);
    QVERIFY(!model.index(0, 1).data(Qt::ForegroundRole).isValid());

    model.setStale(true);
    model.setStale(true);
    QCOMPARE(stale.count(), 1);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.index(0, 1).data(ServerSummaryModel::StaleRole).toBool(), true);
    QVERIFY(model.index(0, 1).data(Qt::ForegroundRole).isValid());
    QCOMPARE(model.valueText("db0"), QStringLiteral("5")); // values stay

    model.setInfo(ServerInfo::parse(infoText("db0:keys=6,expires=0,avg_ttl=0\r\n")));
    QVERIFY(!model.isStale());
    QCOMPARE(stale.count(), 2);
}

void TestServerSummaryModel::describesReplica()
{
    ServerSummaryModel model;
    model.setInfo(ServerInfo::parse(
        infoText({}, "role:slave\r\nmaster_host:10.0.0.5\r\nmaster_port:6379\r\nmaster_link_status:up\r\n")));
    QCOMPARE(model.valueText("role"), QStringLiteral("replica of 10.0.0.5:6379 (link up)"));
    model.setInfo(ServerInfo::parse(infoText({}, "role:master\r\nconnected_slaves:2\r\n")));
    QCOMPARE(model.valueText("role"), QStringLiteral("master with 2 replicas"));
}

void TestServerSummaryModel::formatsDurations_data()
{
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<QString>("text");
    QTest::addRow("zero") << qint64(0) << QStringLiteral("0 s");
    QTest::addRow("seconds") << qint64(42) << QStringLiteral("42 s");
    QTest::addRow("minutes") << qint64(125) << QStringLiteral("2 min 5 s");
    QTest::addRow("hours") << qint64(7320) << QStringLiteral("2 h 2 min");
    QTest::addRow("days") << qint64(3 * 86400 + 4 * 3600 + 59) << QStringLiteral("3 d 4 h");
}

void TestServerSummaryModel::formatsDurations()
{
    QFETCH(qint64, seconds);
    QFETCH(QString, text);
    QCOMPARE(formatDuration(seconds), text);
}

QTEST_MAIN(TestServerSummaryModel)
#include "tst_serversummarymodel.moc"
