// MarketSimulator: deterministic from its seed, instruments of very different scales, books that a
// client can follow exactly from a snapshot and the deltas, trades at the touch, Poisson arrivals
// at the configured rate, and volatility that changes regime.
#include "demo.pb.h"
#include "fatalwarnings.h"
#include "marketsimulator.h"
#include "orderbook.h"

#include <QSet>
#include <QtTest>

#include <cmath>

using namespace tickscope;

namespace {

BookSnapshot toSnapshot(const demo::BookSnapshot &in)
{
    BookSnapshot out;
    out.instrument = in.instrument_id();
    out.sequence = in.book_seq();
    for (const auto &l : in.bids())
        out.bids.push_back({l.price(), l.qty()});
    for (const auto &l : in.asks())
        out.asks.push_back({l.price(), l.qty()});
    return out;
}

BookDelta toDelta(const demo::BookDelta &in)
{
    BookDelta out;
    out.instrument = in.instrument_id();
    out.sequence = in.book_seq();
    for (const auto &l : in.bids())
        out.bids.push_back({l.price(), l.qty()});
    for (const auto &l : in.asks())
        out.asks.push_back({l.price(), l.qty()});
    return out;
}

std::vector<Level> all(const OrderBook &book, BookSide side)
{
    std::vector<Level> out;
    book.top(side, book.depth(side), out);
    return out;
}

int indexOf(const MarketSimulator &sim, const char *symbol)
{
    for (std::size_t i = 0; i < sim.instruments().size(); ++i) {
        if (sim.instruments()[i].symbol == QLatin1String(symbol))
            return static_cast<int>(i);
    }
    return -1;
}

} // namespace

