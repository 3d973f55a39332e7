// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

namespace bullpen {

class RedisClient;

/// A page of the main window that shows data of the current connection. The window hands
/// every page the client when it connects and nullptr before it closes the connection, so a
/// page never outlives the client it holds.
class ClientPage : public QWidget
{
    Q_OBJECT
public:
    using QWidget::QWidget;

    virtual void setClient(RedisClient* client) = 0;
    /// F5: fetch now (pages with nothing to refresh ignore it).
    virtual void refreshNow() { }
};

} // namespace bullpen
