#pragma once

#include "feedconnection.h"
#include "venueprotocol.h"

#include <QObject>
#include <QThread>

#include <memory>
#include <vector>

namespace tickscope {

class Handoff;
struct PipelineStats;

/// Owns the feed thread and every FeedConnection on it. Its own methods are called from the GUI
/// thread; they forward to the feed thread with queued (or, for addFeed, blocking) calls.
class FeedManager : public QObject
{
    Q_OBJECT
public:
    FeedManager(Handoff &handoff, PipelineStats &stats, QObject *parent = nullptr);
    /// Stops every connection on the feed thread, then the thread.
    ~FeedManager() override;

    /// Creates a connection on the feed thread and starts it. Returns its feed index.
    int addFeed(std::unique_ptr<VenueProtocol> protocol, FeedConfig config);
    int feedCount() const { return static_cast<int>(m_connections.size()); }
    /// Replaces feed `feed` by a new connection (new protocol and settings, e.g. another symbol
    /// list or endpoint) under the same index, and starts it. The old one is closed first.
    void replaceFeed(int feed, std::unique_ptr<VenueProtocol> protocol, FeedConfig config);

    void pause(int feed);
    void resume(int feed);
    void reconnectNow(int feed);
    void pauseAll();
    void resumeAll();
    /// New reconnect delays and silence timeout for feed `feed`, applied on the open connection
    /// (FeedConnection::setTimeouts(): no reconnect, a paused feed stays paused).
    void setTimeouts(int feed, std::chrono::milliseconds backoffBase, std::chrono::milliseconds backoffCap,
                     std::chrono::milliseconds silenceTimeout);

    QThread *feedThread() { return &m_thread; }

private:
    void onFeedThread(int feed, void (FeedConnection::*action)());

    Handoff &m_handoff;
    PipelineStats &m_stats;
    QThread m_thread;
    QObject *m_context = nullptr; // lives on the feed thread; parent of the connections
    std::vector<FeedConnection *> m_connections;
};

} // namespace tickscope
