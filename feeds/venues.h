#pragma once

#include "instrument.h"
#include "venueprotocol.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>
#include <vector>

namespace tickscope {

/// What the app and the tools know about each venue: its name, default endpoints and how its
/// instrument list is fetched. The single place that maps a venue id to its protocol class.
struct VenueInfo
{
    QString id; ///< "demo", "binance", "coinbase", "kraken", "kraken-v1", "okx", "bybit"
    QString displayName; ///< "Binance Spot", …
    QUrl webSocketUrl; ///< public market-data stream (editable per feed, e.g. for a testnet)
    QUrl restUrl; ///< REST base for instrument lists and depth snapshots (empty: none)
    bool live = true; ///< false for replay-only protocols (Kraken v1)
};

/// Every venue, the demo feed first.
const std::vector<VenueInfo> &venues();
/// The venue with this id, or nullptr.
const VenueInfo *findVenue(const QString &id);
/// Comma-separated ids, for messages.
QString venueIds();

/// Endpoints and symbols of one feed.
struct VenueEndpoints
{
    QUrl webSocketUrl; ///< empty = the venue's default
    QUrl restUrl; ///< empty = the venue's default
};

/// A protocol for the venue `id` following `symbols` (venue spelling; empty = replay: every
/// instrument seen), with instrument precisions from `catalog`. nullptr for an unknown id.
std::unique_ptr<VenueProtocol> makeProtocol(const QString &id, const VenueEndpoints &endpoints,
                                            const QStringList &symbols, std::vector<Instrument> catalog);

/// The REST URL of the venue's instrument list (empty when the venue announces instruments on
/// the stream or has no list).
QUrl instrumentListUrl(const QString &id, const QUrl &restUrl = {});
/// Parses the venue's instrument-list response.
std::vector<Instrument> parseInstrumentList(const QString &id, const QByteArray &body, QString *error);

} // namespace tickscope
