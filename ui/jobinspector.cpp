// SPDX-License-Identifier: MIT
#include "jobinspector.h"

#include "addjobdialog.h"
#include "bullmq/flowtree.h"
#include "bullmq/jobdetail.h"
#include "bullmq/jobdetailmodel.h"
#include "bullmq/jobjson.h"
#include "jsontreeview.h"
#include "keys/keyname.h"
#include "keys/keyvaluemodel.h"
#include "redisclient.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QStringDecoder>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <optional>

namespace bullpen {

using bullmq::ActionKind;

namespace {
    enum Page { MessagePage, JobPage };
    enum DataView { TreeView, RawView };
    constexpr int KeyRole = Qt::UserRole; // full job key of a parent/child row

    QLabel* plainLabel(QWidget* parent, const char* objectName)
    {
        auto* label = new QLabel(parent);
        label->setObjectName(QLatin1String(objectName));
        label->setTextFormat(Qt::PlainText); // everything shown comes from Redis
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        label->setWordWrap(true);
        return label;
    }

    QPlainTextEdit* monoText(QWidget* parent, const char* objectName)
    {
        auto* text = new QPlainTextEdit(parent);
        text->setObjectName(QLatin1String(objectName));
        text->setReadOnly(true);
        text->setLineWrapMode(QPlainTextEdit::NoWrap);
        text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        return text;
    }

    QString localTime(qint64 ms)
    {
        return QDateTime::fromMSecsSinceEpoch(ms).toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    }

    std::optional<qint64> intField(const QJsonObject& job, const QString& name)
    {
        const QJsonValue v = job.value(name);
        if (!v.isDouble())
            return std::nullopt;
        return qint64(v.toDouble());
    }

    bool isUtf8(const QByteArray& bytes)
    {
        QStringDecoder decoder(QStringDecoder::Utf8);
        const QString ignored = decoder(bytes);
        return !decoder.hasError();
    }

    QString badgeStyle(const QString& state)
    {
        QString color = QStringLiteral("#6b7280"); // waiting, paused, unknown
        if (state == QLatin1String("failed"))
            color = QStringLiteral("#dc2626");
        else if (state == QLatin1String("completed"))
            color = QStringLiteral("#16a34a");
        else if (state == QLatin1String("active"))
            color = QStringLiteral("#2563eb");
        else if (state == QLatin1String("delayed"))
            color = QStringLiteral("#d97706");
        else if (state == QLatin1String("prioritized"))
            color = QStringLiteral("#7c3aed");
        else if (state == QLatin1String("waiting-children"))
            color = QStringLiteral("#0891b2");
        return QStringLiteral(
            "QLabel { background: %1; color: white; border-radius: 4px; padding: 1px 8px; font-weight: bold; }")
            .arg(color);
    }
}

JobInspector::JobInspector(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);

    auto* top = new QHBoxLayout;
    m_header = plainLabel(this, "jobHeader");
    QFont headerFont = m_header->font();
    headerFont.setBold(true);
    m_header->setFont(headerFont);
    m_badge = plainLabel(this, "stateBadge");
    m_badge->setWordWrap(false);
    m_attempts = plainLabel(this, "jobAttempts");
    m_attempts->setWordWrap(false);
    top->addWidget(m_header, 1);
    top->addWidget(m_badge);
    top->addWidget(m_attempts);
    layout->addLayout(top);

    auto* actions = new QHBoxLayout;
    m_retry = new QPushButton(tr("Retry"), this);
    m_retry->setObjectName(QStringLiteral("retryJob"));
    m_remove = new QPushButton(tr("Remove"), this);
    m_remove->setObjectName(QStringLiteral("removeJob"));
    m_promote = new QPushButton(tr("Promote"), this);
    m_promote->setObjectName(QStringLiteral("promoteJob"));
    m_duplicate = new QPushButton(tr("Duplicate…"), this);
    m_duplicate->setObjectName(QStringLiteral("duplicateJob"));
    m_copyJson = new QPushButton(tr("Copy JSON"), this);
    m_copyJson->setObjectName(QStringLiteral("copyJobJson"));
    m_copyJson->setToolTip(tr("Copy the whole job as JSON"));
    m_status = plainLabel(this, "jobStatus");
    actions->addWidget(m_retry);
    actions->addWidget(m_remove);
    actions->addWidget(m_promote);
    actions->addWidget(m_duplicate);
    actions->addWidget(m_copyJson);
    actions->addWidget(m_status, 1);
    layout->addLayout(actions);

