// DemoProtocol without a socket: every body type decodes into the normalized events, subscribe
// frames use the announced ids, and every kind of bad frame is an Error that leaves the protocol
// able to decode the next good frame.
#include "demo.pb.h"
#include "demoprotocol.h"
#include "fatalwarnings.h"
#include "marketsimulator.h"

#include <random>

#include <QtTest>

using namespace tickscope;

namespace {

struct Collector final : EventSink
{
    std::vector<Instrument> instruments;
    std::vector<BookSnapshot> snapshots;
    std::vector<BookDelta> deltas;
    std::vector<Trade> trades;
    std::vector<Ticker> tickers;
    std::vector<VenueStatus> statuses;
    int events() const
    {
        return static_cast<int>(snapshots.size() + deltas.size() + trades.size() + tickers.size() + statuses.size());
    }
    void onInstruments(const std::vector<Instrument> &list) override { instruments = list; }
    void onSnapshot(const BookSnapshot &s) override { snapshots.push_back(s); }
    void onDelta(const BookDelta &d) override { deltas.push_back(d); }
    void onTrade(const Trade &t) override { trades.push_back(t); }
    void onTicker(const Ticker &t) override { tickers.push_back(t); }
    void onStatus(const VenueStatus &s) override { statuses.push_back(s); }
};

QByteArray encode(const demo::Envelope &envelope)
{
    std::string bytes;
    envelope.SerializeToString(&bytes);
    return QByteArray::fromStdString(bytes);
}

demo::Envelope instrumentList()
{
    demo::Envelope e;
    e.set_seq(1);
    auto *list = e.mutable_instruments();
    const struct
    {
        const char *symbol;
        unsigned priceScale;
        unsigned qtyScale;
        demo::InstrumentKind kind;
    } rows[] = {{"BTC-USD", 2, 8, demo::SPOT}, {"PEPE-USDT", 8, 0, demo::SPOT}, {"EUR/USD", 5, 0, demo::FX}};
    for (unsigned i = 0; i < std::size(rows); ++i) {
        auto *info = list->add_instruments();
        info->set_id(i);
        info->set_symbol(rows[i].symbol);
        info->set_display_name(std::string(rows[i].symbol) + " name");
        info->set_price_scale(rows[i].priceScale);
        info->set_qty_scale(rows[i].qtyScale);
        info->set_tick_size(i == 0 ? 1 : 5);
        info->set_lot_size(1000);
        info->set_kind(rows[i].kind);
    }
    return e;
}

demo::Envelope deltaFrame(std::uint64_t seq, std::uint32_t id, std::uint64_t bookSeq)
{
    demo::Envelope e;
    e.set_seq(seq);
    auto *d = e.mutable_delta();
    d->set_instrument_id(id);
    d->set_book_seq(bookSeq);
    auto *bid = d->add_bids();
    bid->set_price(6'000'000);
    bid->set_qty(0);
    auto *ask = d->add_asks();
    ask->set_price(6'000'100);
    ask->set_qty(12'345);
    d->set_exchange_time_us(1'700'000'000'000'000);
    return e;
}

} // namespace

class TestDemoProtocol : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void describesItself()
    {
        DemoProtocol protocol(QUrl(QStringLiteral("ws://127.0.0.1:1234")));
        QCOMPARE(protocol.venue(), QStringLiteral("demo"));
        QCOMPARE(protocol.url(), QUrl(QStringLiteral("ws://127.0.0.1:1234")));
        QVERIFY(protocol.announcesInstruments());
        QCOMPARE(protocol.resyncMethod(), ResyncMethod::Resubscribe);
        QVERIFY(protocol.heartbeat().silenceTimeout.count() > 1000); // the server heartbeats every second
        QVERIFY(protocol.heartbeat().silenceTimeout.count() <= 10000);
    }

    void decodesInstrumentList()
    {
        DemoProtocol protocol(QUrl(QStringLiteral("ws://127.0.0.1:1")));
        Collector sink;
        const DecodeResult result = protocol.decode(encode(instrumentList()), true, sink);
        QVERIFY2(result, qPrintable(result.error));
        QCOMPARE(sink.instruments.size(), 3u);
        const Instrument &pepe = sink.instruments[1];
        QCOMPARE(pepe.venue, QStringLiteral("demo"));
        QCOMPARE(pepe.symbol, QStringLiteral("PEPE-USDT"));
        QCOMPARE(pepe.displayName, QStringLiteral("PEPE-USDT name"));
        QCOMPARE(pepe.priceScale, 8);
        QCOMPARE(pepe.qtyScale, 0);
        QCOMPARE(pepe.tickSize, 5);
        QCOMPARE(pepe.lotSize, 1000);
        QCOMPARE(sink.instruments[2].kind, InstrumentKind::Fx);
        QCOMPARE(protocol.instruments().size(), 3u);
    }

    void decodesEveryMarketBody()
    {
        DemoProtocol protocol(QUrl(QStringLiteral("ws://127.0.0.1:1")));
        Collector sink;
        QVERIFY(protocol.decode(encode(instrumentList()), true, sink));

        demo::Envelope snapshot;
        snapshot.set_seq(2);
        auto *s = snapshot.mutable_snapshot();
        s->set_instrument_id(1);
        s->set_book_seq(77);
        for (int i = 0; i < 3; ++i) {
            auto *bid = s->add_bids();
            bid->set_price(1234 - i);
            bid->set_qty(1'000'000 + i);
            auto *ask = s->add_asks();
            ask->set_price(1235 + i);
            ask->set_qty(2'000'000 + i);
        }
        QVERIFY(protocol.decode(encode(snapshot), true, sink));
        QCOMPARE(sink.snapshots.size(), 1u);
        QCOMPARE(sink.snapshots[0].instrument, 1u);
        QCOMPARE(sink.snapshots[0].sequence, 77u);
        QCOMPARE(sink.snapshots[0].bids,
                 (std::vector<Level> {{1234, 1'000'000}, {1233, 1'000'001}, {1232, 1'000'002}}));
        QCOMPARE(sink.snapshots[0].asks.back(), (Level {1237, 2'000'002}));

        QVERIFY(protocol.decode(encode(deltaFrame(3, 0, 5)), true, sink));
        QCOMPARE(sink.deltas.size(), 1u);
        QCOMPARE(sink.deltas[0].sequence, 5u);
        QCOMPARE(sink.deltas[0].prevSequence, 0u); // "previous = sequence - 1"
        QCOMPARE(sink.deltas[0].bids, (std::vector<Level> {{6'000'000, 0}}));
        QCOMPARE(sink.deltas[0].asks, (std::vector<Level> {{6'000'100, 12'345}}));
        QCOMPARE(sink.deltas[0].exchangeTimeUs, 1'700'000'000'000'000);
        QVERIFY(!sink.deltas[0].checksum);

        demo::Envelope trade;
        trade.set_seq(4);
        auto *t = trade.mutable_trade();
        t->set_instrument_id(2);
        t->set_price(108'512);
        t->set_qty(250'000);
        t->set_aggressor(demo::SELL);
        t->set_trade_id(99);
        QVERIFY(protocol.decode(encode(trade), true, sink));
        QCOMPARE(sink.trades.size(), 1u);
        QCOMPARE(sink.trades[0].instrument, 2u);
        QCOMPARE(sink.trades[0].price, 108'512);
        QCOMPARE(sink.trades[0].qty, 250'000);
        QCOMPARE(sink.trades[0].side, Side::Sell);
        QCOMPARE(sink.trades[0].tradeId, 99u);

        demo::Envelope ticker;
        ticker.set_seq(5);
        auto *k = ticker.mutable_ticker();
        k->set_instrument_id(0);
        k->set_last(6'000'050);
        k->set_open_24h(5'900'000);
        k->set_high_24h(6'100'000);
        k->set_low_24h(5'800'000);
        k->set_volume_24h(123'456'789);
        QVERIFY(protocol.decode(encode(ticker), true, sink));
        QCOMPARE(sink.tickers.size(), 1u);
        QCOMPARE(sink.tickers[0].last, 6'000'050);
        QCOMPARE(sink.tickers[0].open24h, 5'900'000);
        QCOMPARE(sink.tickers[0].high24h, 6'100'000);
        QCOMPARE(sink.tickers[0].low24h, 5'800'000);
        QCOMPARE(sink.tickers[0].volume24h, 123'456'789);

        demo::Envelope heartbeat;
        heartbeat.set_seq(6);
        heartbeat.mutable_heartbeat();
        QVERIFY(protocol.decode(encode(heartbeat), true, sink));
        demo::Envelope error;
        error.set_seq(7);
        error.mutable_error()->set_code(404);
        error.mutable_error()->set_message("unknown instrument id 9");
        QVERIFY(protocol.decode(encode(error), true, sink));
        QCOMPARE(sink.statuses.size(), 2u);
        QCOMPARE(sink.statuses[0].kind, VenueStatus::Kind::Heartbeat);
        QCOMPARE(sink.statuses[1].kind, VenueStatus::Kind::Error);
        QCOMPARE(sink.statuses[1].code, 404);
        QCOMPARE(sink.statuses[1].message, QStringLiteral("unknown instrument id 9"));
    }

    void connectionSequenceGapIsReported()
    {
        DemoProtocol protocol(QUrl(QStringLiteral("ws://127.0.0.1:1")));
        Collector sink;
        QVERIFY(protocol.decode(encode(instrumentList()), true, sink)); // seq 1
        QVERIFY(protocol.decode(encode(deltaFrame(2, 0, 1)), true, sink));
        QCOMPARE(sink.statuses.size(), 0u);
        QVERIFY(protocol.decode(encode(deltaFrame(5, 0, 2)), true, sink)); // 3 and 4 lost
        QCOMPARE(sink.statuses.size(), 1u);
        QCOMPARE(sink.statuses[0].kind, VenueStatus::Kind::SequenceGap);
        QCOMPARE(sink.statuses[0].expected, 3u);
        QCOMPARE(sink.statuses[0].received, 5u);
        QCOMPARE(sink.deltas.size(), 2u); // the frame itself still decodes
        QVERIFY(protocol.decode(encode(deltaFrame(6, 0, 3)), true, sink));
        QCOMPARE(sink.statuses.size(), 1u);

        protocol.reset(); // a new connection starts counting again
        QVERIFY(protocol.instruments().empty());
        QVERIFY(protocol.decode(encode(instrumentList()), true, sink));
        QCOMPARE(sink.statuses.size(), 1u);
    }

    void subscribeFramesCarryAnnouncedIds()
    {
        DemoProtocol protocol(QUrl(QStringLiteral("ws://127.0.0.1:1")));
        Collector sink;
        QVERIFY(protocol.decode(encode(instrumentList()), true, sink));

        const auto parse = [](const std::vector<OutgoingFrame> &frames) {
            demo::Envelope e;
            if (frames.size() != 1 || !frames[0].binary)
                return e;
            e.ParseFromArray(frames[0].data.constData(), static_cast<int>(frames[0].data.size()));
            return e;
        };
        demo::Envelope sub = parse(protocol.subscribeFrames({QStringLiteral("EUR/USD"), QStringLiteral("BTC-USD")}));
        QVERIFY(sub.has_subscribe());
        QCOMPARE(std::vector<std::uint32_t>(sub.subscribe().instrument_ids().begin(),
                                            sub.subscribe().instrument_ids().end()),
                 (std::vector<std::uint32_t> {2, 0}));
        demo::Envelope all = parse(protocol.subscribeFrames({}));
        QVERIFY(all.has_subscribe());
        QCOMPARE(all.subscribe().instrument_ids_size(), 0); // empty = every instrument
        demo::Envelope unsub = parse(protocol.unsubscribeFrames({QStringLiteral("PEPE-USDT")}));
        QVERIFY(unsub.has_unsubscribe());
        QCOMPARE(unsub.unsubscribe().instrument_ids_size(), 1);
        QCOMPARE(unsub.unsubscribe().instrument_ids(0), 1u);
        // Only unknown symbols: nothing is sent (an empty list would mean "everything").
        QVERIFY(protocol.subscribeFrames({QStringLiteral("NOPE")}).empty());
        // Resync of one book = subscribe to it again.
        demo::Envelope resync = parse(protocol.resyncFrames(QStringLiteral("PEPE-USDT")));
        QCOMPARE(resync.subscribe().instrument_ids_size(), 1);
        QCOMPARE(resync.subscribe().instrument_ids(0), 1u);
    }

    void badFramesAreErrors_data()
    {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<bool>("binary");
        QTest::addColumn<QString>("message");

        QTest::newRow("text frame") << QByteArray("{\"type\":\"ticker\"}") << false << QStringLiteral("text frame");
        QTest::newRow("garbage") << QByteArray("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 11) << true
                                 << QStringLiteral("malformed");
        QTest::newRow("truncated") << encode(deltaFrame(2, 0, 1)).left(9) << true << QStringLiteral("malformed");
        demo::Envelope empty;
        empty.set_seq(2);
        QTest::newRow("no body") << encode(empty) << true << QStringLiteral("without a known body");
        // A body from a newer protocol version (unknown field 40, length-delimited) is not ours.
        QByteArray future = encode(empty);
        future.append(char(40 << 3 | 2)).append(char(2)).append(char(8)).append(char(1));
        QTest::newRow("unknown body") << future << true << QStringLiteral("without a known body");
        QTest::newRow("unknown instrument")
            << encode(deltaFrame(2, 9, 1)) << true << QStringLiteral("unknown instrument id 9");
        demo::Envelope negative = deltaFrame(2, 0, 1);
        negative.mutable_delta()->mutable_asks(0)->set_qty(-1);
        QTest::newRow("negative qty") << encode(negative) << true << QStringLiteral("negative quantity");
        QTest::newRow("delta without sequence")
            << encode(deltaFrame(2, 0, 0)) << true << QStringLiteral("without book sequence");
        demo::Envelope badTrade;
        badTrade.mutable_trade()->set_instrument_id(0);
        badTrade.mutable_trade()->set_price(1);
        QTest::newRow("zero trade qty") << encode(badTrade) << true << QStringLiteral("non-positive quantity");
        demo::Envelope wrongIds = instrumentList();
        wrongIds.set_seq(2);
        wrongIds.mutable_instruments()->mutable_instruments(1)->set_id(7);
        QTest::newRow("instrument ids out of order") << encode(wrongIds) << true << QStringLiteral("has id 7");
        demo::Envelope badScale = instrumentList();
        badScale.set_seq(2);
        badScale.mutable_instruments()->mutable_instruments(0)->set_price_scale(19);
        QTest::newRow("scale too large") << encode(badScale) << true << QStringLiteral("scale out of range");
        demo::Envelope duplicate = instrumentList();
        duplicate.set_seq(2);
        duplicate.mutable_instruments()->mutable_instruments(2)->set_symbol("BTC-USD");
        QTest::newRow("duplicate symbol") << encode(duplicate) << true << QStringLiteral("duplicate symbol");
        demo::Envelope clientMessage;
        clientMessage.mutable_subscribe()->add_instrument_ids(1);
        QTest::newRow("client message") << encode(clientMessage) << true << QStringLiteral("client message");
    }

    void badFramesAreErrors()
    {
        QFETCH(QByteArray, frame);
        QFETCH(bool, binary);
        QFETCH(QString, message);
        DemoProtocol protocol(QUrl(QStringLiteral("ws://127.0.0.1:1")));
        Collector sink;
        QVERIFY(protocol.decode(encode(instrumentList()), true, sink));
        sink.instruments.clear();

        const DecodeResult result = protocol.decode(frame, binary, sink);
        QVERIFY(!result);
        QCOMPARE(result.status, DecodeResult::Status::Error);
        QVERIFY2(result.error.contains(message), qPrintable(result.error));
        QCOMPARE(sink.events(), 0);
        QVERIFY(sink.instruments.empty());
        QCOMPARE(protocol.instruments().size(), 3u); // a bad list does not replace the good one

        // The protocol carries on with the next good frame.
        QVERIFY(protocol.decode(encode(deltaFrame(3, 1, 1)), true, sink));
        QCOMPARE(sink.deltas.size(), 1u);
    }

    void agreesWithGeneratedParserOnSimulatorTraffic()
    {
        // The hand-written wire reader against protobuf's own parser, on real simulator frames.
        SimConfig config;
        config.seed = 17;
        MarketSimulator sim(config);
        DemoProtocol protocol(QUrl(QStringLiteral("ws://127.0.0.1:1")));
        Collector sink;
        demo::Envelope e;
        e.set_seq(1);
        sim.fillInstruments(*e.mutable_instruments());
        QVERIFY(protocol.decode(encode(e), true, sink));
        QCOMPARE(sink.instruments.size(), sim.instruments().size());
        for (std::uint64_t i = 0; i < 20000; ++i) {
            sim.next(e);
            e.set_seq(2 + i);
            const QByteArray frame = encode(e);
            demo::Envelope parsed;
            QVERIFY(parsed.ParseFromArray(frame.constData(), static_cast<int>(frame.size())));
            const std::size_t deltas = sink.deltas.size();
            const std::size_t trades = sink.trades.size();
            const std::size_t tickers = sink.tickers.size();
            QVERIFY(protocol.decode(frame, true, sink));
            if (parsed.has_delta()) {
                QCOMPARE(sink.deltas.size(), deltas + 1);
                const BookDelta &d = sink.deltas.back();
                QCOMPARE(d.instrument, parsed.delta().instrument_id());
                QCOMPARE(d.sequence, parsed.delta().book_seq());
                QCOMPARE(d.exchangeTimeUs, parsed.delta().exchange_time_us());
                QCOMPARE(d.bids.size(), static_cast<std::size_t>(parsed.delta().bids_size()));
                QCOMPARE(d.asks.size(), static_cast<std::size_t>(parsed.delta().asks_size()));
                for (int k = 0; k < parsed.delta().bids_size(); ++k)
                    QCOMPARE(d.bids[static_cast<std::size_t>(k)],
                             (Level {parsed.delta().bids(k).price(), parsed.delta().bids(k).qty()}));
                for (int k = 0; k < parsed.delta().asks_size(); ++k)
                    QCOMPARE(d.asks[static_cast<std::size_t>(k)],
                             (Level {parsed.delta().asks(k).price(), parsed.delta().asks(k).qty()}));
            } else if (parsed.has_trade()) {
                QCOMPARE(sink.trades.size(), trades + 1);
                const Trade &t = sink.trades.back();
                QCOMPARE(t.price, parsed.trade().price());
                QCOMPARE(t.qty, parsed.trade().qty());
                QCOMPARE(t.tradeId, parsed.trade().trade_id());
                QCOMPARE(t.side, parsed.trade().aggressor() == demo::SELL ? Side::Sell : Side::Buy);
            } else {
                QVERIFY(parsed.has_ticker());
                QCOMPARE(sink.tickers.size(), tickers + 1);
                QCOMPARE(sink.tickers.back().last, parsed.ticker().last());
                QCOMPARE(sink.tickers.back().volume24h, parsed.ticker().volume_24h());
            }
            if (i % 5000 == 0) { // keep the collector small
                sink.deltas.clear();
                sink.trades.clear();
                sink.tickers.clear();
            }
        }
        QCOMPARE(sink.statuses.size(), 0u); // consecutive sequence numbers: no gap reported
    }

    void mutatedFramesNeverCrash()
    {
        // Random byte flips, truncations and insertions on real frames: each decodes or is an Error,
        // and a frame protobuf itself rejects is never accepted.
        SimConfig config;
        config.seed = 23;
        MarketSimulator sim(config);
        DemoProtocol protocol(QUrl(QStringLiteral("ws://127.0.0.1:1")));
        Collector sink;
        demo::Envelope e;
        sim.fillInstruments(*e.mutable_instruments());
        QVERIFY(protocol.decode(encode(e), true, sink));
        std::mt19937 rng(99);
        int errors = 0;
        for (int i = 0; i < 3000; ++i) {
            sim.next(e);
            const QByteArray good = encode(e);
            for (int m = 0; m < 10; ++m) {
                QByteArray bad = good;
                switch (rng() % 3) {
                case 0:
                    bad[static_cast<qsizetype>(rng() % static_cast<unsigned>(bad.size()))] = static_cast<char>(rng());
                    break;
                case 1:
                    bad.truncate(static_cast<qsizetype>(rng() % static_cast<unsigned>(bad.size())));
                    break;
                default:
                    bad.insert(static_cast<qsizetype>(rng() % static_cast<unsigned>(bad.size())),
                               static_cast<char>(rng()));
                }
                demo::Envelope reference;
                const bool protobufAccepts = reference.ParseFromArray(bad.constData(), static_cast<int>(bad.size()));
                const DecodeResult result = protocol.decode(bad, true, sink);
                if (!result)
                    ++errors;
                else
                    QVERIFY2(protobufAccepts, qPrintable(QString::fromLatin1(bad.toHex())));
            }
        }
        QVERIFY(errors > 3000);
    }

    void decodingReusesEventStorage()
    {
        // Many frames through one protocol: each event reflects only its own frame.
        DemoProtocol protocol(QUrl(QStringLiteral("ws://127.0.0.1:1")));
        Collector sink;
        QVERIFY(protocol.decode(encode(instrumentList()), true, sink));
        for (std::uint64_t i = 0; i < 1000; ++i) {
            demo::Envelope e = deltaFrame(2 + i, 0, 1 + i);
            if (i % 2)
                e.mutable_delta()->clear_bids();
            QVERIFY(protocol.decode(encode(e), true, sink));
        }
        QCOMPARE(sink.deltas.size(), 1000u);
        QCOMPARE(sink.deltas[998].bids.size(), 1u);
        QCOMPARE(sink.deltas[999].bids.size(), 0u);
        QCOMPARE(sink.deltas[999].sequence, 1000u);
        QCOMPARE(sink.statuses.size(), 0u);
    }
};

QTEST_GUILESS_MAIN(TestDemoProtocol)
#include "tst_demoprotocol.moc"
