#include "watchlistmodel.h"

#include "decimal.h"

#include <QSet>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace tickscope {

namespace {
constexpr std::uint64_t bit(int role)
{
    return std::uint64_t {1} << (role - WatchlistModel::SymbolRole);
}

QList<int> rolesOf(std::uint64_t mask)
{
    QList<int> roles;
    for (int role = WatchlistModel::SymbolRole; mask != 0; ++role, mask >>= 1) {
        if (mask & 1)
            roles.append(role);
    }
    return roles;
}

QString priceText(std::int64_t mantissa, int scale)
{
    return mantissa == kNoPrice ? QString() : formatDecimalQ(mantissa, scale);
}

std::int64_t changeOf(const Quote &quote)
{
    if (quote.last == kNoPrice || quote.open24h == kNoPrice)
        return kNoPrice;
    return quote.last - quote.open24h;
}

/// 24 h change in hundredths of a percent, rounded half away from zero; kNoPrice when unknown.
std::int64_t changeBasisPointsOf(const Quote &quote)
{
    const std::int64_t change = changeOf(quote);
    if (change == kNoPrice || quote.open24h == 0)
        return kNoPrice;
    const std::int64_t open = quote.open24h;
    constexpr std::int64_t kPercentHundredths = 10000;
    if (std::abs(change) > std::numeric_limits<std::int64_t>::max() / kPercentHundredths) {
        // Out of exact range (absurd prices): a double is precise enough for two decimals.
        return static_cast<std::int64_t>(
            std::llround(static_cast<double>(change) / static_cast<double>(open) * kPercentHundredths));
    }
    const std::int64_t numerator = change * kPercentHundredths;
    std::int64_t quotient = numerator / open;
    const std::int64_t remainder = std::abs(numerator % open);
    if (remainder >= std::abs(open) - remainder)
        quotient += (numerator < 0) != (open < 0) ? -1 : 1;
    return quotient;
}

std::int64_t spreadOf(const Quote &quote)
{
    if (quote.bid == kNoPrice || quote.ask == kNoPrice)
        return kNoPrice;
    return quote.ask - quote.bid;
}

QString integrityKey(BookIntegrity integrity)
{
    switch (integrity) {
    case BookIntegrity::Synced:
        return QStringLiteral("synced");
    case BookIntegrity::Resyncing:
        return QStringLiteral("resyncing");
    case BookIntegrity::Gap:
        return QStringLiteral("gap");
    }
    return {};
}
} // namespace

WatchlistModel::WatchlistModel(MarketCache &cache, PipelineStats *stats, QObject *parent)
    : QAbstractListModel(parent)
    , m_cache(cache)
    , m_stats(stats)
{
    if (m_followAll) {
        for (InstrumentId id = 0; id < m_cache.instrumentCount(); ++id)
            m_rows.push_back(makeRow(id));
        rebuildIndex();
    }
}

int WatchlistModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

QHash<int, QByteArray> WatchlistModel::roleNames() const
{
    return {
        {SymbolRole, "symbol"},
        {VenueRole, "venue"},
        {DisplayNameRole, "displayName"},
        {InstrumentIdRole, "instrumentId"},
        {LastRole, "last"},
        {ChangeRole, "change"},
        {ChangePercentRole, "changePercent"},
        {BidRole, "bid"},
        {AskRole, "ask"},
        {SpreadRole, "spread"},
        {VolumeRole, "volume"},
        {HighRole, "high"},
        {LowRole, "low"},
        {TickDirectionRole, "tickDirection"},
        {StaleRole, "stale"},
        {IntegrityRole, "integrity"},
        {IntegrityTextRole, "integrityText"},
        {CrossedRole, "crossed"},
        {LastValueRole, "lastValue"},
        {ChangePercentValueRole, "changePercentValue"},
        {VolumeValueRole, "volumeValue"},
    };
}

