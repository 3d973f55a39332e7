// SPDX-License-Identifier: MIT
#pragma once

#include "clicommand.h"

namespace bullpen::cli {

/// `subscribe PATTERN... [--duration S] [--count N] [--rates] [--drop-when-behind]`: a subscriber connection of its
/// own; prints each message (`channel<TAB>payload`, payloads that are not UTF-8 text as 0x-hex;
/// with --json one object per message, payload as text or {"base64": …}), or with --rates the
/// messages/s and bytes/s of each channel every second. Patterns with * ? [ use PSUBSCRIBE,
/// other names SUBSCRIBE. Ends after --duration seconds or --count messages, else when killed.
/// A lost subscriber connection is reported on stderr, resubscribed and marked as a gap. When the
/// output falls behind, Redis buffers (the Hold policy) unless --drop-when-behind: then messages
/// are dropped here and the count reported on stderr.
class SubscribeCommand final : public CliCommand
{
public:
    QString parse(const QList<QByteArray>& args) override;
    void run(CliSession& session) override;

private:
    QList<QByteArray> m_patterns;
    int m_durationMs = -1;
    qint64 m_count = -1;
    bool m_rates = false;
    bool m_dropWhenBehind = false;
};

} // namespace bullpen::cli
