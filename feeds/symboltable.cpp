#include "symboltable.h"

namespace tickscope {

SymbolTable::SymbolTable(QString venue, std::vector<Instrument> catalog, QStringList wanted, int defaultPriceScale,
                         int defaultQtyScale)
    : m_venue(std::move(venue))
    , m_catalog(std::move(catalog))
    , m_wanted(std::move(wanted))
    , m_defaultPriceScale(defaultPriceScale)
    , m_defaultQtyScale(defaultQtyScale)
{
    for (std::size_t i = 0; i < m_catalog.size(); ++i)
        m_catalogIndex.emplace(m_catalog[i].symbol.toStdString(), i);
    reset();
}

void SymbolTable::reset()
{
    m_table.clear();
    m_index.clear();
    for (const QString &symbol : m_wanted) {
        if (m_index.contains(symbol.toStdString()))
            continue;
        m_index.emplace(symbol.toStdString(), static_cast<LocalInstrument>(m_table.size()));
        m_table.push_back(describe(symbol));
    }
}

const Instrument *SymbolTable::catalogEntry(const QString &symbol) const
{
    const auto it = m_catalogIndex.find(symbol.toStdString());
    return it == m_catalogIndex.end() ? nullptr : &m_catalog[it->second];
}

Instrument SymbolTable::describe(const QString &symbol) const
{
    if (const Instrument *known = catalogEntry(symbol)) {
        Instrument out = *known;
        out.venue = m_venue;
        return out;
    }
    Instrument out;
    out.venue = m_venue;
    out.symbol = symbol;
    out.displayName = symbol;
    out.priceScale = m_defaultPriceScale;
    out.qtyScale = m_defaultQtyScale;
    return out;
}

const Instrument *SymbolTable::find(std::string_view symbol, LocalInstrument &local) const
{
    const auto it = m_index.find(std::string(symbol));
    if (it == m_index.end())
        return nullptr;
    local = it->second;
    return &m_table[it->second];
}

const Instrument *SymbolTable::resolve(std::string_view symbol, LocalInstrument &local, EventSink &sink)
{
    if (const Instrument *known = find(symbol, local))
        return known;
    if (!learning() || symbol.empty())
        return nullptr;
    local = static_cast<LocalInstrument>(m_table.size());
    m_index.emplace(std::string(symbol), local);
    m_table.push_back(describe(QString::fromUtf8(symbol.data(), static_cast<qsizetype>(symbol.size()))));
    sink.onInstruments(m_table);
    return &m_table[local];
}

} // namespace tickscope
