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
                                      << QStringList {QStringLiteral("ETH-USD"), QStringLiteral("ETH-USD-PERP")};
        QTest::newRow("prefix then substring then name")
            << QStringLiteral("btc")
            << QStringList {QStringLiteral("BTC-USD"), QStringLiteral("BTC-PERP"), QStringLiteral("WBTC-USD")};
        QTest::newRow("by quote") << QStringLiteral("JPY") << QStringList {QStringLiteral("USD/JPY")};
        QTest::newRow("by display name") << QStringLiteral("bitcoin")
                                         << QStringList {QStringLiteral("BTC-USD"), QStringLiteral("BTC-PERP"),
                                                         QStringLiteral("WBTC-USD")};
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
                                make("USD/JPY", "USD", "JPY", "US Dollar / Japanese Yen", 3)};
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
    }
};

QTEST_GUILESS_MAIN(TestMarketHub)
#include "tst_markethub.moc"
