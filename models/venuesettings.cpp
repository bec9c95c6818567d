#include "venuesettings.h"

#include "instrumentcatalog.h"
#include "markethub.h"

#include <QDateTime>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QScopedValueRollback>
#include <QStandardPaths>

namespace tickscope {

namespace {

constexpr qint64 kCatalogMaxAgeMs = 24LL * 3600 * 1000;
constexpr int kListTimeoutMs = 15000;

/// "" when `text` is an acceptable URL with one of `schemes` and a host, else why not.
QString checkUrl(const QString &text, std::initializer_list<const char *> schemes, const QString &what)
{
    if (text.trimmed().isEmpty())
        return {};
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    bool schemeOk = false;
    for (const char *scheme : schemes)
        schemeOk = schemeOk || url.scheme() == QLatin1String(scheme);
    if (!url.isValid() || !schemeOk || url.host().isEmpty()) {
        QStringList names;
        for (const char *scheme : schemes)
            names.append(QLatin1String(scheme) + QLatin1String("://"));
        return QObject::tr("%1 must be a %2 URL with a host, not \"%3\"")
            .arg(what, names.join(QObject::tr(" or ")), text);
    }
    return {};
}

} // namespace

VenueSettings::VenueSettings(MarketHub &hub, QObject *parent)
    : QAbstractListModel(parent)
    , m_hub(hub)
    , m_cacheDir(QStandardPaths::writableLocation(QStandardPaths::CacheLocation))
{
    for (const VenueInfo &info : venues()) {
        if (!info.live)
            continue;
        Entry entry;
        entry.info = info;
        m_entries.push_back(std::move(entry));
    }
    // Watchlists edited (or the whole workspace replaced) elsewhere: venues follow.
    connect(m_hub.workspace(), &WorkspaceStore::workspaceModified, this, &VenueSettings::applyWorkspace);
    connect(m_hub.workspace(), &WorkspaceStore::workspaceReplaced, this, &VenueSettings::applyWorkspace);
}

VenueSettings::~VenueSettings()
{
    for (Entry &entry : m_entries) {
        if (entry.fetch)
            entry.fetch->abort();
    }
}

int VenueSettings::rowOf(const QString &venue) const
{
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        if (m_entries[i].info.id == venue)
            return static_cast<int>(i);
    }
    return -1;
}

const InstrumentCatalog *VenueSettings::catalog(const QString &venue) const
{
    const int row = rowOf(venue);
    return row < 0 ? nullptr : &m_entries[static_cast<std::size_t>(row)].catalog;
}

QStringList VenueSettings::defaultSymbols(const QString &venue)
{
    // What a new user most likely wants to see first when turning a venue on.
    if (venue == QLatin1String("binance") || venue == QLatin1String("bybit"))
        return {QStringLiteral("BTCUSDT"), QStringLiteral("ETHUSDT"), QStringLiteral("SOLUSDT")};
    if (venue == QLatin1String("coinbase"))
        return {QStringLiteral("BTC-USD"), QStringLiteral("ETH-USD"), QStringLiteral("SOL-USD")};
    if (venue == QLatin1String("kraken"))
        return {QStringLiteral("BTC/USD"), QStringLiteral("ETH/USD"), QStringLiteral("SOL/USD")};
    if (venue == QLatin1String("okx"))
        return {QStringLiteral("BTC-USDT"), QStringLiteral("ETH-USDT"), QStringLiteral("SOL-USDT")};
    return {};
}

VenueSettings::Wanted VenueSettings::wanted(const Entry &entry) const
{
    const Workspace &workspace = m_hub.workspace()->workspace();
    const QString id = entry.info.id;
    Wanted w;
    const auto feed = workspace.feeds.constFind(id);
    w.enabled = feed == workspace.feeds.cend() ? id == QLatin1String("demo") : feed->enabled;
    if (id == QLatin1String("demo"))
        return w; // its address is main's (the embedded server or --feed); it shows every instrument
    const auto readUrl
        = [&](const QString &text, QUrl &target, std::initializer_list<const char *> schemes, const char *key) {
              const QString problem = checkUrl(text, schemes, QLatin1String(key));
              if (problem.isEmpty()) {
                  target = text.trimmed().isEmpty() ? QUrl() : QUrl(text.trimmed());
                  return;
              }
              w.error = tr("settings: %1 (default used)").arg(problem);
          };
    if (feed != workspace.feeds.cend()) {
        readUrl(feed->wsUrl, w.wsUrl, {"ws", "wss"}, "ws_url");
        readUrl(feed->restUrl, w.restUrl, {"http", "https"}, "rest_url");
    }
    // A venue follows the instruments of its own that the watchlists hold (in list order, each once;
    // not through allInstruments(), which compares every instrument with every other).
    for (const Watchlist &list : workspace.watchlists) {
        for (const InstrumentKey &key : list.instruments) {
            if (key.venue == id && !w.symbols.contains(key.symbol))
                w.symbols.append(key.symbol);
        }
    }
    return w;
}

