#pragma once

#include "events.h"
#include "instrument.h"

#include <QStringList>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tickscope {

/// The instrument table of a venue that does not announce its instruments on the stream
/// (Binance, Coinbase, OKX, Bybit, Kraken v1). Precisions come from the venue's instrument
/// catalogue (REST list, disk cache or the bundled fallback).
///
/// Live: the wanted symbols make a fixed table (LocalInstrument = index in `wanted`); a wanted
/// symbol the catalogue does not know gets the default scales. Replay (no wanted symbols): every
/// symbol seen is added on first sight and the grown table is announced to the sink.
class SymbolTable
{
public:
    SymbolTable(QString venue, std::vector<Instrument> catalog, QStringList wanted, int defaultPriceScale = 8,
                int defaultQtyScale = 8);

    /// The current table (fixed when symbols were wanted).
    const std::vector<Instrument> &instruments() const { return m_table; }
    /// The wanted symbols (empty = replay: learn every symbol).
    const QStringList &wanted() const { return m_wanted; }
    /// True in replay mode.
    bool learning() const { return m_wanted.isEmpty(); }

    /// The instrument of `symbol` (venue spelling, exact) or nullptr when it is not followed.
    /// In replay mode an unseen symbol is added and the table announced to `sink` first.
    const Instrument *resolve(std::string_view symbol, LocalInstrument &local, EventSink &sink);
    /// Lookup without learning.
    const Instrument *find(std::string_view symbol, LocalInstrument &local) const;
    /// The catalogue entry of `symbol` (nullptr if unknown).
    const Instrument *catalogEntry(const QString &symbol) const;

    /// Forgets learned symbols (replay mode); the fixed table stays.
    void reset();

private:
    Instrument describe(const QString &symbol) const;

    QString m_venue;
    std::vector<Instrument> m_catalog;
    std::unordered_map<std::string, std::size_t> m_catalogIndex;
    QStringList m_wanted;
    int m_defaultPriceScale;
    int m_defaultQtyScale;
    std::vector<Instrument> m_table;
    std::unordered_map<std::string, LocalInstrument> m_index;
};

} // namespace tickscope