    m_stack = new QStackedWidget(this);
    m_message = plainLabel(m_stack, "jobMessage");
    m_message->setAlignment(Qt::AlignCenter);
    m_stack->addWidget(m_message);

    m_tabs = new QTabWidget(m_stack);
    m_tabs->setObjectName(QStringLiteral("jobTabs"));

    // Data: a tree of the parsed JSON and the raw bytes.
    auto* dataPage = new QWidget(m_tabs);
    auto* dl = new QVBoxLayout(dataPage);
    auto* dataBar = new QHBoxLayout;
    m_dataNote = plainLabel(dataPage, "dataNote");
    m_copyData = new QPushButton(tr("Copy"), dataPage);
    m_copyData->setObjectName(QStringLiteral("copyData"));
    m_copyData->setToolTip(tr("Copy the job's data (bytes that are not UTF-8 as \\xHH)"));
    dataBar->addWidget(m_dataNote, 1);
    dataBar->addWidget(m_copyData);
    dl->addLayout(dataBar);
    m_dataViews = new QTabWidget(dataPage);
    m_dataViews->setObjectName(QStringLiteral("dataViews"));
    m_dataViews->setDocumentMode(true);
    m_dataTree = new JsonTreeView(m_dataViews);
    m_dataTree->setObjectName(QStringLiteral("dataTree"));
    m_dataRaw = monoText(m_dataViews, "dataRaw");
    m_dataViews->addTab(m_dataTree, tr("Tree"));
    m_dataViews->addTab(m_dataRaw, tr("Raw"));
    dl->addWidget(m_dataViews, 1);
    m_tabs->addTab(dataPage, tr("Data"));

    m_opts = new JsonTreeView(m_tabs);
    m_opts->setObjectName(QStringLiteral("optsTree"));
    m_tabs->addTab(m_opts, tr("Options"));
    m_progress = new JsonTreeView(m_tabs);
    m_progress->setObjectName(QStringLiteral("progressTree"));
    m_tabs->addTab(m_progress, tr("Progress"));
    m_returnValue = new JsonTreeView(m_tabs);
    m_returnValue->setObjectName(QStringLiteral("returnValueTree"));
    m_tabs->addTab(m_returnValue, tr("Return value"));
    m_failure = monoText(m_tabs, "failureText");
    m_tabs->addTab(m_failure, tr("Failure"));

    auto* logPage = new QWidget(m_tabs);
    auto* ll = new QVBoxLayout(logPage);
    m_logNote = plainLabel(logPage, "logNote");
    m_logs = new QListWidget(logPage);
    m_logs->setObjectName(QStringLiteral("logList"));
    m_logs->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_logs->setUniformItemSizes(true);
    ll->addWidget(m_logNote);
    ll->addWidget(m_logs, 1);
    m_tabs->addTab(logPage, tr("Logs"));

