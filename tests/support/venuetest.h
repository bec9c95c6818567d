#pragma once

// Scaffolding shared by the venue tests (OKX, Bybit, Coinbase, Kraken v1 and v2): recorded
// fixtures from tests/data/exchanges, a loopback WebSocket server standing in for the venue, and a
// sink that records decoded events. Only the scaffolding lives here; every check stays in its test.

#include "events.h"
#include "feedconnection.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>
#include <QWebSocketServer>

#include <cstddef>
#include <initializer_list>
#include <utility>
#include <vector>

class QWebSocket;

namespace tickscope::test {

/// The bytes of the fixture tests/data/exchanges/`name`; a missing fixture aborts the test run.
QByteArray fixture(const char *name);

/// The non-blank lines of a fixture, trimmed: the frames of a JSON Lines recording.
QList<QByteArray> fixtureLines(const char *name);

/// The JSON object in `json`; empty when it is not a JSON object.
QJsonObject objectOf(const QByteArray &json);

/// A feed configuration for the loopback tests: named `name`, publishing every 1 ms so that the
/// QTRY_ checks see each frame's effect promptly.
FeedConfig feedConfig(const QString &name);

/// A venue on a loopback port: it accepts the feed's connection, records every text request the
/// client sends (parsed as a JSON object) and sends frames to it. Not a mock: the feed under test
/// talks to it through a real QWebSocket.
class LoopbackServer : public QObject
{
public:
    /// Listens on 127.0.0.1 on a free port (a failure fails the current test). `path` is the
    /// endpoint path url() names, e.g. "/ws/v5/public"; the server accepts any path.
    explicit LoopbackServer(const QString &name, QString path = {});

    /// ws://127.0.0.1:<port><path>
    QUrl url() const;
    /// Sends `frame` as a text message to the connected client.
    void send(const QByteArray &frame);
    /// The recorded requests whose string at every given path equals the given value. A path names
    /// nested objects with '/' ("params/channel").
    QList<QJsonObject> requestsWith(std::initializer_list<std::pair<const char *, QString>> fields) const;

    QWebSocketServer server;
    QWebSocket *client = nullptr; ///< the feed's connection, once it has connected
    QList<QJsonObject> requests; ///< every request the client sent, in order

private:
    QString m_path;
};

/// Records every decoded event in order (decode-level tests and simple feed tests).
class RecordingSink : public EventSink
{
public:
    void onInstruments(const std::vector<Instrument> &list) override;
    void onSnapshot(const BookSnapshot &snapshot) override;
    void onDelta(const BookDelta &delta) override;
    void onTrade(const Trade &trade) override;
    void onTicker(const Ticker &ticker) override;
    void onStatus(const VenueStatus &status) override;
    /// Snapshots, deltas, trades and tickers recorded so far.
    std::size_t events() const;

    std::vector<Instrument> instruments; ///< the last instrument table
    std::vector<BookSnapshot> snapshots;
    std::vector<BookDelta> deltas;
    std::vector<Trade> trades;
    std::vector<Ticker> tickers;
    std::vector<VenueStatus> statuses;
};

} // namespace tickscope::test
