// SPDX-License-Identifier: MIT
#include "nodeselector.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QSignalBlocker>

namespace bullpen {

namespace {
QString tr(const char* text, int n = -1)
{
    return QCoreApplication::translate("bullpen::NodeSelector", text, nullptr, n);
}
} // namespace

QComboBox* createNodeSelector(QWidget* parent)
{
    auto* selector = new QComboBox(parent);
    selector->setObjectName(QStringLiteral("node"));
    selector->setToolTip(tr("The figures of every master of the cluster added up, or of one master"));
    selector->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    selector->hide();
    return selector;
}

void setNodeChoices(QComboBox* selector, const QStringList& nodes, const QString& current)
{
    const QSignalBlocker block(selector);
    selector->clear();
    if (!nodes.isEmpty()) {
        selector->addItem(tr("All nodes (sum of %n masters)", int(nodes.size())), QString());
        for (const QString& n : nodes)
            selector->addItem(tr("Master %1").arg(n), n);
        selector->setCurrentIndex(std::max(0, selector->findData(current)));
    }
    selector->setVisible(!nodes.isEmpty());
}

} // namespace bullpen
