// SPDX-License-Identifier: MIT
#pragma once

namespace bullpen::cli {

/// The process exit codes of bullpen-cli; --help documents them, scripts rely on them.
enum class ExitCode : int {
    Ok = 0,
    RedisError = 1, ///< the server answered with an error reply
    Usage = 2, ///< unknown command or option, bad value, malformed URL
    Connection = 3, ///< cannot connect, authentication failed, timeout, connection lost
    Refused = 4, ///< refused by --read-only or the safety guard before anything was sent
};

} // namespace bullpen::cli
