// SPDX-License-Identifier: MIT
#include "secretstore.h"

namespace bullpen::connections {

SecretStore::~SecretStore() = default;

} // namespace bullpen::connections
