#pragma once

#include "feedconnection.h"
#include "instrumentcatalog.h"
#include "venues.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

#include <functional>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace tickscope {

class MarketHub;

/// The venues the user can connect to and their settings (enabled, endpoints), kept in the workspace
/// document (Workspace::feeds, through MarketHub's WorkspaceStore); each enabled venue runs as its
/// own FeedConnection, subscribed to the venue's instruments that the watchlists hold (following an
/// instrument adds it to the current watchlist; a watchlist edited through WorkspaceStore::modify()
/// restarts the venues whose instruments changed).
/// Also keeps every venue's instrument list (fetched from its REST endpoint, cached on disk, with
/// a bundled fallback so the app starts offline) for formatting, checksums and symbol search.
///
/// Roles: venueId, name, enabled, wsUrl, restUrl, symbols (string list), instrumentCount,
/// catalogOrigin ("venue", "cache", "bundled", "none"), catalogText (provenance in words),
/// error (last problem: a bad URL, a failed list download), feedIndex (-1 when not running).
class VenueSettings : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("owned by MarketHub")
public:
    enum Role {
        VenueIdRole = Qt::UserRole + 1,
        NameRole,
        EnabledRole,
        WsUrlRole,
        RestUrlRole,
        SymbolsRole,
        InstrumentCountRole,
        CatalogOriginRole,
        CatalogTextRole,
        ErrorRole,
        FeedIndexRole,
        LiveRole,
    };
    Q_ENUM(Role)

    /// Base settings of a new feed connecting to `url` (proxy, trusted CAs, timeouts).
    using ConfigFactory = std::function<FeedConfig(const QString &venue, const QUrl &url)>;

    explicit VenueSettings(MarketHub &hub, QObject *parent = nullptr);
    ~VenueSettings() override;

    /// Where instrument lists are cached (default: the app's cache location).
    void setCacheDir(const QString &dir) { m_cacheDir = dir; }
    void setConfigFactory(ConfigFactory factory) { m_configFactory = std::move(factory); }
    /// Whether stale or bundled instrument lists are refreshed from the venues (default on).
    void setAutoRefresh(bool on) { m_autoRefresh = on; }
    /// Registers the running demo feed (created by main, possibly on a --feed URL).
    void setDemoFeed(int feedIndex, const QUrl &url);
    /// Reads the settings and starts a feed for every enabled venue.
    void start();

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// Turns a venue on (its feed starts) or off (its feed stops). Persisted.
    Q_INVOKABLE void setEnabled(int row, bool enabled);
    /// Changes a venue's endpoints (e.g. a testnet). Returns "" or why the URLs were refused.
    Q_INVOKABLE QString setEndpoints(int row, const QString &wsUrl, const QString &restUrl);
    /// Restores a venue's default endpoints.
    Q_INVOKABLE void resetEndpoints(int row);
    /// Fetches the venue's instrument list now.
    Q_INVOKABLE void refreshInstruments(int row);
    /// Follows `symbol` of `venue` (enabling the venue if needed): its rows appear in the
    /// watchlist once the feed has restarted with it. Returns "" or why not.
    Q_INVOKABLE QString follow(const QString &venue, const QString &symbol);
    /// Stops following. Returns "" or why not.
    Q_INVOKABLE QString unfollow(const QString &venue, const QString &symbol);
    /// Catalogue instruments of the enabled venues matching `text` that are not followed yet:
    /// maps with venue, symbol, name, kind, followed (false).
    QVariantList searchCatalogs(const QString &text, int limit) const;

    /// The catalogue of a venue (for tests and the stats).
    const InstrumentCatalog *catalog(const QString &venue) const;
    int rowOf(const QString &venue) const;

Q_SIGNALS:
    /// A message for the user (e.g. "Binance: instrument list updated (2,211 instruments)").
    void notice(const QString &text);

private:
    struct Entry
    {
        VenueInfo info;
        bool enabled = false;
        QUrl wsUrl; // empty = default
        QUrl restUrl;
        QStringList symbols;
        InstrumentCatalog catalog;
        QString error;
        int feedIndex = -1;
        bool running = false;
        QPointer<QNetworkReply> fetch;
    };
    /// What the workspace says about a venue.
    struct Wanted
    {
        bool enabled = false;
        QUrl wsUrl;
        QUrl restUrl;
        QStringList symbols;
        QString error; ///< a stored endpoint that is not a usable URL
    };
    Wanted wanted(const Entry &entry) const;
    void load();
    /// Writes the venue's settings into the workspace, and `addSymbols` into its current watchlist.
    void save(const Entry &entry, const QStringList &addSymbols = {});
    /// Follows a workspace changed elsewhere (a watchlist edit, a replaced workspace).
    void applyWorkspace();
    void startFeed(Entry &entry);
    void stopFeed(Entry &entry);
    void changed(int row);
    QUrl effectiveWs(const Entry &entry) const;
    QUrl effectiveRest(const Entry &entry) const;
    bool catalogIsStale(const Entry &entry) const;
    QString catalogText(const Entry &entry) const;
    static QStringList defaultSymbols(const QString &venue);

    MarketHub &m_hub;
    std::vector<Entry> m_entries;
    QString m_cacheDir;
    ConfigFactory m_configFactory;
    bool m_autoRefresh = true;
    bool m_started = false;
    bool m_applying = false; // the workspace change under way is our own
    QNetworkAccessManager *m_network = nullptr;
};

} // namespace tickscope
