// tickscope-cap: inspect recorded venue traffic with the same decoders and book engine as live.
//
//   tickscope-cap decode --venue V --input FILE [--snapshots FILE] [--symbol S] [--depth N]
//                        [--json] [--strict]
//
// Exit codes: 0 done, 2 bad input (arguments, unreadable or undecodable files), 3 with --strict
// when any gap or checksum failure was seen.
#include "decimal.h"
#include "instrumentcatalog.h"
#include "replaysession.h"
#include "venues.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

#include <cstdio>
#include <deque>
#include <map>

using namespace tickscope;

namespace {

constexpr int kExitBadInput = 2;
constexpr int kExitIntegrity = 3;

[[noreturn]] void failInput(const QString &message)
{
    std::fprintf(stderr, "tickscope-cap: %s\n", qPrintable(message));
    std::exit(kExitBadInput);
}

QByteArray readFile(const QString &path, const char *what)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        failInput(QStringLiteral("cannot read %1 %2: %3").arg(QLatin1String(what), path, file.errorString()));
    return file.readAll();
}

/// Lines of a recording without the line ends; blank lines skipped.
QList<QByteArray> frameLines(const QByteArray &data)
{
    QList<QByteArray> out;
    for (QByteArray line : data.split('\n')) {
        if (line.endsWith('\r'))
            line.chop(1);
        if (!line.trimmed().isEmpty())
            out.append(line);
    }
    return out;
}

/// REST depth snapshots recorded as {"request": url, "response": body} per line, by symbol in
/// file order (the symbol is the request's `symbol` query item).
std::map<QString, std::deque<QByteArray>> readSnapshots(const QString &path)
{
    std::map<QString, std::deque<QByteArray>> out;
    int number = 0;
    for (const QByteArray &line : frameLines(readFile(path, "snapshots file"))) {
        ++number;
        QJsonParseError error {};
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        const QJsonObject o = doc.object();
        const QUrl request(o.value(QLatin1String("request")).toString());
        const QString symbol = QUrlQuery(request).queryItemValue(QStringLiteral("symbol")).toUpper();
        if (error.error != QJsonParseError::NoError || !o.value(QLatin1String("response")).isObject()
            || symbol.isEmpty())
            failInput(QStringLiteral("%1 line %2: expected {\"request\": \"…?symbol=S…\", \"response\": {…}}")
                          .arg(path)
                          .arg(number));
        out[symbol].push_back(
            QJsonDocument(o.value(QLatin1String("response")).toObject()).toJson(QJsonDocument::Compact));
    }
    return out;
}

/// The instruments a replay of `venue` starts from: the bundled list where precisions cannot be
/// read off the recording (Kraken v2 sends numbers without trailing zeros, and its checksums
/// depend on the pair's precision); none elsewhere, so unknown symbols are learned at 8 decimals.
std::vector<Instrument> replayCatalog(const QString &venue)
{
    if (venue == QLatin1String("kraken"))
        return bundledCatalog(venue).instruments;
    return {};
}

QString text(std::int64_t mantissa, int scale)
{
    return QString::fromStdString(formatDecimal(mantissa, scale));
}

QJsonArray levelsJson(const ReplaySession::Book &book, BookSide side, std::size_t depth)
{
    std::vector<Level> top;
    book.book.top(side, depth, top);
    QJsonArray out;
    for (const Level &level : top)
        out.append(
            QJsonArray {text(level.price, book.instrument.priceScale), text(level.qty, book.instrument.qtyScale)});
    return out;
}

QString integrityText(BookIntegrity integrity)
{
    switch (integrity) {
    case BookIntegrity::Synced:
        return QStringLiteral("synced");
    case BookIntegrity::Resyncing:
        return QStringLiteral("resyncing");
    case BookIntegrity::Gap:
        return QStringLiteral("gap");
    }
    return QStringLiteral("unknown");
}