void VenueSettings::load()
{
    for (Entry &entry : m_entries) {
        const QString id = entry.info.id;
        const Wanted w = wanted(entry);
        entry.enabled = w.enabled;
        entry.symbols = w.symbols;
        entry.error = w.error;
        if (id == QLatin1String("demo"))
            continue;
        entry.wsUrl = w.wsUrl;
        entry.restUrl = w.restUrl;
        if (!entry.error.isEmpty())
            Q_EMIT notice(QStringLiteral("%1: %2").arg(entry.info.displayName, entry.error));
        entry.catalog = loadCatalog(id, m_cacheDir);
        if (!entry.catalog.warning.isEmpty())
            Q_EMIT notice(QStringLiteral("%1: %2").arg(entry.info.displayName, entry.catalog.warning));
    }
}

void VenueSettings::save(const Entry &entry, const QStringList &addSymbols)
{
    const QString id = entry.info.id;
    VenueFeedSettings feed;
    feed.enabled = entry.enabled;
    if (id != QLatin1String("demo")) { // the demo feed's address is main's, never stored
        feed.wsUrl = entry.wsUrl.toString();
        feed.restUrl = entry.restUrl.toString();
    }
    // Our own change: the entries already say what the workspace will.
    const QScopedValueRollback<bool> own(m_applying, true);
    m_hub.workspace()->modify([&](Workspace &w) {
        w.feeds.insert(id, feed);
        if (addSymbols.isEmpty())
            return;
        if (w.watchlists.isEmpty()) {
            Watchlist list;
            list.name = tr("Watchlist");
            w.watchlists.append(list);
            w.currentList = 0;
        }
        Watchlist &list = w.watchlists[std::clamp<qsizetype>(w.currentList, 0, w.watchlists.size() - 1)];
        for (const QString &symbol : addSymbols) {
            const InstrumentKey key {id, symbol};
            if (!w.allInstruments().contains(key))
                list.instruments.append(key);
        }
    });
}

void VenueSettings::applyWorkspace()
{
    if (!m_started || m_applying)
        return;
    const QScopedValueRollback<bool> own(m_applying, true);
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        Entry &entry = m_entries[i];
        const Wanted w = wanted(entry);
        const bool demo = entry.info.id == QLatin1String("demo");
        const bool endpointsChanged = !demo && (w.wsUrl != entry.wsUrl || w.restUrl != entry.restUrl);
        const bool symbolsChanged = !demo && w.symbols != entry.symbols;
        if (w.enabled == entry.enabled && !endpointsChanged && !symbolsChanged)
            continue;
        const bool enabledChanged = w.enabled != entry.enabled;
        entry.enabled = w.enabled;
        entry.symbols = w.symbols;
        if (!demo) {
            entry.wsUrl = w.wsUrl;
            entry.restUrl = w.restUrl;
            entry.error = w.error;
        }
        if (!entry.enabled) {
            if (enabledChanged)
                stopFeed(entry);
        } else if (!demo && entry.symbols.isEmpty() && !enabledChanged) {
            // The venue's last instrument left the watchlists: nothing to subscribe to. (Its usual
            // first instruments are added only when the user switches a venue on.)
            stopFeed(entry);
        } else {
            startFeed(entry);
        }
        changed(static_cast<int>(i));
    }
}

void VenueSettings::setDemoFeed(int feedIndex, const QUrl &url)
{
    const int row = rowOf(QStringLiteral("demo"));
    if (row < 0)
        return;
    Entry &entry = m_entries[static_cast<std::size_t>(row)];
    entry.feedIndex = feedIndex;
    entry.running = feedIndex >= 0;
    entry.wsUrl = url;
    changed(row);
}

void VenueSettings::start()
{
    beginResetModel();
    load();
    endResetModel();
    m_started = true;
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        Entry &entry = m_entries[i];
        if (entry.info.id == QLatin1String("demo")) {
            // The demo feed is started by main (it may be a --feed URL); a user who turned it off
            // finds it paused.
            if (!entry.enabled && entry.feedIndex >= 0)
                m_hub.pauseFeed(entry.feedIndex);
            continue;
        }
        if (entry.enabled)
            startFeed(entry);
        if (m_autoRefresh && entry.enabled && catalogIsStale(entry))
            refreshInstruments(static_cast<int>(i));
    }
}

