// The JSON helpers the venue decoders stand on: exact decimals from number tokens and strings (no
// double anywhere), a reused parser, real venue frames with integers beyond 2^63 in fields we do not
// use, and the shared field readers (integers as numbers or digit strings, "" as no value, level
// arrays, ISO 8601 times).
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

    void structureIsCheckedBeforeDecoding_data()
    {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<bool>("sound");
        QTest::newRow("object") << QByteArray(" {\"a\" : [1, 2.5e3, true, null, {}, []]}\n") << true;
        QTest::newRow("escaped quote") << QByteArray("{\"a\":\"x\\\"}\"}") << true;
        QTest::newRow("escaped backslash") << QByteArray("{\"a\":\"\\\\\"}") << true;
        QTest::newRow("nested empties") << QByteArray("[[],{},[[]]]") << true;
        QTest::newRow("huge integer") << QByteArray("{\"id\":123456789012345678901234567890}") << true;
        QTest::newRow("scalar") << QByteArray("42") << true; // sound, and then not an object
        QTest::newRow("empty") << QByteArray() << false;
        QTest::newRow("blank") << QByteArray(" \n") << false;
        QTest::newRow("cut in a string") << QByteArray("{\"a\":\"x}") << false;
        QTest::newRow("cut after a member") << QByteArray("{\"a\":{\"b\":1}") << false;
        QTest::newRow("trailing comma") << QByteArray("{\"a\":1,}") << false;
        QTest::newRow("trailing comma in array") << QByteArray("[1,]") << false;
        QTest::newRow("missing colon") << QByteArray("{\"a\" 1}") << false;
        QTest::newRow("number key") << QByteArray("{1:2}") << false;
        QTest::newRow("missing value") << QByteArray("{\"a\":}") << false;
        QTest::newRow("missing comma") << QByteArray("[1 2]") << false;
        QTest::newRow("mismatched close") << QByteArray("{\"a\":1]") << false;
        QTest::newRow("extra close") << QByteArray("{\"a\":1}}") << false;
        QTest::newRow("two values") << QByteArray("{} {}") << false;
        QTest::newRow("stray close") << QByteArray("]") << false;
        QTest::newRow("control character") << QByteArray("[\"a\x01\"]") << false;
        QTest::newRow("backslash at the end") << QByteArray("[\"a\\") << false;
        QTest::newRow("too deep") << QByteArray(2000, '[') + QByteArray(2000, ']') << false;
    }

    void structureIsCheckedBeforeDecoding()
    {
        // A fresh parser each time: the first frame a parser sees is the case that once crashed.
        QFETCH(QByteArray, frame);
        QFETCH(bool, sound);
        json::FrameParser parser;
        auto document = parser.parse(frame);
        QCOMPARE(document.error() == simdjson::SUCCESS, sound);
        // After a refused frame the parser still reads the next one.
        auto next = parser.parse("{\"v\":7}");
        std::int64_t v = 0;
        QVERIFY(!next["v"].get_int64().get(v));
        QCOMPARE(v, 7);
    }

    void integerFields_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("present");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<quint64>("value");
        QTest::newRow("number") << QByteArray("{\"v\":123}") << true << true << quint64(123);
        QTest::newRow("string of digits (OKX, Bybit)")
            << QByteArray("{\"v\":\"1652459225464\"}") << true << true << quint64(1652459225464);
        QTest::newRow("all 64 bits") << QByteArray("{\"v\":18446744073709551615}") << true << true
                                     << quint64(18446744073709551615u);
        QTest::newRow("absent") << QByteArray("{\"w\":1}") << false << false << quint64(0);
        QTest::newRow("empty string") << QByteArray("{\"v\":\"\"}") << true << false << quint64(0);
        QTest::newRow("fraction") << QByteArray("{\"v\":\"12.5\"}") << true << false << quint64(0);
        QTest::newRow("negative, unsigned wanted") << QByteArray("{\"v\":-1}") << true << false << quint64(0);
        QTest::newRow("not a number") << QByteArray("{\"v\":true}") << true << false << quint64(0);
    }
    void integerFields()
    {
        QFETCH(QByteArray, json);
        QFETCH(bool, present);
        QFETCH(bool, valid);
        QFETCH(quint64, value);
        json::FrameParser parser;
        auto document = parser.parse(json);
        simdjson::ondemand::object object;
        QVERIFY(!document.get_object().get(object));
        const json::Field<std::uint64_t> field = json::integerField<std::uint64_t>(object, "v");
        QCOMPARE(field.present, present);
        QCOMPARE(field.valid, valid);
        if (valid)
            QCOMPARE(quint64(field.value), value);
    }

    void stringAndDecimalFields()
    {
        json::FrameParser parser;
        auto document = parser.parse("{\"s\":\"BTC-USDT\",\"n\":5,\"px\":\"0.0100\",\"num\":0.25,\"empty\":\"\","
                                     "\"fine\":\"0.001\",\"flag\":true}");
        simdjson::ondemand::object o;
        QVERIFY(!document.get_object().get(o));
        const json::Field<std::string_view> s = json::stringField(o, "s");
        QVERIFY(s.present && s.valid);
        QCOMPARE(json::qstring(s.value), QStringLiteral("BTC-USDT"));
        const json::Field<std::string_view> n = json::stringField(o, "n");
        QVERIFY(n.present && !n.valid);
        QVERIFY(!json::stringField(o, "missing").present);
        QCOMPARE(json::qstring(json::stringOf(o, "s")), QStringLiteral("BTC-USDT"));
        QVERIFY(json::stringOf(o, "n").empty());
        QVERIFY(json::stringOf(o, "missing").empty());

        const json::Field<std::int64_t> px = json::decimalField(o, "px", 4);
        QVERIFY(px.present && px.valid);
        QCOMPARE(px.value, std::int64_t(100));
        const json::Field<std::int64_t> num = json::decimalField(o, "num", 2);
        QVERIFY(num.present && num.valid);
        QCOMPARE(num.value, std::int64_t(25));
        QVERIFY(!json::decimalField(o, "empty", 2).present); // "" is how OKX and Bybit say "no value"
        QVERIFY(!json::decimalField(o, "missing", 2).present);
        const json::Field<std::int64_t> fine = json::decimalField(o, "fine", 2); // would need rounding
        QVERIFY(fine.present && !fine.valid);
        const json::Field<std::int64_t> flag = json::decimalField(o, "flag", 2);
        QVERIFY(flag.present && !flag.valid);
    }

    void levelArrays_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QList<qint64>>("flat"); // price, qty, price, qty, …
        QTest::newRow("OKX: price, size, liquidations, orders")
            << QByteArray("{\"b\":[[\"8476.98\",\"415\",\"0\",\"13\"],[\"8477\",\"7\",\"0\",\"2\"]]}") << true
            << QList<qint64> {847698, 41500, 847700, 700};
        QTest::newRow("numbers (Coinbase Exchange snapshot)")
            << QByteArray("{\"b\":[[1.5,2]]}") << true << QList<qint64> {150, 200};
        QTest::newRow("empty side") << QByteArray("{\"b\":[]}") << true << QList<qint64> {};
        QTest::newRow("absent") << QByteArray("{\"a\":[]}") << false << QList<qint64> {};
        QTest::newRow("not an array") << QByteArray("{\"b\":{}}") << false << QList<qint64> {};
        QTest::newRow("level without size") << QByteArray("{\"b\":[[\"1\"]]}") << false << QList<qint64> {};
        QTest::newRow("level not an array") << QByteArray("{\"b\":[\"1\"]}") << false << QList<qint64> {};
        QTest::newRow("more digits than the scale")
            << QByteArray("{\"b\":[[\"1.001\",\"1\"]]}") << false << QList<qint64> {};
    }
    void levelArrays()
    {
        QFETCH(QByteArray, json);
        QFETCH(bool, ok);
        QFETCH(QList<qint64>, flat);
        Instrument instrument;
        instrument.priceScale = 2;
        instrument.qtyScale = 2;
        json::FrameParser parser;
        auto document = parser.parse(json);
        simdjson::ondemand::object book;
        QVERIFY(!document.get_object().get(book));
        std::vector<Level> levels;
        QCOMPARE(json::readLevels(book, "b", instrument, levels), ok);
        if (!ok)
            return;
        QList<qint64> got;
        for (const Level &level : levels)
            got << level.price << level.qty;
        QCOMPARE(got, flat);
    }

    void isoTimes_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<qint64>("micros");
        const qint64 second = 1618677817LL * 1000000; // 2021-04-17T16:43:37Z
        QTest::newRow("microseconds (Coinbase, Kraken v2)")
            << QByteArray("2021-04-17T16:43:37.078325Z") << second + 78325;
        QTest::newRow("fewer digits") << QByteArray("2021-04-17T16:43:37.1Z") << second + 100000;
        QTest::newRow("nanoseconds: the first six digits")
            << QByteArray("2021-04-17T16:43:37.123456789Z") << second + 123456;
        QTest::newRow("no fraction") << QByteArray("2021-04-17T16:43:37Z") << second;
        QTest::newRow("absent") << QByteArray() << qint64(0);
        QTest::newRow("not a time") << QByteArray("yesterday at noon, roughly") << qint64(0);
    }
    void isoTimes()
    {
        QFETCH(QByteArray, text);
        QFETCH(qint64, micros);
        QCOMPARE(qint64(json::isoMicros(std::string_view(text.constData(), std::size_t(text.size())))), micros);
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
