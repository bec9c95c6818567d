#include "candlemodel.h"

#include "decimal.h"

#include <algorithm>

namespace tickscope {

namespace {
static_assert(CandleModel::D1 == static_cast<int>(CandleInterval::D1), "CandleModel::Interval mirrors CandleInterval");

CandleInterval toCandleInterval(CandleModel::Interval interval)
{
    return static_cast<CandleInterval>(interval);
}

QList<int> changedRoles(const Candle &a, const Candle &b)
{
    QList<int> roles;
    if (a.open != b.open)
        roles << CandleModel::OpenRole << CandleModel::OpenTextRole;
    if (a.high != b.high)
        roles << CandleModel::HighRole << CandleModel::HighTextRole;
    if (a.low != b.low)
        roles << CandleModel::LowRole << CandleModel::LowTextRole;
    if (a.close != b.close)
        roles << CandleModel::CloseRole << CandleModel::CloseTextRole;
    if (a.volume != b.volume)
        roles << CandleModel::VolumeRole << CandleModel::VolumeTextRole;
    if (a.trades != b.trades)
        roles << CandleModel::TradesRole;
    if ((a.close >= a.open) != (b.close >= b.open))
        roles << CandleModel::IsUpRole;
    if (a.afterGap != b.afterGap)
        roles << CandleModel::AfterGapRole;
    std::sort(roles.begin(), roles.end());
    return roles;
}
} // namespace

CandleModel::CandleModel(MarketCache &cache, PipelineStats *stats, QObject *parent)
    : QAbstractListModel(parent)
    , m_cache(cache)
    , m_stats(stats)
{ }

int CandleModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

QHash<int, QByteArray> CandleModel::roleNames() const
{
    return {
        {TimestampRole, "timestamp"},
        {OpenRole, "open"},
        {HighRole, "high"},
        {LowRole, "low"},
        {CloseRole, "close"},
        {VolumeRole, "volume"},
        {OpenTextRole, "openText"},
        {HighTextRole, "highText"},
        {LowTextRole, "lowText"},
        {CloseTextRole, "closeText"},
        {VolumeTextRole, "volumeText"},
        {TradesRole, "trades"},
        {IsUpRole, "isUp"},
        {AfterGapRole, "afterGap"},
    };
}

double CandleModel::price(std::int64_t mantissa) const
{
    return static_cast<double>(mantissa) / static_cast<double>(pow10(m_cache.instrument(m_instrument).priceScale));
}

QVariant CandleModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index,
                    QAbstractItemModel::CheckIndexOption::IndexIsValid
                        | QAbstractItemModel::CheckIndexOption::ParentIsInvalid))
        return {};
    const Candle &candle = m_rows[static_cast<std::size_t>(index.row())];
    const Instrument &instrument = m_cache.instrument(m_instrument);
    switch (role) {
    case TimestampRole:
        return static_cast<qint64>(candle.openTimeMs);
    case OpenRole:
        return price(candle.open);
    case HighRole:
        return price(candle.high);
    case LowRole:
        return price(candle.low);
    case CloseRole:
        return price(candle.close);
    case VolumeRole:
        return static_cast<double>(candle.volume) / static_cast<double>(pow10(instrument.qtyScale));
    case OpenTextRole:
        return formatDecimalQ(candle.open, instrument.priceScale);
    case HighTextRole:
        return formatDecimalQ(candle.high, instrument.priceScale);
    case LowTextRole:
        return formatDecimalQ(candle.low, instrument.priceScale);
    case Qt::DisplayRole:
    case CloseTextRole:
        return formatDecimalQ(candle.close, instrument.priceScale);
    case VolumeTextRole:
        return formatDecimalQ(candle.volume, instrument.qtyScale);
    case TradesRole:
        return static_cast<int>(candle.trades);
    case IsUpRole:
        return candle.close >= candle.open;
    case AfterGapRole:
        return candle.afterGap;
    default:
        return {};
    }
}

