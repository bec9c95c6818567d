#include "venues.h"

#include "binanceprotocol.h"
#include "bybitprotocol.h"
#include "coinbaseprotocol.h"
#include "demoprotocol.h"
#include "krakenprotocol.h"
#include "krakenv1protocol.h"
#include "okxprotocol.h"

namespace tickscope {

const std::vector<VenueInfo> &venues()
{
    static const std::vector<VenueInfo> list {
        {QStringLiteral("demo"), QStringLiteral("Demo"), {}, {}, true},
        {QStringLiteral("binance"), QStringLiteral("Binance Spot"),
         QUrl(QStringLiteral("wss://stream.binance.com:9443")), QUrl(QStringLiteral("https://api.binance.com")), true},
        {QStringLiteral("coinbase"), QStringLiteral("Coinbase"),
         QUrl(QStringLiteral("wss://advanced-trade-ws.coinbase.com")), QUrl(QStringLiteral("https://api.coinbase.com")),
         true},
        {QStringLiteral("kraken"), QStringLiteral("Kraken"), QUrl(QStringLiteral("wss://ws.kraken.com/v2")),
         QUrl(QStringLiteral("https://api.kraken.com")), true},
        {QStringLiteral("kraken-v1"), QStringLiteral("Kraken (v1, replays)"),
         QUrl(QStringLiteral("wss://ws.kraken.com")), QUrl(QStringLiteral("https://api.kraken.com")), false},
        {QStringLiteral("okx"), QStringLiteral("OKX"), QUrl(QStringLiteral("wss://ws.okx.com:8443/ws/v5/public")),
         QUrl(QStringLiteral("https://www.okx.com")), true},
        {QStringLiteral("bybit"), QStringLiteral("Bybit Spot"),
         QUrl(QStringLiteral("wss://stream.bybit.com/v5/public/spot")), QUrl(QStringLiteral("https://api.bybit.com")),
         true},
    };
    return list;
}

const VenueInfo *findVenue(const QString &id)
{
    for (const VenueInfo &venue : venues()) {
        if (venue.id == id)
            return &venue;
    }
    return nullptr;
}

QString venueIds()
{
    QStringList ids;
    for (const VenueInfo &venue : venues())
        ids.append(venue.id);
    return ids.join(QLatin1String(", "));
}

std::unique_ptr<VenueProtocol> makeProtocol(const QString &id, const VenueEndpoints &endpoints,
                                            const QStringList &symbols, std::vector<Instrument> catalog)
{
    const VenueInfo *venue = findVenue(id);
    if (!venue)
        return nullptr;
    const QUrl ws = endpoints.webSocketUrl.isEmpty() ? venue->webSocketUrl : endpoints.webSocketUrl;
    if (id == QLatin1String("demo"))
        return std::make_unique<DemoProtocol>(ws);
    if (id == QLatin1String("kraken"))
        return std::make_unique<KrakenV2Protocol>(ws, symbols, 10, std::move(catalog));
    if (id == QLatin1String("kraken-v1"))
        return std::make_unique<KrakenV1Protocol>(ws, symbols, std::move(catalog));
    if (id == QLatin1String("binance"))
        return std::make_unique<BinanceProtocol>(ws, endpoints.restUrl.isEmpty() ? venue->restUrl : endpoints.restUrl,
                                                 symbols, std::move(catalog));
    if (id == QLatin1String("coinbase"))
        return std::make_unique<CoinbaseProtocol>(ws, symbols, std::move(catalog));
    if (id == QLatin1String("okx"))
        return std::make_unique<OkxProtocol>(ws, symbols, std::move(catalog));
    if (id == QLatin1String("bybit"))
        return std::make_unique<BybitProtocol>(ws, symbols, std::move(catalog));
    return nullptr;
}

QUrl instrumentListUrl(const QString &id, const QUrl &restUrl)
{
    const VenueInfo *venue = findVenue(id);
    if (!venue)
        return {};
    const QUrl rest = restUrl.isEmpty() ? venue->restUrl : restUrl;
    if (id == QLatin1String("binance"))
        return BinanceProtocol::instrumentListUrl(rest);
    if (id == QLatin1String("coinbase"))
        return CoinbaseProtocol::instrumentListUrl(rest);
    if (id == QLatin1String("kraken") || id == QLatin1String("kraken-v1"))
        return KrakenV1Protocol::instrumentListUrl(rest);
    if (id == QLatin1String("okx"))
        return OkxProtocol::instrumentListUrl(rest);
    if (id == QLatin1String("bybit"))
        return BybitProtocol::instrumentListUrl(rest);
    return {};
}

std::vector<Instrument> parseInstrumentList(const QString &id, const QByteArray &body, QString *error)
{
    if (id == QLatin1String("binance"))
        return BinanceProtocol::parseInstrumentList(body, error);
    if (id == QLatin1String("coinbase"))
        return CoinbaseProtocol::parseInstrumentList(body, error);
    if (id == QLatin1String("okx"))
        return OkxProtocol::parseInstrumentList(body, error);
    if (id == QLatin1String("bybit"))
        return BybitProtocol::parseInstrumentList(body, error);
    if (id == QLatin1String("kraken-v1"))
        return KrakenV1Protocol::parseInstrumentList(body, error);
    if (id == QLatin1String("kraken")) {
        // One REST list (AssetPairs) for both: v2 spells the pairs with the common asset names.
        std::vector<Instrument> list = KrakenV1Protocol::parseInstrumentList(body, error);
        for (Instrument &instrument : list) {
            instrument.symbol = KrakenV1Protocol::v2SymbolFromWsName(instrument.symbol);
            const QStringList parts = instrument.symbol.split(QLatin1Char('/'));
            if (parts.size() == 2) {
                instrument.base = parts[0];
                instrument.quote = parts[1];
                instrument.displayName = parts[0] + QLatin1String(" / ") + parts[1];
            }
        }
        return list;
    }
    if (error)
        *error = QStringLiteral("no instrument list parser for %1").arg(id);
    return {};
}

} // namespace tickscope
