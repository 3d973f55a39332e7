// SPDX-License-Identifier: MIT
#include "jsontreeview.h"

#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

#include <cmath>

namespace bullpen {

namespace {
    constexpr int PathRole = Qt::UserRole;

    void collectExpanded(const QTreeWidgetItem* item, QSet<QString>& out)
    {
        for (int i = 0; i < item->childCount(); ++i) {
            const QTreeWidgetItem* child = item->child(i);
            if (child->isExpanded())
                out.insert(child->data(0, PathRole).toString());
            collectExpanded(child, out);
        }
    }

    void restoreExpanded(QTreeWidgetItem* item, const QSet<QString>& paths)
    {
        for (int i = 0; i < item->childCount(); ++i) {
            QTreeWidgetItem* child = item->child(i);
            if (paths.contains(child->data(0, PathRole).toString()))
                child->setExpanded(true);
            restoreExpanded(child, paths);
        }
    }
}

JsonTreeView::JsonTreeView(QWidget* parent)
    : QTreeWidget(parent)
{
    setColumnCount(ColumnCount);
    setHeaderLabels({ tr("Key"), tr("Value") });
    setUniformRowHeights(true);
    setWordWrap(false);
    setTextElideMode(Qt::ElideRight);
    header()->setStretchLastSection(true);
    header()->setSectionResizeMode(Key, QHeaderView::Interactive);
    setColumnWidth(Key, 180);
}

JsonTreeView::~JsonTreeView() = default;

QString JsonTreeView::summary(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Object: {
        const qsizetype n = value.toObject().size();
        return n == 1 ? tr("{1 key}") : tr("{%1 keys}").arg(n);
    }
    case QJsonValue::Array: {
        const qsizetype n = value.toArray().size();
        return n == 1 ? tr("[1 item]") : tr("[%1 items]").arg(n);
    }
    case QJsonValue::String: {
        const QString s = value.toString();
        if (s.size() <= MaxTextChars)
            return s;
        return s.left(MaxTextChars) + tr("… (%1 more characters)").arg(s.size() - MaxTextChars);
    }
    case QJsonValue::Double: {
        const double d = value.toDouble();
        // Integers as integers (timestamps must not read as 1.7e+12).
        if (d == double(qint64(d)) && std::abs(d) < 9.007199254740992e15)
            return QString::number(qint64(d));
        return QString::number(d, 'g', 17);
    }
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Undefined:
        break;
    }
    return {};
}

QTreeWidgetItem* JsonTreeView::makeItem(const QString& key, const QJsonValue& value)
{
    auto* item = new QTreeWidgetItem;
    item->setText(Key, key);
    QString text = summary(value);
    // One line per row: line breaks inside strings show as the symbol ⏎.
    text.replace(QLatin1Char('\n'), QChar(0x23CE));
    item->setText(Value, text);
    if (value.isString())
        item->setToolTip(Value, value.toString().left(MaxTextChars));
    return item;
}

void JsonTreeView::addChildren(QTreeWidgetItem* parent, const QJsonValue& value, int& budget)
{
    const QString base = parent->data(0, PathRole).toString();
    const auto add = [&](const QString& key, const QString& pathPart, const QJsonValue& v) -> bool {
        if (budget <= 0) {
            auto* more = new QTreeWidgetItem(parent);
            more->setText(Key, tr("…"));
            more->setText(Value, tr("more not shown (see Raw)"));
            m_truncated = true;
            return false;
        }
        --budget;
        QTreeWidgetItem* item = makeItem(key, v);
        item->setData(0, PathRole, QString(base + QLatin1Char('/') + pathPart));
        parent->addChild(item);
        if (v.isObject() || v.isArray())
            addChildren(item, v, budget);
        return true;
    };
    if (value.isObject()) {
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            QString part = it.key();
            part.replace(QLatin1Char('/'), QStringLiteral("//"));
            if (!add(it.key(), part, it.value()))
                return;
        }
    } else if (value.isArray()) {
        const QJsonArray a = value.toArray();
        for (qsizetype i = 0; i < a.size(); ++i) {
            if (!add(QStringLiteral("[%1]").arg(i), QString::number(i), a.at(i)))
                return;
        }
    }
}

void JsonTreeView::setValue(const QJsonValue& value)
{
    if (value == m_value && value.type() == m_value.type())
        return;
    QSet<QString> expanded;
    const bool first = m_value.isUndefined();
    collectExpanded(invisibleRootItem(), expanded);
    m_value = value;
    m_truncated = false;
    clear();
    if (value.isUndefined())
        return;
    int budget = MaxNodes;
    if (value.isObject() || value.isArray()) {
        invisibleRootItem()->setData(0, PathRole, QString());
        addChildren(invisibleRootItem(), value, budget);
    } else {
        addTopLevelItem(makeItem(tr("(value)"), value));
    }
    bool nested = false;
    for (int i = 0; !nested && i < topLevelItemCount(); ++i)
        nested = topLevelItem(i)->childCount() > 0;
    setRootIsDecorated(nested); // a flat object reads like a table
    if (first || expanded.isEmpty())
        expandToDepth(0);
    else
        restoreExpanded(invisibleRootItem(), expanded);
}

} // namespace bullpen
