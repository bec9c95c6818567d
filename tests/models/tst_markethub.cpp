// MarketHub without a feed: instrument search ranking and the selected-instrument summary.
#include "fatalwarnings.h"
#include "markethub.h"

#include <QSignalSpy>
#include <QtTest>

using namespace tickscope;

namespace {
Instrument make(const char *symbol, const char *base, const char *quote, const char *name, int priceScale = 2)
{
    Instrument i;
    i.venue = QStringLiteral("demo");
    i.symbol = QString::fromLatin1(symbol);
    i.base = QString::fromLatin1(base);
    i.quote = QString::fromLatin1(quote);
    i.displayName = QString::fromLatin1(name);
    i.priceScale = priceScale;
    return i;
}

QStringList symbols(const QVariantList &results)
{
    QStringList out;
    for (const QVariant &r : results)
        out << r.toMap().value(QStringLiteral("symbol")).toString();
    return out;
}
} // namespace

class TestMarketHub : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void searchRanksSymbolMatchesFirst_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("exact symbol") << QStringLiteral("eth-usd")
                                      << QStringList {QStringLiteral("ETH-USD"), QStringLiteral("ETH-USD-PERP"),
                                                      QStringLiteral("WETH-USDT")};
        QTest::newRow("prefix then substring then name")
            << QStringLiteral("btc")
            << QStringList {QStringLiteral("BTC-USD"), QStringLiteral("BTC-PERP"), QStringLiteral("WBTC-USD")};
        QTest::newRow("by quote") << QStringLiteral("JPY") << QStringList {QStringLiteral("USD/JPY")};
        QTest::newRow("by display name") << QStringLiteral("bitcoin")
                                         << QStringList {QStringLiteral("BTC-USD"), QStringLiteral("BTC-PERP"),
                                                         QStringLiteral("WBTC-USD")};
        QTest::newRow("a word of the name") << QStringLiteral("dollar")
                                            << QStringList {QStringLiteral("WBTC-USD"), QStringLiteral("BTC-USD"),
                                                            QStringLiteral("ETH-USD"), QStringLiteral("USD/JPY")};
        // Not from the middle of a word: "eth" is not "Tether", "coin" not "Bitcoin".
        QTest::newRow("not inside a word of the name")
            << QStringLiteral("eth")
            << QStringList {QStringLiteral("ETH-USD-PERP"), QStringLiteral("ETH-USD"), QStringLiteral("WETH-USDT")};
        QTest::newRow("coin") << QStringLiteral("coin") << QStringList {};
        QTest::newRow("nothing") << QStringLiteral("zzz") << QStringList {};
    }

    void searchRanksSymbolMatchesFirst()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        MarketHub hub(nullptr);
        DrainBatch batch;
        batch.newInstruments = {make("WBTC-USD", "WBTC", "USD", "Wrapped Bitcoin / US Dollar"),
                                make("BTC-USD", "BTC", "USD", "Bitcoin / US Dollar"),
                                make("ETH-USD-PERP", "ETH", "USD", "Ether perpetual"),
                                make("ETH-USD", "ETH", "USD", "Ether / US Dollar"),
                                make("BTC-PERP", "BTC", "USD", "Bitcoin perpetual"),
                                make("USD/JPY", "USD", "JPY", "US Dollar / Japanese Yen", 3),
                                make("PEPE-USDT", "PEPE", "USDT", "Pepe / Tether"),
                                make("WETH-USDT", "WETH", "USDT", "Wrapped Ether / Tether")};
        hub.cache().apply(batch);
        QCOMPARE(symbols(hub.searchInstruments(text)), expected);
        const QVariantList all = hub.searchInstruments(QString(), 4);
        QCOMPARE(all.size(), 4); // the limit holds
        const QVariantMap first = hub.searchInstruments(QStringLiteral("USD/JPY")).first().toMap();
        QCOMPARE(first.value(QStringLiteral("id")).toInt(), 5);
        QCOMPARE(first.value(QStringLiteral("venue")).toString(), QStringLiteral("demo"));
        QCOMPARE(first.value(QStringLiteral("kind")).toString(), QStringLiteral("spot"));
    }

    void selectionSummaryFollowsTheBook()
    {
        MarketHub hub(nullptr);
        QSignalSpy summary(&hub, &MarketHub::selectedSummaryChanged);
        DrainBatch batch;
        batch.newInstruments = {make("BTC-USD", "BTC", "USD", "Bitcoin / US Dollar")};
        InstrumentUpdate update;
        update.reset(0);
        update.integrity = BookIntegrity::Synced;
        update.quote.bid = 6'000'000;
        update.quote.ask = 6'000'120;
        update.quote.last = 6'000'050;
        update.quote.tickDirection = 1;
        batch.updates.push_back(update);
        hub.cache().apply(batch);
        hub.setSelectedInstrument(0);
        QCOMPARE(hub.selectedSymbol(), QStringLiteral("BTC-USD"));
        QCOMPARE(hub.selectedName(), QStringLiteral("Bitcoin / US Dollar"));
        QCOMPARE(hub.selectedPriceScale(), 2);
        QCOMPARE(hub.selectedIntegrity(), QStringLiteral("synced"));
        QCOMPARE(hub.selectedSpread(), QStringLiteral("1.20"));
        QCOMPARE(hub.selectedLast(), QStringLiteral("60000.50"));
        QCOMPARE(hub.selectedTickDirection(), 1);
        QCOMPARE(summary.size(), 1);
        hub.setSelectedInstrument(7); // unknown: ignored
        QCOMPARE(hub.selectedInstrument(), 0);

        // A book in sequence whose feed is not live does not claim to be synced.
        DrainBatch staleBatch;
        InstrumentUpdate staleUpdate = update;
        staleUpdate.stale = true;
        staleBatch.updates.push_back(staleUpdate);
        hub.cache().apply(staleBatch);
        hub.setSelectedInstrument(-1);
        hub.setSelectedInstrument(0);
        QCOMPARE(hub.selectedIntegrity(), QStringLiteral("stale"));

        // Out of sync with the feed down: nothing is resyncing, the book is offline; once the feed
        // is live again and the snapshot still due, it is resyncing.
        for (const BookIntegrity integrity : {BookIntegrity::Resyncing, BookIntegrity::Gap}) {
            DrainBatch down;
            InstrumentUpdate offline = staleUpdate;
            offline.integrity = integrity;
            down.updates.push_back(offline);
            hub.cache().apply(down);
            hub.setSelectedInstrument(-1); // the summary is refreshed on selection (or a drain)
            hub.setSelectedInstrument(0);
            QCOMPARE(hub.selectedIntegrity(), QStringLiteral("offline"));
        }
        DrainBatch back;
        InstrumentUpdate resyncing = update;
        resyncing.integrity = BookIntegrity::Resyncing;
        back.updates.push_back(resyncing);
        hub.cache().apply(back);
        hub.setSelectedInstrument(-1);
        hub.setSelectedInstrument(0);
        QCOMPARE(hub.selectedIntegrity(), QStringLiteral("resyncing"));
    }

    /// What the empty panels say: the state of the feed they wait for, "" once it is live and an
    /// instrument is selected.
    void dataNoteSaysWhyThereIsNoData()
    {
        MarketHub hub(nullptr);
        QSignalSpy changed(&hub, &MarketHub::dataNoteChanged);
        // An empty watchlist and no feed: nothing to wait for.
        QCOMPARE(hub.dataNote(), QStringLiteral("Nothing to show: add an instrument with Ctrl+K"));
        hub.watchlist()->setFollowAll(false);
        QVERIFY(hub.watchlist()->addKey(QStringLiteral("demo"), QStringLiteral("BTC-USD")));
        QCOMPARE(hub.dataNote(), QStringLiteral("Waiting for demo")); // the first row's venue

        const auto publish = [&hub](FeedState state, const QString &detail, int attempt = 0) {
            FeedSnapshot feed;
            feed.name = QStringLiteral("demo");
            feed.state = state;
            feed.detail = detail;
            feed.attempt = attempt;
            hub.handoff().publish({}, &feed);
            QVERIFY(hub.frameDriver().drainNow());
        };
        publish(FeedState::Connecting, QStringLiteral("ws://127.0.0.1:9"));
        QCOMPARE(hub.dataNote(), QStringLiteral("Waiting for demo — Connecting…"));
        publish(FeedState::Reconnecting, QStringLiteral("Connection refused"), 3);
        QCOMPARE(hub.dataNote(), QStringLiteral("Waiting for demo — Reconnecting (attempt 3): Connection refused"));
        publish(FeedState::Live, QStringLiteral("receiving data"));
        QCOMPARE(hub.dataNote(), QStringLiteral("Waiting for demo — no instruments yet"));

        // The instrument arrives and is selected: nothing to explain while the feed is live.
        hub.handoff().registerInstrument(make("BTC-USD", "BTC", "USD", "Bitcoin / US Dollar"));
        QVERIFY(hub.frameDriver().drainNow());
        QCOMPARE(hub.selectedSymbol(), QStringLiteral("BTC-USD"));
        QCOMPARE(hub.dataNote(), QString());
        const qsizetype changes = changed.size();
        publish(FeedState::Live, QStringLiteral("receiving data"));
        QCOMPARE(changed.size(), changes); // unchanged note, no signal

        publish(FeedState::Failed, QStringLiteral("HTTP 403"));
        QCOMPARE(hub.dataNote(), QStringLiteral("Waiting for demo — Failed: HTTP 403"));
        publish(FeedState::Paused, QStringLiteral("paused by the user"));
        QCOMPARE(hub.dataNote(), QStringLiteral("Waiting for demo — Paused"));
        publish(FeedState::Live, QStringLiteral("receiving data"));
        QCOMPARE(hub.dataNote(), QString());

        // An instrument of a venue that has no feed.
        Instrument kraken = make("XBT/USD", "XBT", "USD", "Bitcoin / US Dollar");
        kraken.venue = QStringLiteral("kraken");
        hub.handoff().registerInstrument(kraken);
        QVERIFY(hub.frameDriver().drainNow());
        hub.setSelectedInstrument(1);
        QCOMPARE(hub.dataNote(), QStringLiteral("Waiting for kraken"));
    }

    /// Without a user's list (the watchlist shows what the feeds announce), the first feed is what
    /// the panels wait for.
    void dataNoteBeforeTheFeedAnnounces()
    {
        MarketHub hub(nullptr);
        FeedSnapshot feed;
        feed.name = QStringLiteral("binance");
        feed.state = FeedState::Subscribing;
        hub.handoff().publish({}, &feed);
        QVERIFY(hub.frameDriver().drainNow());
        QCOMPARE(hub.dataNote(), QStringLiteral("Waiting for binance — Subscribing…"));
    }
};

QTEST_GUILESS_MAIN(TestMarketHub)
#include "tst_markethub.moc"
