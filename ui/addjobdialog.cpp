// SPDX-License-Identifier: MIT
#include "addjobdialog.h"

#include "bullmq/jobdetail.h"
#include "keys/keyname.h"
#include "redisclient.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStringDecoder>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

namespace bullpen {

using bullmq::ActionKind;
using bullmq::ActionRequest;

namespace {

    /// Data longer than this is validated a moment after typing stops, not on every key.
    constexpr qsizetype kValidateNowChars = 64 * 1024;
    /// Whole milliseconds a double holds exactly (2^53): far beyond any useful delay.
    constexpr double kMaxDelayMs = 9007199254740992.0;

    QLabel* plainLabel(QWidget* parent, const char* objectName)
    {
        auto* label = new QLabel(parent);
        label->setObjectName(QLatin1String(objectName));
        label->setTextFormat(Qt::PlainText); // job names, data errors and server errors are untrusted
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        label->setWordWrap(true);
        return label;
    }

    QString libraryName(const bullmq::QueueSnapshot& queue)
    {
        switch (queue.library) {
        case bullmq::Library::Bull:
            return QStringLiteral("Bull");
        case bullmq::Library::BullMQ:
            return queue.generation == bullmq::Generation::Unknown
                ? QStringLiteral("BullMQ")
                : QStringLiteral("BullMQ %1.x").arg(bullmq::toString(queue.generation));
        case bullmq::Library::Unknown:
            break;
        }
        return QCoreApplication::translate("bullpen::AddJobDialog", "unknown library");
    }

    /// `json` (valid JSON text) with line breaks and indentation added between tokens only, so
    /// keys keep their order and numbers their digits (a QJsonDocument round trip would sort
    /// keys and round big integers).
    QString indentJson(const QString& json)
    {
        QString out;
        out.reserve(json.size() * 2);
        int depth = 0;
        bool inString = false;
        bool escaped = false;
        const auto newline = [&out, &depth] {
            out += QLatin1Char('\n');
            out += QString(std::max(depth, 0) * 2, QLatin1Char(' '));
        };
        for (qsizetype i = 0; i < json.size(); ++i) {
            const QChar c = json.at(i);
            if (inString) {
                out += c;
                if (escaped)
                    escaped = false;
                else if (c == QLatin1Char('\\'))
                    escaped = true;
                else if (c == QLatin1Char('"'))
                    inString = false;
                continue;
            }
            if (c.isSpace())
                continue;
            if (c == QLatin1Char('"')) {
                inString = true;
                out += c;
            } else if (c == QLatin1Char('{') || c == QLatin1Char('[')) {
                out += c;
                // An empty object or array stays on one line.
                qsizetype next = i + 1;
                while (next < json.size() && json.at(next).isSpace())
                    ++next;
                if (next < json.size() && (json.at(next) == QLatin1Char('}') || json.at(next) == QLatin1Char(']'))) {
                    out += json.at(next);
                    i = next;
                    continue;
                }
                ++depth;
                newline();
            } else if (c == QLatin1Char('}') || c == QLatin1Char(']')) {
                --depth;
                newline();
                out += c;
            } else if (c == QLatin1Char(',')) {
                out += c;
                newline();
            } else if (c == QLatin1Char(':')) {
                out += QStringLiteral(": ");
            } else {
                out += c;
            }
        }
        return out;
    }

} // namespace

AddJobDialog::AddJobDialog(RedisClient* client, const bullmq::QueueSnapshot& queue, QWidget* parent)
    : QDialog(parent)
    , m_client(client)
    , m_queue(queue)
{
    setObjectName(QStringLiteral("addJobDialog"));
    setAttribute(Qt::WA_DeleteOnClose);
    setModal(false);
    setWindowTitle(tr("Add Job to %1").arg(queue.ref.displayName()));
    setMinimumWidth(520);

    auto* layout = new QVBoxLayout(this);
    m_header = plainLabel(this, "addJobHeader");
    m_header->setText(tr("Queue %1 (%2): the job is added as queue.add(name, data, options) does.")
                          .arg(queue.ref.displayName(), libraryName(queue)));
    layout->addWidget(m_header);

    auto* form = new QFormLayout;
    layout->addLayout(form, 1);

    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("jobName"));
    m_name->setPlaceholderText(tr("the name workers dispatch on, e.g. send-email"));
    form->addRow(tr("&Name:"), m_name);

