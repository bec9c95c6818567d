#pragma once

#include "candlemodel.h"
#include "feedconnection.h"
#include "feedmanager.h"
#include "feedstatusmodel.h"
#include "framedriver.h"
#include "handoff.h"
#include "marketcache.h"
#include "orderbookmodel.h"
#include "pipelinestats.h"
#include "tradesmodel.h"
#include "venueprotocol.h"
#include "venuesettings.h"
#include "watchlistmodel.h"
#include "watchlistsmodel.h"
#include "workspacestore.h"

#include <QJsonObject>
#include <QObject>
#include <QtQml/qqmlregistration.h>

#include <memory>

class QQmlEngine;
class QJSEngine;

namespace tickscope {

/// The market as QML sees it: owns the feed thread (FeedManager), the handoff, the GUI-side
/// MarketCache, the FrameDriver and the models, and exposes the models and per-feed actions.
/// Constructed in main() and handed to the QML engine as a singleton.
class MarketHub : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    /// The rows of the current watchlist.
    Q_PROPERTY(tickscope::WatchlistModel *watchlist READ watchlist CONSTANT)
    /// The user's named watchlists (tabs); the current one fills `watchlist`.
    Q_PROPERTY(tickscope::WatchlistsModel *lists READ lists CONSTANT)
    Q_PROPERTY(tickscope::OrderBookModel *bids READ bids CONSTANT)
    Q_PROPERTY(tickscope::OrderBookModel *asks READ asks CONSTANT)
    Q_PROPERTY(tickscope::TradesModel *trades READ trades CONSTANT)
    Q_PROPERTY(tickscope::CandleModel *candles READ candles CONSTANT)
    Q_PROPERTY(tickscope::FeedStatusModel *feeds READ feeds CONSTANT)
    /// The venues, their settings and instrument lists (the feeds settings page).
    Q_PROPERTY(tickscope::VenueSettings *venues READ venues CONSTANT)
    /// The user's workspace: preferences, pane arrangement, chart interval (saved on change).
    Q_PROPERTY(tickscope::WorkspaceStore *workspace READ workspace CONSTANT)
    /// Process-wide id of the instrument the book, trades and chart show (-1 = none yet).
    Q_PROPERTY(
        int selectedInstrument READ selectedInstrument WRITE setSelectedInstrument NOTIFY selectedInstrumentChanged)
    Q_PROPERTY(QString selectedSymbol READ selectedSymbol NOTIFY selectedInstrumentChanged)
    /// Human name of the selected instrument, e.g. "Bitcoin / US Dollar".
    Q_PROPERTY(QString selectedName READ selectedName NOTIFY selectedInstrumentChanged)
    /// Decimals of the selected instrument's prices (0 when none is selected).
    Q_PROPERTY(int selectedPriceScale READ selectedPriceScale NOTIFY selectedInstrumentChanged)
    /// Book integrity of the selected instrument: "synced", "stale" (in sequence but the feed is not
    /// live), "resyncing", "gap", or "offline" (out of sync and the feed is not live) ("" when none).
    Q_PROPERTY(QString selectedIntegrity READ selectedIntegrity NOTIFY selectedSummaryChanged)
    /// Exact best ask - best bid of the selected instrument ("" when a side is missing).
    Q_PROPERTY(QString selectedSpread READ selectedSpread NOTIFY selectedSummaryChanged)
    /// Exact last price of the selected instrument ("" when unknown).
    Q_PROPERTY(QString selectedLast READ selectedLast NOTIFY selectedSummaryChanged)
    /// Sign of the last change of the selected instrument's last price (-1, 0, +1).
    Q_PROPERTY(int selectedTickDirection READ selectedTickDirection NOTIFY selectedSummaryChanged)
    /// Why the panels may have nothing to show: the state of the feed of the selected instrument (or,
    /// before there is one, of the instrument they are waiting for), e.g. "Waiting for demo —
    /// Reconnecting (attempt 5): Connection refused". "" while that feed is live and an instrument is
    /// selected. A panel with no rows shows it, or says it has nothing yet when it is "".
    Q_PROPERTY(QString dataNote READ dataNote NOTIFY dataNoteChanged)

public:
    /// No default argument on purpose: Qt 6.4 prefers a default constructor over create() for
    /// QML singletons, which would give QML a second, empty hub.
    explicit MarketHub(QObject *parent);
    ~MarketHub() override;

    /// QML singleton factory: returns the instance registered with setInstance().
    static MarketHub *create(QQmlEngine *qmlEngine, QJSEngine *jsEngine);
    static void setInstance(MarketHub *hub);

    /// Adds a feed on the feed thread and starts it. Returns its index. With `followWorkspace` its
    /// reconnect delays and silence timeout are the workspace's (see withWorkspaceTimeouts()), now
    /// and whenever the user changes them; otherwise `config` is used as it is.
    int addFeed(std::unique_ptr<VenueProtocol> protocol, FeedConfig config, bool followWorkspace = false);
    /// Restarts feed `feed` with a new protocol and settings under the same index.
    void replaceFeed(int feed, std::unique_ptr<VenueProtocol> protocol, FeedConfig config,
                     bool followWorkspace = false);
    /// `config` with the workspace's reconnect base and cap, and its silence timeout but never
    /// shorter than `protocolSilence` (the venue's own: quiet venues need longer) unless the session
    /// fixed one with setSilenceTimeoutOverride().
    FeedConfig withWorkspaceTimeouts(FeedConfig config, std::chrono::milliseconds protocolSilence) const;
    /// A silence timeout for this session only (the --silence-timeout option), used by the feeds that
    /// follow the workspace instead of its setting. 0 = none.
    void setSilenceTimeoutOverride(std::chrono::milliseconds timeout);
    VenueSettings *venues() { return &m_venues; }
    WorkspaceStore *workspace() { return &m_workspace; }