QUrl VenueSettings::effectiveWs(const Entry &entry) const
{
    return entry.wsUrl.isEmpty() ? entry.info.webSocketUrl : entry.wsUrl;
}

QUrl VenueSettings::effectiveRest(const Entry &entry) const
{
    return entry.restUrl.isEmpty() ? entry.info.restUrl : entry.restUrl;
}

bool VenueSettings::catalogIsStale(const Entry &entry) const
{
    if (entry.catalog.origin == CatalogOrigin::Venue)
        return false;
    if (entry.catalog.origin == CatalogOrigin::Cache)
        return QDateTime::currentMSecsSinceEpoch() - entry.catalog.fetchedMs > kCatalogMaxAgeMs;
    return true;
}

void VenueSettings::startFeed(Entry &entry)
{
    if (entry.info.id == QLatin1String("demo")) {
        if (entry.feedIndex >= 0)
            m_hub.resumeFeed(entry.feedIndex);
        entry.running = entry.feedIndex >= 0;
        return;
    }
    if (entry.symbols.isEmpty()) {
        // A venue switched on with nothing followed: its usual first instruments join the watchlist.
        for (const QString &symbol : defaultSymbols(entry.info.id)) {
            const bool known = std::any_of(entry.catalog.instruments.begin(), entry.catalog.instruments.end(),
                                           [&](const Instrument &i) { return i.symbol == symbol; });
            if (known || entry.catalog.instruments.empty())
                entry.symbols.append(symbol);
        }
        save(entry, entry.symbols);
    }
    const QUrl ws = effectiveWs(entry);
    std::unique_ptr<VenueProtocol> protocol
        = makeProtocol(entry.info.id, {ws, effectiveRest(entry)}, entry.symbols, entry.catalog.instruments);
    if (!protocol) {
        entry.error = tr("no protocol for this venue");
        return;
    }
    FeedConfig config = m_configFactory ? m_configFactory(entry.info.id, ws) : FeedConfig {};
    config.name = entry.info.id;
    config.symbols = entry.symbols;
    // Reconnect delays and silence timeout: the workspace's (Settings → Connection), live.
    if (entry.feedIndex < 0)
        entry.feedIndex = m_hub.addFeed(std::move(protocol), std::move(config), true);
    else
        m_hub.replaceFeed(entry.feedIndex, std::move(protocol), std::move(config), true);
    entry.running = true;
}

void VenueSettings::stopFeed(Entry &entry)
{
    if (entry.feedIndex >= 0)
        m_hub.pauseFeed(entry.feedIndex);
    entry.running = false;
}

void VenueSettings::changed(int row)
{
    const QModelIndex at = index(row);
    Q_EMIT dataChanged(at, at);
}

void VenueSettings::setEnabled(int row, bool enabled)
{
    if (row < 0 || row >= rowCount())
        return;
    Entry &entry = m_entries[static_cast<std::size_t>(row)];
    if (entry.enabled == enabled)
        return;
    entry.enabled = enabled;
    save(entry);
    if (enabled) {
        startFeed(entry);
        if (m_autoRefresh && entry.info.id != QLatin1String("demo") && catalogIsStale(entry))
            refreshInstruments(row);
    } else {
        stopFeed(entry);
    }
    changed(row);
}

QString VenueSettings::setEndpoints(int row, const QString &wsUrl, const QString &restUrl)
{
    if (row < 0 || row >= rowCount())
        return tr("no such venue");
    Entry &entry = m_entries[static_cast<std::size_t>(row)];
    if (entry.info.id == QLatin1String("demo"))
        return tr("the demo feed's address is set with --feed");
    QString problem = checkUrl(wsUrl, {"ws", "wss"}, tr("The WebSocket URL"));
    if (problem.isEmpty())
        problem = checkUrl(restUrl, {"http", "https"}, tr("The REST URL"));
    if (!problem.isEmpty())
        return problem; // nothing changes: the working endpoints stay
    const QUrl ws = wsUrl.trimmed().isEmpty() ? QUrl() : QUrl(wsUrl.trimmed());
    const QUrl rest = restUrl.trimmed().isEmpty() ? QUrl() : QUrl(restUrl.trimmed());
    // The defaults are stored as "default" (empty), so a later app version's endpoints apply.
    entry.wsUrl = ws == entry.info.webSocketUrl ? QUrl() : ws;
    entry.restUrl = rest == entry.info.restUrl ? QUrl() : rest;
    entry.error.clear();
    save(entry);
    if (entry.enabled)
        startFeed(entry);
    changed(row);
    return {};
}