    m_data = new QPlainTextEdit(this);
    m_data->setObjectName(QStringLiteral("jobData"));
    m_data->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_data->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_data->setTabChangesFocus(true);
    m_data->setPlaceholderText(QStringLiteral("{}"));
    m_data->setPlainText(QStringLiteral("{}"));
    m_data->setMinimumHeight(140);
    auto* dataLabel = new QLabel(tr("&Data (JSON):"), this);
    dataLabel->setBuddy(m_data);
    form->addRow(dataLabel, m_data);
    m_dataStatus = plainLabel(this, "dataStatus");
    form->addRow(QString(), m_dataStatus);

    auto* delayRow = new QHBoxLayout;
    m_delay = new QDoubleSpinBox(this);
    m_delay->setObjectName(QStringLiteral("jobDelay"));
    m_delay->setDecimals(0);
    m_delay->setRange(0, kMaxDelayMs);
    m_delay->setSingleStep(1000);
    m_delay->setSuffix(tr(" ms"));
    m_delay->setToolTip(tr("Wait this long before the job can run (0: it can run now)"));
    m_delayText = plainLabel(this, "delayText");
    delayRow->addWidget(m_delay);
    delayRow->addWidget(m_delayText, 1);
    auto* delayLabel = new QLabel(tr("D&elay:"), this);
    delayLabel->setBuddy(m_delay);
    form->addRow(delayLabel, delayRow);

    m_priority = new QSpinBox(this);
    m_priority->setObjectName(QStringLiteral("jobPriority"));
    m_priority->setRange(0, MaxPriority);
    m_priority->setSpecialValueText(tr("none"));
    m_priority->setToolTip(tr("1 is the highest priority; 0 (none) runs in the order added, before prioritized jobs"));
    auto* priorityRow = new QHBoxLayout;
    priorityRow->addWidget(m_priority);
    priorityRow->addWidget(new QLabel(tr("1 is the highest"), this), 1);
    auto* priorityLabel = new QLabel(tr("&Priority:"), this);
    priorityLabel->setBuddy(m_priority);
    form->addRow(priorityLabel, priorityRow);

    auto* attemptsRow = new QHBoxLayout;
    m_setAttempts = new QCheckBox(tr("&Attempts:"), this);
    m_setAttempts->setObjectName(QStringLiteral("setAttempts"));
    m_setAttempts->setToolTip(tr("Unchecked: the library's default (one attempt)"));
    m_attempts = new QSpinBox(this);
    m_attempts->setObjectName(QStringLiteral("jobAttempts"));
    m_attempts->setRange(0, std::numeric_limits<int>::max());
    m_attempts->setValue(1);
    m_attempts->setEnabled(false);
    attemptsRow->addWidget(m_attempts);
    attemptsRow->addStretch(1);
    form->addRow(m_setAttempts, attemptsRow);

    m_status = plainLabel(this, "addStatus");
    layout->addWidget(m_status);
    m_busy = new QProgressBar(this);
    m_busy->setObjectName(QStringLiteral("addProgress"));
    m_busy->setRange(0, 0);
    m_busy->setTextVisible(false);
    m_busy->hide();
    layout->addWidget(m_busy);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Add Job"));
    layout->addWidget(m_buttons);

    m_validateLater = new QTimer(this);
    m_validateLater->setSingleShot(true);
    m_validateLater->setInterval(200);
    connect(m_validateLater, &QTimer::timeout, this, &AddJobDialog::validate);