    auto* timingScroll = new QScrollArea(m_tabs);
    timingScroll->setWidgetResizable(true);
    m_timings = plainLabel(timingScroll, "timings");
    m_timings->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_timings->setMargin(8);
    m_timings->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont)); // the columns line up
    timingScroll->setWidget(m_timings);
    m_tabs->addTab(timingScroll, tr("Timings"));

    m_flow = new QTreeWidget(m_tabs);
    m_flow->setObjectName(QStringLiteral("flowTree"));
    m_flow->setColumnCount(2);
    m_flow->setHeaderLabels({ tr("Job"), tr("Detail") });
    m_flow->setUniformRowHeights(true);
    m_flow->header()->setStretchLastSection(true);
    m_flow->setColumnWidth(0, 320);
    m_tabs->addTab(m_flow, tr("Parent && children"));

    m_all = new JsonTreeView(m_tabs);
    m_all->setObjectName(QStringLiteral("allFieldsTree"));
    m_tabs->addTab(m_all, tr("Everything"));

    m_stack->addWidget(m_tabs);
    layout->addWidget(m_stack, 1);

    connect(m_retry, &QPushButton::clicked, this, &JobInspector::retryJob);
    connect(m_remove, &QPushButton::clicked, this, &JobInspector::removeJob);
    connect(m_promote, &QPushButton::clicked, this, &JobInspector::promoteJob);
    connect(m_duplicate, &QPushButton::clicked, this, &JobInspector::duplicateJob);
    connect(m_copyJson, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(jobJson()); });
    connect(m_copyData, &QPushButton::clicked, this, [this] {
        const QByteArray bytes = detail().field("data");
        QApplication::clipboard()->setText(isUtf8(bytes) ? QString::fromUtf8(bytes) : keys::format::text(bytes));
    });
    connect(m_flow, &QTreeWidget::itemClicked, this, &JobInspector::childClicked);
    clear();
}

JobInspector::~JobInspector() = default;

void JobInspector::setClient(RedisClient* client)
{
    if (client == m_client && m_model)
        return;
    m_client = client;
    if (m_model) {
        // Later: setClient() may run inside one of the model's own signals.
        m_model->disconnect(this);
        m_model->deleteLater();
        m_model = nullptr;
    }
    if (client) {
        m_model = new bullmq::JobDetailModel(client, this);
        connect(m_model, &bullmq::JobDetailModel::refreshed, this, [this] {
            render();
            Q_EMIT loaded();
        });
        connect(m_model, &bullmq::JobDetailModel::failed, this, [this](const QString& message) {
            setStatus(tr("Could not read the job: %1").arg(message));
            if (m_stack->currentIndex() == MessagePage)
                m_message->setText(tr("Could not read job %1: %2").arg(keys::displayBytes(m_id), message));
            Q_EMIT failed(message);
        });
    }
    clear();
}

const bullmq::JobDetail& JobInspector::detail() const
{
    static const bullmq::JobDetail none;
    return m_model ? m_model->detail() : none;
}

void JobInspector::clear()
{
    ++m_generation;
    if (m_confirm)
        m_confirm->close();
    m_queue = {};
    m_id.clear();
    m_job = {};
    m_runner = nullptr; // an action on the previous job finishes on its own (and still signals jobChanged)
    if (m_model)
        m_model->setJob({}, {});
    m_header->clear();
    m_badge->hide();
    m_attempts->clear();
    m_status->clear();
    m_message->setText(m_client ? tr("Select a job to see it.") : tr("Not connected."));
    m_stack->setCurrentIndex(MessagePage);
    for (JsonTreeView* tree : { m_dataTree, m_opts, m_progress, m_returnValue, m_all })
        tree->setValue(QJsonValue(QJsonValue::Undefined));
    m_dataRaw->clear();
    m_dataNote->clear();
    m_failure->clear();
    m_logs->clear();
    m_logNote->clear();
    m_timings->clear();
    m_flow->clear();
    updateButtons();
}

void JobInspector::showJob(const bullmq::QueueSnapshot& queue, const QByteArray& id)
{
    clear();
    if (id.isEmpty() || !m_model)
        return;
    m_queue = queue;
    m_id = id;
    m_header->setText(tr("%1 · #%2").arg(queue.ref.displayName(), keys::displayBytes(id)));
    m_message->setText(tr("Reading job %1…").arg(keys::displayBytes(id)));
    m_model->setJob(queue, id);
}

void JobInspector::refresh()
{
    if (m_model && !m_id.isEmpty())
        m_model->refresh();
}

QByteArray JobInspector::jobId() const
{
    return m_id;
}

QString JobInspector::jobJson() const
{
    if (!detail().exists || m_job.isEmpty())
        return {};
    return QString::fromUtf8(QJsonDocument(m_job).toJson(QJsonDocument::Indented));
}