void VenueSettings::resetEndpoints(int row)
{
    if (row < 0 || row >= rowCount())
        return;
    setEndpoints(row, QString(), QString());
}

void VenueSettings::refreshInstruments(int row)
{
    if (row < 0 || row >= rowCount())
        return;
    Entry &entry = m_entries[static_cast<std::size_t>(row)];
    const QUrl url = instrumentListUrl(entry.info.id, effectiveRest(entry));
    if (url.isEmpty() || entry.fetch)
        return;
    if (!m_network)
        m_network = new QNetworkAccessManager(this);
    QNetworkRequest request(url);
    request.setTransferTimeout(kListTimeoutMs);
    request.setHeader(QNetworkRequest::UserAgentHeader, QStringLiteral("Tickscope/" TICKSCOPE_VERSION));
    QNetworkReply *reply = m_network->get(request);
    entry.fetch = reply;
    const QString venue = entry.info.id;
    connect(reply, &QNetworkReply::finished, this, [this, reply, venue, url] {
        reply->deleteLater();
        const int at = rowOf(venue);
        if (at < 0)
            return;
        Entry &e = m_entries[static_cast<std::size_t>(at)];
        e.fetch = nullptr;
        if (reply->error() != QNetworkReply::NoError) {
            e.error = tr("instrument list not updated: %1 (using the %2 list)")
                          .arg(reply->errorString(),
                               e.catalog.origin == CatalogOrigin::Cache ? tr("cached") : tr("bundled"));
            changed(at);
            return;
        }
        QString parseError;
        std::vector<Instrument> list = parseInstrumentList(venue, reply->readAll(), &parseError);
        if (list.empty()) {
            e.error = tr("instrument list from %1 not understood: %2").arg(url.host(), parseError);
            changed(at);
            return;
        }
        for (Instrument &instrument : list)
            instrument.venue = venue;
        InstrumentCatalog fresh;
        fresh.venue = venue;
        fresh.instruments = std::move(list);
        fresh.origin = CatalogOrigin::Venue;
        fresh.fetchedMs = QDateTime::currentMSecsSinceEpoch();
        fresh.source = url.toString();
        QString storeError;
        if (!storeCatalog(fresh, m_cacheDir, &storeError))
            Q_EMIT notice(tr("%1: instrument list not cached: %2").arg(e.info.displayName, storeError));
        // Followed symbols whose precision changed need their feed restarted with the new table.
        bool precisionChanged = false;
        for (const QString &symbol : e.symbols) {
            const auto find = [&](const std::vector<Instrument> &in) -> const Instrument * {
                for (const Instrument &i : in) {
                    if (i.symbol == symbol)
                        return &i;
                }
                return nullptr;
            };
            const Instrument *before = find(e.catalog.instruments);
            const Instrument *after = find(fresh.instruments);
            if ((before == nullptr) != (after == nullptr) || (before && after && !(*before == *after)))
                precisionChanged = true;
        }
        e.catalog = std::move(fresh);
        e.error.clear();
        Q_EMIT notice(
            tr("%1: instrument list updated (%2 instruments)")
                .arg(e.info.displayName, QLocale().toString(static_cast<qlonglong>(e.catalog.instruments.size()))));
        if (precisionChanged && e.enabled)
            startFeed(e);
        changed(at);
    });
}

QString VenueSettings::follow(const QString &venue, const QString &symbol)
{
    const int row = rowOf(venue);
    if (row < 0)
        return tr("unknown venue \"%1\"").arg(venue);
    Entry &entry = m_entries[static_cast<std::size_t>(row)];
    if (venue == QLatin1String("demo"))
        return tr("the demo feed shows all its instruments");
    if (symbol.trimmed().isEmpty())
        return tr("no symbol given");
    if (entry.symbols.contains(symbol))
        return {};
    entry.symbols.append(symbol.trimmed());
    if (!entry.enabled)
        entry.enabled = true;
    save(entry, {symbol.trimmed()});
    startFeed(entry);
    changed(row);
    return {};
}

