#include "watchlistmodel.h"

#include "decimal.h"

#include <QSet>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>

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

/// Out of sync while the feed is not live: nothing is being resynced, no data arrives at all.
bool offline(BookIntegrity integrity, bool feedDown)
{
    return feedDown && integrity != BookIntegrity::Synced;
}

QString integrityKey(BookIntegrity integrity, bool feedDown)
{
    if (offline(integrity, feedDown))
        return QStringLiteral("offline");
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
        for (InstrumentId id = 0; id < m_cache.instrumentCount(); ++id) {
            m_rows.push_back(makeRow(id));
            m_userOrder.append(m_rows.back().key);
        }
        rebuildIndex();
    }
    m_sinceSort.start();
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
        {ResolvedRole, "resolved"},
    };
}

QVariant WatchlistModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index,
                    QAbstractItemModel::CheckIndexOption::IndexIsValid
                        | QAbstractItemModel::CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[static_cast<std::size_t>(index.row())];
    if (row.id == kNoInstrument)
        return waitingData(row, role);
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
        // Blank, like the prices, until the instrument has traded or had a ticker.
        return quote.volume24h == 0 && quote.last == kNoPrice ? QString()
                                                              : formatDecimalQ(quote.volume24h, instrument.qtyScale);
    case HighRole:
        return priceText(quote.high24h, priceScale);
    case LowRole:
        return priceText(quote.low24h, priceScale);
    case TickDirectionRole:
        return static_cast<int>(quote.tickDirection);
    case StaleRole:
        return row.stale || row.integrity != BookIntegrity::Synced;
    case IntegrityRole:
        return integrityKey(row.integrity, row.stale);
    case IntegrityTextRole:
        return offline(row.integrity, row.stale) ? tr("no data: the feed is not live")
                                                 : bookIntegrityText(row.integrity);
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
    case ResolvedRole:
        return true;
    default:
        return {};
    }
}

QVariant WatchlistModel::waitingData(const Row &row, int role)
{
    switch (role) {
    case Qt::DisplayRole:
    case SymbolRole:
    case DisplayNameRole:
        return row.key.symbol;
    case VenueRole:
        return row.key.venue;
    case InstrumentIdRole:
        return -1;
    case LastRole:
    case ChangeRole:
    case ChangePercentRole:
    case BidRole:
    case AskRole:
    case SpreadRole:
    case VolumeRole:
    case HighRole:
    case LowRole:
        return QString();
    case TickDirectionRole:
        return 0;
    case StaleRole:
        return true;
    case IntegrityRole:
        return QStringLiteral("waiting");
    case IntegrityTextRole:
        return tr("waiting for the feed to announce it");
    case CrossedRole:
    case ResolvedRole:
        return false;
    case LastValueRole:
        return std::numeric_limits<double>::quiet_NaN();
    case ChangePercentValueRole:
    case VolumeValueRole:
        return 0.0;
    default:
        return {};
    }
}

WatchlistModel::Row WatchlistModel::makeRow(InstrumentId id) const
{
    const MarketCache::InstrumentState &state = m_cache.state(id);
    const Instrument &instrument = m_cache.instrument(id);
    return Row {{instrument.venue, instrument.symbol}, id, state.quote, state.integrity, state.stale, state.crossed};
}

WatchlistModel::Row WatchlistModel::makeRow(const InstrumentKey &key) const
{
    const InstrumentId id = m_cache.find(key.venue, key.symbol);
    if (id != kNoInstrument)
        return makeRow(id);
    Row row;
    row.key = key;
    return row;
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
    else if (a.volume24h == 0 && (a.last == kNoPrice) != (b.last == kNoPrice))
        mask |= bit(VolumeRole); // a zero volume is shown once there is a price
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
    if (shown.integrity != now.integrity || offline(shown.integrity, shown.stale) != offline(now.integrity, now.stale))
        mask |= bit(IntegrityRole) | bit(IntegrityTextRole);
    if (shown.crossed != now.crossed)
        mask |= bit(CrossedRole);
    return mask;
}