    connect(m_data, &QPlainTextEdit::textChanged, this, [this] {
        if (m_data->document()->characterCount() > kValidateNowChars) {
            m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false); // until checked
            m_validateLater->start();
        } else {
            validate();
        }
    });
    connect(m_name, &QLineEdit::textChanged, this, &AddJobDialog::updateState);
    connect(m_delay, &QDoubleSpinBox::valueChanged, this, &AddJobDialog::updateState);
    connect(m_priority, &QSpinBox::valueChanged, this, &AddJobDialog::updateState);
    connect(m_setAttempts, &QCheckBox::toggled, this, [this](bool on) {
        m_attempts->setEnabled(on);
        updateState();
    });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &AddJobDialog::addJob);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &AddJobDialog::reject);
    validate();
}

AddJobDialog::~AddJobDialog() = default;

void AddJobDialog::setFromJob(const bullmq::JobDetail& job)
{
    setWindowTitle(tr("Duplicate Job %1 of %2").arg(keys::displayBytes(job.id), m_queue.ref.displayName()));
    m_name->setText(QString::fromUtf8(job.field("name")));
    const QByteArray data = job.has("data") ? job.field("data") : QByteArrayLiteral("{}");
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString text = decoder(data);
    m_keptData = QByteArray();
    m_data->setPlaceholderText(QStringLiteral("{}"));
    if (decoder.hasError() || data.size() > MaxEditableBytes) {
        // Kept byte for byte: an editor cannot show it faithfully (not UTF-8) or quickly (size).
        m_keptData = data;
        m_data->clear();
        m_data->setPlaceholderText(decoder.hasError()
                ? tr("%1 of data that is not UTF-8: the copy gets it byte for byte.")
                      .arg(keys::formatBytes(data.size()))
                : tr("%1 of data: too large to edit here, the copy gets it as it is.")
                      .arg(keys::formatBytes(data.size())));
    } else {
        // Indented when it is JSON, so it is easy to correct; compacted again on add.
        QString ignored;
        const bool json = !bullmq::compactJson(data, &ignored).isEmpty();
        m_data->setPlainText(json && data.size() <= kValidateNowChars ? indentJson(text) : text);
    }
    validate();
    const QJsonObject opts = QJsonDocument::fromJson(job.field("opts")).object();
    m_setAttempts->setChecked(opts.contains(QStringLiteral("attempts")));
    if (opts.contains(QStringLiteral("attempts")))
        m_attempts->setValue(
            int(std::clamp<qint64>(opts.value(QStringLiteral("attempts")).toInteger(), 0, m_attempts->maximum())));
    m_priority->setValue(int(std::clamp<qint64>(opts.value(QStringLiteral("priority")).toInteger(), 0, MaxPriority)));
    m_delay->setValue(0); // the copy runs now
    setStatus(m_keptData.isNull()
            ? tr("A copy of job %1: it runs now (no delay). Correct the data if needed.")
                  .arg(keys::displayBytes(job.id))
            : tr("A copy of job %1: it runs now (no delay), with the same data.").arg(keys::displayBytes(job.id)));
}

ActionRequest AddJobDialog::request() const
{
    ActionRequest request;
    request.kind = ActionKind::Add;
    request.job.name = m_name->text().toUtf8();
    request.job.data = m_compactData.isEmpty() ? QByteArrayLiteral("{}") : m_compactData;
    request.job.delayMs = qint64(m_delay->value());
    request.job.priority = m_priority->value();
    if (m_setAttempts->isChecked())
        request.job.attempts = m_attempts->value();
    return request;
}

QString AddJobDialog::problem() const
{
    if (!m_client)
        return tr("Not connected.");
    if (m_client->isReadOnly())
        return tr("Read-only connection: jobs cannot be added. Reconnect without read-only to add jobs.");
    if (m_name->text().isEmpty())
        return tr("Give the job a name.");
    if (!m_dataError.isEmpty())
        return tr("The data is not JSON.");
    const bullmq::ActionRunner probe(m_client, m_queue, request());
    const QString why = probe.unsupportedReason();
    return why.isEmpty() ? QString() : why + QLatin1Char('.');
}

