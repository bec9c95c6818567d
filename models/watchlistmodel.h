#pragma once

#include "drainlistener.h"
#include "marketcache.h"
#include "pipelinestats.h"
#include "workspace.h"

#include <QAbstractListModel>
#include <QElapsedTimer>
#include <QList>
#include <QtQml/qqmlregistration.h>

#include <vector>

namespace tickscope {

/// A list of instruments with their latest quote, one row per instrument.
///
/// Rows are instruments as the user chose them (venue + venue symbol, InstrumentKey); a row whose
/// instrument the feeds have not announced yet is "waiting" (ResolvedRole false) and becomes live
/// on the drain that announces it. What a resolved row shows comes from the MarketCache. Each drain
/// compares the updated rows with what they showed before and emits one dataChanged per contiguous
/// range of changed rows, naming only the roles that changed. Textual prices and quantities are
/// exact (formatDecimalQ at the instrument's scales).
///
/// The user's own order is kept (keys()); with a sort column the rows are shown sorted by it, the
/// live columns re-sorted at most once per second (a layout change, persistent indexes follow).
/// User edits (add, remove, move) emit edited().
class WatchlistModel : public QAbstractListModel, public DrainListener
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The watchlist is provided by MarketHub")
    /// Append every instrument announced by the feeds (default true). Turning it on does not add
    /// instruments announced before.
    Q_PROPERTY(bool followAll READ followAll WRITE setFollowAll NOTIFY followAllChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    /// Column the rows are sorted by ("" = the user's order): symbol, venue, last, change, bid, ask,
    /// spread, volume.
    Q_PROPERTY(QString sortColumn READ sortColumn NOTIFY sortChanged)
    Q_PROPERTY(bool sortAscending READ sortAscending NOTIFY sortChanged)

public:
    enum Roles {
        SymbolRole = Qt::UserRole + 1, ///< QString: venue symbol, e.g. "BTC-USD"
        VenueRole, ///< QString: venue / feed name
        DisplayNameRole, ///< QString: human name of the instrument
        InstrumentIdRole, ///< int: process-wide instrument id
        LastRole, ///< QString: last price, exact; "" when unknown
        ChangeRole, ///< QString: last - open24h, exact at the price scale; "" when unknown
        ChangePercentRole, ///< QString: 24 h change in percent with 2 decimals ("-1.25"); "" when unknown
        BidRole, ///< QString: best bid price, exact; "" when none
        AskRole, ///< QString: best ask price, exact; "" when none
        SpreadRole, ///< QString: ask - bid, exact; "" when either side is missing
        VolumeRole, ///< QString: 24 h base volume, exact at the quantity scale
        HighRole, ///< QString: 24 h high, exact; "" when unknown
        LowRole, ///< QString: 24 h low, exact; "" when unknown
        TickDirectionRole, ///< int: sign of the last change of the last price (-1, 0, +1)
        StaleRole, ///< bool: the feed is not live or the book is not in sync
        /// QString: book integrity key: "synced", "resyncing", "gap", "offline" (not in sync and the
        /// feed is not live), or "waiting" (not announced by its feed yet)
        IntegrityRole,
        IntegrityTextRole, ///< QString: book integrity for humans (translated)
        CrossedRole, ///< bool: best bid >= best ask
        LastValueRole, ///< double: last price (display/sorting only; NaN when unknown)
        ChangePercentValueRole, ///< double: 24 h change in percent (0 when unknown)
        VolumeValueRole, ///< double: 24 h volume (display/sorting only)
        ResolvedRole, ///< bool: the feeds announced the instrument (false: the row waits for it)
    };
    Q_ENUM(Roles)

    explicit WatchlistModel(MarketCache &cache, PipelineStats *stats = nullptr, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    /// Removes rows (the user's edit: emits edited()).
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;
    /// Removes one row (for QML).
    Q_INVOKABLE bool removeAt(int row) { return removeRows(row, 1); }

    void drained(const DrainBatch &batch) override;

    /// Replaces the whole list (a model reset: the source is swapped). Unknown ids are skipped.
    void setInstruments(const QList<InstrumentId> &ids);
    /// Ids of the rows in display order (kNoInstrument for waiting rows).
    QList<InstrumentId> instruments() const;
    /// Replaces the whole list with these instruments in the user's order (a model reset);
    /// duplicates and invalid keys are dropped, instruments not announced yet wait.
    void setKeys(const QList<InstrumentKey> &keys);
    /// The instruments in the user's order (not the sorted order).
    QList<InstrumentKey> keys() const { return m_userOrder; }
    /// Appends an instrument; returns false when it is unknown or already listed.
    Q_INVOKABLE bool addInstrument(int id);
    /// Appends `symbol` of `venue`, waiting if it is not announced yet; false when already listed.
    Q_INVOKABLE bool addKey(const QString &venue, const QString &symbol);
    /// Moves a row (user order). With a sort column the shown order becomes the user's order first
    /// and the sort is cleared. Returns false when a row is out of range.
    Q_INVOKABLE bool moveRow(int from, int to);
    /// Sorts by `column` (see sortColumn; "" = the user's order).
    Q_INVOKABLE void setSort(const QString &column, bool ascending);
    /// Venue id of a row ("" when out of range).
    Q_INVOKABLE QString venueAt(int row) const;
    /// Venue symbol of a row ("" when out of range).
    Q_INVOKABLE QString symbolAt(int row) const;
    /// A row as one line of tab-separated text, as shown (exact figures, "" where none): symbol,
    /// venue, last, change %, bid, ask, spread, volume. For the clipboard; "" when out of range.
    Q_INVOKABLE QString rowText(int row) const;
    /// Row showing `symbol` of `venue`, -1 when not listed.
    Q_INVOKABLE int rowOfKey(const QString &venue, const QString &symbol) const;
    /// Instrument id of a row, -1 when out of range.
    Q_INVOKABLE int instrumentAt(int row) const;
    /// Row of an instrument, -1 when not listed.
    Q_INVOKABLE int rowOf(int id) const;

    bool followAll() const { return m_followAll; }
    void setFollowAll(bool follow);
    int count() const { return static_cast<int>(m_rows.size()); }
    QString sortColumn() const { return m_sortColumn; }
    bool sortAscending() const { return m_sortAscending; }

    /// The sortable column keys.
    static QStringList sortableColumns();

Q_SIGNALS:
    void followAllChanged();
    void countChanged();
    void sortChanged();
    /// The user changed the list (added, removed or moved rows); keys() has the new list.
    void edited();
    /// The shown order changed by sorting (rows moved without an edit).
    void reordered();

private:
    /// What a row showed when it was last emitted; the diff of the next drain starts from here.
    struct Row
    {
        InstrumentKey key;
        InstrumentId id = kNoInstrument; ///< kNoInstrument while waiting
        Quote quote;
        BookIntegrity integrity = BookIntegrity::Resyncing;
        bool stale = false;
        bool crossed = false;
    };

    Row makeRow(InstrumentId id) const;
    Row makeRow(const InstrumentKey &key) const;
    std::uint64_t changedRoles(const Row &shown, const Row &now) const;
    void appendRows(const std::vector<Row> &rows);
    /// Waiting rows whose instrument the cache now knows become live rows.
    void resolveWaiting();
    static QVariant waitingData(const Row &row, int role);
    /// Sorts the rows by the sort column if their order changed (a layout change).
    void resort();
    bool lessThan(const Row &a, const Row &b) const;
    void rebuildIndex();
    void countSignal(std::uint64_t n = 1);

    MarketCache &m_cache;
    PipelineStats *m_stats;
    std::vector<Row> m_rows; // display order
    QList<InstrumentKey> m_userOrder;
    std::vector<int> m_rowOf; // instrument id → row, -1 when not listed
    bool m_followAll = true;
    QString m_sortColumn;
    bool m_sortAscending = true;
    QElapsedTimer m_sinceSort;
};

} // namespace tickscope
