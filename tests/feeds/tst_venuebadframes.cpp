// Every JSON venue against hostile input: each recording replayed twice through a fresh protocol,
// once clean and once with bad frames before the first frame and between every recorded one (junk,
// truncations, and the next frame itself with its numbers turned into objects). The bad frames
// must each be an error with a message and emit nothing, and the recording must decode exactly as
// before: same events, same errors, nothing lost and nothing invented.
#include "fatalwarnings.h"
#include "instrumentcatalog.h"
#include "venues.h"
#include "venuetest.h"

#include <QRegularExpression>
#include <QtTest>

using namespace tickscope;
using test::fixtureLines;
using test::RecordingSink;

namespace {

struct Replay
{
    std::size_t events = 0;
    std::size_t snapshots = 0;
    std::size_t deltas = 0;
    std::size_t trades = 0;
    std::size_t tickers = 0;
    int errors = 0;
    int badErrors = 0; ///< injected frames handled as they should be (see replay())
    int badAccepted = 0; ///< injected frames that emitted events or passed when they must fail
    QString firstAccepted; ///< the first of them, for the failure message
    QStringList messages; ///< the injected frames' error messages
    std::vector<std::size_t> eventsPerLine; ///< events each recorded frame emitted
};

/// Frames no venue sends: empty, blank, truncated, not JSON, the wrong JSON kind, absurdly deep.
QList<QByteArray> badFrames(const QByteArray &next)
{
    QList<QByteArray> frames {
        QByteArray(),
        QByteArray("   "),
        QByteArray("{"),
        QByteArray("[1,2"),
        QByteArray("null"),
        QByteArray("42"),
        QByteArray("\"text\""),
        QByteArray("{\"a\":}"),
        QByteArray("\xff\xfe\x00\x01 not json", 14),
        QByteArray(4000, '[') + QByteArray(4000, ']'),
    };
    if (next.size() > 2)
        frames.append(next.left(next.size() / 2)); // the next real frame cut in half
    return frames;
}

/// `frame` with every number written as a string ("0.5660", "1700000000") replaced by an object:
/// valid JSON in which the prices, sizes and ids have the wrong type. Empty when there is none.
QByteArray wrongTypes(const QByteArray &frame)
{
    static const QRegularExpression numberText(QStringLiteral("\"-?[0-9][0-9.eE+-]*\""));
    QString text = QString::fromUtf8(frame);
    const QString mutated = text.replace(numberText, QStringLiteral("{}"));
    return mutated == QString::fromUtf8(frame) ? QByteArray() : mutated.toUtf8();
}

/// Replays `recording`; with `clean` given, also injects bad frames and checks each of them
/// against what the recorded frame it precedes did in the clean run.
Replay replay(const QString &venue, const char *recording, const Replay *clean = nullptr)
{
    Replay result;
    std::unique_ptr<VenueProtocol> protocol = makeProtocol(venue, {}, {}, bundledCatalog(venue).instruments);
    if (!protocol)
        return result;
    RecordingSink sink;
    const QList<QByteArray> lines = fixtureLines(recording);
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        if (clean) {
            auto check = [&](const QByteArray &frame, bool mustFail) {
                const std::size_t before = sink.events();
                const DecodeResult decoded = protocol->decode(frame, false, sink);
                const bool failed = decoded.status == DecodeResult::Status::Error;
                if (failed)
                    result.messages.append(decoded.error);
                if (sink.events() == before && (failed || !mustFail))
                    ++result.badErrors;
                else if (result.badAccepted++ == 0)
                    result.firstAccepted = QString::fromUtf8(frame.left(300));
            };
            for (const QByteArray &frame : badFrames(line))
                check(frame, true);
            // Wrong types in a frame that carries data must fail it as a whole; in an ack or a
            // message we do not use they may pass unnoticed. Either way no event comes out.
            if (const QByteArray typed = wrongTypes(line); !typed.isEmpty())
                check(typed, clean->eventsPerLine.at(std::size_t(i)) > 0);
        }
        const std::size_t before = sink.events();
        if (!protocol->decode(line, false, sink))
            ++result.errors;
        result.eventsPerLine.push_back(sink.events() - before);
    }
    result.events = sink.events();
    result.snapshots = sink.snapshots.size();
    result.deltas = sink.deltas.size();
    result.trades = sink.trades.size();
    result.tickers = sink.tickers.size();
    return result;
}

} // namespace

class TestVenueBadFrames : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { test::installFatalWarnings(); }

    void badFramesAreErrorsAndLoseNothing_data()
    {
        QTest::addColumn<QString>("venue");
        QTest::addColumn<QString>("recording");
        QTest::newRow("binance") << QStringLiteral("binance")
                                 << QStringLiteral("binance_spot_recorded_2021-10-12_combined_stream.jsonl");
        QTest::newRow("coinbase") << QStringLiteral("coinbase")
                                  << QStringLiteral("coinbase_exchange_recorded_2021-04-17.jsonl");
        QTest::newRow("coinbase-advanced")
            << QStringLiteral("coinbase") << QStringLiteral("coinbase_advanced_trade_doc_samples.jsonl");
        QTest::newRow("kraken") << QStringLiteral("kraken") << QStringLiteral("kraken_v2_doc_samples.jsonl");
        QTest::newRow("kraken-v1") << QStringLiteral("kraken-v1")
                                   << QStringLiteral("kraken_v1_recorded_2021-04-17_book1000_3pairs.jsonl");
        QTest::newRow("okx") << QStringLiteral("okx") << QStringLiteral("okx_v5_recorded_2022-05-13_all.jsonl");
        QTest::newRow("bybit") << QStringLiteral("bybit") << QStringLiteral("bybit_v5_doc_samples.jsonl");
    }

    void badFramesAreErrorsAndLoseNothing()
    {
        QFETCH(QString, venue);
        QFETCH(QString, recording);
        const QByteArray file = recording.toUtf8();
        QVERIFY(makeProtocol(venue, {}, {}, {}));
        const Replay clean = replay(venue, file.constData());
        const Replay hostile = replay(venue, file.constData(), &clean);
        QVERIFY2(clean.events > 0, "the recording decodes to events");
        QVERIFY2(hostile.badAccepted == 0,
                 qPrintable(QStringLiteral("%1 bad frames accepted, the first: %2")
                                .arg(hostile.badAccepted)
                                .arg(hostile.firstAccepted)));
        QVERIFY(hostile.badErrors > 0);
        for (const QString &message : hostile.messages)
            QVERIFY2(!message.trimmed().isEmpty(), "every error says what was wrong");
        QCOMPARE(hostile.events, clean.events);
        QCOMPARE(hostile.snapshots, clean.snapshots);
        QCOMPARE(hostile.deltas, clean.deltas);
        QCOMPARE(hostile.trades, clean.trades);
        QCOMPARE(hostile.tickers, clean.tickers);
        QCOMPARE(hostile.errors, clean.errors);
    }
};

QTEST_GUILESS_MAIN(TestVenueBadFrames)
#include "tst_venuebadframes.moc"