void JobInspector::render()
{
    const bullmq::JobDetail& d = detail();
    m_job = d.exists ? bullmq::toJson(d) : QJsonObject();
    renderHeader();
    if (!d.exists) {
        m_stack->setCurrentIndex(MessagePage);
        m_message->setText(tr("Job %1 no longer exists in %2 (removed, or cleaned after it finished).")
                               .arg(keys::displayBytes(m_id), m_queue.ref.displayName()));
        updateButtons();
        return;
    }
    const bool first = m_stack->currentIndex() == MessagePage;
    m_stack->setCurrentIndex(JobPage);
    const QJsonObject& job = m_job;
    renderData(first);
    m_opts->setValue(job.value(QStringLiteral("opts")));
    m_progress->setValue(job.value(QStringLiteral("progress")));
    m_returnValue->setValue(job.value(QStringLiteral("returnvalue")));
    renderFailure();
    renderLogs();
    renderTimings();
    renderFlow();
    m_all->setValue(job);
    if (first && d.state == QLatin1String("failed"))
        m_tabs->setCurrentWidget(m_failure);
    updateButtons();
}

void JobInspector::renderHeader()
{
    const bullmq::JobDetail& d = detail();
    QString text = tr("%1 · #%2").arg(m_queue.ref.displayName(), keys::displayBytes(m_id));
    if (!d.exists) {
        m_header->setText(text);
        m_badge->hide();
        m_attempts->clear();
        return;
    }
    if (d.has("name"))
        text += QStringLiteral(" · ") + keys::displayBytes(d.field("name"));
    m_header->setText(text);
    m_badge->setText(d.state);
    m_badge->setStyleSheet(badgeStyle(d.state));
    m_badge->show();
    const QJsonObject& job = m_job;
    const qint64 made = intField(job, QStringLiteral("attemptsMade")).value_or(0);
    const qint64 allowed
        = qint64(job.value(QStringLiteral("opts")).toObject().value(QStringLiteral("attempts")).toDouble());
    m_attempts->setText(allowed > 0 ? tr("attempts %1/%2").arg(made).arg(allowed) : tr("attempts %1").arg(made));
}

void JobInspector::renderData(bool first)
{
    const bullmq::JobDetail& d = detail();
    const QByteArray bytes = d.has("data") ? d.field("data") : QByteArray("{}");
    bool json = false;
    const QJsonValue parsed = bullmq::parseJsonValue(bytes, &json);
    QStringList notes;
    notes << keys::formatBytes(bytes.size());
    if (!d.has("data"))
        notes << tr("no data field (the library reads {})");
    else if (!json)
        notes << (isUtf8(bytes) ? tr("not JSON: shown as text")
                                : tr("not JSON and not UTF-8: other bytes shown as \\xHH"));
    if (bytes.size() > MaxRawBytes)
        notes << tr("Raw shows the first %1").arg(keys::formatBytes(MaxRawBytes));
    m_dataNote->setText(notes.join(QStringLiteral(" · ")));
    m_dataTree->setValue(json ? parsed : QJsonValue(tr("(not JSON: see Raw)")));
    const QString raw = keys::format::text(bytes.left(MaxRawBytes));
    if (m_dataRaw->toPlainText() != raw)
        m_dataRaw->setPlainText(raw);
    if (first) // a new job opens on the tree when it is JSON; later reads keep the user's choice
        m_dataViews->setCurrentIndex(json ? TreeView : RawView);
}

