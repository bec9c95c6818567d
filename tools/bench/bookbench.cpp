// `tickscope-bench book`: the flat-array OrderBook against a node-based std::map book, fed the same
// deterministic stream of level updates.
//
// The stream imitates a busy venue: most updates land within a few ticks of the touch (geometric
// distance from the mid), about 30 % remove a level, the mid drifts and pulls the levels it runs
// over, and each book holds several hundred levels per side. The stream is spread over `--books N`
// instruments (default 50: what one feed thread keeps for the default demo watchlist); `--books 1`
// measures a single hot book that fits in cache either way. Generation is not timed; each
// implementation applies the whole stream from the same starting snapshots, best of three runs.
#include "benchcommon.h"

#include "orderbook.h"

#include <QCommandLineParser>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <vector>

namespace tickscope::bench {

namespace {

constexpr std::int64_t kStartMid = 10'000'000; // e.g. 100 000.00 at price scale 2
constexpr int kInitialDepth = 600; // levels per side in the starting snapshot, one per tick
constexpr int kRuns = 3;

/// One absolute level change of one book; qty 0 removes.
struct Update
{
    std::int64_t price = 0;
    std::int64_t qty = 0;
    std::uint32_t book = 0;
    BookSide side = BookSide::Bid;
};

/// The reference: one red-black tree per side, best first.
struct MapBook
{
    std::map<std::int64_t, std::int64_t, std::greater<>> bids;
    std::map<std::int64_t, std::int64_t> asks;