void WatchlistModel::drained(const DrainBatch &batch)
{
    if (!batch.newInstruments.empty()) {
        resolveWaiting();
        if (m_followAll) {
            std::vector<Row> added;
            added.reserve(batch.newInstruments.size());
            for (std::size_t i = 0; i < batch.newInstruments.size(); ++i) {
                const InstrumentId id = batch.firstNewId + static_cast<InstrumentId>(i);
                if (m_cache.contains(id) && rowOf(static_cast<int>(id)) < 0)
                    added.push_back(makeRow(id));
            }
            // New rows are read from the cache, which already holds this batch: no dataChanged for them.
            appendRows(added);
        }
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
    if (!changed.empty()) {
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
    // Live columns move rows around; once a second is as often as a reader can follow.
    constexpr qint64 kResortIntervalMs = 1000;
    if (!m_sortColumn.isEmpty() && m_sinceSort.elapsed() >= kResortIntervalMs)
        resort();
}

void WatchlistModel::resolveWaiting()
{
    for (std::size_t row = 0; row < m_rows.size(); ++row) {
        Row &shown = m_rows[row];
        if (shown.id != kNoInstrument)
            continue;
        const InstrumentId id = m_cache.find(shown.key.venue, shown.key.symbol);
        if (id == kNoInstrument)
            continue;
        shown = makeRow(id);
        rebuildIndex();
        const QModelIndex at = index(static_cast<int>(row));
        Q_EMIT dataChanged(at, at); // every role: the row became an instrument
        countSignal();
    }
}

void WatchlistModel::appendRows(const std::vector<Row> &rows)
{
    if (rows.empty())
        return;
    const int first = static_cast<int>(m_rows.size());
    beginInsertRows({}, first, first + static_cast<int>(rows.size()) - 1);
    for (const Row &row : rows) {
        m_rows.push_back(row);
        m_userOrder.append(row.key);
    }
    rebuildIndex();
    endInsertRows();
    countSignal();
    Q_EMIT countChanged();
    if (!m_sortColumn.isEmpty())
        resort();
}

void WatchlistModel::setInstruments(const QList<InstrumentId> &ids)
{
    QList<InstrumentKey> keys;
    for (InstrumentId id : ids) {
        if (!m_cache.contains(id)) {
            qCWarning(lcModels) << "watchlist: skipping unknown instrument" << id;
            continue;
        }
        const Instrument &instrument = m_cache.instrument(id);
        keys.append({instrument.venue, instrument.symbol});
    }
    setKeys(keys);
}

void WatchlistModel::setKeys(const QList<InstrumentKey> &keys)
{
    beginResetModel();
    m_rows.clear();
    m_userOrder.clear();
    for (const InstrumentKey &key : keys) {
        if (!key.isValid() || m_userOrder.contains(key))
            continue;
        m_userOrder.append(key);
        m_rows.push_back(makeRow(key));
    }
    if (!m_sortColumn.isEmpty())
        std::stable_sort(m_rows.begin(), m_rows.end(), [this](const Row &a, const Row &b) { return lessThan(a, b); });
    rebuildIndex();
    endResetModel();
    m_sinceSort.restart();
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
    appendRows({makeRow(static_cast<InstrumentId>(id))});
    Q_EMIT edited();
    return true;
}

bool WatchlistModel::addKey(const QString &venue, const QString &symbol)
{
    const InstrumentKey key {venue.trimmed(), symbol.trimmed()};
    if (!key.isValid() || m_userOrder.contains(key))
        return false;
    appendRows({makeRow(key)});
    Q_EMIT edited();
    return true;
}

bool WatchlistModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > rowCount())
        return false;
    beginRemoveRows({}, row, row + count - 1);
    for (int i = row; i < row + count; ++i)
        m_userOrder.removeOne(m_rows[static_cast<std::size_t>(i)].key);
    m_rows.erase(m_rows.begin() + row, m_rows.begin() + row + count);
    rebuildIndex();
    endRemoveRows();
    countSignal();
    Q_EMIT countChanged();
    Q_EMIT edited();
    return true;
}

bool WatchlistModel::moveRow(int from, int to)
{
    const int n = rowCount();
    if (from < 0 || from >= n || to < 0 || to >= n)
        return false;
    if (!m_sortColumn.isEmpty()) {
        // Moving a row by hand means the shown order is what the user wants to keep.
        m_userOrder.clear();
        for (const Row &row : m_rows)
            m_userOrder.append(row.key);
        m_sortColumn.clear();
        Q_EMIT sortChanged();
    }
    if (from == to)
        return true;
    // beginMoveRows names the destination as the row the moved one goes before.
    beginMoveRows({}, from, from, {}, to > from ? to + 1 : to);
    const Row moved = m_rows[static_cast<std::size_t>(from)];
    m_rows.erase(m_rows.begin() + from);
    m_rows.insert(m_rows.begin() + to, moved);
    m_userOrder.move(from, to);
    rebuildIndex();
    endMoveRows();
    countSignal();
    Q_EMIT edited();
    return true;
}

QStringList WatchlistModel::sortableColumns()
{
    return {QStringLiteral("symbol"), QStringLiteral("venue"), QStringLiteral("last"),   QStringLiteral("change"),
            QStringLiteral("bid"),    QStringLiteral("ask"),   QStringLiteral("spread"), QStringLiteral("volume")};
}

void WatchlistModel::setSort(const QString &column, bool ascending)
{
    const QString sortBy = sortableColumns().contains(column) ? column : QString();
    if (sortBy == m_sortColumn && (sortBy.isEmpty() || ascending == m_sortAscending))
        return;
    m_sortColumn = sortBy;
    m_sortAscending = ascending;
    Q_EMIT sortChanged();
    resort();
}

namespace {
/// The value a row is sorted by in a numeric column; nullopt when unknown.
std::optional<double> valueOf(std::int64_t mantissa, int scale)
{
    if (mantissa == kNoPrice)
        return std::nullopt;
    return static_cast<double>(mantissa) / static_cast<double>(pow10(scale));
}
} // namespace