void JobInspector::renderFailure()
{
    const bullmq::JobDetail& d = detail();
    QString text;
    if (d.has("failedReason"))
        text = tr("Failed reason:\n%1\n").arg(keys::format::text(d.field("failedReason")));
    if (d.has("defa"))
        text += tr("\nDeferred failure:\n%1\n").arg(keys::format::text(d.field("defa")));
    if (d.has("stacktrace")) {
        bool ok = false;
        const QJsonValue traces = bullmq::parseJsonValue(d.field("stacktrace"), &ok);
        if (ok && traces.isArray()) {
            const QJsonArray list = traces.toArray();
            // The library appends: the last trace is the newest.
            for (qsizetype i = list.size() - 1; i >= 0; --i) {
                const QJsonValue t = list.at(i);
                text += tr("\nStack trace %1 of %2%3:\n")
                            .arg(list.size() - i)
                            .arg(list.size())
                            .arg(i == list.size() - 1 ? tr(" (newest)") : QString());
                text += t.isString()
                    ? t.toString()
                    : QString::fromUtf8(QJsonDocument(QJsonArray { t }).toJson(QJsonDocument::Compact));
                text += QLatin1Char('\n');
            }
        } else {
            text += tr("\nStack trace (not a JSON array):\n%1\n").arg(keys::format::text(d.field("stacktrace")));
        }
    }
    if (text.isEmpty())
        text = tr("No failure recorded.");
    if (m_failure->toPlainText() != text)
        m_failure->setPlainText(text);
}

void JobInspector::renderLogs()
{
    const bullmq::JobDetail& d = detail();
    QStringList lines;
    for (const QByteArray& line : d.logs)
        lines << keys::format::text(line);
    QStringList current;
    for (int i = 0; i < m_logs->count(); ++i)
        current << m_logs->item(i)->text();
    if (current != lines) {
        m_logs->clear();
        m_logs->addItems(lines);
    }
    if (d.logCount > d.logs.size())
        m_logNote->setText(tr("%1 of %2 log lines shown").arg(d.logs.size()).arg(d.logCount));
    else
        m_logNote->setText(d.logCount == 1 ? tr("1 log line") : tr("%1 log lines").arg(d.logCount));
}

void JobInspector::renderTimings()
{
    const bullmq::JobDetail& d = detail();
    const QJsonObject& job = m_job;
    const auto created = intField(job, QStringLiteral("timestamp"));
    const auto processed = intField(job, QStringLiteral("processedOn"));
    const auto finished = intField(job, QStringLiteral("finishedOn"));
    const auto delay = intField(job, QStringLiteral("delay"));
    const auto runAt = d.runAt();
    const QString never = tr("—");
    QStringList lines;
    lines << tr("Created:     %1").arg(created ? localTime(*created) : never);
    if (delay && *delay > 0)
        lines << tr("Delay:       %1").arg(keys::formatDuration(*delay));
    if (runAt)
        lines << tr("Runs at:     %1").arg(localTime(*runAt));
    lines << tr("Processed:   %1").arg(processed ? localTime(*processed) : never);
    lines << tr("Finished:    %1").arg(finished ? localTime(*finished) : never);
    if (created && processed)
        lines << tr("Waited:      %1").arg(keys::formatDuration(std::max<qint64>(0, *processed - *created)));
    if (processed && finished)
        lines << tr("Ran:         %1").arg(keys::formatDuration(std::max<qint64>(0, *finished - *processed)));
    lines << QString();
    lines << tr("Attempts made:    %1").arg(intField(job, QStringLiteral("attemptsMade")).value_or(0));
    lines << tr("Attempts started: %1").arg(intField(job, QStringLiteral("attemptsStarted")).value_or(0));
    lines << tr("Stalled:          %1").arg(intField(job, QStringLiteral("stalledCounter")).value_or(0));
    if (d.has("pb"))
        lines << tr("Processed by:     %1").arg(keys::displayBytes(d.field("pb")));
    if (!d.lockToken.isEmpty())
        lines << tr("Locked by a worker (token %1, expires in %2)")
                     .arg(keys::displayBytes(d.lockToken), keys::formatDuration(std::max<qint64>(0, d.lockTtlMs)));
    if (d.inStalledSet)
        lines << tr("In the stalled-check set");
    const QString text = lines.join(QLatin1Char('\n'));
    if (m_timings->text() != text)
        m_timings->setText(text);
}

