// SPDX-License-Identifier: MIT
#pragma once

#include "reply.h"

#include <QString>

namespace bullpen::test {

/// Bytes as one readable line: printable ASCII as it is, `"`, `\` and `|` escaped with a
/// backslash, every other byte as \xNN.
QString escaped(const QByteArray& bytes);
/// Large payloads by size and digest ("$N bytes sha1=…"), so comparisons stay fast and failure
/// messages readable.
QString digest(const QByteArray& bytes);
/// An unambiguous one-line rendering of a reply: the type is always visible, so a status "OK"
/// and a bulk "OK" (or an error and a status holding the same text) never compare equal. Bulks
/// over 64 bytes are shown by digest().
QString dumpReply(const Reply& r);

} // namespace bullpen::test
