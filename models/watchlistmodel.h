#pragma once

#include "drainlistener.h"
#include "marketcache.h"
#include "pipelinestats.h"

#include <QAbstractListModel>
#include <QList>
#include <QtQml/qqmlregistration.h>

#include <vector>

namespace tickscope {

/// A list of instruments with their latest quote, one row per instrument.
///
/// Rows are instrument ids; what a row shows comes from the MarketCache. Each drain compares the
/// updated rows with what they showed before and emits one dataChanged per contiguous range of
/// changed rows, naming only the roles that changed. Textual prices and quantities are exact
/// (formatDecimalQ at the instrument's scales).
class WatchlistModel : public QAbstractListModel, public DrainListener
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The watchlist is provided by MarketHub")
    /// Append every instrument announced by the feeds (default true). Turning it on does not add
    /// instruments announced before.
    Q_PROPERTY(bool followAll READ followAll WRITE setFollowAll NOTIFY followAllChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)

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
        IntegrityRole, ///< QString: book integrity key: "synced", "resyncing" or "gap"
        IntegrityTextRole, ///< QString: book integrity for humans (translated)
        CrossedRole, ///< bool: best bid >= best ask
        LastValueRole, ///< double: last price (display/sorting only; NaN when unknown)
        ChangePercentValueRole, ///< double: 24 h change in percent (0 when unknown)
        VolumeValueRole, ///< double: 24 h volume (display/sorting only)
    };
    Q_ENUM(Roles)

    explicit WatchlistModel(MarketCache &cache, PipelineStats *stats = nullptr, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    /// Removes rows (QML: removeRow(row)).
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;

    void drained(const DrainBatch &batch) override;

    /// Replaces the whole list (a model reset: the source is swapped). Unknown ids are skipped.
    void setInstruments(const QList<InstrumentId> &ids);
    QList<InstrumentId> instruments() const;
    /// Appends an instrument; returns false when it is unknown or already listed.
    Q_INVOKABLE bool addInstrument(int id);
    /// Instrument id of a row, -1 when out of range.
    Q_INVOKABLE int instrumentAt(int row) const;
    /// Row of an instrument, -1 when not listed.
    Q_INVOKABLE int rowOf(int id) const;

    bool followAll() const { return m_followAll; }
    void setFollowAll(bool follow);
    int count() const { return static_cast<int>(m_rows.size()); }

Q_SIGNALS:
    void followAllChanged();
    void countChanged();

private:
    /// What a row showed when it was last emitted; the diff of the next drain starts from here.
    struct Row
    {
        InstrumentId id = kNoInstrument;
        Quote quote;
        BookIntegrity integrity = BookIntegrity::Resyncing;
        bool stale = false;
        bool crossed = false;
    };

    Row makeRow(InstrumentId id) const;
    std::uint64_t changedRoles(const Row &shown, const Row &now) const;
    void appendRows(const std::vector<InstrumentId> &ids);
    void rebuildIndex();
    void countSignal(std::uint64_t n = 1);

    MarketCache &m_cache;
    PipelineStats *m_stats;
    std::vector<Row> m_rows;
    std::vector<int> m_rowOf; // instrument id → row, -1 when not listed
    bool m_followAll = true;
};

} // namespace tickscope
