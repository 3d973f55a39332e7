// SPDX-License-Identifier: MIT
#pragma once

#include <QFutureWatcher>
#include <QObject>

#include <utility>

namespace bullpen::bullmq {

/// Runs `handler(result)` on `owner`'s thread when `future` finishes, unless `owner` is gone by
/// then. Models use this instead of `future.then(owner, …)`: Qt 6.4 asserts (debug builds) when a
/// continuation's context object dies before its future finishes, and a model may well be
/// destroyed with a request in flight.
template <typename T, typename Handler> void whenReady(QObject* owner, QFuture<T> future, Handler&& handler)
{
    auto* watcher = new QFutureWatcher<T>(owner);
    QObject::connect(watcher, &QFutureWatcherBase::finished, owner,
        [watcher, handler = std::forward<Handler>(handler)]() mutable {
            watcher->deleteLater();
            if (watcher->future().resultCount() > 0)
                handler(watcher->result());
        });
    watcher->setFuture(std::move(future));
}

} // namespace bullpen::bullmq
