#include "framescheduler.h"

#include "marketcache.h"
#include "pipelinestats.h"

#include <QEvent>
#include <QQuickWindow>
#include <QThread>

#include <algorithm>
#include <limits>

namespace tickscope {

namespace {

/// Moving average with weight 1/8 for the new sample; the first sample is taken as it is.
std::int64_t smooth(std::int64_t average, std::int64_t sample)
{
    return average == 0 ? sample : average + (sample - average) / 8;
}

/// A held frame starts this much before the render thread is expected to be free: a frame that
/// starts a little early waits a little, one that starts late leaves the render thread idle.
constexpr std::int64_t kLeadNs = 500'000;

} // namespace

FrameScheduler::FrameScheduler(QQuickWindow *window, int maxFps)
    : QObject(window)
    , m_window(window)
    , m_minPeriodNs(maxFps > 0 ? 1'000'000'000LL / maxFps : 0)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &FrameScheduler::deliverHeld);
    // The render thread's times are taken where they happen and handed to the GUI thread: each
    // sync is counted, and a swap reports which sync it drew and how long after it. With the basic
    // or software render loop the swap happens on the GUI thread itself.
    connect(
        window, &QQuickWindow::afterSynchronizing, this,
        [this] {
            m_syncedAtNs.store(steadyNowNs(), std::memory_order_relaxed);
            m_syncs.fetch_add(1, std::memory_order_release);
        },
        Qt::DirectConnection);
    connect(
        window, &QQuickWindow::frameSwapped, this,
        [this] {
            if (QThread::currentThread() == thread()) {
                m_renderThread = false;
                return;
            }
            const std::uint64_t sync = m_syncs.load(std::memory_order_acquire);
            const std::int64_t renderNs = steadyNowNs() - m_syncedAtNs.load(std::memory_order_relaxed);
            QMetaObject::invokeMethod(
                this, [this, sync, renderNs] { onSwapped(sync, renderNs); }, Qt::QueuedConnection);
        },
        Qt::DirectConnection);
    connect(
        window, &QQuickWindow::afterAnimating, this, [this] { m_polishedNs = steadyNowNs(); }, Qt::DirectConnection);
    window->installEventFilter(this);
}

void FrameScheduler::requestFrame()
{
    if (!m_window || m_holding || m_inFrame)
        return;
    schedule();
}

std::int64_t FrameScheduler::plannedStartNs() const
{
    std::int64_t start = m_startNs + m_minPeriodNs;
    // The render thread is still on the last frame: start so that the GUI work ends as it is free.
    if (m_renderThread && m_frameSync > m_swappedSync)
        start = std::max(start, m_syncEndNs + m_renderNs - m_guiNs - kLeadNs);
    return start;
}

void FrameScheduler::schedule()
{
    const std::int64_t wait = plannedStartNs() - steadyNowNs();
    if (wait <= 0) {
        QEvent request(QEvent::UpdateRequest);
        runFrame(&request);
        return;
    }
    if (!m_holding) {
        m_holding = true;
        ++m_held;
    }
    // Timers count whole milliseconds; the render thread's swap report releases the frame too.
    m_timer.start(static_cast<int>((wait + 500'000) / 1'000'000));
}

bool FrameScheduler::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_window || event->type() != QEvent::UpdateRequest || m_inFrame)
        return false;
    if (m_holding)
        return true; // the held frame comes; this request is part of it
    schedule();
    return true;
}

void FrameScheduler::runFrame(QEvent *updateRequest)
{
    m_timer.stop();
    m_holding = false;
    m_inFrame = true;
    m_startNs = steadyNowNs();
    m_polishedNs = 0;
    ++m_started;
    Q_EMIT frameStarting();
    // The window's own handling: polish, afterAnimating, sync (threaded loop) or render.
    static_cast<QObject *>(m_window.data())->event(updateRequest);
    m_inFrame = false;
    m_syncEndNs = steadyNowNs();
    m_frameSync = m_syncs.load(std::memory_order_acquire);
    if (m_polishedNs > m_startNs)
        m_guiNs = smooth(m_guiNs, m_polishedNs - m_startNs);
}

void FrameScheduler::deliverHeld()
{
    if (!m_holding || !m_window)
        return;
    QEvent request(QEvent::UpdateRequest);
    runFrame(&request);
}

void FrameScheduler::onSwapped(std::uint64_t sync, std::int64_t renderNs)
{
    m_renderNs = smooth(m_renderNs, renderNs);
    m_swappedSync = std::max(m_swappedSync, sync);
    m_renderThread = true;
    if (m_holding)
        schedule(); // at once if this swap was the last frame's, else still at the planned start
}

void countRecentLatencyFromFirstFrame(QQuickWindow *window, MarketCache &cache)
{
    cache.setRecentLatencyFromNs(std::numeric_limits<std::int64_t>::max());
    QObject::connect(
        window, &QQuickWindow::frameSwapped, window,
        [window, &cache] {
            const std::int64_t shownNs = steadyNowNs();
            QMetaObject::invokeMethod(window, [&cache, shownNs] { cache.setRecentLatencyFromNs(shownNs); });
        },
        static_cast<Qt::ConnectionType>(Qt::DirectConnection | Qt::SingleShotConnection));
}

} // namespace tickscope
