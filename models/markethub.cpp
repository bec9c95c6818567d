#include "markethub.h"

#include "decimal.h"
#include "instrumentcatalog.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QQmlEngine>

#include <algorithm>

#include <cmath>

namespace tickscope {

namespace {
MarketHub *s_instance = nullptr;
}

MarketHub::MarketHub(QObject *parent)
    : QObject(parent)
    , m_driver(m_handoff, m_cache, m_stats)
    , m_watchlist(m_cache, &m_stats)
    , m_bids(m_cache, &m_stats)
    , m_asks(m_cache, &m_stats)
    , m_trades(m_cache, &m_stats)
    , m_candles(m_cache, &m_stats)
    , m_feeds(m_cache, &m_stats)
    , m_lists(m_workspace, m_watchlist)
    , m_feedManager(m_handoff, m_stats)
    , m_venues(*this)
{
    m_bids.setSide(OrderBookModel::Bid);
    m_asks.setSide(OrderBookModel::Ask);
    for (DrainListener *listener :
         std::initializer_list<DrainListener *> {&m_watchlist, &m_bids, &m_asks, &m_trades, &m_candles, &m_feeds})
        m_driver.addListener(listener);
    connect(&m_driver, &FrameDriver::drained, this, &MarketHub::onDrained);
    connect(&m_workspace, &WorkspaceStore::workspaceReplaced, this, &MarketHub::onWorkspaceReplaced);
    // An imported instrument is known when a feed announced it or a venue's catalogue lists it.
    m_lists.setInstrumentPredicate([this](const InstrumentKey &key) {
        if (m_cache.find(key.venue, key.symbol) != kNoInstrument)
            return true;
        const InstrumentCatalog *catalog = m_venues.catalog(key.venue);
        return catalog
            && std::any_of(catalog->instruments.begin(), catalog->instruments.end(),
                           [&](const Instrument &instrument) { return instrument.symbol == key.symbol; });
    });
    connect(&m_workspace, &WorkspaceStore::connectionSettingsChanged, this, &MarketHub::applyWorkspaceTimeouts);
    // Before the first instrument is selected the note names the first row's venue.
    connect(&m_watchlist, &WatchlistModel::countChanged, this, &MarketHub::refreshDataNote);
    refreshDataNote();
}

MarketHub::~MarketHub()
{
    if (s_instance == this)
        s_instance = nullptr;
}

MarketHub *MarketHub::create(QQmlEngine *qmlEngine, QJSEngine *jsEngine)
{
    Q_UNUSED(jsEngine);
    Q_ASSERT(s_instance);
    // main() owns the hub; the engine must not delete it.
    QQmlEngine::setObjectOwnership(s_instance, QQmlEngine::CppOwnership);
    Q_ASSERT(qmlEngine->thread() == s_instance->thread());
    return s_instance;
}

void MarketHub::setInstance(MarketHub *hub)
{
    s_instance = hub;
}

int MarketHub::addFeed(std::unique_ptr<VenueProtocol> protocol, FeedConfig config, bool followWorkspace)
{
    const std::chrono::milliseconds protocolSilence = protocol->heartbeat().silenceTimeout;
    if (followWorkspace)
        config = withWorkspaceTimeouts(std::move(config), protocolSilence);
    const int feed = m_feedManager.addFeed(std::move(protocol), std::move(config));
    remember(feed, followWorkspace, protocolSilence);
    return feed;
}

void MarketHub::replaceFeed(int feed, std::unique_ptr<VenueProtocol> protocol, FeedConfig config, bool followWorkspace)
{
    const std::chrono::milliseconds protocolSilence = protocol->heartbeat().silenceTimeout;
    if (followWorkspace)
        config = withWorkspaceTimeouts(std::move(config), protocolSilence);
    m_feedManager.replaceFeed(feed, std::move(protocol), std::move(config));
    remember(feed, followWorkspace, protocolSilence);
}

void MarketHub::remember(int feed, bool followWorkspace, std::chrono::milliseconds protocolSilence)
{
    if (feed < 0)
        return;
    if (static_cast<std::size_t>(feed) >= m_followed.size())
        m_followed.resize(static_cast<std::size_t>(feed) + 1);
    m_followed[static_cast<std::size_t>(feed)] = {followWorkspace, protocolSilence};
}

FeedConfig MarketHub::withWorkspaceTimeouts(FeedConfig config, std::chrono::milliseconds protocolSilence) const
{
    const Workspace &w = m_workspace.workspace();
    const auto ms = [](double seconds) { return std::chrono::milliseconds(std::llround(seconds * 1000)); };
    config.backoffBase = ms(w.reconnectBaseSeconds);
    config.backoffCap = ms(w.reconnectCapSeconds);
    // A venue that is quiet by nature (Binance, OKX, Bybit: 30 s) would look Stale all the time with
    // a short setting, so its own timeout is the floor.
    config.silenceTimeout
        = m_silenceOverride.count() > 0 ? m_silenceOverride : std::max(ms(w.silenceTimeoutSeconds), protocolSilence);
    return config;
}

void MarketHub::setSilenceTimeoutOverride(std::chrono::milliseconds timeout)
{
    m_silenceOverride = timeout;
    applyWorkspaceTimeouts();
}

void MarketHub::applyWorkspaceTimeouts()
{
    for (std::size_t feed = 0; feed < m_followed.size(); ++feed) {
        if (!m_followed[feed].follows)
            continue;
        const FeedConfig config = withWorkspaceTimeouts({}, m_followed[feed].protocolSilence);
        m_feedManager.setTimeouts(static_cast<int>(feed), config.backoffBase, config.backoffCap, config.silenceTimeout);
    }
}

void MarketHub::setSelectedInstrument(int id)
{
    const InstrumentId instrument = id < 0 ? kNoInstrument : static_cast<InstrumentId>(id);
    if (instrument != kNoInstrument && instrument >= m_cache.instrumentCount())
        return;
    m_pendingSymbol.clear(); // the user's choice wins over one waiting to appear
    select(instrument, true);
}

void MarketHub::select(InstrumentId instrument, bool remember)
{
    if (instrument == m_selected)
        return;
    m_selected = instrument;
    const int value = selectedInstrument();
    m_bids.setInstrument(value);
    m_asks.setInstrument(value);
    m_trades.setInstrument(value);
    m_candles.setInstrument(value);
    if (remember && instrument != kNoInstrument) {
        const Instrument &chosen = m_cache.instrument(instrument);
        m_workspace.modify([&](Workspace &workspace) { workspace.selected = {chosen.venue, chosen.symbol}; });
    }
    Q_EMIT selectedInstrumentChanged();
    refreshSummary();
    refreshDataNote();
}

void MarketHub::onWorkspaceReplaced()
{
    // From now on the user's lists say what the watchlist shows.
    m_watchlist.setFollowAll(false);
    const InstrumentKey saved = m_workspace.workspace().selected;
    if (saved.isValid()) {
        m_pendingVenue = saved.venue;
        m_pendingSymbol = saved.symbol;
        onDrained();
    }
}

QVariantList MarketHub::searchInstruments(const QString &text, int limit) const
{
    const QString needle = text.trimmed();
    std::vector<std::pair<int, InstrumentId>> ranked; // (rank, id); lower rank = better
    for (InstrumentId id = 0; id < m_cache.instrumentCount(); ++id) {
        const int rank = searchRank(m_cache.instrument(id), needle);
        if (rank >= 0)
            ranked.emplace_back(rank, id);
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    static const char *const kinds[] = {"spot", "perpetual", "future", "fx", "index"};
    QVariantList out;
    for (const auto &[rank, id] : ranked) {
        if (out.size() >= limit)
            break;
        const Instrument &instrument = m_cache.instrument(id);
        out.append(QVariantMap {{QStringLiteral("id"), static_cast<int>(id)},
                                {QStringLiteral("symbol"), instrument.symbol},
                                {QStringLiteral("name"), instrument.displayName},
                                {QStringLiteral("venue"), instrument.venue},
                                {QStringLiteral("kind"), QLatin1String(kinds[static_cast<int>(instrument.kind)])},
                                {QStringLiteral("followed"), true}});
    }
    if (out.size() < limit)
        out += m_venues.searchCatalogs(text, limit - static_cast<int>(out.size()));
    return out;
}

QString MarketHub::followInstrument(const QString &venue, const QString &symbol)
{
    const QString problem = m_venues.follow(venue, symbol);
    if (problem.isEmpty()) {
        m_pendingVenue = venue;
        m_pendingSymbol = symbol;
        onDrained();
    }
    return problem;
}

QString MarketHub::addToWatchlist(const QString &venue, const QString &symbol)
{
    const InstrumentId known = m_cache.find(venue, symbol);
    const int venueRow = m_venues.rowOf(venue);
    if (venueRow < 0)
        return tr("unknown venue \"%1\"").arg(venue);
    const bool enabled = m_venues.data(m_venues.index(venueRow), VenueSettings::EnabledRole).toBool();
    if (venue != QLatin1String("demo") && !enabled) {
        // Switches the venue on and adds the instrument to the current list.
        const QString problem = m_venues.follow(venue, symbol);
        if (!problem.isEmpty())
            return problem;
    }
    // The user's edit (undoable); the venue subscribes to what the lists hold.
    m_watchlist.addKey(venue, symbol);
    if (known != kNoInstrument) {
        setSelectedInstrument(static_cast<int>(known));
    } else {
        m_pendingVenue = venue;
        m_pendingSymbol = symbol;
    }
    return {};
}

QString MarketHub::selectedName() const
{
    return m_selected == kNoInstrument ? QString() : m_cache.instrument(m_selected).displayName;
}

void MarketHub::refreshSummary()
{
    Summary now;
    if (m_selected != kNoInstrument) {
        const MarketCache::InstrumentState &state = m_cache.state(m_selected);
        const int scale = m_cache.instrument(m_selected).priceScale;
        switch (state.integrity) {
        case BookIntegrity::Synced:
            // In sequence, but the feed is not live: the book may be old, so it does not say "synced".
            now.integrity = state.stale ? QStringLiteral("stale") : QStringLiteral("synced");
            break;
        case BookIntegrity::Resyncing:
            // Out of sync with the feed down: nothing is being resynced until it is back.
            now.integrity = state.stale ? QStringLiteral("offline") : QStringLiteral("resyncing");
            break;
        case BookIntegrity::Gap:
            now.integrity = state.stale ? QStringLiteral("offline") : QStringLiteral("gap");
            break;
        }
        if (state.quote.bid != kNoPrice && state.quote.ask != kNoPrice)
            now.spread = formatDecimalQ(state.quote.ask - state.quote.bid, scale);
        if (state.quote.last != kNoPrice)
            now.last = formatDecimalQ(state.quote.last, scale);
        now.tickDirection = state.quote.tickDirection;
    }
    if (now == m_summary)
        return;
    m_summary = std::move(now);
    Q_EMIT selectedSummaryChanged();
}

QString MarketHub::selectedSymbol() const
{
    return m_selected == kNoInstrument ? QString() : m_cache.instrument(m_selected).symbol;
}

void MarketHub::onDrained()
{
    if (!m_pendingSymbol.isEmpty()) {
        const InstrumentId id = m_cache.find(m_pendingVenue, m_pendingSymbol);
        if (id != kNoInstrument) {
            m_pendingSymbol.clear();
            select(id, true);
        }
    }
    // Until something is chosen (or while the chosen one has not appeared), show the first row.
    if (m_selected == kNoInstrument && m_cache.instrumentCount() > 0) {
        const int first = m_watchlist.instrumentAt(0);
        select(first >= 0 ? static_cast<InstrumentId>(first) : InstrumentId {0}, false);
    }
    refreshSummary();
    refreshDataNote();
}

void MarketHub::refreshDataNote()
{
    // The venue whose data the panels show or wait for.
    QString venue;
    if (m_selected != kNoInstrument)
        venue = m_cache.instrument(m_selected).venue;
    else if (!m_pendingSymbol.isEmpty())
        venue = m_pendingVenue;
    else if (m_watchlist.rowCount() > 0)
        venue = m_watchlist.venueAt(0);
    else if (!m_cache.feeds().empty())
        venue = m_cache.feeds().front().name; // the watchlist fills as the feed announces

    QString note;
    if (venue.isEmpty()) {
        if (m_selected == kNoInstrument)
            note = tr("Nothing to show: add an instrument with Ctrl+K");
    } else {
        const std::vector<FeedSnapshot> &feeds = m_cache.feeds();
        const auto feed
            = std::find_if(feeds.begin(), feeds.end(), [&venue](const FeedSnapshot &f) { return f.name == venue; });
        if (feed == feeds.end()) {
            note = tr("Waiting for %1").arg(venue);
        } else if (feed->state != FeedState::Live) {
            QString state = FeedStatusModel::stateText(*feed);
            // Why the last attempt failed ("Connection refused"); other states' details say less.
            if (feed->state == FeedState::Reconnecting && !feed->detail.isEmpty())
                state += QStringLiteral(": ") + feed->detail;
            note = tr("Waiting for %1 — %2").arg(venue, state);
        } else if (m_selected == kNoInstrument) {
            note = tr("Waiting for %1 — no instruments yet").arg(venue);
        }
    }
    if (note == m_dataNote)
        return;
    m_dataNote = note;
    Q_EMIT dataNoteChanged();
}

QJsonObject MarketHub::statsJson() const
{
    const LatencyHistogram &latency = m_cache.latencyOverall();
    QJsonArray feeds;
    for (const FeedSnapshot &feed : m_cache.feeds()) {
        feeds.append(QJsonObject {
            {QStringLiteral("name"), feed.name},
            {QStringLiteral("url"), feed.url},
            {QStringLiteral("state"), feedStateName(feed.state)},
            {QStringLiteral("detail"), feed.detail},
            {QStringLiteral("messages_received"), static_cast<qint64>(feed.framesReceived)},
            {QStringLiteral("messages_applied"), static_cast<qint64>(feed.messagesApplied)},
            {QStringLiteral("reconnects"), static_cast<qint64>(feed.reconnects)},
            {QStringLiteral("gaps"), static_cast<qint64>(feed.gaps)},
            {QStringLiteral("resyncs"), static_cast<qint64>(feed.resyncs)},
            {QStringLiteral("crossed_books"), static_cast<qint64>(feed.crossedBooks)},
            {QStringLiteral("checksum_ok"), static_cast<qint64>(feed.checksumOk)},
            {QStringLiteral("checksum_bad"), static_cast<qint64>(feed.checksumBad)},
            {QStringLiteral("decode_errors"), static_cast<qint64>(feed.decodeErrors)},
            {QStringLiteral("books_synced"), feed.booksSynced},
            {QStringLiteral("books_total"), feed.booksTotal},
        });
    }
    return QJsonObject {
        {QStringLiteral("messages_received"), static_cast<qint64>(PipelineStats::get(m_stats.framesReceived))},
        {QStringLiteral("messages_decoded"), static_cast<qint64>(PipelineStats::get(m_stats.framesDecoded))},
        {QStringLiteral("messages_applied"), static_cast<qint64>(PipelineStats::get(m_stats.messagesApplied))},
        {QStringLiteral("decode_errors"), static_cast<qint64>(PipelineStats::get(m_stats.decodeErrors))},
        {QStringLiteral("publishes"), static_cast<qint64>(PipelineStats::get(m_stats.publishes))},
        {QStringLiteral("drains"), static_cast<qint64>(PipelineStats::get(m_stats.drains))},
        {QStringLiteral("model_signals"), static_cast<qint64>(PipelineStats::get(m_stats.modelSignals))},
        {QStringLiteral("latency_recv_to_model_ms_p50"), latency.quantileMs(0.5)},
        {QStringLiteral("latency_recv_to_model_ms_p99"), latency.quantileMs(0.99)},
        {QStringLiteral("latency_samples"), static_cast<qint64>(latency.count())},
        {QStringLiteral("feeds"), feeds},
        {QStringLiteral("workspace"), m_workspace.statsJson()},
    };
}

} // namespace tickscope