void printText(const ReplaySession &session, const std::vector<const ReplaySession::Book *> &books, std::size_t depth)
{
    std::printf("%llu frames, %llu decode errors\n", static_cast<unsigned long long>(session.frames()),
                static_cast<unsigned long long>(session.decodeErrors()));
    for (const QString &sample : session.errorSamples())
        std::printf("  %s\n", qPrintable(sample));
    for (const QString &message : session.venueMessages())
        std::printf("  %s\n", qPrintable(message));
    for (const ReplaySession::Book *book : books) {
        std::printf("\n%s %s  [%s]\n", qPrintable(book->instrument.venue), qPrintable(book->instrument.symbol),
                    qPrintable(integrityText(book->book.integrity())));
        std::printf("  snapshots %llu  updates %llu  gaps %llu  resyncs %llu  checksums ok %llu bad %llu  trades %llu  "
                    "tickers %llu\n",
                    static_cast<unsigned long long>(book->snapshots), static_cast<unsigned long long>(book->updates),
                    static_cast<unsigned long long>(book->gaps), static_cast<unsigned long long>(book->resyncs),
                    static_cast<unsigned long long>(book->checksumOk),
                    static_cast<unsigned long long>(book->checksumBad), static_cast<unsigned long long>(book->trades),
                    static_cast<unsigned long long>(book->tickers));
        std::vector<Level> bids;
        std::vector<Level> asks;
        book->book.top(BookSide::Bid, depth, bids);
        book->book.top(BookSide::Ask, depth, asks);
        if (bids.empty() && asks.empty())
            continue;
        std::printf("  %24s %18s | %-18s %-24s\n", "bid qty", "bid", "ask", "ask qty");
        for (std::size_t i = 0; i < std::max(bids.size(), asks.size()); ++i) {
            const QString bq = i < bids.size() ? text(bids[i].qty, book->instrument.qtyScale) : QString();
            const QString bp = i < bids.size() ? text(bids[i].price, book->instrument.priceScale) : QString();
            const QString ap = i < asks.size() ? text(asks[i].price, book->instrument.priceScale) : QString();
            const QString aq = i < asks.size() ? text(asks[i].qty, book->instrument.qtyScale) : QString();
            std::printf("  %24s %18s | %-18s %-24s\n", qPrintable(bq), qPrintable(bp), qPrintable(ap), qPrintable(aq));
        }
    }
}

int decodeCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Replays recorded venue frames (one per line; base64 for the binary demo feed) through the live "
                       "decoder and book engine, then prints per instrument the updates applied, gaps, resyncs, "
                       "checksums and the final book."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("decode"), QStringLiteral("The command."));
    const QCommandLineOption venueOption(QStringLiteral("venue"), QStringLiteral("One of: %1.").arg(venueIds()),
                                         QStringLiteral("venue"));
    const QCommandLineOption inputOption(QStringLiteral("input"), QStringLiteral("Recorded frames, one per line."),
                                         QStringLiteral("file"));
    const QCommandLineOption snapshotsOption(
        QStringLiteral("snapshots"),
        QStringLiteral("REST depth snapshots (Binance), one {\"request\":url,\"response\":body} per line."),
        QStringLiteral("file"));
    const QCommandLineOption symbolOption(QStringLiteral("symbol"),
                                          QStringLiteral("Only report this symbol (repeatable or comma-separated)."),
                                          QStringLiteral("symbol"));
    const QCommandLineOption depthOption(QStringLiteral("depth"),
                                         QStringLiteral("Levels per side to print (default 10)."), QStringLiteral("n"),
                                         QStringLiteral("10"));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("Print one JSON object."));
    const QCommandLineOption strictOption(QStringLiteral("strict"),
                                          QStringLiteral("Exit 3 when any gap or checksum failure was seen."));
    parser.addOptions({venueOption, inputOption, snapshotsOption, symbolOption, depthOption, jsonOption, strictOption});
    if (!parser.parse(arguments))
        failInput(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        std::printf("%s", qPrintable(parser.helpText()));
        return 0;
    }
    const QString venue = parser.value(venueOption);
    if (venue.isEmpty() || !parser.isSet(inputOption))
        failInput(QStringLiteral("decode needs --venue and --input (see --help)"));
    if (!findVenue(venue))
        failInput(QStringLiteral("unknown venue \"%1\"; expected one of: %2").arg(venue, venueIds()));
    bool depthOk = false;
    const int depth = parser.value(depthOption).toInt(&depthOk);
    if (!depthOk || depth < 1 || depth > 5000)
        failInput(QStringLiteral("--depth must be a number from 1 to 5000, not \"%1\"").arg(parser.value(depthOption)));
    QStringList symbols;
    for (const QString &value : parser.values(symbolOption)) {
        for (const QString &s : value.split(QLatin1Char(','), Qt::SkipEmptyParts))
            symbols.append(s.trimmed());
    }

    // Precisions: venues that announce them on the stream or write them in their decimal text
    // need nothing; the others use the bundled list, which a replay must not depend on a network for.
    std::unique_ptr<VenueProtocol> protocol = makeProtocol(venue, {}, {}, replayCatalog(venue));
    if (!protocol)
        failInput(QStringLiteral("venue \"%1\" cannot be replayed").arg(venue));
    const QList<QByteArray> lines = frameLines(readFile(parser.value(inputOption), "input"));
    if (lines.isEmpty())
        failInput(QStringLiteral("%1 holds no frames").arg(parser.value(inputOption)));

    ReplaySession session(*protocol);
    std::map<QString, std::deque<QByteArray>> snapshots;
    if (parser.isSet(snapshotsOption)) {
        if (protocol->resyncMethod() != ResyncMethod::RestSnapshot)
            failInput(QStringLiteral("--snapshots only applies to venues synced from REST snapshots (binance)"));
        snapshots = readSnapshots(parser.value(snapshotsOption));
    }
    session.setSnapshotSource([&snapshots](const QString &symbol) -> std::optional<QByteArray> {
        auto it = snapshots.find(symbol.toUpper());
        if (it == snapshots.end() || it->second.empty())
            return std::nullopt;
        QByteArray body = std::move(it->second.front());
        it->second.pop_front();
        return body;
    });

    const bool binary = venue == QLatin1String("demo");
    quint64 decoded = 0;
    for (const QByteArray &line : lines) {
        const QByteArray frame = binary ? QByteArray::fromBase64(line.trimmed()) : line;
        if (session.feed(frame, binary))
            ++decoded;
    }
    if (decoded == 0)
        failInput(QStringLiteral("no frame of %1 could be decoded as %2 (first error: %3)")
                      .arg(parser.value(inputOption), venue, session.errorSamples().value(0, QStringLiteral("none"))));

    std::vector<const ReplaySession::Book *> books;
    for (const ReplaySession::Book &book : session.books()) {
        if (book.seen && (symbols.isEmpty() || symbols.contains(book.instrument.symbol)))
            books.push_back(&book);
    }
    for (const QString &symbol : symbols) {
        if (std::none_of(books.begin(), books.end(), [&](const auto *b) { return b->instrument.symbol == symbol; }))
            failInput(QStringLiteral("symbol \"%1\" does not occur in %2").arg(symbol, parser.value(inputOption)));
    }

    bool integrityFailure = false;
    for (const ReplaySession::Book *book : books)
        integrityFailure = integrityFailure || book->gaps > 0 || book->checksumBad > 0;

    if (parser.isSet(jsonOption)) {
        QJsonArray instruments;
        for (const ReplaySession::Book *book : books) {
            instruments.append(QJsonObject {
                {QStringLiteral("venue"), venue},
                {QStringLiteral("symbol"), book->instrument.symbol},
                {QStringLiteral("integrity"), integrityText(book->book.integrity())},
                {QStringLiteral("snapshots"), static_cast<qint64>(book->snapshots)},
                {QStringLiteral("updates"), static_cast<qint64>(book->updates)},
                {QStringLiteral("gaps"), static_cast<qint64>(book->gaps)},
                {QStringLiteral("resyncs"), static_cast<qint64>(book->resyncs)},
                {QStringLiteral("checksum_ok"), static_cast<qint64>(book->checksumOk)},
                {QStringLiteral("checksum_bad"), static_cast<qint64>(book->checksumBad)},
                {QStringLiteral("trades"), static_cast<qint64>(book->trades)},
                {QStringLiteral("tickers"), static_cast<qint64>(book->tickers)},
                {QStringLiteral("bids"), levelsJson(*book, BookSide::Bid, static_cast<std::size_t>(depth))},
                {QStringLiteral("asks"), levelsJson(*book, BookSide::Ask, static_cast<std::size_t>(depth))},
            });
        }
        const QJsonObject out {
            {QStringLiteral("frames"), static_cast<qint64>(session.frames())},
            {QStringLiteral("decode_errors"), static_cast<qint64>(session.decodeErrors())},
            {QStringLiteral("instruments"), instruments},
        };
        std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    } else {
        printText(session, books, static_cast<std::size_t>(depth));
    }
    for (const QString &symbol : session.unansweredSnapshots())
        std::fprintf(stderr, "tickscope-cap: no REST snapshot for %s: its book was never synced%s\n",
                     qPrintable(symbol), parser.isSet(snapshotsOption) ? "" : " (pass --snapshots)");
    if (parser.isSet(strictOption) && integrityFailure) {
        std::fprintf(stderr, "tickscope-cap: gaps or checksum failures were seen (--strict)\n");
        return kExitIntegrity;
    }
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tickscope-cap"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TICKSCOPE_VERSION));
    const QStringList arguments = QCoreApplication::arguments();
    const QString command = arguments.value(1);
    if (command == QLatin1String("decode"))
        return decodeCommand(arguments);
    if (command == QLatin1String("--version") || command == QLatin1String("-v")) {
        std::printf("tickscope-cap %s\n", TICKSCOPE_VERSION);
        return 0;
    }
    const char *usage = "usage: tickscope-cap decode --venue V --input FILE [--snapshots FILE] [--symbol S] "
                        "[--depth N] [--json] [--strict]\n"
                        "       tickscope-cap decode --help\n";
    if (command.isEmpty() || command == QLatin1String("--help") || command == QLatin1String("-h")) {
        std::printf("%s", usage);
        return command.isEmpty() ? kExitBadInput : 0;
    }
    std::fprintf(stderr, "tickscope-cap: unknown command \"%s\"\n%s", qPrintable(command), usage);
    return kExitBadInput;
}