QVariant WatchlistModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index,
                    QAbstractItemModel::CheckIndexOption::IndexIsValid
                        | QAbstractItemModel::CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[static_cast<std::size_t>(index.row())];
    const Instrument &instrument = m_cache.instrument(row.id);
    const Quote &quote = row.quote;
    const int priceScale = instrument.priceScale;
    switch (role) {
    case Qt::DisplayRole:
    case SymbolRole:
        return instrument.symbol;
    case VenueRole:
        return instrument.venue;
    case DisplayNameRole:
        return instrument.displayName;
    case InstrumentIdRole:
        return static_cast<int>(row.id);
    case LastRole:
        return priceText(quote.last, priceScale);
    case ChangeRole:
        return priceText(changeOf(quote), priceScale);
    case ChangePercentRole: {
        const std::int64_t basisPoints = changeBasisPointsOf(quote);
        return basisPoints == kNoPrice ? QString() : formatDecimalQ(basisPoints, 2);
    }
    case BidRole:
        return priceText(quote.bid, priceScale);
    case AskRole:
        return priceText(quote.ask, priceScale);
    case SpreadRole:
        return priceText(spreadOf(quote), priceScale);
    case VolumeRole:
        return formatDecimalQ(quote.volume24h, instrument.qtyScale);
    case HighRole:
        return priceText(quote.high24h, priceScale);
    case LowRole:
        return priceText(quote.low24h, priceScale);
    case TickDirectionRole:
        return static_cast<int>(quote.tickDirection);
    case StaleRole:
        return row.stale || row.integrity != BookIntegrity::Synced;
    case IntegrityRole:
        return integrityKey(row.integrity);
    case IntegrityTextRole:
        return bookIntegrityText(row.integrity);
    case CrossedRole:
        return row.crossed;
    case LastValueRole:
        return quote.last == kNoPrice ? std::numeric_limits<double>::quiet_NaN()
                                      : static_cast<double>(quote.last) / static_cast<double>(pow10(priceScale));
    case ChangePercentValueRole: {
        const std::int64_t basisPoints = changeBasisPointsOf(quote);
        return basisPoints == kNoPrice ? 0.0 : static_cast<double>(basisPoints) / 100.0;
    }
    case VolumeValueRole:
        return static_cast<double>(quote.volume24h) / static_cast<double>(pow10(instrument.qtyScale));
    default:
        return {};
    }
}

WatchlistModel::Row WatchlistModel::makeRow(InstrumentId id) const
{
    const MarketCache::InstrumentState &state = m_cache.state(id);
    return Row {id, state.quote, state.integrity, state.stale, state.crossed};
}

std::uint64_t WatchlistModel::changedRoles(const Row &shown, const Row &now) const
{
    std::uint64_t mask = 0;
    const Quote &a = shown.quote;
    const Quote &b = now.quote;
    if (a.last != b.last)
        mask |= bit(LastRole) | bit(LastValueRole);
    if (changeOf(a) != changeOf(b))
        mask |= bit(ChangeRole);
    if (changeBasisPointsOf(a) != changeBasisPointsOf(b))
        mask |= bit(ChangePercentRole) | bit(ChangePercentValueRole);
    if (a.bid != b.bid)
        mask |= bit(BidRole);
    if (a.ask != b.ask)
        mask |= bit(AskRole);
    if (spreadOf(a) != spreadOf(b))
        mask |= bit(SpreadRole);
    if (a.volume24h != b.volume24h)
        mask |= bit(VolumeRole) | bit(VolumeValueRole);
    if (a.high24h != b.high24h)
        mask |= bit(HighRole);
    if (a.low24h != b.low24h)
        mask |= bit(LowRole);
    if (a.tickDirection != b.tickDirection)
        mask |= bit(TickDirectionRole);
    const bool staleBefore = shown.stale || shown.integrity != BookIntegrity::Synced;
    const bool staleNow = now.stale || now.integrity != BookIntegrity::Synced;
    if (staleBefore != staleNow)
        mask |= bit(StaleRole);
    if (shown.integrity != now.integrity)
        mask |= bit(IntegrityRole) | bit(IntegrityTextRole);
    if (shown.crossed != now.crossed)
        mask |= bit(CrossedRole);
    return mask;
}

