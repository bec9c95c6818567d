#pragma once

#include "drainlistener.h"
#include "marketcache.h"
#include "pipelinestats.h"

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

#include <vector>

namespace tickscope {

/// Health of every feed, one row per feed in the order the feeds first reported.
///
/// Rows come from the feed snapshots of each drain (a new feed is appended; all new feeds of one
/// drain in one rowsInserted). Latency percentiles come from the MarketCache's recent per-venue
/// statistics and are refreshed on drains that carry updates of that venue. Only changed roles
/// are announced.
class FeedStatusModel : public QAbstractListModel, public DrainListener
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The feed status model is provided by MarketHub")
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Roles {
        NameRole = Qt::UserRole + 1, ///< QString: feed name (also the venue name of its instruments)
        UrlRole, ///< QString: endpoint URL
        StateRole, ///< QString: FeedState name ("Live", "Reconnecting", …), stable for QML logic
        StateTextRole, ///< QString: human state ("Live", "Connecting…", "Reconnecting (attempt 3)", "Failed: …")
        LiveRole, ///< bool: state is Live
        MessageRateRole, ///< double: frames per second over the last second
        LatencyP50MsRole, ///< double: recent receive→model latency, median, ms
        LatencyP99MsRole, ///< double: recent receive→model latency, 99th percentile, ms
        BooksSyncedRole, ///< int: books in sync
        BooksTotalRole, ///< int: books subscribed
        IntegrityRole, ///< QString: "synced", "resyncing n/m" (n of m books in sync), "gap", "n/m in sync"
                       ///< (the feed is not connected), or "" without books
        GapsRole, ///< qint64: sequence gaps seen
        ResyncsRole, ///< qint64: book resyncs
        DecodeErrorsRole, ///< qint64: frames that failed to decode
        ReconnectsRole, ///< qint64: reconnects
        ChecksumOkRole, ///< qint64: book checksums that matched
        ChecksumBadRole, ///< qint64: book checksums that did not match
        LastErrorRole, ///< QString: reason of the last transition / last error
        FeedIndexRole, ///< int: index of the feed (for pause/resume/reconnect actions)
        AttemptRole, ///< int: reconnect attempt (Reconnecting), else 0
        RetryAtMsRole, ///< double: wall time (ms since epoch) of the next attempt (Reconnecting), else 0
        StaleSinceMsRole, ///< double: wall time of the last data before going Stale (Stale), else 0
        ConnectedSinceMsRole, ///< double: wall time the current connection went live, 0 when not live
        DisplayNameRole, ///< QString: the venue's display name ("Binance Spot"), else the feed name
    };
    Q_ENUM(Roles)

    explicit FeedStatusModel(MarketCache &cache, PipelineStats *stats = nullptr, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    void drained(const DrainBatch &batch) override;

    int count() const { return static_cast<int>(m_rows.size()); }
    /// Row of a feed index, -1 when that feed never reported.
    Q_INVOKABLE int rowOfFeed(int feedIndex) const;

    /// Human text of a feed state, as shown by StateTextRole.
    static QString stateText(const FeedSnapshot &feed);

Q_SIGNALS:
    void countChanged();

private:
    struct Row
    {
        FeedSnapshot feed;
        double latencyP50Ms = 0;
        double latencyP99Ms = 0;
        QString integrity;
    };

    Row makeRow(const FeedSnapshot &feed) const;
    static std::uint32_t changedRoles(const Row &shown, const Row &now);
    void countSignal();

    MarketCache &m_cache;
    PipelineStats *m_stats;
    std::vector<Row> m_rows;
};

} // namespace tickscope
