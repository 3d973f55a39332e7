// SPDX-License-Identifier: MIT
#pragma once

#include "keys/keytreemodel.h"
#include "redisclient.h"

#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QTableView;

namespace bullpen {

class RedisClient;
namespace keys {
    class KeyValueModel;
    class StringValue;
}

/// Shows one key: a header (type, TTL, memory, encoding, length) and its value, by type: a
/// string as text, pretty JSON or hex (the first 64 KiB, more on demand), a collection as a
/// table read page by page. Everything is read asynchronously; nothing here writes.
class KeyValueViewer : public QWidget
{
    Q_OBJECT
public:
    explicit KeyValueViewer(QWidget* parent = nullptr);
    ~KeyValueViewer() override;

    void setClient(RedisClient* client);
    /// Reads and shows `key`; an empty name clears the viewer.
    void showKey(const QByteArray& key);
    void clear();

    QByteArray key() const { return m_key; }
    keys::KeyType type() const { return m_type; }
    QString headerText() const;
    /// The text shown for a string (in the chosen format), empty for collections.
    QString stringText() const;
    keys::KeyValueModel* collectionModel() const { return m_collection; }
    keys::StringValue* stringValue() const { return m_string; }
    QComboBox* formatBox() const { return m_format; }
    QPushButton* moreButton() const { return m_more; }

Q_SIGNALS:
    /// The header (and the first page or the head of a string) is on screen.
    void shown();
    void failed(const QString& message);

private:
    void renderString();
    void setHeader(const QString& text);

    QPointer<RedisClient> m_client;
    QByteArray m_key;
    keys::KeyType m_type = keys::KeyType::Unknown;
    quint64 m_generation = 0;
    QString m_summary;
    bool m_pickFormat = false;

    QLabel* m_header = nullptr;
    QStackedWidget* m_stack = nullptr;
    QComboBox* m_format = nullptr;
    QPlainTextEdit* m_text = nullptr;
    QPushButton* m_more = nullptr;
    QLabel* m_size = nullptr;
    QTableView* m_table = nullptr;
    QLabel* m_groups = nullptr;
    keys::KeyValueModel* m_collection = nullptr;
    keys::StringValue* m_string = nullptr;
};

} // namespace bullpen