void JobInspector::renderFlow()
{
    const bullmq::JobDetail& d = detail();
    // What the tree shows, as (group title, [(key, detail)]) — rebuilt only when it changed.
    struct Group
    {
        QString title;
        QList<std::pair<QByteArray, QString>> rows;
        qint64 total = 0;
    };
    QList<Group> groups;

    QByteArray parentKey;
    if (d.has("parent")) {
        bool ok = false;
        const QJsonObject p = bullmq::parseJsonValue(d.field("parent"), &ok).toObject();
        if (ok && p.value(QStringLiteral("queueKey")).isString() && p.value(QStringLiteral("id")).isString())
            parentKey = p.value(QStringLiteral("queueKey")).toString().toUtf8() + ':'
                + p.value(QStringLiteral("id")).toString().toUtf8();
    }
    if (parentKey.isEmpty() && d.has("parentKey"))
        parentKey = d.field("parentKey");
    Group parent { tr("Parent"), {}, 0 };
    if (!parentKey.isEmpty()) {
        parent.rows.append({ parentKey, QString() });
        parent.total = 1;
    }
    groups << parent;

    Group pending { tr("Pending children"), {}, d.children.pendingCount };
    for (const QByteArray& k : d.children.pending)
        pending.rows.append({ k, QString() });
    Group processed { tr("Processed children"), {}, d.children.processedCount };
    for (const auto& [k, v] : d.children.processed)
        processed.rows.append({ k, JsonTreeView::summary(bullmq::jsonOrText(v)).left(200) });
    Group failedKids { tr("Failed children"), {}, d.children.failedCount };
    for (const auto& [k, at] : d.children.failed)
        failedKids.rows.append({ k, tr("failed at %1").arg(localTime(qint64(at))) });
    Group ignored { tr("Ignored children"), {}, d.children.ignoredCount };
    for (const auto& [k, v] : d.children.ignored)
        ignored.rows.append({ k, keys::format::text(v.left(200)) });
    groups << pending << processed << failedKids << ignored;

    // Compare with what is shown, so a refresh keeps selection and scroll position.
    bool same = m_flow->topLevelItemCount() == groups.size();
    for (int g = 0; same && g < groups.size(); ++g) {
        const QTreeWidgetItem* top = m_flow->topLevelItem(g);
        same
            = top->data(0, KeyRole).toLongLong() == groups.at(g).total && top->childCount() >= groups.at(g).rows.size();
        for (int r = 0; same && r < groups.at(g).rows.size(); ++r)
            same = top->child(r)->data(0, KeyRole).toByteArray() == groups.at(g).rows.at(r).first
                && top->child(r)->text(1) == groups.at(g).rows.at(r).second;
    }
    if (same)
        return;
    m_flow->clear();
    for (const Group& g : groups) {
        auto* top = new QTreeWidgetItem(m_flow);
        top->setText(0, g.title == tr("Parent") ? g.title : tr("%1 (%2)").arg(g.title).arg(g.total));
        top->setData(0, KeyRole, g.total);
        top->setFlags(Qt::ItemIsEnabled);
        if (g.rows.isEmpty()) {
            auto* none = new QTreeWidgetItem(top);
            none->setText(0, g.title == tr("Parent") ? tr("(no parent)") : tr("(none)"));
            none->setFlags(Qt::ItemIsEnabled);
        }
        for (const auto& [key, text] : g.rows) {
            auto* item = new QTreeWidgetItem(top);
            item->setText(0, keys::displayBytes(key));
            item->setText(1, text);
            item->setData(0, KeyRole, key);
            item->setToolTip(0, tr("Open this job"));
        }
        if (g.total > g.rows.size()) {
            auto* more = new QTreeWidgetItem(top);
            more->setText(0, tr("… %1 more not shown").arg(g.total - g.rows.size()));
            more->setFlags(Qt::ItemIsEnabled);
        }
        top->setExpanded(!g.rows.isEmpty());
    }
}

void JobInspector::childClicked(QTreeWidgetItem* item)
{
    if (!item || !item->parent())
        return;
    const QByteArray key = item->data(0, KeyRole).toByteArray();
    if (key.isEmpty())
        return; // a group or "(none)" row
    bullmq::QueueRef ref;
    QByteArray id;
    if (!bullmq::parseJobKey(key, &ref, &id)) {
        setStatus(tr("Cannot tell the queue of %1.").arg(keys::displayBytes(key)));
        return;
    }
    Q_EMIT openJobRequested(ref, id);
}

