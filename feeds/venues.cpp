#include "venues.h"

#include "demoprotocol.h"
#include "krakenprotocol.h"

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
    return nullptr;
}

QUrl instrumentListUrl(const QString &id, const QUrl &restUrl)
{
    Q_UNUSED(id);
    Q_UNUSED(restUrl);
    return {};
}

std::vector<Instrument> parseInstrumentList(const QString &id, const QByteArray &body, QString *error)
{
    Q_UNUSED(body);
    if (error)
        *error = QStringLiteral("no instrument list parser for %1").arg(id);
    return {};
}

} // namespace tickscope