bool WatchlistModel::lessThan(const Row &a, const Row &b) const
{
    if (m_sortColumn == QStringLiteral("symbol") || m_sortColumn == QStringLiteral("venue")) {
        const bool byVenue = m_sortColumn == QStringLiteral("venue");
        int order = byVenue ? a.key.venue.compare(b.key.venue, Qt::CaseInsensitive) : 0;
        if (order == 0)
            order = a.key.symbol.compare(b.key.symbol, Qt::CaseInsensitive);
        if (order == 0 && !byVenue)
            order = a.key.venue.compare(b.key.venue, Qt::CaseInsensitive);
        return m_sortAscending ? order < 0 : order > 0;
    }
    const auto value = [this](const Row &row) -> std::optional<double> {
        if (row.id == kNoInstrument)
            return std::nullopt;
        const Instrument &instrument = m_cache.instrument(row.id);
        const Quote &q = row.quote;
        if (m_sortColumn == QStringLiteral("last"))
            return valueOf(q.last, instrument.priceScale);
        if (m_sortColumn == QStringLiteral("change"))
            return valueOf(changeBasisPointsOf(q), 2);
        if (m_sortColumn == QStringLiteral("bid"))
            return valueOf(q.bid, instrument.priceScale);
        if (m_sortColumn == QStringLiteral("ask"))
            return valueOf(q.ask, instrument.priceScale);
        if (m_sortColumn == QStringLiteral("spread"))
            return valueOf(spreadOf(q), instrument.priceScale);
        return valueOf(q.volume24h, instrument.qtyScale);
    };
    const std::optional<double> va = value(a);
    const std::optional<double> vb = value(b);
    // Unknown values go last whichever the direction: a sort shows what is known first.
    if (!va || !vb)
        return va.has_value() && !vb.has_value();
    return m_sortAscending ? *va < *vb : *va > *vb;
}

void WatchlistModel::resort()
{
    m_sinceSort.restart();
    std::vector<int> order(m_rows.size()); // new row → old row
    if (m_sortColumn.isEmpty()) {
        for (std::size_t row = 0; row < m_rows.size(); ++row)
            order[static_cast<std::size_t>(m_userOrder.indexOf(m_rows[row].key))] = static_cast<int>(row);
    } else {
        // From the user's order, so equal values keep the user's order.
        std::vector<int> byUser(m_rows.size());
        for (std::size_t row = 0; row < m_rows.size(); ++row)
            byUser[static_cast<std::size_t>(m_userOrder.indexOf(m_rows[row].key))] = static_cast<int>(row);
        order = byUser;
        std::stable_sort(order.begin(), order.end(), [this](int a, int b) {
            return lessThan(m_rows[static_cast<std::size_t>(a)], m_rows[static_cast<std::size_t>(b)]);
        });
    }
    bool same = true;
    for (std::size_t row = 0; row < order.size() && same; ++row)
        same = order[row] == static_cast<int>(row);
    if (same)
        return;
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    std::vector<int> newRowOf(order.size());
    std::vector<Row> rows;
    rows.reserve(m_rows.size());
    for (std::size_t row = 0; row < order.size(); ++row) {
        newRowOf[static_cast<std::size_t>(order[row])] = static_cast<int>(row);
        rows.push_back(m_rows[static_cast<std::size_t>(order[row])]);
    }
    const QModelIndexList before = persistentIndexList();
    QModelIndexList after;
    after.reserve(before.size());
    for (const QModelIndex &old : before)
        after.append(index(newRowOf[static_cast<std::size_t>(old.row())], old.column()));
    m_rows = std::move(rows);
    rebuildIndex();
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
    countSignal();
    Q_EMIT reordered();
}

QString WatchlistModel::venueAt(int row) const
{
    return row < 0 || row >= rowCount() ? QString() : m_rows[static_cast<std::size_t>(row)].key.venue;
}

QString WatchlistModel::symbolAt(int row) const
{
    return row < 0 || row >= rowCount() ? QString() : m_rows[static_cast<std::size_t>(row)].key.symbol;
}

QString WatchlistModel::rowText(int row) const
{
    if (row < 0 || row >= rowCount())
        return {};
    const QModelIndex at = index(row);
    QStringList fields;
    for (const int role :
         {SymbolRole, VenueRole, LastRole, ChangePercentRole, BidRole, AskRole, SpreadRole, VolumeRole})
        fields << at.data(role).toString();
    return fields.join(u'\t');
}

int WatchlistModel::rowOfKey(const QString &venue, const QString &symbol) const
{
    const InstrumentKey key {venue, symbol};
    for (std::size_t row = 0; row < m_rows.size(); ++row) {
        if (m_rows[row].key == key)
            return static_cast<int>(row);
    }
    return -1;
}

int WatchlistModel::instrumentAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return -1;
    const InstrumentId id = m_rows[static_cast<std::size_t>(row)].id;
    return id == kNoInstrument ? -1 : static_cast<int>(id);
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
        if (m_rows[row].id != kNoInstrument && m_rows[row].id < m_rowOf.size())
            m_rowOf[m_rows[row].id] = static_cast<int>(row);
    }
}

void WatchlistModel::countSignal(std::uint64_t n)
{
    if (m_stats)
        PipelineStats::add(m_stats->modelSignals, n);
}

} // namespace tickscope
