// SPDX-License-Identifier: MIT
#include "keyvalueviewer.h"

#include "bullmq/futurewatch.h"
#include "keys/keyname.h"
#include "keys/keyvaluemodel.h"
#include "redisclient.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace bullpen {

using namespace keys;

namespace {
    enum Page { EmptyPage, StringPage, CollectionPage };
    enum Format { Text, Json, Hex };
}

KeyValueViewer::KeyValueViewer(QWidget* parent)
    : QWidget(parent)
    , m_collection(new KeyValueModel(this))
    , m_string(new StringValue(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_header = new QLabel(this);
    m_header->setObjectName(QStringLiteral("keyHeader"));
    m_header->setTextFormat(Qt::PlainText); // key names are untrusted
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_header);

    m_stack = new QStackedWidget(this);
    auto* empty = new QLabel(tr("Select a key to see its value."), m_stack);
    empty->setAlignment(Qt::AlignCenter);
    m_stack->addWidget(empty);

    auto* stringPage = new QWidget(m_stack);
    auto* sl = new QVBoxLayout(stringPage);
    sl->setContentsMargins(0, 0, 0, 0);
    auto* bar = new QHBoxLayout;
    m_format = new QComboBox(stringPage);
    m_format->setObjectName(QStringLiteral("formatBox"));
    m_format->addItems({ tr("Text"), tr("JSON"), tr("Hex") });
    m_size = new QLabel(stringPage);
    m_size->setTextFormat(Qt::PlainText);
    m_more = new QPushButton(tr("Load more"), stringPage);
    m_more->setObjectName(QStringLiteral("loadMoreValue"));
    bar->addWidget(m_format);
    bar->addWidget(m_size, 1);
    bar->addWidget(m_more);
    sl->addLayout(bar);
    m_text = new QPlainTextEdit(stringPage);
    m_text->setObjectName(QStringLiteral("stringText"));
    m_text->setReadOnly(true);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    sl->addWidget(m_text);
    m_stack->addWidget(stringPage);

    auto* collectionPage = new QWidget(m_stack);
    auto* cl = new QVBoxLayout(collectionPage);
    cl->setContentsMargins(0, 0, 0, 0);
    m_table = new QTableView(collectionPage);
    m_table->setObjectName(QStringLiteral("collectionTable"));
    m_table->setModel(m_collection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    cl->addWidget(m_table);
    m_groups = new QLabel(collectionPage);
    m_groups->setTextFormat(Qt::PlainText);
    m_groups->hide();
    cl->addWidget(m_groups);
    m_stack->addWidget(collectionPage);
    layout->addWidget(m_stack, 1);

    connect(m_format, &QComboBox::currentIndexChanged, this, &KeyValueViewer::renderString);
    connect(m_more, &QPushButton::clicked, this, [this] { m_string->loadMore(); });
    connect(m_string, &StringValue::loaded, this, [this] {
        // A whole value that is JSON opens pretty-printed; later loads keep the user's choice.
        if (m_pickFormat) {
            m_pickFormat = false;
            const int f = m_string->isComplete() && !format::prettyJson(m_string->bytes()).isNull() ? Json : Text;
            const QSignalBlocker block(m_format);
            m_format->setCurrentIndex(f);
        }
        renderString();
        Q_EMIT shown();
    });
    connect(m_string, &StringValue::failed, this, &KeyValueViewer::failed);
    connect(m_collection, &KeyValueModel::failed, this, &KeyValueViewer::failed);
    connect(m_collection, &KeyValueModel::pageLoaded, this, [this] {
        m_table->resizeColumnToContents(0);
        setHeader(m_summary);
        Q_EMIT shown();
    });
    connect(m_collection, &KeyValueModel::lengthChanged, this, [this] { setHeader(m_summary); });
    connect(m_collection, &KeyValueModel::streamGroupsChanged, this, [this] {
        m_groups->setText(m_collection->streamGroups().join(QLatin1Char('\n')));
        m_groups->show();
    });
    clear();
}

KeyValueViewer::~KeyValueViewer() = default;

void KeyValueViewer::setClient(RedisClient* client)
{
    m_client = client;
    clear();
}

void KeyValueViewer::clear()
{
    ++m_generation;
    m_key.clear();
    m_type = KeyType::Unknown;
    m_summary.clear();
    m_string->clear();
    m_collection->clear();
    m_text->clear();
    m_groups->hide();
    m_header->clear();
    m_stack->setCurrentIndex(EmptyPage);
}

QString KeyValueViewer::headerText() const
{
    return m_header->text();
}

QString KeyValueViewer::stringText() const
{
    return m_stack->currentIndex() == StringPage ? m_text->toPlainText() : QString();
}

void KeyValueViewer::setHeader(const QString& summary)
{
    QString text = summary;
    if (m_collection->length() >= 0)
        text += tr(" · %n element(s)", nullptr, int(std::min<qint64>(m_collection->length(), INT_MAX)));
    if (m_stack->currentIndex() == CollectionPage && m_collection->length() > m_collection->rowCount())
        text += tr(" (%1 shown, more as you scroll)").arg(m_collection->rowCount());
    m_header->setText(text);
}

void KeyValueViewer::showKey(const QByteArray& key)
{
    clear();
    if (key.isEmpty() || !m_client)
        return;
    m_key = key;
    const quint64 gen = m_generation;
    const QList<Command> cmds { { "TYPE", key }, { "PTTL", key }, { "MEMORY", "USAGE", key }, { "OBJECT", "ENCODING", key } };
    m_header->setText(tr("%1 · reading…").arg(displayBytes(key)));
    bullmq::whenReady(this, m_client->pipeline(cmds), [this, gen, key](const QList<Reply>& r) {
        if (gen != m_generation)
            return;
        const Reply& type = r.value(0);
        if (type.isError()) {
            m_header->setText(displayBytes(key));
            Q_EMIT failed(type.errorMessage());
            return;
        }
        m_type = keyTypeFromName(type.bytes());
        if (m_type == KeyType::None) {
            m_header->setText(tr("%1 · the key no longer exists").arg(displayBytes(key)));
            Q_EMIT shown();
            return;
        }
        const qint64 ttl = r.value(1).integer();
        const Reply& mem = r.value(2);
        QStringList parts { displayBytes(key), keyTypeName(m_type),
            ttl >= 0 ? tr("expires in %1").arg(formatDuration(ttl)) : tr("no TTL"),
            mem.isInteger() ? formatBytes(mem.integer()) : tr("memory n/a (%1)").arg(mem.errorMessage()),
            QString::fromLatin1(r.value(3).bytes()) };
        m_summary = parts.join(QStringLiteral(" · "));
        setHeader(m_summary);
        if (m_type == KeyType::String) {
            m_stack->setCurrentIndex(StringPage);
            m_pickFormat = true;
            m_string->load(m_client, key);
        } else {
            m_stack->setCurrentIndex(CollectionPage);
            m_collection->load(m_client, key, m_type);
        }
    });
}

void KeyValueViewer::renderString()
{
    const QByteArray& bytes = m_string->bytes();
    QString text;
    switch (m_format->currentIndex()) {
    case Json:
        text = m_string->isComplete() ? format::prettyJson(bytes) : QString();
        if (text.isNull())
            text = m_string->isComplete() ? tr("(not JSON)\n\n") + format::text(bytes)
                                          : tr("(JSON needs the whole value: load more)\n\n") + format::text(bytes);
        break;
    case Hex:
        text = format::hex(bytes, 1024 * 1024);
        break;
    default:
        text = format::text(bytes);
        break;
    }
    m_text->setPlainText(text);
    m_size->setText(m_string->isComplete()
            ? tr("%1").arg(formatBytes(m_string->length()))
            : tr("first %1 of %2").arg(formatBytes(bytes.size()), formatBytes(m_string->length())));
    m_more->setVisible(!m_string->isComplete());
}

} // namespace bullpen
