#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace tickscope {

/// Steady (monotonic) time in nanoseconds, comparable across threads: receive and model times use it.
inline std::int64_t steadyNowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

/// Process-wide pipeline counters. Written by feed and GUI threads with relaxed atomics (they are
/// statistics, not synchronization); read anywhere.
struct PipelineStats
{
    std::atomic<std::uint64_t> framesReceived {0}; ///< WebSocket frames received (all feeds)
    std::atomic<std::uint64_t> framesDecoded {0}; ///< frames decoded without error
    std::atomic<std::uint64_t> messagesApplied {0}; ///< normalized events applied to market state
    std::atomic<std::uint64_t> decodeErrors {0}; ///< malformed, truncated or unknown frames
    std::atomic<std::uint64_t> publishes {0}; ///< feed-thread publishes into the handoff
    std::atomic<std::uint64_t> drains {0}; ///< GUI-thread drains that took something
    std::atomic<std::uint64_t> modelSignals {0}; ///< dataChanged/rowsInserted/rowsRemoved emitted

    static void add(std::atomic<std::uint64_t> &counter, std::uint64_t n = 1)
    {
        counter.fetch_add(n, std::memory_order_relaxed);
    }
    static std::uint64_t get(const std::atomic<std::uint64_t> &counter)
    {
        return counter.load(std::memory_order_relaxed);
    }
};

} // namespace tickscope
