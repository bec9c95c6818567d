#include "replaysession.h"

namespace tickscope {

namespace {
constexpr int kErrorSamples = 10;
}

ReplaySession::ReplaySession(VenueProtocol &protocol)
    : m_protocol(protocol)
{
    m_protocol.reset();
    onInstruments(m_protocol.fixedInstruments());
}

DecodeResult ReplaySession::feed(const QByteArray &frame, bool binary)
{
    ++m_frames;
    DecodeResult result = m_protocol.decode(frame, binary, *this);
    if (!result) {
        ++m_decodeErrors;
        if (m_errorSamples.size() < kErrorSamples)
            m_errorSamples.append(QStringLiteral("frame %1: %2").arg(m_frames).arg(result.error));
    }
    serveSnapshotRequests();
    return result;
}

void ReplaySession::serveSnapshotRequests()
{
    if (m_protocol.resyncMethod() != ResyncMethod::RestSnapshot)
        return;
    // Applying a snapshot may ask for another one (too old): bounded so a bad file cannot loop.
    for (int round = 0; round < 4; ++round) {
        const QStringList wanted = m_protocol.takeSnapshotRequests();
        if (wanted.isEmpty())
            return;
        for (const QString &symbol : wanted) {
            ++m_snapshotRequests;
            const std::optional<QByteArray> body = m_snapshots ? m_snapshots(symbol) : std::nullopt;
            if (!body) {
                if (!m_unanswered.contains(symbol))
                    m_unanswered.append(symbol);
                continue;
            }
            const DecodeResult result = m_protocol.applyRestSnapshot(symbol, *body, *this);
            if (!result) {
                ++m_decodeErrors;
                if (m_errorSamples.size() < kErrorSamples)
                    m_errorSamples.append(QStringLiteral("snapshot %1: %2").arg(symbol, result.error));
            }
        }
    }
}

void ReplaySession::onInstruments(const std::vector<Instrument> &instruments)
{
    // Tables only grow or are re-announced in the same order; books of known symbols are kept.
    std::vector<Book> books;
    books.reserve(instruments.size());
    for (const Instrument &instrument : instruments) {
        auto it = std::find_if(m_books.begin(), m_books.end(),
                               [&](const Book &b) { return b.instrument.symbol == instrument.symbol; });
        if (it != m_books.end() && it->instrument == instrument) {
            books.push_back(std::move(*it));
        } else {
            Book book;
            book.instrument = instrument;
            books.push_back(std::move(book));
        }
    }
    m_books = std::move(books);
}

ReplaySession::Book *ReplaySession::bookOf(LocalInstrument local)
{
    if (local >= m_books.size())
        return nullptr;
    Book &book = m_books[local];
    book.seen = true;
    return &book;
}

void ReplaySession::resync(Book &book)
{
    ++book.resyncs;
    book.book.markResyncing();
    m_protocol.beginResync(book.instrument.symbol);
}

void ReplaySession::verifyChecksum(Book &book, std::uint32_t expected)
{
    const std::optional<std::uint32_t> actual = m_protocol.checksumOf(book.book);
    if (!actual)
        return;
    if (*actual == expected) {
        ++book.checksumOk;
        return;
    }
    ++book.checksumBad;
    resync(book);
}

void ReplaySession::onSnapshot(const BookSnapshot &snapshot)
{
    Book *book = bookOf(snapshot.instrument);
    if (!book)
        return;
    book->book.applySnapshot(snapshot);
    if (const std::size_t depth = m_protocol.maintainedDepth())
        book->book.truncate(depth);
    ++book->snapshots;
    if (book->book.integrity() != BookIntegrity::Synced) {
        ++book->crossed;
        resync(*book);
    } else if (snapshot.checksum) {
        verifyChecksum(*book, *snapshot.checksum);
    }
}

void ReplaySession::onDelta(const BookDelta &delta)
{
    Book *book = bookOf(delta.instrument);
    if (!book)
        return;
    const ApplyResult result = book->book.applyDelta(delta);
    const std::size_t depth = m_protocol.maintainedDepth();
    if (depth > 0 && (result == ApplyResult::Applied || result == ApplyResult::Crossed))
        book->book.truncate(depth);
    switch (result) {
    case ApplyResult::Applied:
        ++book->updates;
        if (delta.checksum)
            verifyChecksum(*book, *delta.checksum);
        break;
    case ApplyResult::Gap:
        ++book->gaps;
        resync(*book);
        break;
    case ApplyResult::Crossed:
        ++book->updates;
        ++book->crossed;
        resync(*book);
        break;
    case ApplyResult::Stale:
        ++book->stale;
        break;
    case ApplyResult::NotSynced:
        ++book->unsynced;
        break;
    }
}

void ReplaySession::onTrade(const Trade &trade)
{
    if (Book *book = bookOf(trade.instrument))
        ++book->trades;
}

void ReplaySession::onTicker(const Ticker &ticker)
{
    if (Book *book = bookOf(ticker.instrument))
        ++book->tickers;
}

void ReplaySession::onStatus(const VenueStatus &status)
{
    if (status.kind == VenueStatus::Kind::Error && m_venueMessages.size() < kErrorSamples)
        m_venueMessages.append(QStringLiteral("venue error %1: %2").arg(status.code).arg(status.message));
    if (status.kind == VenueStatus::Kind::SequenceGap && m_venueMessages.size() < kErrorSamples)
        m_venueMessages.append(
            QStringLiteral("connection sequence gap: expected %1, got %2").arg(status.expected).arg(status.received));
}

} // namespace tickscope
