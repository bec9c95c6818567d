#include "instrumentcatalog.h"

#include "decimal.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace tickscope {

namespace {

constexpr int kSchema = 1;

QString kindName(InstrumentKind kind)
{
    switch (kind) {
    case InstrumentKind::Spot:
        return QStringLiteral("spot");
    case InstrumentKind::Perpetual:
        return QStringLiteral("perpetual");
    case InstrumentKind::Future:
        return QStringLiteral("future");
    case InstrumentKind::Fx:
        return QStringLiteral("fx");
    case InstrumentKind::Index:
        return QStringLiteral("index");
    }
    return QStringLiteral("spot");
}

std::optional<InstrumentKind> kindFromName(const QString &name)
{
    for (InstrumentKind kind : {InstrumentKind::Spot, InstrumentKind::Perpetual, InstrumentKind::Future,
                                InstrumentKind::Fx, InstrumentKind::Index}) {
        if (kindName(kind) == name)
            return kind;
    }
    return std::nullopt;
}

QString incrementText(std::int64_t mantissa, int scale)
{
    return QString::fromStdString(formatDecimalTrimmed(mantissa, scale));
}

} // namespace

bool incrementToScale(std::string_view increment, int &scale, std::int64_t &mantissa)
{
    const std::optional<Decimal> value = Decimal::parse(increment);
    if (!value || value->mantissa <= 0)
        return false;
    Decimal d = *value;
    while (d.scale > 0 && d.mantissa % 10 == 0) {
        d.mantissa /= 10;
        --d.scale;
    }
    if (d.scale < 0 || d.scale > kMaxDecimalScale)
        return false;
    scale = d.scale;
    mantissa = d.mantissa;
    return true;
}

bool incrementToScale(const QString &increment, int &scale, std::int64_t &mantissa)
{
    const std::string text = increment.trimmed().toStdString();
    return incrementToScale(std::string_view(text), scale, mantissa);
}