    template<typename Side> static void set(Side &side, std::int64_t price, std::int64_t qty)
    {
        if (qty == 0)
            side.erase(price);
        else
            side.insert_or_assign(price, qty);
    }
    void setLevel(BookSide side, std::int64_t price, std::int64_t qty)
    {
        if (side == BookSide::Bid)
            set(bids, price, qty);
        else
            set(asks, price, qty);
    }
    Level best(BookSide side) const
    {
        if (side == BookSide::Bid)
            return bids.empty() ? Level {} : Level {bids.begin()->first, bids.begin()->second};
        return asks.empty() ? Level {} : Level {asks.begin()->first, asks.begin()->second};
    }
    void load(const BookSnapshot &snapshot)
    {
        for (const Level &level : snapshot.bids)
            bids.emplace(level.price, level.qty);
        for (const Level &level : snapshot.asks)
            asks.emplace(level.price, level.qty);
    }
};

struct Workload
{
    std::vector<BookSnapshot> starts; // one per book
    std::vector<Update> updates;
};

/// Generates the starting snapshots and `count` updates spread over `books` books. MapBooks track
/// the state so removals hit existing levels and each mid can pull the levels it crosses.
Workload generate(std::uint64_t count, std::uint32_t books, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    Workload work;
    work.starts.resize(books);
    std::vector<MapBook> states(books);
    std::vector<std::int64_t> mids(books, kStartMid);
    std::uniform_int_distribution<std::int64_t> qtyDist(1, 5'000);
    for (std::uint32_t book = 0; book < books; ++book) {
        for (int i = 1; i <= kInitialDepth; ++i) {
            work.starts[book].bids.push_back({kStartMid - i, qtyDist(rng)});
            work.starts[book].asks.push_back({kStartMid + i, qtyDist(rng)});
        }
        states[book].load(work.starts[book]);
    }

    work.updates.reserve(count);
    std::uniform_int_distribution<std::uint32_t> whichBook(0, books - 1);
    std::geometric_distribution<int> nearTouch(0.12); // mean distance ≈ 7 ticks
    std::uniform_int_distribution<int> anywhere(0, kInitialDepth);
    std::uniform_int_distribution<int> percent(0, 99);
    std::uniform_int_distribution<int> drift(-2, 2);
    while (work.updates.size() < count) {
        const std::uint32_t book = whichBook(rng);
        MapBook &state = states[book];
        std::int64_t &mid = mids[book];
        if (percent(rng) < 2) {
            // A random walk pulled back towards the start, so depth stays in the hundreds per side
            // however long the stream is.
            mid += drift(rng) + (mid < kStartMid - 50 ? 1 : 0) - (mid > kStartMid + 50 ? 1 : 0);
            // The mid ran over resting levels: the venue would report them gone.
            while (!state.bids.empty() && state.bids.begin()->first >= mid) {
                work.updates.push_back({state.bids.begin()->first, 0, book, BookSide::Bid});
                state.bids.erase(state.bids.begin());
            }
            while (!state.asks.empty() && state.asks.begin()->first <= mid) {
                work.updates.push_back({state.asks.begin()->first, 0, book, BookSide::Ask});
                state.asks.erase(state.asks.begin());
            }
            continue;
        }
        const BookSide side = rng() & 1 ? BookSide::Bid : BookSide::Ask;
        // 95 % near the touch, the rest anywhere in the usual depth.
        const int distance = 1 + (percent(rng) < 95 ? std::min(nearTouch(rng), 2 * kInitialDepth) : anywhere(rng));
        const std::int64_t price = side == BookSide::Bid ? mid - distance : mid + distance;
        if (percent(rng) < 30) {
            // Remove the level there, or the nearest one further out, so removals really remove.
            std::int64_t victim = 0;
            if (side == BookSide::Bid) {
                const auto it = state.bids.lower_bound(price);
                if (it == state.bids.end())
                    continue;
                victim = it->first;
            } else {
                const auto it = state.asks.lower_bound(price);
                if (it == state.asks.end())
                    continue;
                victim = it->first;
            }
            work.updates.push_back({victim, 0, book, side});
            state.setLevel(side, victim, 0);
        } else {
            const std::int64_t qty = qtyDist(rng);
            work.updates.push_back({price, qty, book, side});
            state.setLevel(side, price, qty);
        }
    }
    work.updates.resize(count);
    return work;
}

/// Applies every update and folds the touch of the changed book into a checksum after each, as a
/// consumer reading the top of the book would; the checksum also keeps the work from being
/// optimised away.
template<typename Book> std::uint64_t applyAll(std::vector<Book> &books, const std::vector<Update> &updates)
{
    std::uint64_t checksum = 0;
    for (const Update &update : updates) {
        Book &book = books[update.book];
        book.setLevel(update.side, update.price, update.qty);
        const Level bid = book.best(BookSide::Bid);
        const Level ask = book.best(BookSide::Ask);
        checksum = checksum * 31 + static_cast<std::uint64_t>(bid.price ^ bid.qty ^ (ask.price << 1) ^ ask.qty);
    }
    return checksum;
}

struct Timing
{
    double bestSeconds = 0;
    std::uint64_t checksum = 0;
};

template<typename Book, typename Load>
Timing timeBest(const Workload &work, Load load, std::vector<Book> &finalBooks, QTextStream &err, const char *name)
{
    Timing timing;
    for (int run = 0; run < kRuns; ++run) {
        std::vector<Book> books(work.starts.size());
        for (std::size_t i = 0; i < books.size(); ++i)
            load(books[i], work.starts[i]);
        const auto begin = std::chrono::steady_clock::now();
        const std::uint64_t checksum = applyAll(books, work.updates);
        const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - begin;
        err << "  " << name << " run " << (run + 1) << ": " << elapsed.count() << " s\n";
        err.flush();
        if (run == 0 || elapsed.count() < timing.bestSeconds)
            timing.bestSeconds = elapsed.count();
        timing.checksum = checksum;
        if (run == kRuns - 1)
            finalBooks = std::move(books);
    }
    return timing;
}

bool sameBook(const OrderBook &flat, const MapBook &map)
{
    const auto sameSide = [](std::span<const Level> levels, const auto &side) {
        // Flat storage is worst first, the map best first.
        return levels.size() == side.size()
            && std::equal(levels.rbegin(), levels.rend(), side.begin(), [](const Level &level, const auto &entry) {
                   return level.price == entry.first && level.qty == entry.second;
               });
    };
    return sameSide(flat.levels(BookSide::Bid), map.bids) && sameSide(flat.levels(BookSide::Ask), map.asks);
}

} // namespace

int runBookBench(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("json"), QStringLiteral("End with one JSON line on stdout.")});
    parser.addOption({QStringLiteral("updates"), QStringLiteral("Number of level updates."), QStringLiteral("N"),
                      QStringLiteral("2000000")});
    parser.addOption({QStringLiteral("seed"), QStringLiteral("Seed of the update stream."), QStringLiteral("S"),
                      QStringLiteral("42")});
    parser.addOption({QStringLiteral("books"), QStringLiteral("Number of instruments the stream is spread over."),
                      QStringLiteral("B"), QStringLiteral("50")});
    QTextStream err(stderr);
    if (!parser.parse(QStringList {QStringLiteral("book")} + args)) {
        err << "tickscope-bench book: " << parser.errorText() << '\n';
        return 2;
    }
    bool okUpdates = false;
    bool okSeed = false;
    bool okBooks = false;
    const qulonglong updates = parser.value(QStringLiteral("updates")).toULongLong(&okUpdates);
    const qulonglong seed = parser.value(QStringLiteral("seed")).toULongLong(&okSeed);
    const uint books = parser.value(QStringLiteral("books")).toUInt(&okBooks);
    if (!okUpdates || updates == 0 || !okSeed || !okBooks || books == 0 || books > 10'000) {
        err << "tickscope-bench book: --updates needs a positive integer, --seed a non-negative integer and "
               "--books 1 to 10000\n";
        return 2;
    }

