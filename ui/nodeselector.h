// SPDX-License-Identifier: MIT
#pragma once

#include <QStringList>

class QComboBox;
class QWidget;

namespace bullpen {

/// The cluster node choice of the Server and Charts pages: "All nodes (sum of N masters)"
/// (data: empty) and one "Master host:port" per node (data: "host:port"). Hidden until
/// setNodeChoices() gives it nodes.
QComboBox* createNodeSelector(QWidget* parent);

/// Fills `selector` with `nodes` (none: hides it) without emitting index changes, and selects
/// `current` ("" for the sum).
void setNodeChoices(QComboBox* selector, const QStringList& nodes, const QString& current);

} // namespace bullpen