class TestMarketSimulator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void sameSeedSameMarket()
    {
        SimConfig config;
        config.seed = 5;
        MarketSimulator a(config);
        MarketSimulator b(config);
        config.seed = 6;
        MarketSimulator c(config);
        demo::Envelope ea;
        demo::Envelope eb;
        demo::Envelope ec;
        std::string sa;
        std::string sb;
        std::string sc;
        int differentFromOtherSeed = 0;
        for (int i = 0; i < 20000; ++i) {
            QCOMPARE(a.nextEventTimeUs(), b.nextEventTimeUs());
            a.next(ea);
            b.next(eb);
            c.next(ec);
            ea.SerializeToString(&sa);
            eb.SerializeToString(&sb);
            ec.SerializeToString(&sc);
            QVERIFY(sa == sb);
            differentFromOtherSeed += sa != sc ? 1 : 0;
        }
        QVERIFY(differentFromOtherSeed > 19000);
        for (std::uint32_t id = 0; id < a.instruments().size(); ++id) {
            QCOMPARE(a.bookSequence(id), b.bookSequence(id));
            QCOMPARE(all(a.book(id), BookSide::Bid), all(b.book(id), BookSide::Bid));
        }
    }

    void instrumentsSpanVeryDifferentScales()
    {
        MarketSimulator sim(SimConfig {});
        QCOMPARE(sim.instruments().size(), 50u);
        QSet<QString> symbols;
        QSet<int> scales;
        for (const Instrument &i : sim.instruments()) {
            symbols.insert(i.symbol);
            scales.insert(i.priceScale);
            QCOMPARE(i.venue, QStringLiteral("demo"));
            QVERIFY(!i.displayName.isEmpty());
        }
        QCOMPARE(symbols.size(), 50); // unique
        QVERIFY(scales.size() >= 5);

        demo::BookSnapshot snapshot;
        const int btc = indexOf(sim, "BTC-USD");
        QVERIFY(btc >= 0);
        QCOMPARE(sim.instruments()[static_cast<std::size_t>(btc)].priceScale, 2);
        sim.fillSnapshot(static_cast<std::uint32_t>(btc), snapshot);
        QVERIFY(snapshot.bids(0).price() > 5'500'000 && snapshot.bids(0).price() < 6'500'000); // ~60000.00

        const int pepe = indexOf(sim, "PEPE-USDT");
        QVERIFY(pepe >= 0);
        QCOMPARE(sim.instruments()[static_cast<std::size_t>(pepe)].priceScale, 8);
        sim.fillSnapshot(static_cast<std::uint32_t>(pepe), snapshot);
        QVERIFY(snapshot.asks(0).price() < 1'000'000); // below one cent at 8 decimals

        const int eur = indexOf(sim, "EUR/USD");
        QVERIFY(eur >= 0);
        QCOMPARE(sim.instruments()[static_cast<std::size_t>(eur)].priceScale, 5);
        QCOMPARE(sim.instruments()[static_cast<std::size_t>(eur)].kind, InstrumentKind::Fx);

        // More symbols than the named set are synthesized, still unique.
        SimConfig many;
        many.symbols = 300;
        MarketSimulator big(many);
        QSet<QString> bigSymbols;
        for (const Instrument &i : big.instruments())
            bigSymbols.insert(i.symbol);
        QCOMPARE(bigSymbols.size(), 300);

        demo::InstrumentList list;
        sim.fillInstruments(list);
        QCOMPARE(list.instruments_size(), 50);
        QCOMPARE(list.instruments(btc).symbol(), std::string("BTC-USD"));
        QCOMPARE(list.instruments(btc).id(), static_cast<std::uint32_t>(btc));
        QCOMPARE(list.instruments(eur).kind(), demo::FX);
    }

    void clientBooksFollowExactly_data()
    {
        QTest::addColumn<int>("depth");
        QTest::newRow("depth 50") << 50;
        QTest::newRow("depth 10") << 10;
        QTest::newRow("depth 200") << 200;
    }

    void clientBooksFollowExactly()
    {
        QFETCH(int, depth);
        SimConfig config;
        config.seed = 11;
        config.depth = depth;
        MarketSimulator sim(config);
        const std::size_t count = sim.instruments().size();
        std::vector<OrderBook> books(count);
        demo::BookSnapshot wireSnapshot;
        for (std::uint32_t id = 0; id < count; ++id) {
            sim.fillSnapshot(id, wireSnapshot);
            QVERIFY(wireSnapshot.bids_size() >= depth);
            QVERIFY(wireSnapshot.asks_size() >= depth);
            books[id].applySnapshot(toSnapshot(wireSnapshot));
            QCOMPARE(books[id].integrity(), BookIntegrity::Synced);
        }
        demo::Envelope e;
        int deltas = 0;
        int trades = 0;
        int tickers = 0;
        for (int i = 0; i < 60000; ++i) {
            const std::uint32_t id = sim.next(e);
            if (e.has_delta()) {
                ++deltas;
                QCOMPARE(e.delta().instrument_id(), id);
                const ApplyResult result = books[id].applyDelta(toDelta(e.delta()));
                QVERIFY2(result == ApplyResult::Applied,
                         qPrintable(QStringLiteral("event %1: result %2").arg(i).arg(int(result))));
            } else if (e.has_trade()) {
                ++trades;
                const demo::Trade &t = e.trade();
                // Trades happen at the touch of the side they hit.
                const BookSide hit = t.aggressor() == demo::BUY ? BookSide::Ask : BookSide::Bid;
                QCOMPARE(t.price(), books[id].best(hit).price);
                QVERIFY(t.qty() > 0 && t.qty() <= books[id].best(hit).qty);
            } else {
                QVERIFY(e.has_ticker());
                ++tickers;
                QVERIFY(e.ticker().low_24h() <= e.ticker().last() && e.ticker().last() <= e.ticker().high_24h());
            }
        }
        QVERIFY(deltas > 40000);
        QVERIFY(trades > 5000);
        QVERIFY(tickers > 1000);
        for (std::uint32_t id = 0; id < count; ++id) {
            QCOMPARE(books[id].sequence(), sim.bookSequence(id));
            QCOMPARE(all(books[id], BookSide::Bid), all(sim.book(id), BookSide::Bid));
            QCOMPARE(all(books[id], BookSide::Ask), all(sim.book(id), BookSide::Ask));
            QVERIFY(!books[id].crossed());
            QVERIFY(static_cast<int>(books[id].depth(BookSide::Bid)) >= depth);
            QVERIFY(static_cast<int>(books[id].depth(BookSide::Ask)) >= depth);
            QVERIFY(books[id].best(BookSide::Bid).price > 0);
        }
    }

    void arrivalsArePoissonAtTheConfiguredRate_data()
    {
        QTest::addColumn<double>("rate");
        QTest::newRow("1/s") << 1.0;
        QTest::newRow("2000/s") << 2000.0;
        QTest::newRow("500000/s") << 500000.0;
    }

    void arrivalsArePoissonAtTheConfiguredRate()
    {
        QFETCH(double, rate);
        SimConfig config;
        config.rate = rate;
        MarketSimulator sim(config);
        demo::Envelope e;
        constexpr int kEvents = 50000;
        std::vector<double> gaps;
        gaps.reserve(kEvents);
        double previous = static_cast<double>(sim.nextEventTimeUs());
        for (int i = 0; i < kEvents; ++i) {
            sim.next(e);
            const double now = static_cast<double>(sim.nextEventTimeUs());
            gaps.push_back(now - previous);
            previous = now;
        }
        double sum = 0;
        for (double g : gaps)
            sum += g;
        const double mean = sum / kEvents;
        double var = 0;
        for (double g : gaps)
            var += (g - mean) * (g - mean);
        const double cv = std::sqrt(var / kEvents) / mean;
        const double expectedMean = 1e6 / rate;
        // Microsecond rounding of the clock adds up to ±0.5 µs to a gap.
        QVERIFY2(std::abs(mean - expectedMean) < expectedMean * 0.03 + 0.5, qPrintable(QString::number(mean)));
        if (rate <= 2000) // exponential gaps: coefficient of variation 1
            QVERIFY2(cv > 0.95 && cv < 1.05, qPrintable(QString::number(cv)));
    }

    void volatilityChangesRegime()
    {
        // Realized volatility of BTC over 10 s windows must not be one constant: regimes switch.
        SimConfig config;
        config.seed = 3;
        config.rate = 5000;
        MarketSimulator sim(config);
        const int btc = indexOf(sim, "BTC-USD");
        demo::Envelope e;
        std::vector<double> windowVol;
        double sumSq = 0;
        int n = 0;
        double lastMid = 0;
        std::int64_t windowEnd = 10'000'000;
        while (windowVol.size() < 60) {
            const std::uint32_t id = sim.next(e);
            if (static_cast<int>(id) != btc || !e.has_delta())
                continue;
            const OrderBook &book = sim.book(id);
            const double mid = static_cast<double>(book.best(BookSide::Bid).price + book.best(BookSide::Ask).price) / 2;
            if (lastMid > 0) {
                const double r = std::log(mid / lastMid);
                sumSq += r * r;
                ++n;
            }
            lastMid = mid;
            if (sim.nextEventTimeUs() > windowEnd) {
                windowVol.push_back(std::sqrt(sumSq));
                sumSq = 0;
                n = 0;
                windowEnd += 10'000'000;
            }
        }
        const auto [lo, hi] = std::minmax_element(windowVol.begin(), windowVol.end());
        QVERIFY(*lo > 0);
        QVERIFY2(*hi / *lo > 3, qPrintable(QStringLiteral("%1 .. %2").arg(*lo).arg(*hi)));
        // And the price keeps moving without running away.
        const double start = 6'000'000;
        QVERIFY(std::abs(lastMid - start) / start < 0.2);
        QVERIFY(lastMid != start);
    }

    void skipToJumpsTheClock()
    {
        MarketSimulator sim(SimConfig {});
        const std::uint64_t before = sim.eventsProduced();
        sim.skipTo(5'000'000);
        QVERIFY(sim.nextEventTimeUs() >= 5'000'000);
        QCOMPARE(sim.eventsProduced(), before); // skipped, not produced
        sim.skipTo(1'000); // never backwards
        QVERIFY(sim.nextEventTimeUs() >= 5'000'000);
    }
};

QTEST_GUILESS_MAIN(TestMarketSimulator)
#include "tst_marketsimulator.moc"