QString JobInspector::actionName(ActionKind kind) const
{
    switch (kind) {
    case ActionKind::Retry:
        return tr("Retry");
    case ActionKind::Remove:
        return tr("Remove");
    case ActionKind::Promote:
        return tr("Promote");
    case ActionKind::Add:
        return tr("Duplicate");
    default:
        break;
    }
    return bullmq::toString(kind);
}

QString JobInspector::actionBlocker(ActionKind kind) const
{
    if (!m_client)
        return tr("Not connected.");
    if (m_client->isReadOnly())
        return tr("Read-only connection: jobs cannot be changed. Reconnect without read-only to use this.");
    if (m_id.isEmpty())
        return tr("No job shown.");
    const bullmq::JobDetail& d = detail();
    if (!d.exists)
        return d.id.isEmpty() ? tr("The job has not been read yet.") : tr("The job no longer exists.");
    bullmq::ActionRequest request;
    request.kind = kind;
    if (kind == ActionKind::Add) {
        // Duplicate: a new job, whatever the state of this one (the dialog checks the rest).
        const bullmq::ActionRunner probe(m_client, m_queue, request);
        const QString why = probe.unsupportedReason();
        return why.isEmpty() ? QString() : why + QLatin1Char('.');
    }
    if (m_runner)
        return tr("An action on this job is running.");
    request.ids = { m_id };
    switch (kind) {
    case ActionKind::Retry:
        if (d.state != QLatin1String("failed") && d.state != QLatin1String("completed"))
            return tr("Only failed or completed jobs can be retried; this one is %1.").arg(d.state);
        request.state = d.state.toUtf8();
        break;
    case ActionKind::Promote:
        if (d.state != QLatin1String("delayed"))
            return tr("Only delayed jobs can be promoted; this one is %1.").arg(d.state);
        break;
    case ActionKind::Remove:
        if (d.state == QLatin1String("active") && !d.lockToken.isEmpty())
            return tr("Locked by an active worker: it cannot be removed while the worker holds it.");
        break;
    default:
        return tr("Not a single-job action.");
    }
    const bullmq::ActionRunner probe(m_client, m_queue, request);
    const QString why = probe.unsupportedReason();
    return why.isEmpty() ? QString() : why + QLatin1Char('.');
}

void JobInspector::updateButtons()
{
    const std::pair<QPushButton*, std::pair<ActionKind, QString>> buttons[] = {
        { m_retry, { ActionKind::Retry, tr("Move the job back to waiting so a worker runs it again") } },
        { m_remove, { ActionKind::Remove, tr("Delete the job (and its children) from the queue") } },
        { m_promote, { ActionKind::Promote, tr("Move the delayed job to waiting now") } },
        { m_duplicate,
            { ActionKind::Add,
                tr("Add a new job with this job's name, data, attempts and priority (data can be corrected first)") } },
    };
    for (const auto& [button, what] : buttons) {
        const QString why = actionBlocker(what.first);
        button->setEnabled(why.isEmpty());
        button->setToolTip(why.isEmpty() ? what.second : why);
    }
    m_copyJson->setEnabled(detail().exists);
    m_copyData->setEnabled(detail().exists);
}

void JobInspector::setStatus(const QString& text)
{
    m_status->setText(text);
}

void JobInspector::retryJob()
{
    confirmAction(ActionKind::Retry);
}

void JobInspector::removeJob()
{
    confirmAction(ActionKind::Remove);
}

void JobInspector::promoteJob()
{
    confirmAction(ActionKind::Promote);
}

