// SPDX-License-Identifier: MIT
#pragma once
// Command-line options of the benchmarks, all parsed the same way: --help prints the usage,
// an unknown option or a missing value is an error that names it. Values stay strings; each
// benchmark converts and bounds its own.

#include <QHash>
#include <QString>
#include <QStringList>

#include <cstdio>
#include <initializer_list>

namespace bullpen::bench {

struct Option {
    const char* name; ///< "--seconds"
    bool takesValue;
};

class Args
{
public:
    /// Parses `args` (QCoreApplication::arguments() or argv). exitCode() is -1 when the
    /// benchmark should run, else what main() returns (0 after --help, 2 after a usage error).
    Args(const QStringList& args, std::initializer_list<Option> known, const char* usage)
    {
        for (qsizetype i = 1; i < args.size(); ++i) {
            const QString& a = args.at(i);
            if (a == QLatin1String("--help") || a == QLatin1String("-h")) {
                std::fputs(usage, stdout);
                m_exit = 0;
                return;
            }
            const Option* match = nullptr;
            for (const Option& o : known) {
                if (a == QLatin1String(o.name))
                    match = &o;
            }
            QString error;
            if (!match)
                error = QStringLiteral("unknown option %1").arg(a);
            else if (match->takesValue && i + 1 >= args.size())
                error = QStringLiteral("%1 needs a value").arg(a);
            if (!error.isEmpty()) {
                std::fprintf(stderr, "%s: %s\n%s", qPrintable(args.value(0).section(QLatin1Char('/'), -1)),
                    qPrintable(error), usage);
                m_exit = 2;
                return;
            }
            m_values.insert(a, match->takesValue ? args.at(++i) : QString());
        }
    }
    Args(int argc, char** argv, std::initializer_list<Option> known, const char* usage)
        : Args(toList(argc, argv), known, usage)
    {
    }

    int exitCode() const { return m_exit; }
    bool has(const char* name) const { return m_values.contains(QLatin1String(name)); }
    QString value(const char* name, const QString& fallback = {}) const
    {
        return m_values.value(QLatin1String(name), fallback);
    }
    int intValue(const char* name, int fallback) const
    {
        bool ok = false;
        const int v = m_values.value(QLatin1String(name)).toInt(&ok);
        return ok ? v : fallback;
    }

private:
    static QStringList toList(int argc, char** argv)
    {
        QStringList out;
        for (int i = 0; i < argc; ++i)
            out.append(QString::fromLocal8Bit(argv[i]));
        return out;
    }
    QHash<QString, QString> m_values;
    int m_exit = -1;
};

} // namespace bullpen::bench
