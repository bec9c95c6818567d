#include "orderbookmodel.h"

#include "decimal.h"

#include <algorithm>

namespace tickscope {

namespace {
constexpr std::uint32_t bit(int role)
{
    return std::uint32_t {1} << (role - OrderBookModel::PriceRole);
}

QList<int> rolesOf(std::uint32_t mask)
{
    QList<int> roles;
    for (int role = OrderBookModel::PriceRole; mask != 0; ++role, mask >>= 1) {
        if (mask & 1)
            roles.append(role);
    }
    return roles;
}

double ratio(std::int64_t part, std::int64_t whole)
{
    return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}
} // namespace

OrderBookModel::OrderBookModel(MarketCache &cache, PipelineStats *stats, QObject *parent)
    : QAbstractListModel(parent)
    , m_cache(cache)
    , m_stats(stats)
{ }

int OrderBookModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

QHash<int, QByteArray> OrderBookModel::roleNames() const
{
    return {
        {PriceRole, "price"},           {SizeRole, "size"},           {CumulativeSizeRole, "cumulativeSize"},
        {PriceValueRole, "priceValue"}, {SizeValueRole, "sizeValue"}, {DepthRatioRole, "depthRatio"},
        {SizeRatioRole, "sizeRatio"},   {IsBestRole, "isBest"},       {EmptyRole, "empty"},
    };
}

QVariant OrderBookModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index,
                    QAbstractItemModel::CheckIndexOption::IndexIsValid
                        | QAbstractItemModel::CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[static_cast<std::size_t>(index.row())];
    const Instrument &instrument = m_cache.instrument(m_instrument);
    switch (role) {
    case Qt::DisplayRole:
    case PriceRole:
        return row.present ? formatDecimalQ(row.price, instrument.priceScale) : QString();
    case SizeRole:
        return row.present ? formatDecimalQ(row.size, instrument.qtyScale) : QString();
    case CumulativeSizeRole:
        return row.present ? formatDecimalQ(row.cumulative, instrument.qtyScale) : QString();
    case PriceValueRole:
        return static_cast<double>(row.price) / static_cast<double>(pow10(instrument.priceScale));
    case SizeValueRole:
        return static_cast<double>(row.size) / static_cast<double>(pow10(instrument.qtyScale));
    case DepthRatioRole:
        return row.depthRatio;
    case SizeRatioRole:
        return row.sizeRatio;
    case IsBestRole:
        return index.row() == 0 && row.present;
    case EmptyRole:
        return !row.present;
    default:
        return {};
    }
}

void OrderBookModel::buildRows(std::vector<Row> &out)
{
    out.assign(m_instrument == kNoInstrument ? 0 : static_cast<std::size_t>(m_depth), Row {});
    if (m_instrument == kNoInstrument)
        return;
    const MarketCache::InstrumentState &state = m_cache.state(m_instrument);
    const std::vector<Level> &raw = m_side == Bid ? state.bids : state.asks;
    const std::int64_t step = std::max<std::int64_t>(1, m_cache.instrument(m_instrument).tickSize) * m_grouping;
    if (m_grouping > 1) {
        // Buckets of `step`: a bid belongs to the bucket below it, an ask to the one above, so a
        // grouped bid is never shown above the real best bid (nor an ask below the best ask).
        m_grouped.clear();
        for (const Level &level : raw) {
            std::int64_t floor = level.price / step * step;
            if (floor > level.price)
                floor -= step; // negative prices: C++ division truncates towards zero
            const std::int64_t bucket = m_side == Bid || floor == level.price ? floor : floor + step;
            if (!m_grouped.empty() && m_grouped.back().price == bucket)
                m_grouped.back().qty += level.qty;
            else
                m_grouped.push_back({bucket, level.qty});
        }
    }
    const std::vector<Level> &levels = m_grouping > 1 ? m_grouped : raw;
    const std::size_t n = std::min(levels.size(), out.size());
    std::int64_t cumulative = 0;
    std::int64_t largest = 0;
    for (std::size_t i = 0; i < n; ++i) {
        cumulative += levels[i].qty;
        largest = std::max(largest, levels[i].qty);
        out[i] = Row {levels[i].price, levels[i].qty, cumulative, 0, 0, true};
    }
    for (std::size_t i = 0; i < n; ++i) {
        out[i].depthRatio = ratio(out[i].cumulative, cumulative);
        out[i].sizeRatio = ratio(out[i].size, largest);
    }
}

