#include "feedstatusmodel.h"

#include "venues.h"

#include <algorithm>

namespace tickscope {

namespace {
constexpr std::uint32_t bit(int role)
{
    return std::uint32_t {1} << (role - FeedStatusModel::NameRole);
}

QList<int> rolesOf(std::uint32_t mask)
{
    QList<int> roles;
    for (int role = FeedStatusModel::NameRole; mask != 0; ++role, mask >>= 1) {
        if (mask & 1)
            roles.append(role);
    }
    return roles;
}
} // namespace

FeedStatusModel::FeedStatusModel(MarketCache &cache, PipelineStats *stats, QObject *parent)
    : QAbstractListModel(parent)
    , m_cache(cache)
    , m_stats(stats)
{
    for (const FeedSnapshot &feed : m_cache.feeds())
        m_rows.push_back(makeRow(feed));
}

int FeedStatusModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

QHash<int, QByteArray> FeedStatusModel::roleNames() const
{
    return {
        {NameRole, "name"},
        {UrlRole, "url"},
        {StateRole, "state"},
        {StateTextRole, "stateText"},
        {LiveRole, "live"},
        {MessageRateRole, "messageRate"},
        {LatencyP50MsRole, "latencyP50Ms"},
        {LatencyP99MsRole, "latencyP99Ms"},
        {BooksSyncedRole, "booksSynced"},
        {BooksTotalRole, "booksTotal"},
        {IntegrityRole, "integrity"},
        {GapsRole, "gaps"},
        {ResyncsRole, "resyncs"},
        {DecodeErrorsRole, "decodeErrors"},
        {ReconnectsRole, "reconnects"},
        {ChecksumOkRole, "checksumOk"},
        {ChecksumBadRole, "checksumBad"},
        {LastErrorRole, "lastError"},
        {FeedIndexRole, "feedIndex"},
        {AttemptRole, "attempt"},
        {RetryAtMsRole, "retryAtMs"},
        {StaleSinceMsRole, "staleSinceMs"},
        {ConnectedSinceMsRole, "connectedSinceMs"},
        {DisplayNameRole, "displayName"},
    };
}

QString FeedStatusModel::stateText(const FeedSnapshot &feed)
{
    switch (feed.state) {
    case FeedState::Idle:
        return tr("Idle");
    case FeedState::Connecting:
        return tr("Connecting…");
    case FeedState::Subscribing:
        return tr("Subscribing…");
    case FeedState::Live:
        return tr("Live");
    case FeedState::Stale:
        return tr("Stale (no data)");
    case FeedState::Reconnecting:
        return tr("Reconnecting (attempt %1)").arg(feed.attempt);
    case FeedState::Paused:
        return tr("Paused");
    case FeedState::Failed:
        return feed.detail.isEmpty() ? tr("Failed") : tr("Failed: %1").arg(feed.detail);
    }
    return {};
}

QVariant FeedStatusModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index,
                    QAbstractItemModel::CheckIndexOption::IndexIsValid
                        | QAbstractItemModel::CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[static_cast<std::size_t>(index.row())];
    const FeedSnapshot &feed = row.feed;
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return feed.name;
    case UrlRole:
        return feed.url;
    case StateRole:
        return feedStateName(feed.state);
    case StateTextRole:
        return stateText(feed);
    case LiveRole:
        return feed.state == FeedState::Live;
    case MessageRateRole:
        return feed.messageRate;
    case LatencyP50MsRole:
        return row.latencyP50Ms;
    case LatencyP99MsRole:
        return row.latencyP99Ms;
    case BooksSyncedRole:
        return feed.booksSynced;
    case BooksTotalRole:
        return feed.booksTotal;
    case IntegrityRole:
        return row.integrity;
    case GapsRole:
        return static_cast<qint64>(feed.gaps);
    case ResyncsRole:
        return static_cast<qint64>(feed.resyncs);
    case DecodeErrorsRole:
        return static_cast<qint64>(feed.decodeErrors);
    case ReconnectsRole:
        return static_cast<qint64>(feed.reconnects);
    case ChecksumOkRole:
        return static_cast<qint64>(feed.checksumOk);
    case ChecksumBadRole:
        return static_cast<qint64>(feed.checksumBad);
    case LastErrorRole:
        return feed.detail;
    case FeedIndexRole:
        return feed.feedIndex;
    case AttemptRole:
        return feed.state == FeedState::Reconnecting ? feed.attempt : 0;
    case RetryAtMsRole:
        return feed.state == FeedState::Reconnecting ? static_cast<double>(feed.retryAtMs) : 0.0;
    case StaleSinceMsRole:
        return feed.state == FeedState::Stale ? static_cast<double>(feed.staleSinceMs) : 0.0;
    case ConnectedSinceMsRole:
        return static_cast<double>(feed.connectedSinceMs);
    case DisplayNameRole: {
        const VenueInfo *venue = findVenue(feed.name);
        return venue != nullptr && !venue->displayName.isEmpty() ? venue->displayName : feed.name;
    }
    default:
        return {};
    }
}

FeedStatusModel::Row FeedStatusModel::makeRow(const FeedSnapshot &feed) const
{
    Row row;
    row.feed = feed;
    const int venue = m_cache.venueIndex(feed.name);
    row.latencyP50Ms = m_cache.venueLatencyMs(venue, 0.5);
    row.latencyP99Ms = m_cache.venueLatencyMs(venue, 0.99);
    if (feed.booksTotal <= 0)
        row.integrity = QString();
    else if (feed.booksSynced >= feed.booksTotal)
        row.integrity = QStringLiteral("synced");
    else if (feed.state != FeedState::Live && feed.state != FeedState::Stale)
        // Not connected: nothing is being resynced until it is back.
        row.integrity = tr("%1/%2 in sync").arg(feed.booksSynced).arg(feed.booksTotal);
    else if (m_cache.venueBookCount(venue, BookIntegrity::Gap) > 0)
        row.integrity = QStringLiteral("gap");
    else
        row.integrity = QStringLiteral("resyncing %1/%2").arg(feed.booksSynced).arg(feed.booksTotal);
    return row;
}

