#include "decimal.h"
#include "fatalwarnings.h"

#include <QtTest>

#include <cstring>
#include <limits>
#include <random>
#include <set>

using namespace tickscope;

Q_DECLARE_METATYPE(tickscope::DecimalError)

namespace {

constexpr qint64 kMax = std::numeric_limits<qint64>::max();
constexpr qint64 kMin = std::numeric_limits<qint64>::min();

/// INT64_MAX written at `scale` by hand: its 19 digits with the point inserted.
QByteArray int64MaxText(int scale, bool negative)
{
    QByteArray digits("9223372036854775807");
    if (scale > 0)
        digits.insert(digits.size() - scale, '.');
    if (digits.startsWith('.'))
        digits.prepend('0');
    return negative ? '-' + digits : digits;
}

} // namespace

class TestDecimal : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void parse_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("scale");
        QTest::addColumn<qint64>("mantissa");

        QTest::newRow("zero") << QByteArray("0") << 2 << qint64(0);
        QTest::newRow("plain") << QByteArray("123.45") << 2 << qint64(12345);
        QTest::newRow("negative") << QByteArray("-123.45") << 2 << qint64(-12345);
        QTest::newRow("plus sign") << QByteArray("+1") << 0 << qint64(1);
        QTest::newRow("leading and trailing zeros") << QByteArray("00012.3400") << 2 << qint64(1234);
        QTest::newRow("fewer digits than scale") << QByteArray("1.5") << 4 << qint64(15000);
        QTest::newRow("integer at scale") << QByteArray("42") << 3 << qint64(42000);
        QTest::newRow("point first") << QByteArray(".5") << 1 << qint64(5);
        QTest::newRow("negative point first") << QByteArray("-.5") << 2 << qint64(-50);
        QTest::newRow("point last") << QByteArray("5.") << 0 << qint64(5);
        QTest::newRow("negative zero") << QByteArray("-0") << 0 << qint64(0);
        QTest::newRow("negative zero fraction") << QByteArray("-0.000") << 3 << qint64(0);
        QTest::newRow("tiny") << QByteArray("0.00000001") << 8 << qint64(1);
        QTest::newRow("tiny negative") << QByteArray("-0.00000001") << 8 << qint64(-1);
        QTest::newRow("smallest at 18") << QByteArray("0.000000000000000001") << 18 << qint64(1);
        QTest::newRow("extra zero digits") << QByteArray("1.000000000000000000000000") << 0 << qint64(1);
        QTest::newRow("many leading zeros") << QByteArray("000000000000000000000000000001") << 0 << qint64(1);
        QTest::newRow("exp negative") << QByteArray("1.5e-05") << 6 << qint64(15);
        QTest::newRow("exp negative wider") << QByteArray("1.5e-05") << 8 << qint64(1500);
        QTest::newRow("exp upper plus") << QByteArray("1E+3") << 0 << qint64(1000);
        QTest::newRow("exp at scale") << QByteArray("1e3") << 2 << qint64(100000);
        QTest::newRow("exp eats fraction") << QByteArray("12.5e1") << 0 << qint64(125);
        QTest::newRow("exp drops zeros") << QByteArray("100e-2") << 0 << qint64(1);
        QTest::newRow("exp zero") << QByteArray("7e0") << 1 << qint64(70);
        QTest::newRow("zero huge exp") << QByteArray("0e99999999999999999999999") << 0 << qint64(0);
        QTest::newRow("zero tiny exp") << QByteArray("0.0e-50") << 2 << qint64(0);
        QTest::newRow("int64 max") << QByteArray("9223372036854775807") << 0 << kMax;
        QTest::newRow("-int64 max") << QByteArray("-9223372036854775807") << 0 << -kMax;
        QTest::newRow("int64 max at 18") << QByteArray("9.223372036854775807") << 18 << kMax;
        QTest::newRow("int64 max via exp") << QByteArray("922337203685477580.7e1") << 0 << kMax;
        QTest::newRow("1e18") << QByteArray("1e18") << 0 << qint64(1'000'000'000'000'000'000);
        QTest::newRow("one at 18") << QByteArray("1") << 18 << qint64(1'000'000'000'000'000'000);
    }
    void parse()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, scale);
        QFETCH(qint64, mantissa);
        const DecimalParse result = parseDecimal(std::string_view(text.constData(), text.size()), scale);
        QVERIFY2(result, qPrintable(decimalErrorText(result.error)));
        QCOMPARE(result.error, DecimalError::None);
        QCOMPARE(result.mantissa, mantissa);
    }

    void parseErrors_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("scale");
        QTest::addColumn<DecimalError>("error");

        QTest::newRow("empty") << QByteArray() << 2 << DecimalError::Empty;
        const char *const syntax[]
            = {" ",   " 1",  "1 ",   "\t1",      "1\n", "abc",  "1.2.3", "1..2",  "--1",  "+-1", "-+1",
               "1e",  "1e+", "1e-",  "1ee5",     "e5",  ".",    "-",     "+",     "-.",   ".e1", "nan",
               "NaN", "inf", "-inf", "Infinity", "1,5", "0x10", "1_000", "1e5.5", "1.5x", "1-"};
        for (const char *text : syntax)
            QTest::addRow("syntax '%s'", QByteArray(text).toPercentEncoding().constData())
                << QByteArray(text) << 2 << DecimalError::Syntax;
        QTest::newRow("embedded nul") << QByteArray("1\0", 2) << 0 << DecimalError::Syntax;

        QTest::newRow("too precise") << QByteArray("1.23") << 1 << DecimalError::TooPrecise;
        QTest::newRow("too precise tiny") << QByteArray("0.000000001") << 8 << DecimalError::TooPrecise;
        QTest::newRow("too precise exp") << QByteArray("1e-1") << 0 << DecimalError::TooPrecise;
        QTest::newRow("too precise far") << QByteArray("1.5e-30") << 18 << DecimalError::TooPrecise;
        QTest::newRow("too precise trailing")
            << QByteArray("1.0000000000000000000001") << 18 << DecimalError::TooPrecise;

        QTest::newRow("overflow int64 max + 1") << QByteArray("9223372036854775808") << 0 << DecimalError::Overflow;
        QTest::newRow("overflow int64 min") << QByteArray("-9223372036854775808") << 0 << DecimalError::Overflow;
        QTest::newRow("overflow by scale") << QByteArray("9223372036854775807") << 1 << DecimalError::Overflow;
        QTest::newRow("overflow at 18") << QByteArray("9.3") << 18 << DecimalError::Overflow;
        QTest::newRow("overflow 10 at 18") << QByteArray("10") << 18 << DecimalError::Overflow;
        QTest::newRow("overflow 1e19") << QByteArray("1e19") << 0 << DecimalError::Overflow;
        QTest::newRow("overflow huge exp") << QByteArray("1e999999999999999999") << 0 << DecimalError::Overflow;
        // Exponents that would wrap a 64-bit counter to 1 and 0: still far too big or too small.
        QTest::newRow("overflow wrapping exp") << QByteArray("1e18446744073709551617") << 0 << DecimalError::Overflow;
        QTest::newRow("too precise wrapping exp")
            << QByteArray("1e-18446744073709551616") << 0 << DecimalError::TooPrecise;
        QTest::newRow("overflow many digits")
            << QByteArray("123456789012345678901234567890") << 0 << DecimalError::Overflow;
    }
    void parseErrors()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, scale);
        QFETCH(DecimalError, error);
        const DecimalParse result = parseDecimal(std::string_view(text.constData(), text.size()), scale);
        QVERIFY(!result);
        QCOMPARE(result.error, error);
        QCOMPARE(result.mantissa, qint64(0));
        // Without a fixed scale only malformed text is an error; precision and range depend on the scale.
        if (error == DecimalError::Empty || error == DecimalError::Syntax)
            QVERIFY(!Decimal::parse(std::string_view(text.constData(), text.size())).has_value());
    }

    void format_data()
    {
        QTest::addColumn<qint64>("mantissa");
        QTest::addColumn<int>("scale");
        QTest::addColumn<QByteArray>("text");

        QTest::newRow("plain") << qint64(12345) << 2 << QByteArray("123.45");
        QTest::newRow("negative below one") << qint64(-5) << 3 << QByteArray("-0.005");
        QTest::newRow("zero scale 0") << qint64(0) << 0 << QByteArray("0");
        QTest::newRow("zero scale 3") << qint64(0) << 3 << QByteArray("0.000");
        QTest::newRow("integer") << qint64(7) << 0 << QByteArray("7");
        QTest::newRow("negative integer") << qint64(-7) << 0 << QByteArray("-7");
        QTest::newRow("trailing zeros kept") << qint64(100) << 2 << QByteArray("1.00");
        QTest::newRow("tiny") << qint64(1) << 8 << QByteArray("0.00000001");
        QTest::newRow("smallest at 18") << qint64(1) << 18 << QByteArray("0.000000000000000001");
        QTest::newRow("-smallest at 18") << qint64(-1) << 18 << QByteArray("-0.000000000000000001");
        QTest::newRow("int64 min") << kMin << 0 << QByteArray("-9223372036854775808");
        QTest::newRow("int64 min at 18") << kMin << 18 << QByteArray("-9.223372036854775808");
        for (int scale = 0; scale <= kMaxDecimalScale; ++scale) {
            QTest::addRow("int64 max at %d", scale) << kMax << scale << int64MaxText(scale, false);
            QTest::addRow("-int64 max at %d", scale) << -kMax << scale << int64MaxText(scale, true);
        }
    }
    void format()
    {
        QFETCH(qint64, mantissa);
        QFETCH(int, scale);
        QFETCH(QByteArray, text);

        char buffer[32];
        std::memset(buffer, '#', sizeof buffer);
        const int length = formatDecimal(mantissa, scale, buffer);
        QCOMPARE(QByteArray(buffer, length), text);
        QVERIFY(length <= 24);
        for (std::size_t i = static_cast<std::size_t>(length); i < sizeof buffer; ++i)
            QCOMPARE(buffer[i], '#'); // nothing written past the returned length
        QCOMPARE(QByteArray::fromStdString(formatDecimal(mantissa, scale)), text);
        QCOMPARE(formatDecimalQ(mantissa, scale), QString::fromLatin1(text));

        // Everything but INT64_MIN parses back to the same mantissa.
        if (mantissa != kMin) {
            const DecimalParse back = parseDecimal(text.toStdString(), scale);
            QVERIFY2(back, qPrintable(decimalErrorText(back.error)));
            QCOMPARE(back.mantissa, mantissa);
            const std::optional<Decimal> decimal = Decimal::parse(text.toStdString());
            QVERIFY(decimal);
            QCOMPARE(decimal->mantissa, mantissa);
            QCOMPARE(decimal->scale, scale);
            QCOMPARE(QByteArray::fromStdString(decimal->toString()), text);
        }
    }

    void trimmed_data()
    {
        QTest::addColumn<qint64>("mantissa");
        QTest::addColumn<int>("scale");
        QTest::addColumn<QByteArray>("text");

        QTest::newRow("zeros stripped") << qint64(12300) << 4 << QByteArray("1.23");
        QTest::newRow("point stripped") << qint64(5000) << 3 << QByteArray("5");
        QTest::newRow("zero") << qint64(0) << 2 << QByteArray("0");
        QTest::newRow("zero scale 0") << qint64(0) << 0 << QByteArray("0");
        QTest::newRow("integer zeros kept") << qint64(100) << 0 << QByteArray("100");
        QTest::newRow("integer zeros kept with point") << qint64(10000) << 2 << QByteArray("100");
        QTest::newRow("negative") << qint64(-1050) << 2 << QByteArray("-10.5");
        QTest::newRow("negative integer") << qint64(-10) << 1 << QByteArray("-1");
        QTest::newRow("negative below one") << qint64(-50) << 3 << QByteArray("-0.05");
        QTest::newRow("smallest at 18") << qint64(1) << 18 << QByteArray("0.000000000000000001");
        QTest::newRow("nothing to strip") << qint64(123) << 2 << QByteArray("1.23");
        QTest::newRow("int64 max at 18") << kMax << 18 << QByteArray("9.223372036854775807");
    }
    void trimmed()
    {
        QFETCH(qint64, mantissa);
        QFETCH(int, scale);
        QFETCH(QByteArray, text);
        QCOMPARE(QByteArray::fromStdString(formatDecimalTrimmed(mantissa, scale)), text);
        const DecimalParse back = parseDecimal(text.toStdString(), scale);
        QVERIFY(back);
        QCOMPARE(back.mantissa, mantissa);
    }

    void decimalParse_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<qint64>("mantissa");
        QTest::addColumn<int>("scale");

        QTest::newRow("keeps written zeros") << QByteArray("1.50") << true << qint64(150) << 2;
        QTest::newRow("integer") << QByteArray("100") << true << qint64(100) << 0;
        QTest::newRow("zero") << QByteArray("0") << true << qint64(0) << 0;
        QTest::newRow("zero with places") << QByteArray("0.000") << true << qint64(0) << 3;
        QTest::newRow("exp positive") << QByteArray("1e3") << true << qint64(1000) << 0;
        QTest::newRow("exp upper plus") << QByteArray("1E+3") << true << qint64(1000) << 0;
        QTest::newRow("exp eats fraction") << QByteArray("1.5e3") << true << qint64(1500) << 0;
        QTest::newRow("exp partly eats fraction") << QByteArray("1.2345e2") << true << qint64(12345) << 2;
        QTest::newRow("exp negative") << QByteArray("1.5e-05") << true << qint64(15) << 6;
        QTest::newRow("negative") << QByteArray("-0.001") << true << qint64(-1) << 3;
        QTest::newRow("point last") << QByteArray("5.") << true << qint64(5) << 0;
        QTest::newRow("point first") << QByteArray(".5") << true << qint64(5) << 1;
        QTest::newRow("19 places, last zero") << QByteArray("0.0000000000000000010") << true << qint64(1) << 18;
        QTest::newRow("19 places, last non-zero") << QByteArray("0.0000000000000000001") << false << qint64(0) << 0;
        QTest::newRow("exp below 18 places") << QByteArray("1e-19") << false << qint64(0) << 0;
        QTest::newRow("overflow") << QByteArray("9223372036854775808") << false << qint64(0) << 0;
        QTest::newRow("overflow by places") << QByteArray("92233720368547758.070") << false << qint64(0) << 0;
        QTest::newRow("garbage") << QByteArray("abc") << false << qint64(0) << 0;
        QTest::newRow("empty") << QByteArray() << false << qint64(0) << 0;
    }
    void decimalParse()
    {
        QFETCH(QByteArray, text);
        QFETCH(bool, valid);
        QFETCH(qint64, mantissa);
        QFETCH(int, scale);
        const std::optional<Decimal> decimal = Decimal::parse(std::string_view(text.constData(), text.size()));
        QCOMPARE(decimal.has_value(), valid);
        if (valid)
            QCOMPARE(*decimal, (Decimal {mantissa, scale}));
    }

    void mantissaAt_data()
    {
        QTest::addColumn<qint64>("mantissa");
        QTest::addColumn<int>("scale");
        QTest::addColumn<int>("otherScale");
        QTest::addColumn<bool>("exact");
        QTest::addColumn<qint64>("expected");

        QTest::newRow("same") << qint64(150) << 2 << 2 << true << qint64(150);
        QTest::newRow("wider") << qint64(150) << 2 << 4 << true << qint64(15000);
        QTest::newRow("narrower exact") << qint64(150) << 2 << 1 << true << qint64(15);
        QTest::newRow("narrower inexact") << qint64(150) << 2 << 0 << false << qint64(0);
        QTest::newRow("negative narrower") << qint64(-1500) << 3 << 1 << true << qint64(-15);
        QTest::newRow("negative inexact") << qint64(-1500) << 3 << 0 << false << qint64(0);
        QTest::newRow("zero anywhere") << qint64(0) << 18 << 0 << true << qint64(0);
        QTest::newRow("overflow") << kMax << 0 << 1 << false << qint64(0);
        QTest::newRow("negative overflow") << -kMax << 0 << 1 << false << qint64(0);
        QTest::newRow("to 18") << qint64(9) << 0 << 18 << true << qint64(9'000'000'000'000'000'000);
        QTest::newRow("to 18 overflow") << qint64(10) << 0 << 18 << false << qint64(0);
    }
    void mantissaAt()
    {
        QFETCH(qint64, mantissa);
        QFETCH(int, scale);
        QFETCH(int, otherScale);
        QFETCH(bool, exact);
        QFETCH(qint64, expected);
        const std::optional<std::int64_t> result = Decimal {mantissa, scale}.mantissaAt(otherScale);
        QCOMPARE(result.has_value(), exact);
        if (exact)
            QCOMPARE(*result, expected);
    }

    void pow10Table()
    {
        std::int64_t expected = 1;
        for (int n = 0; n <= kMaxDecimalScale; ++n) {
            QCOMPARE(pow10(n), expected);
            if (n < kMaxDecimalScale)
                expected *= 10;
        }
    }

    void errorTexts()
    {
        std::set<QString> texts;
        for (DecimalError error : {DecimalError::None, DecimalError::Empty, DecimalError::Syntax,
                                   DecimalError::TooPrecise, DecimalError::Overflow}) {
            const QString text = decimalErrorText(error);
            QVERIFY(!text.isEmpty());
            texts.insert(text);
        }
        QCOMPARE(texts.size(), std::size_t(5));
    }

    void randomRoundTrip_data()
    {
        QTest::addColumn<quint64>("seed");
        QTest::newRow("seed 1") << quint64(1);
        QTest::newRow("seed 20240601") << quint64(20240601);
    }
    void randomRoundTrip()
    {
        QFETCH(quint64, seed);
        std::mt19937_64 rng(seed);
        std::uniform_int_distribution<int> scaleDist(0, kMaxDecimalScale);
        std::uniform_int_distribution<int> digitsDist(1, 19);
        for (int i = 0; i < 100'000; ++i) {
            const int scale = scaleDist(rng);
            // Spread magnitudes evenly over digit counts so tiny and huge values both show up.
            const int digits = digitsDist(rng);
            const std::uint64_t limit
                = digits == 19 ? static_cast<std::uint64_t>(kMax) : static_cast<std::uint64_t>(pow10(digits));
            std::int64_t mantissa = static_cast<std::int64_t>(rng() % limit);
            if (rng() & 1)
                mantissa = -mantissa;

            char buffer[24];
            const int length = formatDecimal(mantissa, scale, buffer);
            const std::string_view text(buffer, static_cast<std::size_t>(length));
            const DecimalParse back = parseDecimal(text, scale);
            if (!back || back.mantissa != mantissa)
                QFAIL(qPrintable(QStringLiteral("%1 at %2 → '%3' → %4 (%5)")
                                     .arg(mantissa)
                                     .arg(scale)
                                     .arg(QLatin1String(text.data(), length))
                                     .arg(back.mantissa)
                                     .arg(decimalErrorText(back.error))));

            const std::optional<Decimal> decimal = Decimal::parse(formatDecimalTrimmed(mantissa, scale));
            QVERIFY(decimal);
            QVERIFY(decimal->scale <= scale);
            QCOMPARE(decimal->mantissaAt(scale), std::optional<std::int64_t>(mantissa));
        }
    }
};

QTEST_GUILESS_MAIN(TestDecimal)
#include "tst_decimal.moc"
