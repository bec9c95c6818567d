#pragma once

#include "instrument.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <string_view>
#include <vector>

namespace tickscope {

/// Where a venue's instrument list came from.
enum class CatalogOrigin : std::uint8_t {
    None, ///< nothing usable: not even a bundled list
    Bundled, ///< the list shipped with the app (works offline; may be dated)
    Cache, ///< the venue's list fetched earlier and kept on disk
    Venue, ///< fetched just now from the venue
};

/// A venue's instrument list with its provenance.
struct InstrumentCatalog
{
    QString venue;
    std::vector<Instrument> instruments;
    CatalogOrigin origin = CatalogOrigin::None;
    qint64 fetchedMs = 0; ///< when the list was fetched from the venue (0 = unknown, bundled)
    QString source; ///< URL or "bundled"
    QString warning; ///< why a cache or bundled file was not used, if one was skipped
};

/// How well `needle` (already trimmed; case-insensitive) finds `instrument` in a symbol search,
/// lower is better, -1 = not at all: 0 the symbol itself, 1 the symbol's start, 2 inside the symbol,
/// 3 the base or quote asset or the name's start, 4 the start of a word of the name ("dollar" in
/// "Bitcoin / US Dollar"; not "eth" inside "Tether"); 5 for an empty needle (everything matches).
int searchRank(const Instrument &instrument, const QString &needle);

/// The instrument-list file format shared by the disk cache and the bundled lists:
/// {"schema":1,"venue":"binance","source":url,"fetched_ms":N,"instruments":[{"symbol":…,"base":…,
/// "quote":…,"name":…,"price_increment":"0.01","qty_increment":"0.00001","kind":"spot"},…]}.
/// Increments are decimal strings; the precisions follow from them.
QByteArray serializeCatalog(const InstrumentCatalog &catalog);
/// Parses that format; nothing (and `error`) when the file is unusable.
std::optional<InstrumentCatalog> parseCatalog(const QByteArray &data, QString *error);

/// The precision an increment (tick or lot size) implies: scale = digits after the point of the
/// increment with trailing zeros removed, mantissa = the increment at that scale ("0.0100" → 2, 1).
/// Exact (never through a double); false for text that is not a positive decimal within
/// kMaxDecimalScale. The one parser for increments: the catalogue file and every venue's list.
bool incrementToScale(std::string_view increment, int &scale, std::int64_t &mantissa);
/// The same for text from a QJsonValue or a file; surrounding spaces are ignored.
bool incrementToScale(const QString &increment, int &scale, std::int64_t &mantissa);

/// The bundled list of a venue (":/tickscope/instruments/<venue>.json"), or an empty catalogue.
InstrumentCatalog bundledCatalog(const QString &venue);

/// The catalogue to start with: the disk cache in `cacheDir` when it is readable, else the
/// bundled list. A damaged cache is reported in `warning` and skipped.
InstrumentCatalog loadCatalog(const QString &venue, const QString &cacheDir);

/// Writes the catalogue to `cacheDir` atomically; false (and `error`) on failure.
bool storeCatalog(const InstrumentCatalog &catalog, const QString &cacheDir, QString *error);

/// The cache file of a venue.
QString catalogCachePath(const QString &venue, const QString &cacheDir);

} // namespace tickscope