void JobInspector::duplicateJob()
{
    const QString why = actionBlocker(ActionKind::Add);
    if (!why.isEmpty()) {
        setStatus(tr("%1 is not possible: %2").arg(actionName(ActionKind::Add), why));
        return;
    }
    auto* dialog = new AddJobDialog(m_client, m_queue, this);
    dialog->setFromJob(detail());
    const bullmq::QueueRef ref = m_queue.ref;
    const QByteArray source = m_id;
    const quint64 gen = m_generation;
    connect(dialog, &AddJobDialog::jobAdded, this, [this, ref, source, gen](const QByteArray& id) {
        if (gen == m_generation)
            setStatus(tr("Job %1 added as a copy of job %2.").arg(keys::displayBytes(id), keys::displayBytes(source)));
        Q_EMIT jobChanged();
        Q_EMIT openJobRequested(ref, id);
    });
    dialog->show();
}

void JobInspector::confirmAction(ActionKind kind)
{
    const QString why = actionBlocker(kind);
    if (!why.isEmpty()) {
        setStatus(tr("%1 is not possible: %2").arg(actionName(kind), why));
        return;
    }
    if (m_confirm)
        m_confirm->close();
    const QString job
        = tr("job %1 (%2) of %3")
              .arg(keys::displayBytes(m_id), keys::displayBytes(detail().field("name")), m_queue.ref.displayName());
    QString question;
    const char* name = "";
    switch (kind) {
    case ActionKind::Retry:
        question
            = tr("Retry %1? It moves from %2 back to waiting and a worker runs it again.").arg(job, detail().state);
        name = "confirmRetry";
        break;
    case ActionKind::Remove:
        question = tr("Remove %1, with its logs and children? This cannot be undone.").arg(job);
        name = "confirmRemove";
        break;
    case ActionKind::Promote:
        question = tr("Promote %1? It moves from delayed to waiting now.").arg(job);
        name = "confirmPromote";
        break;
    default:
        return;
    }
    auto* box = new QMessageBox(QMessageBox::Question, tr("%1 job").arg(actionName(kind)), question,
        QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(QLatin1String(name));
    box->setTextFormat(Qt::PlainText); // names and ids come from Redis
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setDefaultButton(QMessageBox::Cancel);
    const quint64 gen = m_generation;
    connect(box->button(QMessageBox::Yes), &QAbstractButton::clicked, this, [this, kind, gen] {
        if (gen != m_generation)
            return; // another job is shown now
        runAction(kind);
    });
    m_confirm = box;
    box->open();
}

void JobInspector::runAction(ActionKind kind)
{
    // The state may have changed while the box was open: check again (the script checks too).
    const QString why = actionBlocker(kind);
    if (!why.isEmpty()) {
        setStatus(tr("%1 is not possible: %2").arg(actionName(kind), why));
        return;
    }
    bullmq::ActionRequest request;
    request.kind = kind;
    request.ids = { m_id };
    if (kind == ActionKind::Retry)
        request.state = detail().state.toUtf8();
    auto* runner = new bullmq::ActionRunner(m_client, m_queue, request, this);
    m_runner = runner;
    const quint64 gen = m_generation;
    const QByteArray id = m_id;
    connect(
        runner, &bullmq::ActionRunner::finished, this, [this, runner, kind, gen, id](const bullmq::ActionResult& r) {
            runner->deleteLater();
            if (m_runner == runner)
                m_runner = nullptr;
            if (gen == m_generation) {
                const QString name = actionName(kind);
                if (!r.error.isEmpty())
                    setStatus(tr("%1 failed: %2").arg(name, r.error));
                else if (!r.skipped.isEmpty())
                    setStatus(tr("%1 skipped job %2: %3").arg(name, keys::displayBytes(id), r.skipped.first().second));
                else if (r.done.contains(id))
                    setStatus(kind == ActionKind::Retry  ? tr("Job %1 retried.").arg(keys::displayBytes(id))
                            : kind == ActionKind::Remove ? tr("Job %1 removed.").arg(keys::displayBytes(id))
                                                         : tr("Job %1 promoted.").arg(keys::displayBytes(id)));
                else
                    setStatus(tr("%1: nothing was done.").arg(name));
                updateButtons();
                refresh();
            }
            Q_EMIT jobChanged();
        });
    setStatus(tr("%1 job %2…").arg(actionName(kind), keys::displayBytes(id)));
    updateButtons();
    runner->start();
}

} // namespace bullpen
