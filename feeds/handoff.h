#pragma once

#include "instrument.h"
#include "marketdata.h"

#include <QString>

#include <algorithm>

#include <atomic>
#include <functional>
#include <mutex>
#include <vector>

namespace tickscope {

/// What the GUI thread takes out of the handoff in one drain.
struct DrainBatch
{
    /// Instruments registered since the last drain; the id of element i is `firstNewId + i`.
    std::vector<Instrument> newInstruments;
    InstrumentId firstNewId = 0;
    std::vector<InstrumentUpdate> updates; ///< one per instrument that changed
    std::vector<FeedSnapshot> feeds; ///< one per feed whose status changed
    bool empty() const { return newInstruments.empty() && updates.empty() && feeds.empty(); }
    void clear();
};

/// The bounded feed→GUI handoff.
///
/// Feed threads publish the latest state per instrument (merging into a pending slot if the GUI has
/// not drained yet) and feed status; the GUI thread swaps everything out at most once per frame
/// under one short lock. Memory is bounded by the number of instruments, whatever the message rate.
/// The wake callback runs (on the publishing thread) only when the handoff goes from empty to
/// non-empty, so an idle feed causes no wake-ups.
class Handoff
{
public:
    Handoff();

    /// Registers an instrument and returns its process-wide id. Thread-safe.
    InstrumentId registerInstrument(const Instrument &instrument);
    /// Number of instruments registered so far. Thread-safe.
    std::size_t instrumentCount() const;

    /// Publishes a batch of instrument updates and feed snapshots in one critical section.
    /// The updates' contents are merged; `updates` is left untouched for the caller to reset.
    void publish(const std::vector<InstrumentUpdate *> &updates, const FeedSnapshot *feed);

    /// Called from the publishing thread when the handoff goes from empty to non-empty.
    void setWakeCallback(std::function<void()> wake);

    /// GUI thread: moves everything published since the last drain into `out` (cleared first).
    /// Returns false when there was nothing.
    bool drain(DrainBatch &out);
    /// True when something is waiting to be drained.
    bool hasPending() const { return m_hasPending.load(std::memory_order_acquire); }

private:
    mutable std::mutex m_mutex;
    std::vector<Instrument> m_instruments; // all registered, by id
    std::size_t m_drainedInstruments = 0; // how many of m_instruments the GUI has seen
    DrainBatch m_pending;
    std::vector<std::int32_t> m_slot; // instrument id → index in m_pending.updates, -1 = none
    std::function<void()> m_wake;
    std::atomic<bool> m_hasPending {false};
};

} // namespace tickscope
