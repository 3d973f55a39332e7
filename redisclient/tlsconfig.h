// SPDX-License-Identifier: MIT
#pragma once

#include "connectionoptions.h"

#include <QSslConfiguration>

#include <optional>

namespace bullpen {

/// The TLS settings of `options` as a QSslConfiguration: the CA file (else the system CAs), the
/// client certificate and key, and peer verification unless `insecure`. Shared by the Redis
/// connection and the sentinel links, so that both reach their peers with the same settings.
/// Nothing, with `error` set, when a file cannot be read.
std::optional<QSslConfiguration> tlsConfiguration(const ConnectionOptions& options, QString* error);

} // namespace bullpen