void CandleModel::drained(const DrainBatch &batch)
{
    if (m_instrument == kNoInstrument)
        return;
    const auto update = std::find_if(batch.updates.begin(), batch.updates.end(),
                                     [this](const InstrumentUpdate &u) { return u.id == m_instrument; });
    if (update == batch.updates.end())
        return;
    const std::vector<Candle> &incoming = update->candles[static_cast<std::size_t>(m_interval)];
    if (incoming.empty())
        return;

    const std::size_t capacity = static_cast<std::size_t>(m_capacity);
    std::vector<Candle> appended;
    QList<int> lastRoles;
    for (const Candle &candle : incoming) {
        if (!appended.empty()) {
            if (candle.openTimeMs == appended.back().openTimeMs)
                appended.back() = candle;
            else if (candle.openTimeMs > appended.back().openTimeMs)
                appended.push_back(candle);
            continue;
        }
        if (!m_rows.empty() && candle.openTimeMs == m_rows.back().openTimeMs) {
            // The open candle grew: compare with what the row shows now, merge the roles.
            const QList<int> roles = changedRoles(m_rows.back(), candle);
            for (int role : roles) {
                if (!lastRoles.contains(role))
                    lastRoles.append(role);
            }
            m_rows.back() = candle;
        } else if (m_rows.empty() || candle.openTimeMs > m_rows.back().openTimeMs) {
            appended.push_back(candle);
        } // else: older than what is shown; the series never goes back in time
    }

    if (!lastRoles.isEmpty()) {
        std::sort(lastRoles.begin(), lastRoles.end());
        const QModelIndex last = index(static_cast<int>(m_rows.size()) - 1);
        Q_EMIT dataChanged(last, last, lastRoles);
        countSignal();
    }
    if (!appended.empty()) {
        // Only the newest `capacity` can be kept: never insert rows just to remove them again.
        const std::size_t k = std::min(appended.size(), capacity);
        const int first = static_cast<int>(m_rows.size());
        beginInsertRows({}, first, first + static_cast<int>(k) - 1);
        m_rows.insert(m_rows.end(), appended.end() - static_cast<std::ptrdiff_t>(k), appended.end());
        endInsertRows();
        countSignal();
        trimFront();
        Q_EMIT countChanged();
    }
}

void CandleModel::trimFront()
{
    const std::size_t capacity = static_cast<std::size_t>(m_capacity);
    if (m_rows.size() <= capacity)
        return;
    const std::size_t excess = m_rows.size() - capacity;
    beginRemoveRows({}, 0, static_cast<int>(excess) - 1);
    m_rows.erase(m_rows.begin(), m_rows.begin() + static_cast<std::ptrdiff_t>(excess));
    endRemoveRows();
    countSignal();
}

void CandleModel::reset()
{
    beginResetModel();
    m_rows.clear();
    if (m_instrument != kNoInstrument) {
        const std::deque<Candle> &history = m_cache.state(m_instrument).candleHistory(toCandleInterval(m_interval));
        const std::size_t capacity = static_cast<std::size_t>(m_capacity);
        const std::size_t first = history.size() > capacity ? history.size() - capacity : 0;
        m_rows.assign(history.begin() + static_cast<std::ptrdiff_t>(first), history.end());
    }
    endResetModel();
    Q_EMIT countChanged();
}

void CandleModel::setInstrument(int id)
{
    const InstrumentId instrument
        = id < 0 || !m_cache.contains(static_cast<InstrumentId>(id)) ? kNoInstrument : static_cast<InstrumentId>(id);
    if (id >= 0 && instrument == kNoInstrument)
        qCWarning(lcModels) << "candles: unknown instrument" << id;
    if (instrument == m_instrument)
        return;
    m_instrument = instrument;
    reset();
    Q_EMIT instrumentChanged();
}

void CandleModel::setInterval(Interval interval)
{
    if (interval == m_interval)
        return;
    m_interval = interval;
    reset();
    Q_EMIT intervalChanged();
}

void CandleModel::setCapacity(int capacity)
{
    capacity = std::max(capacity, 1);
    if (capacity == m_capacity)
        return;
    m_capacity = capacity;
    if (m_rows.size() > static_cast<std::size_t>(capacity)) {
        trimFront();
        Q_EMIT countChanged();
    }
    Q_EMIT capacityChanged();
}

QPointF CandleModel::priceRange(int first, int last) const
{
    first = std::max(first, 0);
    last = std::min(last, static_cast<int>(m_rows.size()) - 1);
    if (first > last)
        return {};
    std::int64_t low = m_rows[static_cast<std::size_t>(first)].low;
    std::int64_t high = m_rows[static_cast<std::size_t>(first)].high;
    for (int i = first + 1; i <= last; ++i) {
        low = std::min(low, m_rows[static_cast<std::size_t>(i)].low);
        high = std::max(high, m_rows[static_cast<std::size_t>(i)].high);
    }
    return {price(low), price(high)};
}

void CandleModel::countSignal()
{
    if (m_stats)
        PipelineStats::add(m_stats->modelSignals);
}

} // namespace tickscope
