#pragma once

// Watchlists to and from files the user can share or edit: JSON (the workspace's own shape of one
// list) and CSV (one "venue,symbol" per line, as spreadsheets write it). Free functions on plain
// values; no UI.

#include "workspace.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <functional>

namespace tickscope {

enum class WatchlistFormat { Json, Csv };

/// The format a file name says: ".csv" (any case) → Csv, anything else → Json.
WatchlistFormat watchlistFormatFor(const QString &path);

/// Whether an instrument exists (in a venue's catalogue or on a running feed).
using InstrumentPredicate = std::function<bool(const InstrumentKey &)>;

/// `list` as a file's bytes. JSON: {"name", "instruments": [{"venue", "symbol"}], and
/// "hidden_columns" / "sort_column" / "sort_ascending" when set}. CSV: a "venue,symbol" header, then
/// one line per instrument, CRLF line ends, fields quoted per RFC 4180; a field a spreadsheet would
/// take for a formula (starting with = + - @) gets a leading ' (removed again on import).
QByteArray exportWatchlist(const Watchlist &list, WatchlistFormat format);

/// What an import produced.
struct WatchlistImport
{
    Watchlist list;
    /// Per-line (CSV) or per-entry (JSON) remarks for the user: rows skipped as malformed or
    /// duplicate, instruments no venue knows (those are kept: they show as waiting rows).
    QStringList problems;
    /// Why the file as a whole could not be used (unreadable, empty, not JSON, wrong shape, no usable
    /// row); "" when the import worked. `list` is not to be used when set.
    QString error;
    bool ok() const { return error.isEmpty(); }
};

/// Reads a watchlist from `data`. Unknown instruments (`isKnown` false; an empty predicate knows
/// everything) are kept and reported. CSV may have a header or not, CRLF or LF, a UTF-8 BOM, blank
/// lines and quoted fields; venues are lower-cased and fields trimmed. The list is named by the
/// file's "name" (JSON) or `fallbackName`.
WatchlistImport importWatchlist(const QByteArray &data, WatchlistFormat format, const InstrumentPredicate &isKnown,
                                const QString &fallbackName);

/// Writes `list` to `path` atomically (QSaveFile), in the format its extension says. Returns false
/// with the reason in `error`.
bool exportWatchlistFile(const Watchlist &list, const QString &path, QString *error);

/// Reads the watchlist in `path` (format from its extension; named after the file's base name unless
/// a JSON file names it).
WatchlistImport importWatchlistFile(const QString &path, const InstrumentPredicate &isKnown);

} // namespace tickscope
