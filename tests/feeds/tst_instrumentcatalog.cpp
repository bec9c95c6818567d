// Instrument lists on disk: the format shared by the cache and the bundled lists, increments to
// precisions, atomic store and load, damaged caches skipped for the bundled list, and a bundled
// list for every exchange venue that parses and covers the recorded fixtures' symbols.
#include "fatalwarnings.h"
#include "instrumentcatalog.h"
#include "venues.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace tickscope;

class TestInstrumentCatalog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void incrementToScale_data()
    {
        QTest::addColumn<QString>("increment");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<int>("scale");
        QTest::addColumn<qint64>("mantissa");
        QTest::newRow("cent") << QStringLiteral("0.01") << true << 2 << qint64(1);
        QTest::newRow("binance style") << QStringLiteral("0.01000000") << true << 2 << qint64(1);
        QTest::newRow("five ticks") << QStringLiteral("0.0005") << true << 4 << qint64(5);
        QTest::newRow("whole") << QStringLiteral("1") << true << 0 << qint64(1);
        QTest::newRow("ten") << QStringLiteral("10.0") << true << 0 << qint64(10);
        QTest::newRow("exponent") << QStringLiteral("1e-8") << true << 8 << qint64(1);
        QTest::newRow("zero") << QStringLiteral("0") << false << 0 << qint64(0);
        QTest::newRow("negative") << QStringLiteral("-0.1") << false << 0 << qint64(0);
        QTest::newRow("text") << QStringLiteral("cent") << false << 0 << qint64(0);
    }

    void incrementToScale()
    {
        QFETCH(QString, increment);
        QFETCH(bool, ok);
        int scale = -1;
        std::int64_t mantissa = -1;
        QCOMPARE(tickscope::incrementToScale(increment, scale, mantissa), ok);
        if (ok) {
            QTEST(scale, "scale");
            QTEST(static_cast<qint64>(mantissa), "mantissa");
        }
    }

    void storeAndLoadRoundTrip()
    {
        QTemporaryDir dir;
        InstrumentCatalog catalog;
        catalog.venue = QStringLiteral("okx");
        catalog.source = QStringLiteral("https://www.okx.com/api/v5/public/instruments?instType=SPOT");
        catalog.fetchedMs = 1'700'000'000'000;
        Instrument btc;
        btc.venue = catalog.venue;
        btc.symbol = QStringLiteral("BTC-USDT");
        btc.base = QStringLiteral("BTC");
        btc.quote = QStringLiteral("USDT");
        btc.displayName = QStringLiteral("BTC / USDT");
        btc.priceScale = 1;
        btc.tickSize = 1;
        btc.qtyScale = 8;
        btc.lotSize = 1;
        Instrument swap = btc;
        swap.symbol = QStringLiteral("BTC-USDT-SWAP");
        swap.kind = InstrumentKind::Perpetual;
        swap.qtyScale = 2;
        swap.lotSize = 5; // 0.05
        catalog.instruments = {btc, swap};
        QString error;
        QVERIFY(storeCatalog(catalog, dir.path(), &error));
        const InstrumentCatalog loaded = loadCatalog(QStringLiteral("okx"), dir.path());
        QCOMPARE(loaded.origin, CatalogOrigin::Cache);
        QCOMPARE(loaded.fetchedMs, catalog.fetchedMs);
        QCOMPARE(loaded.instruments.size(), 2u);
        QVERIFY(loaded.instruments[0] == btc);
        QVERIFY(loaded.instruments[1] == swap);
        QVERIFY(loaded.warning.isEmpty());
    }

    void damagedCacheFallsBackToBundled_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("truncated") << QByteArray("{\"schema\":1,\"venue\":\"okx\",\"instruments\":[");
        QTest::newRow("not json") << QByteArray("\x00\x01garbage", 9);
        QTest::newRow("future schema") << QByteArray("{\"schema\":99,\"venue\":\"okx\",\"instruments\":[]}");
        QTest::newRow("wrong types") << QByteArray("{\"schema\":1,\"venue\":\"okx\",\"instruments\":[{\"symbol\":7,"
                                                   "\"price_increment\":0.1}]}");
        QTest::newRow("bad increment") << QByteArray("{\"schema\":1,\"venue\":\"okx\",\"instruments\":[{\"symbol\":"
                                                     "\"A-B\",\"price_increment\":\"0\",\"qty_increment\":\"1\"}]}");
        QTest::newRow("other venue") << QByteArray("{\"schema\":1,\"venue\":\"bybit\",\"instruments\":[{\"symbol\":"
                                                   "\"A-B\",\"price_increment\":\"1\",\"qty_increment\":\"1\"}]}");
    }

    void damagedCacheFallsBackToBundled()
    {
        QFETCH(QByteArray, content);
        QTemporaryDir dir;
        QFile file(catalogCachePath(QStringLiteral("okx"), dir.path()));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
        file.close();
        const InstrumentCatalog loaded = loadCatalog(QStringLiteral("okx"), dir.path());
        QCOMPARE(loaded.origin, CatalogOrigin::Bundled);
        QVERIFY(!loaded.instruments.empty());
        QVERIFY2(loaded.warning.contains(QLatin1String("unusable")), qPrintable(loaded.warning));
    }

    void bundledListsCoverEveryExchange_data()
    {
        QTest::addColumn<QString>("venue");
        QTest::addColumn<QStringList>("symbols");
        QTest::newRow("binance") << QStringLiteral("binance")
                                 << QStringList {QStringLiteral("BTCUSDT"), QStringLiteral("NKNUSDT")};
        QTest::newRow("coinbase") << QStringLiteral("coinbase")
                                  << QStringList {QStringLiteral("BTC-USD"), QStringLiteral("SKL-GBP")};
        QTest::newRow("kraken") << QStringLiteral("kraken")
                                << QStringList {QStringLiteral("BTC/USD"), QStringLiteral("MATIC/USD")};
        QTest::newRow("okx") << QStringLiteral("okx")
                             << QStringList {QStringLiteral("BTC-USDT"), QStringLiteral("UNI-USD-SWAP")};
        QTest::newRow("bybit") << QStringLiteral("bybit") << QStringList {QStringLiteral("BTCUSDT")};
    }

    void bundledListsCoverEveryExchange()
    {
        QFETCH(QString, venue);
        QFETCH(QStringList, symbols);
        const InstrumentCatalog bundled = bundledCatalog(venue);
        QCOMPARE(bundled.origin, CatalogOrigin::Bundled);
        QVERIFY(bundled.warning.isEmpty());
        QVERIFY(bundled.instruments.size() >= 10);
        for (const QString &symbol : symbols) {
            QVERIFY2(std::any_of(bundled.instruments.begin(), bundled.instruments.end(),
                                 [&](const Instrument &i) { return i.symbol == symbol && i.venue == venue; }),
                     qPrintable(symbol));
        }
        QVERIFY(findVenue(venue));
    }
};

QTEST_GUILESS_MAIN(TestInstrumentCatalog)
#include "tst_instrumentcatalog.moc"
