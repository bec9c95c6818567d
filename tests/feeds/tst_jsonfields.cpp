// The JSON helpers the venue decoders stand on: exact decimals from number tokens and strings (no
// double anywhere), a reused parser, and real venue frames with integers beyond 2^63 in fields we
// do not use.
#include "fatalwarnings.h"
#include "jsonfields.h"

#include <QFile>
#include <QtTest>

using namespace tickscope;

class TestJsonFields : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void decimalsAreExact_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("scale");
        QTest::addColumn<qint64>("mantissa");
        QTest::addColumn<int>("error");
        const int ok = static_cast<int>(DecimalError::None);
        QTest::newRow("number, fewer digits than the precision")
            << QByteArray("{\"v\":0.566}") << 4 << qint64(5660) << ok;
        QTest::newRow("number, all digits") << QByteArray("{\"v\":4831.75496356}") << 8 << qint64(483175496356) << ok;
        QTest::newRow("string") << QByteArray("{\"v\":\"0.00000500\"}") << 8 << qint64(500) << ok;
        QTest::newRow("exponent") << QByteArray("{\"v\":1e-5}") << 8 << qint64(1000) << ok;
        QTest::newRow("negative") << QByteArray("{\"v\":-12.5}") << 2 << qint64(-1250) << ok;
        QTest::newRow("not representable without rounding (a double would have rounded silently)")
            << QByteArray("{\"v\":0.1234567891}") << 8 << qint64(0) << static_cast<int>(DecimalError::TooPrecise);
        QTest::newRow("beyond 63 bits") << QByteArray("{\"v\":18239578009413566319}") << 0 << qint64(0)
                                        << static_cast<int>(DecimalError::Overflow);
        QTest::newRow("not a number") << QByteArray("{\"v\":true}") << 2 << qint64(0)
                                      << static_cast<int>(DecimalError::Syntax);
    }
    void decimalsAreExact()
    {
        QFETCH(QByteArray, json);
        QFETCH(int, scale);
        QFETCH(qint64, mantissa);
        QFETCH(int, error);
        json::FrameParser parser;
        auto document = parser.parse(json);
        simdjson::ondemand::value value;
        QVERIFY(!document["v"].get(value));
        const DecimalParse parsed = json::decimalAt(value, scale);
        QCOMPARE(static_cast<int>(parsed.error), error);
        if (parsed)
            QCOMPARE(parsed.mantissa, mantissa);
    }

    void hugeIntegersInOtherFieldsDoNotBreakDecoding()
    {
        // Kraken v1's first frame: connectionID does not fit in 64 bits.
        json::FrameParser parser;
        auto document = parser.parse("{\"connectionID\":18239578009413566319,\"event\":\"systemStatus\",\"status\":"
                                     "\"online\",\"version\":\"1.8.3\"}");
        std::string_view event;
        QVERIFY(!document["event"].get_string().get(event));
        QCOMPARE(QByteArray(event.data(), qsizetype(event.size())), QByteArray("systemStatus"));
        std::string_view status;
        QVERIFY(!document["status"].get_string().get(status));
        QCOMPARE(QByteArray(status.data(), qsizetype(status.size())), QByteArray("online"));
    }

    void theParserIsReusedAcrossFrames()
    {
        json::FrameParser parser;
        // A long frame, then a short one: the short one must not see the long one's tail.
        QByteArray longFrame = "{\"v\":\"" + QByteArray(5000, '7') + "\"}";
        auto first = parser.parse(longFrame);
        std::string_view text;
        QVERIFY(!first["v"].get_string().get(text));
        QCOMPARE(text.size(), std::size_t(5000));
        auto second = parser.parse("{\"v\":1.5}");
        simdjson::ondemand::value value;
        QVERIFY(!second["v"].get(value));
        QCOMPARE(json::decimalAt(value, 1).mantissa, qint64(15));
        auto broken = parser.parse("{\"v\":");
        simdjson::ondemand::value missing;
        QVERIFY(broken["v"].get(missing) != simdjson::SUCCESS
                || json::decimalAt(missing, 1).error != DecimalError::None);
        auto empty = parser.parse(QByteArray());
        QVERIFY(empty.error() != simdjson::SUCCESS || empty["v"].error() != simdjson::SUCCESS);
    }

    void krakenV2SnapshotLevelsAreExact()
    {
        QFile file(QStringLiteral(TICKSCOPE_TEST_DATA_DIR "/exchanges/kraken_v2_book_matic_doc_example.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        json::FrameParser outer;
        auto doc = outer.parse(file.readAll());
        std::string_view raw;
        QVERIFY(!doc["snapshot_message_as_in_doc_raw"].get_string().get(raw));
        const QByteArray frame(raw.data(), qsizetype(raw.size()));
        json::FrameParser parser;
        auto snapshot = parser.parse(frame);
        simdjson::ondemand::array data;
        QVERIFY(!snapshot["data"].get_array().get(data));
        int levels = 0;
        std::int64_t firstBid = 0;
        for (auto entry : data) {
            simdjson::ondemand::array bids;
            QVERIFY(!entry["bids"].get_array().get(bids));
            for (auto level : bids) {
                simdjson::ondemand::value price;
                simdjson::ondemand::value qty;
                QVERIFY(!level["price"].get(price));
                const DecimalParse p = json::decimalAt(price, 4);
                QVERIFY(!level["qty"].get(qty));
                const DecimalParse q = json::decimalAt(qty, 8);
                QVERIFY(p && q);
                if (levels++ == 0) {
                    firstBid = p.mantissa;
                    QCOMPARE(q.mantissa, qint64(483175496356)); // 4831.75496356
                }
            }
        }
        QCOMPARE(levels, 10);
        QCOMPARE(firstBid, qint64(5666)); // 0.5666
    }
};

QTEST_GUILESS_MAIN(TestJsonFields)
#include "tst_jsonfields.moc"
