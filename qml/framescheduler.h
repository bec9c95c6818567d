#pragma once

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <atomic>

#include <cstdint>

class QQuickWindow;
class QWindow;

namespace tickscope {

class MarketCache;

/// The feeds' recent receive→model latency (`MarketCache::venueLatencyMs`: status pill, feed
/// details) counts data received from `window`'s first frame on screen on, and nothing before it
/// (the time is taken on the render thread at the first swap). What arrived earlier waited for the
/// window to be built, not for the feed, and held the feed's p99 at 60–120 ms for the first 5–10 s.
/// The run's overall statistics (`--stats`) keep every sample. Call before any data is drained.
void countRecentLatencyFromFirstFrame(QQuickWindow *window, MarketCache &cache);

/// Decides when a QQuickWindow starts its next frame, and runs the data drain at that start.
///
/// Every frame the window renders begins with an update request (`QEvent::UpdateRequest`) handled
/// on the GUI thread: polish, then the scene-graph sync with the render thread, which then renders
/// and swaps on its own. The scheduler filters these requests:
///
/// - **Drain first.** `frameStarting()` is emitted before the window polishes, so what a drain
///   changes (a row's text, a list's new delegate) is polished, synced and drawn in that same frame.
/// - **Start on time.** While the render thread is still drawing the previous frame, a GUI frame
///   started now would drain, polish and then block until the render thread is free, and the data
///   it drained would wait with it. The request is held instead and delivered so that the GUI work
///   ends as the render thread gets free: at (end of the last sync) + (render time) − (GUI time),
///   both times measured on the last frames, or as soon as the render thread reports the swap.
///   Drains then come at the render thread's own rhythm, each with the newest data. With vsync
///   the swap waits for the display, and frames follow the display.
/// - **Frame requests without the platform's delay.** `requestFrame()` (the data driver's request)
///   is delivered at once or at the planned start, not after the 5 ms some platforms put on
///   `QWindow::requestUpdate()`.
/// - **Optional cap** (`tickscope --max-fps N`): frames start at least 1/N s apart. Nothing is
///   lost: changes made meanwhile are in the held frame.
///
/// Frames rendered on the GUI thread (the basic and software render loops) are never held.
class FrameScheduler : public QObject
{
    Q_OBJECT
public:
    /// `maxFps` 0 = no cap.
    explicit FrameScheduler(QQuickWindow *window, int maxFps = 0);

    /// Asks for a frame (e.g. new data is waiting). GUI thread.
    void requestFrame();

    /// Update requests held back so far (each was delivered later).
    qint64 heldRequests() const { return m_held; }
    /// Frames started through the scheduler.
    qint64 framesStarted() const { return m_started; }
    /// The render thread's time from the end of a sync to the swap, as currently estimated (ns).
    std::int64_t renderEstimateNs() const { return m_renderNs; }

Q_SIGNALS:
    /// A frame starts (before polish). Direct connections only: the drain runs here.
    void frameStarting();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    /// Steady time at which the next frame should start (≤ now: at once).
    std::int64_t plannedStartNs() const;
    /// Delivers now or holds until the planned start.
    void schedule();
    void runFrame(QEvent *updateRequest);
    void deliverHeld();
    void onSwapped(std::uint64_t sync, std::int64_t renderNs);

    // A QWindow, not a QQuickWindow: the filter still sees events while ~QWindow runs, when the
    // object is no longer a QQuickWindow.
    QPointer<QWindow> m_window;
    std::int64_t m_minPeriodNs = 0;
    QTimer m_timer;
    bool m_holding = false;
    bool m_inFrame = false;
    bool m_renderThread = false; // frames swap on a thread of their own (threaded render loop)
    std::int64_t m_startNs = 0; // start of the last frame
    std::int64_t m_polishedNs = 0; // its afterAnimating: the GUI work done, the sync about to begin
    std::int64_t m_syncEndNs = 0; // end of its sync (the GUI thread free again)
    std::uint64_t m_frameSync = 0; // the sync of the last frame (render thread's count)
    std::uint64_t m_swappedSync = 0; // the sync whose frame the render thread swapped last
    // Render thread: syncs so far and the end of the last one.
    std::atomic<std::uint64_t> m_syncs {0};
    std::atomic<std::int64_t> m_syncedAtNs {0};
    std::int64_t m_renderNs = 0;
    std::int64_t m_guiNs = 0;
    qint64 m_held = 0;
    qint64 m_started = 0;
};

} // namespace tickscope
