// SPDX-License-Identifier: MIT
#include "clioptions.h"

#include "clicommand.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QUrl>
#include <QProcessEnvironment>

#include <optional>

namespace bullpen::cli {

namespace {

    // What the options said, before they are combined into ConnectionOptions.
    struct Given
    {
        std::optional<QByteArray> url, host, port, socket, db, user, caCert, cert, key, sni, timeout, sentinel, master;
        bool passwordStdin = false, tls = false, insecure = false, readOnly = false, json = false,
             allowDangerous = false, help = false, version = false, cluster = false, readFromReplicas = false;
    };

    // An option either takes a value or is a flag.
    struct OptionSpec
    {
        const char* name; ///< with its dashes
        std::optional<QByteArray> Given::*value;
        bool Given::*flag;
    };

    constexpr OptionSpec kOptions[] = {
        { "--url", &Given::url, nullptr },
        { "--host", &Given::host, nullptr },
        { "--port", &Given::port, nullptr },
        { "--socket", &Given::socket, nullptr },
        { "--sentinel", &Given::sentinel, nullptr },
        { "--master", &Given::master, nullptr },
        { "--db", &Given::db, nullptr },
        { "--user", &Given::user, nullptr },
        { "--password-stdin", nullptr, &Given::passwordStdin },
        { "--tls", nullptr, &Given::tls },
        { "--cacert", &Given::caCert, nullptr },
        { "--cert", &Given::cert, nullptr },
        { "--key", &Given::key, nullptr },
        { "--sni", &Given::sni, nullptr },
        { "--insecure", nullptr, &Given::insecure },
        { "--timeout", &Given::timeout, nullptr },
        { "--read-only", nullptr, &Given::readOnly },
        { "--read-from-replicas", nullptr, &Given::readFromReplicas },
        { "--json", nullptr, &Given::json },
        { "--allow-dangerous", nullptr, &Given::allowDangerous },
        { "--cluster", nullptr, &Given::cluster },
        { "--help", nullptr, &Given::help },
        { "-h", nullptr, &Given::help },
        { "--version", nullptr, &Given::version },
    };

    const OptionSpec* findOption(const QByteArray& name)
    {
        for (const OptionSpec& o : kOptions) {
            if (name == o.name)
                return &o;
        }
        return nullptr;
    }

    // Option values are text (host names, paths): decoded like the rest of the command line.
    QString text(const QByteArray& value)
    {
        return QString::fromLocal8Bit(value);
    }

    ParseResult usage(const QString& error)
    {
        ParseResult r;
        r.action = ParseResult::Action::UsageError;
        r.error = error;
        return r;
    }