QString VenueSettings::unfollow(const QString &venue, const QString &symbol)
{
    const int row = rowOf(venue);
    if (row < 0)
        return tr("unknown venue \"%1\"").arg(venue);
    Entry &entry = m_entries[static_cast<std::size_t>(row)];
    if (!entry.symbols.removeOne(symbol))
        return tr("%1 is not followed on %2").arg(symbol, entry.info.displayName);
    save(entry);
    {
        const QScopedValueRollback<bool> own(m_applying, true);
        m_hub.workspace()->modify([&](Workspace &w) {
            for (Watchlist &list : w.watchlists)
                list.instruments.removeAll(InstrumentKey {venue, symbol});
        });
    }
    if (entry.enabled)
        startFeed(entry);
    changed(row);
    return {};
}

QVariantList VenueSettings::searchCatalogs(const QString &text, int limit) const
{
    static const char *const kinds[] = {"spot", "perpetual", "future", "fx", "index"};
    const QString needle = text.trimmed();
    std::vector<std::pair<int, const Instrument *>> ranked;
    for (const Entry &entry : m_entries) {
        if (!entry.enabled)
            continue;
        for (const Instrument &i : entry.catalog.instruments) {
            if (entry.symbols.contains(i.symbol))
                continue;
            const int rank = searchRank(i, needle);
            if (rank >= 0)
                ranked.emplace_back(rank, &i);
        }
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    QVariantList out;
    for (const auto &[rank, instrument] : ranked) {
        if (out.size() >= limit)
            break;
        out.append(QVariantMap {{QStringLiteral("id"), -1},
                                {QStringLiteral("symbol"), instrument->symbol},
                                {QStringLiteral("name"), instrument->displayName},
                                {QStringLiteral("venue"), instrument->venue},
                                {QStringLiteral("kind"), QLatin1String(kinds[static_cast<int>(instrument->kind)])},
                                {QStringLiteral("followed"), false}});
    }
    return out;
}

QString VenueSettings::catalogText(const Entry &entry) const
{
    if (entry.info.id == QLatin1String("demo"))
        return tr("instruments announced by the feed");
    const QString count = QLocale().toString(static_cast<qlonglong>(entry.catalog.instruments.size()));
    switch (entry.catalog.origin) {
    case CatalogOrigin::Venue:
        return tr("%1 instruments, fetched from the venue just now").arg(count);
    case CatalogOrigin::Cache:
        return tr("%1 instruments, fetched %2")
            .arg(count,
                 QLocale().toString(QDateTime::fromMSecsSinceEpoch(entry.catalog.fetchedMs), QLocale::ShortFormat));
    case CatalogOrigin::Bundled:
        return tr("%1 instruments from the bundled list (not fetched yet)").arg(count);
    case CatalogOrigin::None:
        break;
    }
    return tr("no instrument list");
}

int VenueSettings::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

QVariant VenueSettings::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &entry = m_entries[static_cast<std::size_t>(index.row())];
    switch (role) {
    case VenueIdRole:
        return entry.info.id;
    case Qt::DisplayRole:
    case NameRole:
        return entry.info.displayName;
    case EnabledRole:
        return entry.enabled;
    case WsUrlRole:
        return effectiveWs(entry).toString();
    case RestUrlRole:
        return effectiveRest(entry).toString();
    case SymbolsRole:
        return entry.symbols;
    case InstrumentCountRole:
        return static_cast<int>(entry.catalog.instruments.size());
    case CatalogOriginRole:
        switch (entry.catalog.origin) {
        case CatalogOrigin::Venue:
            return QStringLiteral("venue");
        case CatalogOrigin::Cache:
            return QStringLiteral("cache");
        case CatalogOrigin::Bundled:
            return QStringLiteral("bundled");
        case CatalogOrigin::None:
            return QStringLiteral("none");
        }
        return {};
    case CatalogTextRole:
        return catalogText(entry);
    case ErrorRole:
        return entry.error;
    case FeedIndexRole:
        return entry.running ? entry.feedIndex : -1;
    case LiveRole:
        return entry.info.live;
    default:
        return {};
    }
}

QHash<int, QByteArray> VenueSettings::roleNames() const
{
    return {{VenueIdRole, "venueId"},
            {NameRole, "name"},
            {EnabledRole, "enabled"},
            {WsUrlRole, "wsUrl"},
            {RestUrlRole, "restUrl"},
            {SymbolsRole, "symbols"},
            {InstrumentCountRole, "instrumentCount"},
            {CatalogOriginRole, "catalogOrigin"},
            {CatalogTextRole, "catalogText"},
            {ErrorRole, "error"},
            {FeedIndexRole, "feedIndex"},
            {LiveRole, "live"}};
}

} // namespace tickscope
