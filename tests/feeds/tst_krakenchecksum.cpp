// Kraken's book checksum (CRC-32 over the top 10 levels a side, digits only) against the venue's
// documented examples and all 1155 checksums of a real v1 depth-1000 recording (fixtures copied
// from ../shared/fixtures/exchanges into tests/data/exchanges, see its README).
#include "decimal.h"
#include "fatalwarnings.h"
#include "krakenchecksum.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QtTest>

#include <functional>
#include <map>

using namespace tickscope;
using kraken::ChecksumLevel;

namespace {

QByteArray fixture(const char *name)
{
    QFile file(QStringLiteral(TICKSCOPE_TEST_DATA_DIR "/exchanges/") + QLatin1String(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", name);
    return file.readAll();
}

std::int64_t mantissa(const QString &text, int scale)
{
    const DecimalParse parsed = parseDecimal(text.toStdString(), scale);
    if (parsed.error != DecimalError::None)
        qFatal("bad decimal %s", qPrintable(text));
    return parsed.mantissa;
}

int decimalsOf(const QString &text)
{
    const qsizetype point = text.indexOf(QLatin1Char('.'));
    return point < 0 ? 0 : static_cast<int>(text.size() - point - 1);
}

/// Levels from [[price, qty, …], …] or [{"price":…, "qty":…}, …] written as strings.
std::vector<ChecksumLevel> levels(const QJsonArray &array, int priceScale, int qtyScale)
{
    std::vector<ChecksumLevel> out;
    for (const QJsonValue &level : array) {
        const QString price
            = level.isArray() ? level.toArray().at(0).toString() : level[QLatin1String("price")].toString();
        const QString qty = level.isArray() ? level.toArray().at(1).toString() : level[QLatin1String("qty")].toString();
        out.push_back({mantissa(price, priceScale), mantissa(qty, qtyScale)});
    }
    return out;
}

/// A side of a book keyed by price mantissa, best first.
template<typename Compare> struct Side
{
    std::map<std::int64_t, std::int64_t, Compare> levels;
    void set(std::int64_t price, std::int64_t qty, std::size_t depth)
    {
        if (qty == 0)
            levels.erase(price);
        else
            levels[price] = qty;
        while (levels.size() > depth)
            levels.erase(std::prev(levels.end())); // Kraken: keep the subscribed depth
    }
    std::vector<ChecksumLevel> top() const
    {
        std::vector<ChecksumLevel> out;
        for (const auto &[price, qty] : levels) {
            out.push_back({price, qty});
            if (out.size() == 10)
                break;
        }
        return out;
    }
};

} // namespace

class TestKrakenChecksum : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void crcIsTheStandardOne()
    {
        QCOMPARE(kraken::crc32("123456789"), 0xCBF43926u); // the CRC-32/ISO-HDLC check value
        QCOMPARE(kraken::crc32(""), 0u);
    }

    void v2GuideExample()
    {
        const QJsonObject doc = QJsonDocument::fromJson(fixture("kraken_v2_book_checksum_example.json")).object();
        const int priceScale = doc[QLatin1String("price_precision")].toInt();
        const int qtyScale = doc[QLatin1String("qty_precision")].toInt();
        const auto asks = levels(doc[QLatin1String("asks_low_to_high")].toArray(), priceScale, qtyScale);
        const auto bids = levels(doc[QLatin1String("bids_high_to_low")].toArray(), priceScale, qtyScale);
        QCOMPARE(QString::fromStdString(kraken::checksumInput(asks, bids)),
                 doc[QLatin1String("checksum_input")].toString());
        QCOMPARE(kraken::bookChecksum(asks, bids), 3310070434u);
        QCOMPARE(static_cast<double>(kraken::bookChecksum(asks, bids)),
                 doc[QLatin1String("expected_checksum_uint32")].toDouble());
    }

    void v2BookPageExampleNeedsTheInstrumentPrecision()
    {
        // v2 sends JSON numbers (0.566, not "0.5660"): the checksum uses the instrument's precision
        // (price 4, qty 8). The number tokens are read from the raw text, never through a double.
        const QJsonObject doc = QJsonDocument::fromJson(fixture("kraken_v2_book_matic_doc_example.json")).object();
        const QRegularExpression level(QStringLiteral("\\{\"price\":([0-9.]+),\"qty\":([0-9.]+)\\}"));
        const auto parseSide = [&](const QString &raw, const QString &side) {
            const qsizetype start = raw.indexOf(QLatin1Char('"') + side + QStringLiteral("\":["));
            const qsizetype end = raw.indexOf(QLatin1Char(']'), start);
            std::vector<std::pair<std::int64_t, std::int64_t>> out;
            for (auto it = level.globalMatch(raw.mid(start, end - start)); it.hasNext();) {
                const auto m = it.next();
                out.emplace_back(mantissa(m.captured(1), 4), mantissa(m.captured(2), 8));
            }
            return out;
        };
        const QString snapshot = doc[QLatin1String("snapshot_message_as_in_doc_raw")].toString();
        Side<std::less<>> asks;
        Side<std::greater<>> bids;
        for (const auto &[price, qty] : parseSide(snapshot, QStringLiteral("asks")))
            asks.set(price, qty, 10);
        for (const auto &[price, qty] : parseSide(snapshot, QStringLiteral("bids")))
            bids.set(price, qty, 10);
        QCOMPARE(asks.levels.size(), 10u);
        QCOMPARE(bids.levels.size(), 10u);
        QCOMPARE(kraken::bookChecksum(asks.top(), bids.top()), 2439117997u);

        const QString update = doc[QLatin1String("update_message_as_in_doc_raw")].toString();
        for (const auto &[price, qty] : parseSide(update, QStringLiteral("bids")))
            bids.set(price, qty, 10);
        for (const auto &[price, qty] : parseSide(update, QStringLiteral("asks")))
            asks.set(price, qty, 10);
        QCOMPARE(kraken::bookChecksum(asks.top(), bids.top()), 2114181697u);
    }

    void v1GuideExample()
    {
        const QJsonObject doc = QJsonDocument::fromJson(fixture("kraken_v1_book_checksum_example.json")).object();
        const QJsonObject book = doc[QLatin1String("book_state_as_in_doc")].toObject();
        const QJsonArray as = book[QLatin1String("as")].toArray();
        const int priceScale = decimalsOf(as.at(0).toArray().at(0).toString());
        const int qtyScale = decimalsOf(as.at(0).toArray().at(1).toString());
        const auto asks = levels(as, priceScale, qtyScale);
        const auto bids = levels(book[QLatin1String("bs")].toArray(), priceScale, qtyScale);
        QCOMPARE(QString::fromStdString(kraken::checksumInput(asks, bids)),
                 doc[QLatin1String("checksum_input")].toString());
        QCOMPARE(kraken::bookChecksum(asks, bids), 974947235u);
    }

    void v1RecordingEveryChecksumVerifies()
    {
        struct Book
        {
            Side<std::less<>> asks;
            Side<std::greater<>> bids;
            int priceScale = 0;
            int qtyScale = 0;
        };
        std::map<int, Book> books; // by channel id
        int verified = 0;
        int snapshots = 0;
        const QList<QByteArray> lines = fixture("kraken_v1_recorded_2021-04-17_book1000_3pairs.jsonl").split('\n');
        for (const QByteArray &line : lines) {
            const QJsonDocument message = QJsonDocument::fromJson(line);
            if (!message.isArray())
                continue; // events: systemStatus (a connectionID beyond 2^63), subscriptionStatus, heartbeat
            const QJsonArray frame = message.array();
            Book &book = books[frame.at(0).toInt()];
            QString checksum;
            for (qsizetype i = 1; i < frame.size() - 2; ++i) {
                const QJsonObject part = frame.at(i).toObject();
                if (part.contains(QLatin1String("as"))) {
                    ++snapshots;
                    const QString firstPrice = part[QLatin1String("as")].toArray().at(0).toArray().at(0).toString();
                    const QString firstQty = part[QLatin1String("as")].toArray().at(0).toArray().at(1).toString();
                    book = Book {};
                    book.priceScale = decimalsOf(firstPrice);
                    book.qtyScale = decimalsOf(firstQty);
                }
                for (const auto &[key, isAsk] : {std::pair {QLatin1String("as"), true},
                                                 {QLatin1String("bs"), false},
                                                 {QLatin1String("a"), true},
                                                 {QLatin1String("b"), false}}) {
                    for (const QJsonValue &level : part[key].toArray()) {
                        const QJsonArray l = level.toArray();
                        const std::int64_t price = mantissa(l.at(0).toString(), book.priceScale);
                        const std::int64_t qty = mantissa(l.at(1).toString(), book.qtyScale);
                        if (isAsk)
                            book.asks.set(price, qty, 1000);
                        else
                            book.bids.set(price, qty, 1000);
                    }
                }
                if (part.contains(QLatin1String("c")))
                    checksum = part[QLatin1String("c")].toString();
            }
            if (checksum.isEmpty())
                continue;
            QCOMPARE(QString::number(kraken::bookChecksum(book.asks.top(), book.bids.top())), checksum);
            ++verified;
        }
        QCOMPARE(snapshots, 3);
        QCOMPARE(verified, 1155);
    }
};

QTEST_GUILESS_MAIN(TestKrakenChecksum)
#include "tst_krakenchecksum.moc"
