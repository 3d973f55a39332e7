// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonValue>
#include <QTreeWidget>

namespace bullpen {

/// A parsed JSON value as a tree: one row per object member or array element (Key, Value), a
/// container's row summarising its size. Long strings are cut for display and huge values stop
/// after a node budget with a row that says so; the Raw view shows everything. Setting an equal
/// value again changes nothing; a changed one keeps the rows that were expanded expanded.
class JsonTreeView : public QTreeWidget
{
    Q_OBJECT
public:
    enum Columns { Key, Value, ColumnCount };
    static constexpr int MaxNodes = 5000;
    static constexpr int MaxTextChars = 2000;

    explicit JsonTreeView(QWidget* parent = nullptr);
    ~JsonTreeView() override;

    void setValue(const QJsonValue& value);
    QJsonValue value() const { return m_value; }
    /// True when the last setValue() stopped at MaxNodes.
    bool isTruncated() const { return m_truncated; }

    /// "{3 keys}", "[5 items]", a string's text (cut at MaxTextChars), numbers, true/false/null.
    static QString summary(const QJsonValue& value);

private:
    void addChildren(QTreeWidgetItem* parent, const QJsonValue& value, int& budget);
    QTreeWidgetItem* makeItem(const QString& key, const QJsonValue& value);

    QJsonValue m_value = QJsonValue::Undefined;
    bool m_truncated = false;
};

} // namespace bullpen
