// SPDX-License-Identifier: MIT
#include "keycommon.h"

#include "clioutput.h"
#include "clisession.h"

#include <QStringDecoder>

namespace bullpen::cli {

QString parseKeyArgs(const char* command, const QList<QByteArray>& args, const QList<QByteArray>& valueOptions, KeyArgs* out)
{
    return parseCommandArgs(command, args, valueOptions, {}, out,
        QStringLiteral(" (put \"--\" before names that start with '-')"));
}

qint64 intOption(const KeyArgs& args, const QByteArray& name, qint64 fallback, QString* error)
{
    if (!args.values.contains(name))
        return fallback;
    bool ok = false;
    const qint64 v = args.values.value(name).toLongLong(&ok);
    if (!ok || v < 0) {
        *error = QStringLiteral("%1 needs a number ≥ 0").arg(QString::fromLatin1(name));
        return fallback;
    }
    return v;
}

void putName(QJsonObject& object, const QByteArray& name, const QString& field)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(name);
    if (!decoder.hasError())
        object.insert(field, text);
    else
        object.insert(field + QStringLiteral("_base64"), QString::fromLatin1(name.toBase64()));
}

} // namespace bullpen::cli
