#pragma once

#include "drainlistener.h"
#include "marketcache.h"
#include "pipelinestats.h"

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

#include <vector>

namespace tickscope {

/// One side of one instrument's order book as a ladder of `depth` rows, best price first.
///
/// The row count is fixed (`depth` when an instrument is set, 0 otherwise) so views do not jump;
/// rows beyond the available levels are empty. Each drain diffs the new top levels against the
/// shown rows and emits one dataChanged per contiguous changed range with the roles that changed.
class OrderBookModel : public QAbstractListModel, public DrainListener
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Order book models are provided by MarketHub")
    /// Process-wide instrument id shown, -1 = none. Changing it resets the model.
    Q_PROPERTY(int instrument READ instrument WRITE setInstrument NOTIFY instrumentChanged)
    /// Which side of the book the rows show. Changing it resets the model.
    Q_PROPERTY(Side side READ side WRITE setSide NOTIFY sideChanged)
    /// Number of rows (levels) shown, default 20. Changing it resets the model.
    Q_PROPERTY(int depth READ depth WRITE setDepth NOTIFY depthChanged)
    /// Price grouping as a multiple of the tick size (1 = every level; 10, 100 = buckets of 10 or 100
    /// ticks, bids rounded down and asks up, quantities summed exactly). Changing it resets the model.
    Q_PROPERTY(int grouping READ grouping WRITE setGrouping NOTIFY groupingChanged)
    /// No row holds a level: no instrument, or its side of the book is empty (e.g. not synced yet).
    Q_PROPERTY(bool empty READ isEmpty NOTIFY emptyChanged)

public:
    enum Side { Bid, Ask };
    Q_ENUM(Side)

    enum Roles {
        PriceRole = Qt::UserRole + 1, ///< QString: level price, exact; "" for an empty row
        SizeRole, ///< QString: level quantity, exact; "" for an empty row
        CumulativeSizeRole, ///< QString: quantity from the best level down to this one, exact; "" when empty
        PriceValueRole, ///< double: level price (display only; 0 when empty)
        SizeValueRole, ///< double: level quantity (display only; 0 when empty)
        DepthRatioRole, ///< double: cumulative size / cumulative size at the last non-empty row (0..1)
        SizeRatioRole, ///< double: size / largest size among the shown levels of this side (0..1)
        IsBestRole, ///< bool: row 0 holding a level
        EmptyRole, ///< bool: no level at this row
    };
    Q_ENUM(Roles)

    explicit OrderBookModel(MarketCache &cache, PipelineStats *stats = nullptr, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    void drained(const DrainBatch &batch) override;

    int instrument() const { return m_instrument == kNoInstrument ? -1 : static_cast<int>(m_instrument); }
    void setInstrument(int id);
    Side side() const { return m_side; }
    void setSide(Side side);
    int depth() const { return m_depth; }
    void setDepth(int depth);
    int grouping() const { return m_grouping; }
    void setGrouping(int grouping);
    bool isEmpty() const { return m_rows.empty() || !m_rows.front().present; }

Q_SIGNALS:
    void instrumentChanged();
    void sideChanged();
    void depthChanged();
    void groupingChanged();
    void emptyChanged();

private:
    struct Row
    {
        std::int64_t price = 0;
        std::int64_t size = 0;
        std::int64_t cumulative = 0;
        double depthRatio = 0;
        double sizeRatio = 0;
        bool present = false;
    };

    /// Builds the rows the current instrument and side should show now.
    void buildRows(std::vector<Row> &out);
    void reset();
    void countSignal();

    MarketCache &m_cache;
    PipelineStats *m_stats;
    InstrumentId m_instrument = kNoInstrument;
    Side m_side = Bid;
    int m_depth = 20;
    int m_grouping = 1;
    std::vector<Level> m_grouped; // reused: the side after grouping
    std::vector<Row> m_rows;
    struct ChangedRange
    {
        int first;
        int last;
        std::uint32_t mask;
    };
    std::vector<ChangedRange> m_ranges; // reused per drain
    std::vector<Row> m_scratch; // reused by drained() to avoid allocating per frame
};

} // namespace tickscope