QByteArray serializeCatalog(const InstrumentCatalog &catalog)
{
    QJsonArray list;
    for (const Instrument &i : catalog.instruments) {
        list.append(QJsonObject {
            {QStringLiteral("symbol"), i.symbol},
            {QStringLiteral("base"), i.base},
            {QStringLiteral("quote"), i.quote},
            {QStringLiteral("name"), i.displayName},
            {QStringLiteral("price_increment"), incrementText(i.tickSize, i.priceScale)},
            {QStringLiteral("qty_increment"), incrementText(i.lotSize, i.qtyScale)},
            {QStringLiteral("kind"), kindName(i.kind)},
        });
    }
    const QJsonObject root {
        {QStringLiteral("schema"), kSchema},        {QStringLiteral("venue"), catalog.venue},
        {QStringLiteral("source"), catalog.source}, {QStringLiteral("fetched_ms"), catalog.fetchedMs},
        {QStringLiteral("instruments"), list},
    };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

std::optional<InstrumentCatalog> parseCatalog(const QByteArray &data, QString *error)
{
    auto fail = [error](const QString &why) -> std::optional<InstrumentCatalog> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    QJsonParseError parseError {};
    const QJsonDocument doc = QJsonDocument::fromJson(data, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(QStringLiteral("not JSON (%1 at offset %2)").arg(parseError.errorString()).arg(parseError.offset));
    const QJsonObject root = doc.object();
    if (root.value(QLatin1String("schema")).toInt() != kSchema)
        return fail(
            QStringLiteral("unsupported schema %1").arg(root.value(QLatin1String("schema")).toVariant().toString()));
    if (!root.value(QLatin1String("instruments")).isArray())
        return fail(QStringLiteral("no \"instruments\" list"));
    InstrumentCatalog catalog;
    catalog.venue = root.value(QLatin1String("venue")).toString();
    catalog.source = root.value(QLatin1String("source")).toString();
    catalog.fetchedMs = root.value(QLatin1String("fetched_ms")).toInteger();
    const QJsonArray list = root.value(QLatin1String("instruments")).toArray();
    catalog.instruments.reserve(static_cast<std::size_t>(list.size()));
    for (qsizetype n = 0; n < list.size(); ++n) {
        const QJsonObject o = list.at(n).toObject();
        Instrument i;
        i.venue = catalog.venue;
        i.symbol = o.value(QLatin1String("symbol")).toString();
        i.base = o.value(QLatin1String("base")).toString();
        i.quote = o.value(QLatin1String("quote")).toString();
        i.displayName = o.value(QLatin1String("name")).toString();
        if (i.displayName.isEmpty())
            i.displayName = i.base.isEmpty() ? i.symbol : i.base + QLatin1String(" / ") + i.quote;
        const std::optional<InstrumentKind> kind
            = kindFromName(o.value(QLatin1String("kind")).toString(QStringLiteral("spot")));
        if (i.symbol.isEmpty() || !kind
            || !incrementToScale(o.value(QLatin1String("price_increment")).toString(), i.priceScale, i.tickSize)
            || !incrementToScale(o.value(QLatin1String("qty_increment")).toString(), i.qtyScale, i.lotSize))
            return fail(QStringLiteral("instrument %1 is incomplete or malformed").arg(n + 1));
        i.kind = *kind;
        catalog.instruments.push_back(std::move(i));
    }
    return catalog;
}

QString catalogCachePath(const QString &venue, const QString &cacheDir)
{
    return QDir(cacheDir).filePath(QStringLiteral("instruments-%1.json").arg(venue));
}

InstrumentCatalog bundledCatalog(const QString &venue)
{
    InstrumentCatalog out;
    out.venue = venue;
    QFile file(QStringLiteral(":/tickscope/instruments/%1.json").arg(venue));
    if (!file.open(QIODevice::ReadOnly))
        return out;
    QString error;
    if (std::optional<InstrumentCatalog> parsed = parseCatalog(file.readAll(), &error)) {
        out = std::move(*parsed);
        out.venue = venue;
        out.origin = CatalogOrigin::Bundled;
        out.source = QStringLiteral("bundled");
        for (Instrument &i : out.instruments)
            i.venue = venue;
    } else {
        out.warning = QStringLiteral("bundled list of %1 is damaged: %2").arg(venue, error);
    }
    return out;
}

InstrumentCatalog loadCatalog(const QString &venue, const QString &cacheDir)
{
    QString warning;
    if (!cacheDir.isEmpty()) {
        QFile file(catalogCachePath(venue, cacheDir));
        if (file.open(QIODevice::ReadOnly)) {
            QString error;
            std::optional<InstrumentCatalog> cached = parseCatalog(file.readAll(), &error);
            if (cached && cached->venue == venue && !cached->instruments.empty()) {
                cached->origin = CatalogOrigin::Cache;
                for (Instrument &i : cached->instruments)
                    i.venue = venue;
                return std::move(*cached);
            }
            warning = QStringLiteral("cached instrument list %1 is unusable (%2); using the bundled list")
                          .arg(file.fileName(), cached ? QStringLiteral("wrong venue or empty") : error);
        }
    }
    InstrumentCatalog bundled = bundledCatalog(venue);
    if (!warning.isEmpty())
        bundled.warning = warning;
    return bundled;
}

bool storeCatalog(const InstrumentCatalog &catalog, const QString &cacheDir, QString *error)
{
    if (!QDir().mkpath(cacheDir)) {
        if (error)
            *error = QStringLiteral("cannot create %1").arg(cacheDir);
        return false;
    }
    QSaveFile file(catalogCachePath(catalog.venue, cacheDir));
    if (!file.open(QIODevice::WriteOnly) || file.write(serializeCatalog(catalog)) < 0 || !file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

int searchRank(const Instrument &instrument, const QString &needle)
{
    if (needle.isEmpty())
        return 5;
    if (instrument.symbol.compare(needle, Qt::CaseInsensitive) == 0)
        return 0;
    if (instrument.symbol.startsWith(needle, Qt::CaseInsensitive))
        return 1;
    if (instrument.symbol.contains(needle, Qt::CaseInsensitive))
        return 2;
    if (instrument.base.compare(needle, Qt::CaseInsensitive) == 0
        || instrument.quote.compare(needle, Qt::CaseInsensitive) == 0
        || instrument.displayName.startsWith(needle, Qt::CaseInsensitive))
        return 3;
    const QString &name = instrument.displayName;
    for (qsizetype at = name.indexOf(needle, 0, Qt::CaseInsensitive); at >= 0;
         at = name.indexOf(needle, at + 1, Qt::CaseInsensitive)) {
        if (at == 0 || !name.at(at - 1).isLetterOrNumber())
            return 4;
    }
    return -1;
}

} // namespace tickscope