std::uint32_t FeedStatusModel::changedRoles(const Row &shown, const Row &now)
{
    const FeedSnapshot &a = shown.feed;
    const FeedSnapshot &b = now.feed;
    std::uint32_t mask = 0;
    if (a.name != b.name)
        mask |= bit(NameRole) | bit(DisplayNameRole);
    if (a.url != b.url)
        mask |= bit(UrlRole);
    if (a.state != b.state)
        mask |= bit(StateRole) | bit(LiveRole);
    if (stateText(a) != stateText(b))
        mask |= bit(StateTextRole);
    if (a.messageRate != b.messageRate)
        mask |= bit(MessageRateRole);
    if (shown.latencyP50Ms != now.latencyP50Ms)
        mask |= bit(LatencyP50MsRole);
    if (shown.latencyP99Ms != now.latencyP99Ms)
        mask |= bit(LatencyP99MsRole);
    if (a.booksSynced != b.booksSynced)
        mask |= bit(BooksSyncedRole);
    if (a.booksTotal != b.booksTotal)
        mask |= bit(BooksTotalRole);
    if (shown.integrity != now.integrity)
        mask |= bit(IntegrityRole);
    if (a.gaps != b.gaps)
        mask |= bit(GapsRole);
    if (a.resyncs != b.resyncs)
        mask |= bit(ResyncsRole);
    if (a.decodeErrors != b.decodeErrors)
        mask |= bit(DecodeErrorsRole);
    if (a.reconnects != b.reconnects)
        mask |= bit(ReconnectsRole);
    if (a.checksumOk != b.checksumOk)
        mask |= bit(ChecksumOkRole);
    if (a.checksumBad != b.checksumBad)
        mask |= bit(ChecksumBadRole);
    if (a.detail != b.detail)
        mask |= bit(LastErrorRole);
    if (a.feedIndex != b.feedIndex)
        mask |= bit(FeedIndexRole);
    if (a.attempt != b.attempt)
        mask |= bit(AttemptRole);
    if (a.retryAtMs != b.retryAtMs)
        mask |= bit(RetryAtMsRole);
    if (a.staleSinceMs != b.staleSinceMs)
        mask |= bit(StaleSinceMsRole);
    if (a.connectedSinceMs != b.connectedSinceMs)
        mask |= bit(ConnectedSinceMsRole);
    return mask;
}

int FeedStatusModel::rowOfFeed(int feedIndex) const
{
    for (std::size_t row = 0; row < m_rows.size(); ++row) {
        if (m_rows[row].feed.feedIndex == feedIndex)
            return static_cast<int>(row);
    }
    return -1;
}

void FeedStatusModel::drained(const DrainBatch &batch)
{
    // Rows whose values must be recomputed: feeds that reported, and feeds (venues) with updates.
    std::vector<bool> refresh(m_rows.size(), false);
    std::vector<int> added; // feed indexes seen for the first time
    for (const FeedSnapshot &snapshot : batch.feeds) {
        const int row = rowOfFeed(snapshot.feedIndex);
        if (row >= 0)
            refresh[static_cast<std::size_t>(row)] = true;
        else if (std::find(added.begin(), added.end(), snapshot.feedIndex) == added.end())
            added.push_back(snapshot.feedIndex);
    }
    if (!batch.updates.empty()) {
        std::vector<bool> venues(m_cache.venueCount(), false);
        for (const InstrumentUpdate &update : batch.updates) {
            if (m_cache.contains(update.id))
                venues[static_cast<std::size_t>(m_cache.venueIndexOf(update.id))] = true;
        }
        for (std::size_t row = 0; row < m_rows.size(); ++row) {
            const int venue = m_cache.venueIndex(m_rows[row].feed.name);
            if (venue >= 0 && venues[static_cast<std::size_t>(venue)])
                refresh[row] = true;
        }
    }

    if (!added.empty()) {
        std::sort(added.begin(), added.end());
        const int first = static_cast<int>(m_rows.size());
        beginInsertRows({}, first, first + static_cast<int>(added.size()) - 1);
        for (int feedIndex : added) {
            const FeedSnapshot *feed = m_cache.feed(feedIndex);
            Q_ASSERT(feed);
            m_rows.push_back(makeRow(*feed));
        }
        endInsertRows();
        countSignal();
        Q_EMIT countChanged();
    }

    int first = -1;
    std::uint32_t rangeMask = 0;
    auto flush = [&](int last) {
        if (first < 0)
            return;
        Q_EMIT dataChanged(index(first), index(last), rolesOf(rangeMask));
        countSignal();
        first = -1;
        rangeMask = 0;
    };
    for (std::size_t row = 0; row < refresh.size(); ++row) {
        std::uint32_t mask = 0;
        if (refresh[row]) {
            Row &shown = m_rows[row];
            const FeedSnapshot *latest = m_cache.feed(shown.feed.feedIndex);
            Row now = makeRow(latest ? *latest : shown.feed);
            mask = changedRoles(shown, now);
            shown = std::move(now);
        }
        if (mask == 0) {
            flush(static_cast<int>(row) - 1);
            continue;
        }
        if (first < 0)
            first = static_cast<int>(row);
        rangeMask |= mask;
    }
    flush(static_cast<int>(refresh.size()) - 1);
}

void FeedStatusModel::countSignal()
{
    if (m_stats)
        PipelineStats::add(m_stats->modelSignals);
}

} // namespace tickscope