    WatchlistModel *watchlist() { return &m_watchlist; }
    WatchlistsModel *lists() { return &m_lists; }
    OrderBookModel *bids() { return &m_bids; }
    OrderBookModel *asks() { return &m_asks; }
    TradesModel *trades() { return &m_trades; }
    CandleModel *candles() { return &m_candles; }
    FeedStatusModel *feeds() { return &m_feeds; }

    int selectedInstrument() const { return m_selected == kNoInstrument ? -1 : static_cast<int>(m_selected); }
    void setSelectedInstrument(int id);
    QString selectedSymbol() const;
    QString selectedName() const;
    int selectedPriceScale() const
    {
        return m_selected == kNoInstrument ? 0 : m_cache.instrument(m_selected).priceScale;
    }
    QString selectedIntegrity() const { return m_summary.integrity; }
    QString selectedSpread() const { return m_summary.spread; }
    QString selectedLast() const { return m_summary.last; }
    int selectedTickDirection() const { return m_summary.tickDirection; }
    QString dataNote() const { return m_dataNote; }

    /// Instruments matching `text` (symbol, base, quote or display name; case-insensitive), best
    /// matches first: exact symbol, symbol prefix, symbol substring, base/quote or name prefix, name
    /// substring. Each entry has
    /// id, symbol, name, venue and kind. An empty text lists the first `limit` instruments.
    /// Instruments of enabled venues that are not followed yet follow, with id -1.
    Q_INVOKABLE QVariantList searchInstruments(const QString &text, int limit = 20) const;
    /// Follows `symbol` on `venue` and shows it in every panel once its feed delivers it.
    /// Returns "" or why not.
    Q_INVOKABLE QString followInstrument(const QString &venue, const QString &symbol);
    /// Adds `symbol` of `venue` to the current watchlist (following it on its venue when needed)
    /// and selects it. Returns "" or why not.
    Q_INVOKABLE QString addToWatchlist(const QString &venue, const QString &symbol);

    Q_INVOKABLE void pauseFeed(int feed) { m_feedManager.pause(feed); }
    Q_INVOKABLE void resumeFeed(int feed) { m_feedManager.resume(feed); }
    Q_INVOKABLE void reconnectFeed(int feed) { m_feedManager.reconnectNow(feed); }
    Q_INVOKABLE void pauseAll() { m_feedManager.pauseAll(); }
    Q_INVOKABLE void resumeAll() { m_feedManager.resumeAll(); }

    FrameDriver &frameDriver() { return m_driver; }
    MarketCache &cache() { return m_cache; }
    PipelineStats &stats() { return m_stats; }
    Handoff &handoff() { return m_handoff; }

    /// Pipeline counters, latency percentiles and per-feed counters as JSON (for --stats).
    QJsonObject statsJson() const;

Q_SIGNALS:
    void selectedInstrumentChanged();
    void selectedSummaryChanged();
    void dataNoteChanged();

private:
    void onDrained();
    void refreshSummary();
    void refreshDataNote();
    void select(InstrumentId instrument, bool remember);
    /// The workspace was loaded or replaced: the lists drive the watchlist, the saved selection
    /// is restored once its instrument exists.
    void onWorkspaceReplaced();
    /// Gives every feed that follows the workspace its current timeouts (on the open connection).
    void applyWorkspaceTimeouts();
    void remember(int feed, bool followWorkspace, std::chrono::milliseconds protocolSilence);

    struct Followed
    {
        bool follows = false;
        std::chrono::milliseconds protocolSilence {0};
    };
    std::vector<Followed> m_followed; // by feed index
    std::chrono::milliseconds m_silenceOverride {0};

    struct Summary
    {
        QString integrity;
        QString spread;
        QString last;
        int tickDirection = 0;
        friend bool operator==(const Summary &, const Summary &) = default;
    };
    Summary m_summary;
    QString m_dataNote;

    // Declaration order is destruction order reversed: the feed thread (last) stops first.
    Handoff m_handoff;
    PipelineStats m_stats;
    MarketCache m_cache;
    FrameDriver m_driver;
    WatchlistModel m_watchlist;
    OrderBookModel m_bids;
    OrderBookModel m_asks;
    TradesModel m_trades;
    CandleModel m_candles;
    FeedStatusModel m_feeds;
    WorkspaceStore m_workspace;
    WatchlistsModel m_lists; // after the store and the watchlist it connects
    InstrumentId m_selected = kNoInstrument;
    QString m_pendingVenue; // followInstrument() or the saved selection: select it once it appears
    QString m_pendingSymbol;
    FeedManager m_feedManager;
    VenueSettings m_venues; // after the feed manager: its fetches end before the feeds stop
};

} // namespace tickscope