    err << "generating " << updates << " level updates over " << books << " book(s) (seed " << seed << ")…\n";
    err.flush();
    const Workload work = generate(updates, books, seed);
    const auto removals
        = std::count_if(work.updates.begin(), work.updates.end(), [](const Update &update) { return update.qty == 0; });

    std::vector<OrderBook> flatBooks;
    const Timing flat = timeBest(
        work, [](OrderBook &book, const BookSnapshot &start) { book.applySnapshot(start); }, flatBooks, err,
        "flat OrderBook");
    std::vector<MapBook> mapBooks;
    const Timing map = timeBest(
        work, [](MapBook &book, const BookSnapshot &start) { book.load(start); }, mapBooks, err, "std::map book ");

    bool same = flat.checksum == map.checksum && flatBooks.size() == mapBooks.size();
    for (std::size_t i = 0; same && i < flatBooks.size(); ++i)
        same = sameBook(flatBooks[i], mapBooks[i]);
    if (!same) {
        err << "tickscope-bench book: the two implementations disagree at the end (checksums " << flat.checksum
            << " vs " << map.checksum << ")\n";
        return 1;
    }

    const double count = static_cast<double>(updates);
    const double flatRate = count / flat.bestSeconds;
    const double mapRate = count / map.bestSeconds;
    err << "book 0 depth at the end: " << flatBooks[0].depth(BookSide::Bid) << " bids, "
        << flatBooks[0].depth(BookSide::Ask) << " asks; " << (100.0 * static_cast<double>(removals) / count)
        << " % removals\n"
        << "flat OrderBook: " << qRound64(flatRate) << " updates/s (best of " << kRuns << ")\n"
        << "std::map book:  " << qRound64(mapRate) << " updates/s (best of " << kRuns << ")\n"
        << "ratio flat/map: " << flatRate / mapRate << '\n';
    err.flush();
    if (parser.isSet(QStringLiteral("json"))) {
        const QJsonObject json {{QStringLiteral("flat_updates_per_s"), qRound64(flatRate)},
                                {QStringLiteral("map_updates_per_s"), qRound64(mapRate)},
                                {QStringLiteral("ratio"), flatRate / mapRate},
                                {QStringLiteral("books"), static_cast<int>(books)},
                                {QStringLiteral("updates"), static_cast<qint64>(updates)}};
        QTextStream(stdout) << QJsonDocument(json).toJson(QJsonDocument::Compact) << '\n';
    }
    return 0;
}

} // namespace tickscope::bench
