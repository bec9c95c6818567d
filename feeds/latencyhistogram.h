#pragma once

#include <array>
#include <cstdint>

namespace tickscope {

/// Fixed-size log-linear histogram of durations in nanoseconds (about 3 % resolution from 1 µs to
/// about 70 s). Recording never allocates. Not thread-safe: one owner thread.
class LatencyHistogram
{
public:
    void record(std::int64_t nanoseconds);
    /// Value at quantile q (0..1) in nanoseconds (upper edge of its bucket), 0 when empty.
    std::int64_t quantileNs(double q) const;
    double quantileMs(double q) const { return static_cast<double>(quantileNs(q)) / 1e6; }
    std::uint64_t count() const { return m_count; }
    std::int64_t maxNs() const { return m_max; }
    void clear();
    void merge(const LatencyHistogram &other);

private:
    static constexpr int kSubBuckets = 32; // per power of two
    static constexpr int kPowers = 37; // 2^0 .. 2^36 ns
    static int bucketOf(std::int64_t ns);
    static std::int64_t upperEdge(int bucket);
    std::array<std::uint32_t, kSubBuckets * kPowers> m_buckets {};
    std::uint64_t m_count = 0;
    std::int64_t m_max = 0;
};

} // namespace tickscope
