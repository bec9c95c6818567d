#include "latencyhistogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace tickscope {

int LatencyHistogram::bucketOf(std::int64_t ns)
{
    if (ns < kSubBuckets)
        return static_cast<int>(std::max<std::int64_t>(ns, 0));
    const auto value = static_cast<std::uint64_t>(ns);
    const int power = std::bit_width(value) - 1; // value in [2^power, 2^(power+1))
    const int shift = power - 5; // 32 sub-buckets = 5 bits below the leading one
    const int sub = static_cast<int>((value >> shift) & (kSubBuckets - 1));
    const int bucket = (power - 4) * kSubBuckets + sub;
    return std::min(bucket, kSubBuckets * kPowers - 1);
}

std::int64_t LatencyHistogram::upperEdge(int bucket)
{
    if (bucket < kSubBuckets)
        return bucket;
    const int power = bucket / kSubBuckets + 4;
    const int sub = bucket % kSubBuckets;
    const int shift = power - 5;
    return ((static_cast<std::int64_t>(kSubBuckets + sub + 1)) << shift) - 1;
}

void LatencyHistogram::record(std::int64_t nanoseconds)
{
    ++m_buckets[static_cast<std::size_t>(bucketOf(nanoseconds))];
    ++m_count;
    m_max = std::max(m_max, nanoseconds);
}

std::int64_t LatencyHistogram::quantileNs(double q) const
{
    if (m_count == 0)
        return 0;
    const auto target = static_cast<std::uint64_t>(std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(m_count)));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < m_buckets.size(); ++i) {
        seen += m_buckets[i];
        if (seen >= std::max<std::uint64_t>(target, 1))
            return std::min(upperEdge(static_cast<int>(i)), m_max);
    }
    return m_max;
}

void LatencyHistogram::clear()
{
    m_buckets.fill(0);
    m_count = 0;
    m_max = 0;
}

void LatencyHistogram::merge(const LatencyHistogram &other)
{
    for (std::size_t i = 0; i < m_buckets.size(); ++i)
        m_buckets[i] += other.m_buckets[i];
    m_count += other.m_count;
    m_max = std::max(m_max, other.m_max);
}

} // namespace tickscope
