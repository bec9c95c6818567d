#include "feedmanager.h"

#include "handoff.h"
#include "threadcall.h"

namespace tickscope {

FeedManager::FeedManager(Handoff &handoff, PipelineStats &stats, QObject *parent)
    : QObject(parent)
    , m_handoff(handoff)
    , m_stats(stats)
{
    m_thread.setObjectName(QStringLiteral("tickscope-feeds"));
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
    m_thread.start();
}

FeedManager::~FeedManager()
{
    // Connections (and their sockets) must die on the thread that owns them.
    callOnThread(m_context, [this] { qDeleteAll(m_context->children()); });
    m_thread.quit();
    m_thread.wait();
}

int FeedManager::addFeed(std::unique_ptr<VenueProtocol> protocol, FeedConfig config)
{
    const int index = static_cast<int>(m_connections.size());
    FeedConnection *connection = nullptr;
    callOnThread(m_context, [&] {
        connection = new FeedConnection(index, std::move(protocol), std::move(config), m_handoff, m_stats, m_context);
        connection->start();
    });
    m_connections.push_back(connection);
    return index;
}

void FeedManager::replaceFeed(int feed, std::unique_ptr<VenueProtocol> protocol, FeedConfig config)
{
    if (feed < 0 || feed >= feedCount())
        return;
    FeedConnection *old = m_connections[static_cast<std::size_t>(feed)];
    FeedConnection *connection = nullptr;
    callOnThread(m_context, [&] {
        delete old;
        connection = new FeedConnection(feed, std::move(protocol), std::move(config), m_handoff, m_stats, m_context);
        connection->start();
    });
    m_connections[static_cast<std::size_t>(feed)] = connection;
}

void FeedManager::onFeedThread(int feed, void (FeedConnection::*action)())
{
    if (feed < 0 || feed >= feedCount())
        return;
    FeedConnection *connection = m_connections[static_cast<std::size_t>(feed)];
    QMetaObject::invokeMethod(
        connection, [connection, action] { (connection->*action)(); }, Qt::QueuedConnection);
}

void FeedManager::pause(int feed)
{
    onFeedThread(feed, &FeedConnection::pause);
}

void FeedManager::resume(int feed)
{
    onFeedThread(feed, &FeedConnection::resume);
}

void FeedManager::reconnectNow(int feed)
{
    onFeedThread(feed, &FeedConnection::reconnectNow);
}

void FeedManager::setTimeouts(int feed, std::chrono::milliseconds backoffBase, std::chrono::milliseconds backoffCap,
                              std::chrono::milliseconds silenceTimeout)
{
    if (feed < 0 || feed >= feedCount())
        return;
    FeedConnection *connection = m_connections[static_cast<std::size_t>(feed)];
    QMetaObject::invokeMethod(
        connection,
        [connection, backoffBase, backoffCap, silenceTimeout] {
            connection->setTimeouts(backoffBase, backoffCap, silenceTimeout);
        },
        Qt::QueuedConnection);
}

void FeedManager::pauseAll()
{
    for (int i = 0; i < feedCount(); ++i)
        pause(i);
}

void FeedManager::resumeAll()
{
    for (int i = 0; i < feedCount(); ++i)
        resume(i);
}

} // namespace tickscope