void AddJobDialog::validate()
{
    m_validateLater->stop();
    const QByteArray text = m_data->toPlainText().toUtf8();
    m_dataError.clear();
    if (!m_keptData.isNull()) {
        m_compactData = m_keptData;
        m_dataStatus->setText(tr("The data is kept as the job has it."));
    } else if (text.trimmed().isEmpty()) {
        m_compactData = QByteArrayLiteral("{}");
        m_dataStatus->setText(tr("Empty: the job gets {} as its data."));
    } else {
        QString error;
        m_compactData = bullmq::compactJson(text, &error);
        if (m_compactData.isEmpty()) {
            m_dataError = error.isEmpty() ? tr("not JSON") : error;
            m_dataStatus->setText(tr("Not JSON: %1").arg(m_dataError));
        } else {
            m_dataStatus->setText(tr("Valid JSON: %1 stored.").arg(keys::formatBytes(m_compactData.size())));
        }
    }
    m_dataStatus->setStyleSheet(m_dataError.isEmpty() ? QString() : QStringLiteral("QLabel { color: #dc2626; }"));
    updateState();
}

void AddJobDialog::updateState()
{
    const qint64 delay = qint64(m_delay->value());
    m_delayText->setText(delay > 0 ? tr("runs in %1").arg(keys::formatDuration(delay)) : tr("runs now"));
    const bool adding = isAdding();
    for (QWidget* w : std::initializer_list<QWidget*> { m_name, m_delay, m_priority, m_setAttempts })
        w->setEnabled(!adding);
    m_data->setEnabled(!adding && m_keptData.isNull());
    m_attempts->setEnabled(!adding && m_setAttempts->isChecked());
    m_buttons->button(QDialogButtonBox::Cancel)->setEnabled(!adding);
    QPushButton* ok = m_buttons->button(QDialogButtonBox::Ok);
    const QString why = problem();
    ok->setEnabled(!adding && why.isEmpty() && !m_validateLater->isActive());
    ok->setToolTip(adding   ? tr("The job is being added…")
            : why.isEmpty() ? tr("Add the job to %1").arg(m_queue.ref.displayName())
                            : why);
}

void AddJobDialog::setStatus(const QString& text)
{
    m_status->setText(text);
}

void AddJobDialog::addJob()
{
    if (isAdding())
        return;
    validate(); // also data still waiting for its delayed check
    const QString why = problem();
    if (!why.isEmpty()) {
        setStatus(tr("Cannot add the job: %1").arg(why));
        return;
    }
    const ActionRequest req = request();
    auto* runner = new bullmq::ActionRunner(m_client, m_queue, req, this);
    m_runner = runner;
    connect(runner, &bullmq::ActionRunner::finished, this, [this, runner](const bullmq::ActionResult& r) {
        runner->deleteLater();
        m_runner = nullptr;
        m_busy->hide();
        if (r.error.isEmpty() && r.done.isEmpty())
            setStatus(tr("Could not add the job: the server added nothing."));
        else if (!r.error.isEmpty())
            setStatus(tr("Could not add the job: %1").arg(r.error));
        if (!r.error.isEmpty() || r.done.isEmpty()) {
            updateState();
            return;
        }
        const QByteArray id = r.done.first();
        setStatus(tr("Added job %1.").arg(keys::displayBytes(id)));
        Q_EMIT jobAdded(id);
        QDialog::accept();
    });
    setStatus(tr("Adding job \"%1\" to %2…").arg(m_name->text(), m_queue.ref.displayName()));
    m_busy->show();
    updateState();
    runner->start();
}

void AddJobDialog::reject()
{
    if (isAdding())
        return; // one script call: it finishes soon, and then says what happened
    QDialog::reject();
}

} // namespace bullpen
