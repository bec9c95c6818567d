#include "handoff.h"

namespace tickscope {

void DrainBatch::clear()
{
    newInstruments.clear();
    firstNewId = 0;
    updates.clear();
    feeds.clear();
}

Handoff::Handoff() = default;

InstrumentId Handoff::registerInstrument(const Instrument &instrument)
{
    std::function<void()> wake;
    InstrumentId id = kNoInstrument;
    {
        std::lock_guard lock(m_mutex);
        // A feed restarted with another symbol list re-registers what it had: same id again.
        for (std::size_t i = 0; i < m_instruments.size(); ++i) {
            if (m_instruments[i] == instrument)
                return static_cast<InstrumentId>(i);
        }
        id = static_cast<InstrumentId>(m_instruments.size());
        m_instruments.push_back(instrument);
        m_slot.push_back(-1);
        if (!m_hasPending.exchange(true, std::memory_order_acq_rel))
            wake = m_wake;
    }
    if (wake)
        wake();
    return id;
}

std::size_t Handoff::instrumentCount() const
{
    std::lock_guard lock(m_mutex);
    return m_instruments.size();
}

void Handoff::publish(const std::vector<InstrumentUpdate *> &updates, const FeedSnapshot *feed)
{
    if (updates.empty() && !feed)
        return;
    std::function<void()> wake;
    {
        std::lock_guard lock(m_mutex);
        for (const InstrumentUpdate *update : updates) {
            auto &slot = m_slot[update->id];
            if (slot < 0) {
                slot = static_cast<std::int32_t>(m_pending.updates.size());
                m_pending.updates.emplace_back();
                m_pending.updates.back().reset(update->id);
            }
            m_pending.updates[static_cast<std::size_t>(slot)].merge(*update);
        }
        if (feed) {
            auto it = std::find_if(m_pending.feeds.begin(), m_pending.feeds.end(),
                                   [feed](const FeedSnapshot &f) { return f.feedIndex == feed->feedIndex; });
            if (it == m_pending.feeds.end())
                m_pending.feeds.push_back(*feed);
            else
                *it = *feed;
        }
        if (!m_hasPending.exchange(true, std::memory_order_acq_rel))
            wake = m_wake;
    }
    // Outside the lock: the callback may post an event to the GUI thread.
    if (wake)
        wake();
}

void Handoff::setWakeCallback(std::function<void()> wake)
{
    std::lock_guard lock(m_mutex);
    m_wake = std::move(wake);
}

bool Handoff::drain(DrainBatch &out)
{
    out.clear();
    std::lock_guard lock(m_mutex);
    if (!m_hasPending.load(std::memory_order_relaxed))
        return false;
    // Swaps keep the lock short: no per-instrument copies happen here except new instrument metadata.
    std::swap(out.updates, m_pending.updates);
    std::swap(out.feeds, m_pending.feeds);
    for (const auto &update : out.updates)
        m_slot[update.id] = -1;
    out.firstNewId = static_cast<InstrumentId>(m_drainedInstruments);
    out.newInstruments.assign(m_instruments.begin() + static_cast<std::ptrdiff_t>(m_drainedInstruments),
                              m_instruments.end());
    m_drainedInstruments = m_instruments.size();
    m_hasPending.store(false, std::memory_order_release);
    return !out.empty();
}

} // namespace tickscope