void OrderBookModel::drained(const DrainBatch &batch)
{
    if (m_instrument == kNoInstrument)
        return;
    const bool touched = std::any_of(batch.updates.begin(), batch.updates.end(),
                                     [this](const InstrumentUpdate &update) { return update.id == m_instrument; });
    if (!touched)
        return;

    buildRows(m_scratch);
    Q_ASSERT(m_scratch.size() == m_rows.size());
    // Collect the changed ranges first and publish the new rows before signalling: views read
    // data() from inside dataChanged, so they must already see the new values.
    m_ranges.clear();
    int first = -1;
    std::uint32_t rangeMask = 0;
    auto close = [&](int last) {
        if (first < 0)
            return;
        m_ranges.push_back({first, last, rangeMask});
        first = -1;
        rangeMask = 0;
    };
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        const Row &shown = m_rows[i];
        const Row &now = m_scratch[i];
        std::uint32_t mask = 0;
        if (shown.present != now.present)
            mask |= bit(EmptyRole) | (i == 0 ? bit(IsBestRole) : 0);
        if (shown.price != now.price || shown.present != now.present)
            mask |= bit(PriceRole) | bit(PriceValueRole);
        if (shown.size != now.size || shown.present != now.present)
            mask |= bit(SizeRole) | bit(SizeValueRole);
        if (shown.cumulative != now.cumulative || shown.present != now.present)
            mask |= bit(CumulativeSizeRole);
        if (shown.depthRatio != now.depthRatio)
            mask |= bit(DepthRatioRole);
        if (shown.sizeRatio != now.sizeRatio)
            mask |= bit(SizeRatioRole);
        if (mask == 0) {
            close(static_cast<int>(i) - 1);
            continue;
        }
        if (first < 0)
            first = static_cast<int>(i);
        rangeMask |= mask;
    }
    close(static_cast<int>(m_rows.size()) - 1);
    const bool wasEmpty = isEmpty();
    m_rows.swap(m_scratch);
    for (const ChangedRange &range : m_ranges) {
        Q_EMIT dataChanged(index(range.first), index(range.last), rolesOf(range.mask));
        countSignal();
    }
    if (isEmpty() != wasEmpty)
        Q_EMIT emptyChanged();
}

void OrderBookModel::reset()
{
    const bool wasEmpty = isEmpty();
    beginResetModel();
    buildRows(m_rows);
    endResetModel();
    if (isEmpty() != wasEmpty)
        Q_EMIT emptyChanged();
}

void OrderBookModel::setInstrument(int id)
{
    const InstrumentId instrument
        = id < 0 || !m_cache.contains(static_cast<InstrumentId>(id)) ? kNoInstrument : static_cast<InstrumentId>(id);
    if (id >= 0 && instrument == kNoInstrument)
        qCWarning(lcModels) << "order book: unknown instrument" << id;
    if (instrument == m_instrument)
        return;
    m_instrument = instrument;
    reset();
    Q_EMIT instrumentChanged();
}

void OrderBookModel::setSide(Side side)
{
    if (side == m_side)
        return;
    m_side = side;
    reset();
    Q_EMIT sideChanged();
}

void OrderBookModel::setDepth(int depth)
{
    depth = std::max(depth, 1);
    if (depth == m_depth)
        return;
    m_depth = depth;
    reset();
    Q_EMIT depthChanged();
}

void OrderBookModel::setGrouping(int grouping)
{
    grouping = std::clamp(grouping, 1, 100000);
    if (grouping == m_grouping)
        return;
    m_grouping = grouping;
    reset();
    Q_EMIT groupingChanged();
}

void OrderBookModel::countSignal()
{
    if (m_stats)
        PipelineStats::add(m_stats->modelSignals);
}

} // namespace tickscope
