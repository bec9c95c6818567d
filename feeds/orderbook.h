#pragma once

#include "events.h"

#include <QString>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace tickscope {

enum class BookSide : std::uint8_t { Bid, Ask };

/// Whether a book can be trusted.
enum class BookIntegrity : std::uint8_t {
    Resyncing, ///< waiting for a snapshot (initial state, and after a gap once a resync was asked for)
    Synced, ///< snapshot applied and every delta since then was in sequence
    Gap, ///< a delta was out of sequence (or the book crossed); contents are not trustworthy
};

QString bookIntegrityText(BookIntegrity integrity);

/// Outcome of applying one delta.
enum class ApplyResult : std::uint8_t {
    Applied, ///< in sequence, applied
    Stale, ///< older than the book (sequence already covered); ignored, book unchanged
    Gap, ///< out of sequence: the book is now in Gap state and needs a resync
    NotSynced, ///< the book is not Synced; delta dropped until the next snapshot
    Crossed, ///< applied, but best bid >= best ask afterwards: the book is now in Gap state
};

/// Exact limit order book of one instrument.
///
/// Each side is a sorted flat array of levels with the best price at the back (bids ascending,
/// asks descending), so the frequent changes near the touch move the fewest elements and top(n)
/// reads a contiguous tail. Prices and quantities are integer mantissas; no floating point.
class OrderBook
{
public:
    /// Replaces both sides; levels may come in any order, qty 0 levels are skipped.
    /// Integrity becomes Synced (or Gap if the snapshot is crossed).
    void applySnapshot(const BookSnapshot &snapshot);
    /// Applies a delta after the sequence check (see BookDelta::prevSequence).
    ApplyResult applyDelta(const BookDelta &delta);

    /// Sets one level without any sequence check (qty 0 removes). For venue-specific sync logic.
    void setLevel(BookSide side, std::int64_t price, std::int64_t qty);
    /// Overrides the stored sequence (venues whose rules differ from the generic check).
    void setSequence(std::uint64_t sequence) { m_sequence = sequence; }
    /// Keeps at most `depth` best levels per side (venues that maintain a fixed-depth book).
    void truncate(std::size_t depth);
    /// Marks the book as out of sync (e.g. after a checksum mismatch).
    void markGap();
    /// Marks the book as waiting for a snapshot (e.g. after a reconnect or a resync request).
    void markResyncing();
    /// Empties both sides and goes to Resyncing.
    void clear();

    BookIntegrity integrity() const { return m_integrity; }
    std::uint64_t sequence() const { return m_sequence; }
    /// True when best bid >= best ask.
    bool crossed() const;
    std::size_t depth(BookSide side) const { return levels(side).size(); }
    bool empty() const { return m_bids.empty() && m_asks.empty(); }
    /// Best level of a side, or a Level with qty 0 when the side is empty.
    Level best(BookSide side) const;
    /// Copies up to n best levels of a side into out (best first); out is cleared first.
    void top(BookSide side, std::size_t n, std::vector<Level> &out) const;
    /// Quantity at an exact price, 0 if absent.
    std::int64_t quantityAt(BookSide side, std::int64_t price) const;
    /// All levels of one side in storage order (worst first, best last).
    std::span<const Level> levels(BookSide side) const { return side == BookSide::Bid ? m_bids : m_asks; }

private:
    std::vector<Level> m_bids; // ascending price: best (highest) at back
    std::vector<Level> m_asks; // descending price: best (lowest) at back
    std::uint64_t m_sequence = 0;
    BookIntegrity m_integrity = BookIntegrity::Resyncing;
};

} // namespace tickscope