void WatchlistModel::drained(const DrainBatch &batch)
{
    if (m_followAll && !batch.newInstruments.empty()) {
        std::vector<InstrumentId> added;
        added.reserve(batch.newInstruments.size());
        for (std::size_t i = 0; i < batch.newInstruments.size(); ++i) {
            const InstrumentId id = batch.firstNewId + static_cast<InstrumentId>(i);
            if (m_cache.contains(id) && rowOf(static_cast<int>(id)) < 0)
                added.push_back(id);
        }
        // New rows are read from the cache, which already holds this batch: no dataChanged for them.
        appendRows(added);
    }

    // (row, changed roles) of every listed instrument whose visible values changed.
    std::vector<std::pair<int, std::uint64_t>> changed;
    for (const InstrumentUpdate &update : batch.updates) {
        if (update.id >= m_rowOf.size() || m_rowOf[update.id] < 0)
            continue;
        const int row = m_rowOf[update.id];
        Row now = makeRow(update.id);
        Row &shown = m_rows[static_cast<std::size_t>(row)];
        const std::uint64_t mask = changedRoles(shown, now);
        shown = now;
        if (mask != 0)
            changed.emplace_back(row, mask);
    }
    if (changed.empty())
        return;

    std::sort(changed.begin(), changed.end());
    std::size_t i = 0;
    while (i < changed.size()) {
        const int first = changed[i].first;
        int last = first;
        std::uint64_t mask = changed[i].second;
        ++i;
        while (i < changed.size() && changed[i].first <= last + 1) {
            last = changed[i].first;
            mask |= changed[i].second;
            ++i;
        }
        Q_EMIT dataChanged(index(first), index(last), rolesOf(mask));
        countSignal();
    }
}

void WatchlistModel::appendRows(const std::vector<InstrumentId> &ids)
{
    if (ids.empty())
        return;
    const int first = static_cast<int>(m_rows.size());
    beginInsertRows({}, first, first + static_cast<int>(ids.size()) - 1);
    for (InstrumentId id : ids)
        m_rows.push_back(makeRow(id));
    rebuildIndex();
    endInsertRows();
    countSignal();
    Q_EMIT countChanged();
}

void WatchlistModel::setInstruments(const QList<InstrumentId> &ids)
{
    beginResetModel();
    m_rows.clear();
    QSet<InstrumentId> seen;
    for (InstrumentId id : ids) {
        if (!m_cache.contains(id)) {
            qCWarning(lcModels) << "watchlist: skipping unknown instrument" << id;
            continue;
        }
        if (seen.contains(id))
            continue;
        seen.insert(id);
        m_rows.push_back(makeRow(id));
    }
    rebuildIndex();
    endResetModel();
    Q_EMIT countChanged();
}

QList<InstrumentId> WatchlistModel::instruments() const
{
    QList<InstrumentId> ids;
    ids.reserve(static_cast<qsizetype>(m_rows.size()));
    for (const Row &row : m_rows)
        ids.append(row.id);
    return ids;
}

bool WatchlistModel::addInstrument(int id)
{
    if (id < 0 || !m_cache.contains(static_cast<InstrumentId>(id)) || rowOf(id) >= 0)
        return false;
    appendRows({static_cast<InstrumentId>(id)});
    return true;
}

bool WatchlistModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > rowCount())
        return false;
    beginRemoveRows({}, row, row + count - 1);
    m_rows.erase(m_rows.begin() + row, m_rows.begin() + row + count);
    rebuildIndex();
    endRemoveRows();
    countSignal();
    Q_EMIT countChanged();
    return true;
}

int WatchlistModel::instrumentAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return -1;
    return static_cast<int>(m_rows[static_cast<std::size_t>(row)].id);
}

int WatchlistModel::rowOf(int id) const
{
    if (id < 0 || static_cast<std::size_t>(id) >= m_rowOf.size())
        return -1;
    return m_rowOf[static_cast<std::size_t>(id)];
}

void WatchlistModel::setFollowAll(bool follow)
{
    if (m_followAll == follow)
        return;
    m_followAll = follow;
    Q_EMIT followAllChanged();
}

void WatchlistModel::rebuildIndex()
{
    // Structural changes are rare (user actions, new instruments); per-tick lookups need O(1).
    m_rowOf.assign(m_cache.instrumentCount(), -1);
    for (std::size_t row = 0; row < m_rows.size(); ++row) {
        if (m_rows[row].id < m_rowOf.size())
            m_rowOf[m_rows[row].id] = static_cast<int>(row);
    }
}

void WatchlistModel::countSignal(std::uint64_t n)
{
    if (m_stats)
        PipelineStats::add(m_stats->modelSignals, n);
}

} // namespace tickscope
