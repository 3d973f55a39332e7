// SPDX-License-Identifier: MIT
#pragma once

#include "reply.h"

#include <QAbstractTableModel>

#include <utility>

namespace bullpen {

/// SLOWLOG GET entries, newest first, merged by node and entry id (new ones enter at the top,
/// those the server no longer returns leave). On a cluster's sum of masters the entries of every
/// master are shown together, newest first, with their node (entry ids are per server).
class SlowlogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns { IdColumn, TimeColumn, DurationColumn, CommandColumn, ClientColumn, NodeColumn, ColumnCount };
    enum Roles { SortRole = Qt::UserRole, IdRole };
    struct Entry {
        qint64 id = 0;
        qint64 timeSeconds = 0;
        qint64 durationUs = 0;
        QList<QByteArray> args;
        QByteArray client;
        QString node; ///< "host:port" in a cluster's sum, else empty
    };

    explicit SlowlogModel(QObject* parent = nullptr);
    ~SlowlogModel() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Merges the reply of SLOWLOG GET (ignored when it is not an array).
    void setReply(const Reply& reply);
    /// Merges the SLOWLOG GET replies of several nodes (node address, reply).
    void setReplies(const QList<std::pair<QString, Reply>>& perNode);
    void clear();
    const Entry& entry(int row) const { return m_rows.at(row); }

private:
    QList<Entry> m_rows;
};

/// CLIENT LIST as a table, merged by node and client id (client ids are per server).
class ClientListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns { IdColumn, NameColumn, AddressColumn, AgeColumn, IdleColumn, DbColumn, CommandColumn, OutputMemoryColumn,
        NodeColumn, ColumnCount };
    enum Roles { SortRole = Qt::UserRole, IdRole };

    explicit ClientListModel(QObject* parent = nullptr);
    ~ClientListModel() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Merges the text of CLIENT LIST.
    void setText(const QByteArray& clientList);
    /// Merges the CLIENT LIST texts of several nodes (node address, text).
    void setTexts(const QList<std::pair<QString, QByteArray>>& perNode);
    void clear();
    int rowOfName(const QByteArray& name) const;

private:
    struct Client {
        qint64 id = 0;
        QString node;
        QHash<QByteArray, QByteArray> fields;
    };
    QList<Client> m_rows;
};

} // namespace bullpen
