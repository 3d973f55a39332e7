// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

namespace bullpen {

/// The text of an INFO reply, parsed: sections in server order, fields by name.
class ServerInfo
{
public:
    struct Section {
        QString name; ///< as printed after "# ", e.g. "Server"
        QList<QPair<QByteArray, QByteArray>> fields;
    };

    static ServerInfo parse(const QByteArray& infoText);

    const QList<Section>& sections() const { return m_sections; }
    /// Field value by name (first match across sections), or `fallback`.
    QByteArray value(const QByteArray& field, const QByteArray& fallback = {}) const;
    qint64 integer(const QByteArray& field, qint64 fallback = 0) const;
    bool contains(const QByteArray& field) const { return m_index.contains(field); }

    /// Number of keys over all databases (from the Keyspace section).
    qint64 totalKeys() const;

private:
    QList<Section> m_sections;
    QHash<QByteArray, QByteArray> m_index;
};

/// "1.5 MiB" for people.
QString formatBytes(qint64 bytes);

} // namespace bullpen
