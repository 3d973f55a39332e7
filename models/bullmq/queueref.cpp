// SPDX-License-Identifier: MIT
#include "queueref.h"

namespace bullpen::bullmq {

QString toString(Library library)
{
    switch (library) {
    case Library::BullMQ:
        return QStringLiteral("bullmq");
    case Library::Bull:
        return QStringLiteral("bull");
    case Library::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

QString toString(Generation generation)
{
    switch (generation) {
    case Generation::V4:
        return QStringLiteral("4");
    case Generation::V5:
        return QStringLiteral("5");
    case Generation::V6:
        return QStringLiteral("6");
    case Generation::Bull:
        return QStringLiteral("bull");
    case Generation::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

QString QueueRef::displayName() const
{
    return QString::fromUtf8(prefix) + QLatin1Char(':') + QString::fromUtf8(name);
}

QStringList listableStates(Generation generation)
{
    switch (generation) {
    case Generation::Bull:
        return { QStringLiteral("waiting"), QStringLiteral("paused"), QStringLiteral("active"),
            QStringLiteral("delayed"), QStringLiteral("completed"), QStringLiteral("failed") };
    case Generation::V6:
        return { QStringLiteral("waiting"), QStringLiteral("prioritized"), QStringLiteral("active"),
            QStringLiteral("delayed"), QStringLiteral("waiting-children"), QStringLiteral("completed"),
            QStringLiteral("failed") };
    case Generation::V4:
    case Generation::V5:
    case Generation::Unknown:
        break;
    }
    return { QStringLiteral("waiting"), QStringLiteral("paused"), QStringLiteral("prioritized"),
        QStringLiteral("active"), QStringLiteral("delayed"), QStringLiteral("waiting-children"),
        QStringLiteral("completed"), QStringLiteral("failed") };
}

bool isListState(const QByteArray& keySuffix)
{
    return keySuffix == "wait" || keySuffix == "paused" || keySuffix == "active";
}

} // namespace bullpen::bullmq
