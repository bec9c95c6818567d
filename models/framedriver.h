#pragma once

#include "drainlistener.h"
#include "handoff.h"
#include "pipelinestats.h"

#include <QObject>
#include <QTimer>

#include <vector>

namespace tickscope {

class MarketCache;

/// Drains the Handoff on the GUI thread at most once per frame and fans the batch out to the
/// MarketCache and the models. Nothing runs while nothing changes: the handoff wakes the driver
/// only when it goes from empty to non-empty.
///
/// In Timer mode (tests, headless tools) a wake starts a single-shot timer aligned to the frame
/// interval. In External mode (the app) a wake emits frameRequested(); the window then renders a
/// frame and calls drainNow() at its start (the app: FrameScheduler::frameStarting, before polish).
class FrameDriver : public QObject
{
    Q_OBJECT
public:
    enum class Mode { Timer, External };

    FrameDriver(Handoff &handoff, MarketCache &cache, PipelineStats &stats, QObject *parent = nullptr);
    ~FrameDriver() override;

    void setMode(Mode mode) { m_mode = mode; }
    Mode mode() const { return m_mode; }
    /// Frame period of the Timer mode (default 16 ms).
    void setFrameInterval(int ms) { m_frameIntervalMs = ms; }

    void addListener(DrainListener *listener);
    void removeListener(DrainListener *listener);

    /// Takes everything out of the handoff and updates cache and listeners. GUI thread only.
    /// Returns true when something was drained.
    bool drainNow();
    /// The last batch drained (valid until the next drain).
    const DrainBatch &lastBatch() const { return m_batch; }

Q_SIGNALS:
    /// External mode: the handoff has data; ask the window for a frame.
    void frameRequested();
    /// Emitted after a drain that delivered something.
    void drained();

private:
    void onWake();

    Handoff &m_handoff;
    MarketCache &m_cache;
    PipelineStats &m_stats;
    Mode m_mode = Mode::Timer;
    int m_frameIntervalMs = 16;
    QTimer m_timer;
    std::int64_t m_lastDrainNs = 0;
    std::vector<DrainListener *> m_listeners;
    DrainBatch m_batch;
};

} // namespace tickscope
