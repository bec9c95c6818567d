#include "framedriver.h"

#include "marketcache.h"

#include <QThread>

#include <algorithm>

namespace tickscope {

FrameDriver::FrameDriver(Handoff &handoff, MarketCache &cache, PipelineStats &stats, QObject *parent)
    : QObject(parent)
    , m_handoff(handoff)
    , m_cache(cache)
    , m_stats(stats)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &FrameDriver::drainNow);
    // Runs on the publishing (feed) thread: only post an event to this object's thread.
    m_handoff.setWakeCallback([this] { QMetaObject::invokeMethod(this, &FrameDriver::onWake, Qt::QueuedConnection); });
    if (m_handoff.hasPending())
        QMetaObject::invokeMethod(this, &FrameDriver::onWake, Qt::QueuedConnection);
}

FrameDriver::~FrameDriver()
{
    m_handoff.setWakeCallback({});
}

void FrameDriver::addListener(DrainListener *listener)
{
    m_listeners.push_back(listener);
}

void FrameDriver::removeListener(DrainListener *listener)
{
    m_listeners.erase(std::remove(m_listeners.begin(), m_listeners.end(), listener), m_listeners.end());
}

void FrameDriver::onWake()
{
    if (m_mode == Mode::External) {
        Q_EMIT frameRequested();
        return;
    }
    if (m_timer.isActive())
        return;
    const std::int64_t sinceLast = (steadyNowNs() - m_lastDrainNs) / 1'000'000;
    m_timer.start(static_cast<int>(std::clamp<std::int64_t>(m_frameIntervalMs - sinceLast, 0, m_frameIntervalMs)));
}

bool FrameDriver::drainNow()
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (!m_handoff.drain(m_batch))
        return false;
    m_lastDrainNs = steadyNowNs();
    m_cache.apply(m_batch);
    for (DrainListener *listener : m_listeners)
        listener->drained(m_batch);
    m_cache.recordLatencies(m_batch, steadyNowNs());
    PipelineStats::add(m_stats.drains);
    Q_EMIT drained();
    return true;
}

} // namespace tickscope