    bool toInt(const QByteArray& value, int min, int max, int* out)
    {
        bool ok = false;
        const int v = value.toInt(&ok);
        if (!ok || v < min || v > max)
            return false;
        *out = v;
        return true;
    }

} // namespace

ParseResult parseArguments(const QList<QByteArray>& args, const QProcessEnvironment& env, const LineReader& readLine)
{
    ParseResult result;
    CliOptions& out = result.options;
    Given g;
    bool haveCommand = false;
    bool afterDashes = false;

    for (qsizetype i = 0; i < args.size(); ++i) {
        const QByteArray& arg = args.at(i);
        if (afterDashes) {
            out.commandArgs.append(arg);
            continue;
        }
        if (arg == "--") {
            if (!haveCommand)
                return usage(QStringLiteral("'--' must follow a command, as in: bullpen-cli exec -- GET key"));
            out.commandArgs.append(arg);
            afterDashes = true;
            continue;
        }
        if (arg.size() < 2 || !arg.startsWith('-')) {
            if (haveCommand) {
                out.commandArgs.append(arg);
            } else {
                out.command = arg;
                haveCommand = true;
            }
            continue;
        }

        const qsizetype eq = arg.startsWith("--") ? arg.indexOf('=') : -1;
        const QByteArray name = eq < 0 ? arg : arg.left(eq);
        const OptionSpec* spec = findOption(name);
        if (!spec) {
            if (name == "--password" || name == "-a" || name == "--pass")
                return usage(QStringLiteral("%1 is not supported: a password on the command line is visible to "
                                            "other users; use --password-stdin or BULLPEN_PASSWORD")
                                 .arg(text(name)));
            if (haveCommand) {
                // Maybe the command's own option: the command decides.
                out.commandArgs.append(arg);
                continue;
            }
            return usage(QStringLiteral("unknown option '%1' (see bullpen-cli --help)").arg(text(name)));
        }
        if (spec->value) {
            if (eq >= 0)
                g.*spec->value = arg.mid(eq + 1);
            else if (i + 1 < args.size())
                g.*spec->value = args.at(++i);
            else
                return usage(QStringLiteral("option %1 needs a value").arg(text(name)));
        } else {
            if (eq >= 0)
                return usage(QStringLiteral("option %1 takes no value").arg(text(name)));
            g.*spec->flag = true;
        }
        // Help and version win over anything that follows.
        if (g.help || g.version) {
            result.action = g.help ? ParseResult::Action::Help : ParseResult::Action::Version;
            return result;
        }
    }

    // Where the server is: --url, else --sentinel/--master, else --host/--port/--socket, else
    // REDIS_URL, else the default.
    ConnectionOptions c;
    if (g.sentinel || g.master) {
        if (!g.sentinel || !g.master)
            return usage(QStringLiteral("--sentinel and --master go together: --sentinel HOST[:PORT][,HOST[:PORT]...] "
                                        "--master NAME"));
        if (g.url || g.host || g.port || g.socket)
            return usage(QStringLiteral("--sentinel cannot be combined with --url, --host, --port or --socket"));
        const QString master = text(*g.master);
        if (master.isEmpty())
            return usage(QStringLiteral("--master needs the name the sentinels monitor the master under"));
        // The URL parser checks the list; its positions are moved to count in the option's value.
        const QString prefix = g.tls ? QStringLiteral("rediss-sentinel://") : QStringLiteral("redis-sentinel://");
        QString error;
        const auto parsed = ConnectionOptions::fromUrl(
            prefix + text(*g.sentinel) + QLatin1Char('/') + QString::fromLatin1(QUrl::toPercentEncoding(master)),
            &error);
        if (!parsed) {
            static const QRegularExpression where(QStringLiteral(" \\(at character (\\d+)\\)$"));
            const QRegularExpressionMatch m = where.match(error);
            if (m.hasMatch()) {
                const int at = m.captured(1).toInt() - int(prefix.size());
                error = error.left(m.capturedStart())
                    + (at >= 1 && at <= g.sentinel->size() ? QStringLiteral(" (at character %1)").arg(at) : QString());
            }
            return usage(QStringLiteral("invalid --sentinel: %1").arg(error));
        }
        c = *parsed;
    } else if (g.url) {
        if (g.host || g.port || g.socket || g.tls)
            return usage(QStringLiteral("--url cannot be combined with --host, --port, --socket or --tls; "
                                        "put them in the URL (rediss:// for TLS)"));
        QString error;
        const auto parsed = ConnectionOptions::fromUrl(text(*g.url), &error);
        if (!parsed)
            return usage(QStringLiteral("invalid --url: %1").arg(error));
        c = *parsed;
        if (!c.password.isEmpty() || !c.sentinelPassword.isEmpty())
            result.warnings.append(QStringLiteral("a password in --url is visible to other users of this machine; "
                                                  "prefer --password-stdin or BULLPEN_PASSWORD"));
    } else if (g.host || g.port || g.socket) {
        if (g.socket) {
            if (g.host || g.port || g.tls)
                return usage(QStringLiteral("--socket cannot be combined with --host, --port or --tls"));
            c.transport = ConnectionOptions::Transport::Unix;
            c.socketPath = text(*g.socket);
            if (c.socketPath.isEmpty())
                return usage(QStringLiteral("--socket needs a path"));
        }
        if (g.host) {
            c.host = text(*g.host);
            if (c.host.isEmpty())
                return usage(QStringLiteral("--host needs a host name or address"));
        }
        if (g.port) {
            int port = 0;
            if (!toInt(*g.port, 1, 65535, &port))
                return usage(QStringLiteral("--port must be a number from 1 to 65535, not '%1'").arg(text(*g.port)));
            c.port = quint16(port);
        }
    } else if (const QString envUrl = env.value(QStringLiteral("REDIS_URL")); !envUrl.isEmpty()) {
        QString error;
        const auto parsed = ConnectionOptions::fromUrl(envUrl, &error);
        if (!parsed)
            return usage(QStringLiteral("invalid REDIS_URL: %1").arg(error));
        c = *parsed;
    }
    if (g.tls) {
        // With a sentinel: the sentinels, the master and the replicas are all reached over TLS.
        if (c.transport == ConnectionOptions::Transport::Unix)
            return usage(QStringLiteral("--tls does not apply to the Unix socket in REDIS_URL"));
        c.transport = ConnectionOptions::Transport::Tls;
    }

    const bool tlsOptions = g.caCert || g.cert || g.key || g.sni || g.insecure;
    if (tlsOptions && c.transport != ConnectionOptions::Transport::Tls)
        return usage(QStringLiteral("--cacert, --cert, --key, --sni and --insecure need --tls or a rediss:// URL"));
    if (g.caCert)
        c.caFile = text(*g.caCert);
    if (g.cert)
        c.certFile = text(*g.cert);
    if (g.key) {
        if (!g.cert && c.certFile.isEmpty())
            return usage(QStringLiteral("--key needs --cert"));
        c.keyFile = text(*g.key);
    }
    if (g.sni)
        c.serverName = text(*g.sni);
    if (g.insecure)
        c.insecure = true;
    // A missing file is a mistake in the command line, not a connection failure.
    for (const auto& [file, what] : { std::pair { c.caFile, "--cacert (or ca=)" },
             std::pair { c.certFile, "--cert (or cert=)" }, std::pair { c.keyFile, "--key (or key=)" } }) {
        if (!file.isEmpty() && !(QFileInfo(file).isFile() && QFileInfo(file).isReadable()))
            return usage(QStringLiteral("%1: cannot read '%2'").arg(QLatin1String(what), file));
    }

    if (g.db && !toInt(*g.db, 0, 1 << 20, &c.db))
        return usage(QStringLiteral("--db must be a number ≥ 0, not '%1'").arg(text(*g.db)));
    if (g.user)
        c.user = text(*g.user);
    if (g.timeout) {
        int ms = 0;
        if (!toInt(*g.timeout, 1, 3600 * 1000, &ms))
            return usage(
                QStringLiteral("--timeout must be milliseconds from 1 to 3600000, not '%1'").arg(text(*g.timeout)));
        c.connectTimeoutMs = ms;
        c.requestTimeoutMs = ms;
    }

    if (!haveCommand)
        return usage(QStringLiteral("no command given (see bullpen-cli --help)"));
    if (!findCommand(out.command))
        return usage(QStringLiteral("unknown command '%1' (known: %2)")
                         .arg(text(out.command), commandNames().join(QStringLiteral(", "))));

    // The password: --password-stdin, else the URL's, else BULLPEN_PASSWORD. Read last, so a
    // usage error never swallows standard input.
    if (g.passwordStdin) {
        const std::optional<QByteArray> line = readLine ? readLine() : std::nullopt;
        if (!line || line->isEmpty())
            return usage(QStringLiteral("--password-stdin: no password on standard input"));
        c.password = QString::fromUtf8(*line);
    } else if (c.password.isEmpty()) {
        c.password = env.value(QStringLiteral("BULLPEN_PASSWORD"));
    }
    if (c.isSentinel() && c.sentinelPassword.isEmpty())
        c.sentinelPassword = env.value(QStringLiteral("BULLPEN_SENTINEL_PASSWORD"));

    if (g.cluster || c.cluster) {
        if (c.isSentinel())
            return usage(QStringLiteral("--cluster cannot be combined with a sentinel: a cluster has no sentinels"));
        if (c.transport == ConnectionOptions::Transport::Unix)
            return usage(QStringLiteral("--cluster needs a TCP address of one node (cluster nodes know each other "
                                        "by host and port, not by socket)"));
        if (c.db != 0)
            return usage(QStringLiteral("--cluster: a cluster has only database 0, not %1").arg(c.db));
    }
    c.cluster = c.cluster || g.cluster;
    out.cluster = c.cluster;
    c.readOnly = g.readOnly;
    if (g.readFromReplicas) {
        if (!c.cluster && !c.isSentinel())
            return usage(QStringLiteral("--read-from-replicas needs --cluster or --sentinel (a single server has no "
                                        "replicas to choose)"));
        if (c.isSentinel() && !c.readOnly)
            return usage(QStringLiteral("--read-from-replicas with --sentinel needs --read-only (a connection that "
                                        "may write always goes to the master)"));
        c.readFromReplicas = true;
    }
    c.role = QStringLiteral("cli");
    out.json = g.json;
    out.allowDangerous = g.allowDangerous;
    // One attempt: a script wants a prompt exit code, not a retry loop.
    c.reconnect = false;
    out.connection = std::move(c);
    result.action = ParseResult::Action::Run;
    return result;
}

QString helpText()
{
    QString commands;
    qsizetype width = 0;
    for (const CommandInfo& info : commandTable())
        width = std::max(width, QString::fromUtf8(info.synopsis).size());
    for (const CommandInfo& info : commandTable()) {
        const QString synopsis = QString::fromUtf8(info.synopsis);
        commands += QStringLiteral("  ") + synopsis.leftJustified(std::max<qsizetype>(width + 2, 22))
            + QString::fromUtf8(info.summary) + QLatin1Char('\n');
    }

    return QStringLiteral("Usage: bullpen-cli [connection options] [--read-only] [--json] COMMAND [ARG...]\n"
                          "\n"
                          "Talks to one Redis server without a display: for scripts, health checks and tests.\n"
                          "\n"
                          "Commands:\n")
        + commands
        + QStringLiteral(
            "\n"
            "Connection options (default: 127.0.0.1:6379):\n"
            "  --url URL             redis://HOST[:PORT][/DB][?OPTS], rediss://... (TLS), unix:///PATH[?db=N]\n"
            "                        or redis-sentinel://HOST[:PORT][,HOST[:PORT]...]/MASTER[/DB][?OPTS];\n"
            "                        OPTS: db, timeout, connect_timeout (ms), ca, cert, key, sni, insecure;\n"
            "                        sentinel_user, sentinel_password for sentinels that need AUTH;\n"
            "                        or redis-cluster://HOST[:PORT][,HOST[:PORT]...] (= --cluster);\n"
            "                        rediss-sentinel://, rediss-cluster:// with TLS; sentinel and\n"
            "                        cluster URLs take read_from_replicas=1 (= --read-from-replicas)\n"
            "  --host HOST           server host name or address (default 127.0.0.1)\n"
            "  --port PORT           server port (default 6379)\n"
            "  --socket PATH         connect to a Unix socket instead of TCP\n"
            "  --sentinel LIST       ask these Redis Sentinels (HOST[:PORT],..., port 26379 by default)\n"
            "                        for the master's address; needs --master. Same as --url\n"
            "                        redis-sentinel://LIST/NAME (rediss-sentinel:// with --tls: sentinels,\n"
            "                        master and replicas over TLS). The master is checked with ROLE\n"
            "  --master NAME         the name the sentinels monitor the master under\n"
            "  --db N                database number (default 0)\n"
            "  --user NAME           ACL user name (default: the default user)\n"
            "  --password-stdin      read the password from the first line of standard input\n"
            "  --tls                 connect with TLS\n"
            "  --cacert FILE         CA certificates (PEM) to verify the server (default: the system's)\n"
            "  --cert FILE           client certificate (PEM)\n"
            "  --key FILE            client private key (PEM, unencrypted; default: read from --cert)\n"
            "  --sni NAME            server name for SNI and certificate verification (default: the host)\n"
            "  --insecure            do not verify the server certificate (the link stays encrypted)\n"
            "  --timeout MS          connect and per-request timeout in milliseconds\n"
            "                        (default: 5000 to connect, 10000 per request)\n"
            "  --cluster             the address is one node of a Redis Cluster: commands go to the node\n"
            "                        that serves their key (following MOVED/ASK); keys scans every\n"
            "                        master; info prints every master's INFO (info --sum: one INFO\n"
            "                        of the masters added up; on one server --sum changes nothing);\n"
            "                        stats sums every master's figures (stats --node HOST:PORT: one\n"
            "                        master's)\n"
            "\n"
            "Other options:\n"
            "  --read-only           refuse every command that writes, before anything is sent\n"
            "  --read-from-replicas  let replicas serve reads. --cluster: read-only commands with a key go\n"
            "                        to a replica of their slot (READONLY), everything else\n"
            "                        to the master, and to the master when no replica answers.\n"
            "                        --sentinel (needs --read-only): connect to a healthy replica the\n"
            "                        sentinels list (checked with ROLE), else to the master\n"
            "  --allow-dangerous     let this call run a command the safety guard refuses in every mode\n"
            "                        (FLUSHALL, FLUSHDB, KEYS, SHUTDOWN, DEBUG, CONFIG SET, MONITOR, ...)\n"
            "  --json                print one JSON value on standard output (see Output)\n"
            "  -h, --help            show this help and exit\n"
            "  --version             show the version and exit\n"
            "\n"
            "Options may also follow the command name; everything after \"--\" belongs to the command.\n"
            "\n"
            "Passwords:\n"
            "  There is no password option: command lines are visible to other users. Use\n"
            "  --password-stdin or BULLPEN_PASSWORD. A password inside --url is accepted but warned about.\n"
            "  Order: --password-stdin, then the URL, then BULLPEN_PASSWORD.\n"
            "\n"
            "Environment:\n"
            "  REDIS_URL             used as --url when none of --url, --host, --port, --socket, --sentinel\n"
            "                        is given\n"
            "  BULLPEN_PASSWORD      the password, unless --password-stdin or the URL gives one\n"
            "  BULLPEN_SENTINEL_PASSWORD  the sentinels' password, unless the URL gives sentinel_password\n"
            "\n"
            "Pub/sub (subscribe):\n"
            "  When the output cannot keep up with the messages (a slow pipe or terminal), by default\n"
            "  bullpen-cli stops reading and lets Redis buffer them: nothing is lost, but the server's\n"
            "  memory grows, and past its client-output-buffer-limit for pubsub Redis closes the\n"
            "  connection: that is reported on standard error, the subscription is restored and the\n"
            "  messages published meanwhile are lost. --drop-when-behind instead keeps reading and\n"
            "  drops what does not fit (at most 200,000 messages wait), counted on standard error:\n"
            "  this spares the server.\n"
            "\n"
            "Output:\n"
            "  For people, replies print like redis-cli: PONG, (integer) 1, \"text\" with \\x escapes,\n"
            "  (nil), numbered arrays; info prints the server's text as it is.\n"
            "  With --json, one JSON value: nil -> null, integer -> number, status and UTF-8 bulk\n"
            "  strings -> string, other bulk strings -> {\"base64\": \"...\"}, array -> array, error ->\n"
            "  {\"error\": \"message\", \"kind\": \"server|connection|timeout|protocol|refused|cancelled\"};\n"
            "  info --json prints {\"server\": {\"redis_version\": \"7.0.15\", ...}, ...} (values are strings).\n"
            "  Errors are always also described on standard error.\n"
            "\n"
            "Exit codes:\n"
            "  0  success\n"
            "  1  Redis answered with an error reply\n"
            "  2  usage error: unknown command or option, bad value, malformed URL\n"
            "  3  connection or authentication failure, timeout, connection lost\n"
            "  4  refused by --read-only or the safety guard (nothing was sent)\n"
            "\n"
            "Examples:\n"
            "  bullpen-cli ping\n"
            "  bullpen-cli --url redis://cache.internal:6380/2 info memory\n"
            "  bullpen-cli --socket /run/redis/redis.sock --json exec -- HGETALL user:42\n"
            "  pass show redis/prod | bullpen-cli --url rediss://redis.example --user ops --password-stdin info\n"
            "  bullpen-cli --read-only exec -- GET session:abc\n"
            "  bullpen-cli --sentinel 10.0.0.1,10.0.0.2:26380 --master mymaster info replication\n"
            "  bullpen-cli --sentinel s1,s2 --master mymaster --tls --cacert ca.pem --read-only \\\n"
            "      --read-from-replicas exec -- GET session:abc\n"
            "  bullpen-cli --allow-dangerous exec -- FLUSHDB\n");
}

} // namespace bullpen::cli
