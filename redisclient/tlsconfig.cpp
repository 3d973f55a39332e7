// SPDX-License-Identifier: MIT
#include "tlsconfig.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

namespace bullpen {

std::optional<QSslConfiguration> tlsConfiguration(const ConnectionOptions& o, QString* error)
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    if (!o.caFile.isEmpty()) {
        const auto cas = QSslCertificate::fromPath(o.caFile, QSsl::Pem);
        if (cas.isEmpty()) {
            *error = QStringLiteral("cannot read a CA certificate from '%1'").arg(o.caFile);
            return std::nullopt;
        }
        config.setCaCertificates(cas);
    }
    if (!o.certFile.isEmpty()) {
        const auto certs = QSslCertificate::fromPath(o.certFile, QSsl::Pem);
        QFile keyFile(o.keyFile.isEmpty() ? o.certFile : o.keyFile);
        QSslKey key;
        if (keyFile.open(QIODevice::ReadOnly)) {
            const QByteArray pem = keyFile.readAll();
            key = QSslKey(pem, QSsl::Rsa);
            if (key.isNull())
                key = QSslKey(pem, QSsl::Ec);
        }
        if (certs.isEmpty() || key.isNull()) {
            *error = certs.isEmpty() ? QStringLiteral("cannot read a client certificate from '%1'").arg(o.certFile)
                                     : QStringLiteral("cannot read a private key from '%1'").arg(keyFile.fileName());
            return std::nullopt;
        }
        config.setLocalCertificate(certs.first());
        config.setPrivateKey(key);
    }
    // Verification is only ever skipped when the user asked for it.
    config.setPeerVerifyMode(o.insecure ? QSslSocket::VerifyNone : QSslSocket::VerifyPeer);
    return config;
}

} // namespace bullpen
