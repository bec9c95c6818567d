#include "watchlistio.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStringDecoder>

namespace tickscope {

namespace {

/// Larger files are not watchlists; refusing them keeps a mistaken pick from eating memory.
constexpr qint64 kMaxFileBytes = 8 * 1024 * 1024;

bool looksLikeFormula(const QString &field)
{
    return !field.isEmpty()
        && (field.front() == u'=' || field.front() == u'+' || field.front() == u'-' || field.front() == u'@');
}

QString csvField(const QString &value)
{
    // A spreadsheet evaluates a cell starting with = + - @; the quote makes it text.
    QString field = looksLikeFormula(value) ? QLatin1Char('\'') + value : value;
    const bool quote = field.contains(u',') || field.contains(u'"') || field.contains(u'\n') || field.contains(u'\r')
        || (!field.isEmpty() && (field.front().isSpace() || field.back().isSpace()));
    if (!quote)
        return field;
    field.replace(QStringLiteral("\""), QStringLiteral("\"\""));
    return QLatin1Char('"') + field + QLatin1Char('"');
}

/// The exported form of a field neutralised against formula injection, back to what it was.
QString unneutralise(const QString &field)
{
    if (field.size() >= 2 && field.front() == u'\'' && looksLikeFormula(field.mid(1)))
        return field.mid(1);
    return field;
}

/// One CSV record and the line it starts on (1-based).
struct CsvRecord
{
    int line = 0;
    QStringList fields;
};

/// RFC 4180 records of `text` (LF or CRLF; quoted fields may hold commas, quotes and line breaks).
/// A quote inside an unquoted field is taken literally, as spreadsheets do.
QList<CsvRecord> csvRecords(const QString &text)
{
    QList<CsvRecord> records;
    CsvRecord record;
    QString field;
    bool inQuotes = false;
    bool quotedField = false;
    int line = 1;
    record.line = 1;
    const auto endField = [&] {
        record.fields.append(field);
        field.clear();
        quotedField = false;
    };
    const auto endRecord = [&] {
        endField();
        records.append(record);
        record = {};
        record.line = line;
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (inQuotes) {
            if (c == u'"') {
                if (i + 1 < text.size() && text.at(i + 1) == u'"') {
                    field.append(u'"');
                    ++i;
                } else {
                    inQuotes = false;
                }
            } else {
                if (c == u'\n')
                    ++line;
                field.append(c);
            }
            continue;
        }
        if (c == u'"' && field.trimmed().isEmpty() && !quotedField) {
            field.clear(); // spaces before an opening quote are not part of the value
            inQuotes = true;
            quotedField = true;
        } else if (c == u',') {
            endField();
        } else if (c == u'\r' && i + 1 < text.size() && text.at(i + 1) == u'\n') {
            continue; // the \n ends the record
        } else if (c == u'\n' || c == u'\r') {
            ++line;
            endRecord();
        } else {
            field.append(c);
        }
    }
    if (!field.isEmpty() || !record.fields.isEmpty() || quotedField)
        endRecord();
    return records;
}

/// Adds `key` to the import unless it is there already; says what was wrong with it.
void addInstrument(WatchlistImport &result, InstrumentKey key, const QString &where, const InstrumentPredicate &isKnown)
{
    key.venue = key.venue.trimmed().toLower();
    key.symbol = key.symbol.trimmed();
    if (result.list.instruments.contains(key)) {
        result.problems.append(QObject::tr("%1: %2:%3 is listed twice (skipped)").arg(where, key.venue, key.symbol));
        return;
    }
    if (isKnown && !isKnown(key))
        result.problems.append(QObject::tr("%1: unknown instrument %2:%3").arg(where, key.venue, key.symbol));
    result.list.instruments.append(key);
}

WatchlistImport importCsv(const QString &text, const InstrumentPredicate &isKnown, const QString &fallbackName)
{
    WatchlistImport result;
    result.list.name = fallbackName;
    int rows = 0;
    bool first = true;
    for (const CsvRecord &record : csvRecords(text)) {
        QStringList fields;
        for (const QString &f : record.fields)
            fields.append(f.trimmed());
        while (!fields.isEmpty() && fields.back().isEmpty())
            fields.removeLast(); // "venue,symbol," as some spreadsheets write it
        if (fields.isEmpty())
            continue; // a blank line
        const bool header = first && fields.size() == 2 && fields[0].compare(u"venue", Qt::CaseInsensitive) == 0
            && fields[1].compare(u"symbol", Qt::CaseInsensitive) == 0;
        first = false;
        if (header)
            continue;
        ++rows;
        const QString where = QObject::tr("line %1").arg(record.line);
        if (fields.size() != 2 || fields[0].isEmpty() || fields[1].isEmpty()) {
            result.problems.append(QObject::tr("%1: expected venue,symbol").arg(where));
            continue;
        }
        addInstrument(result, {unneutralise(fields[0]), unneutralise(fields[1])}, where, isKnown);
    }
    if (rows > 0 && result.list.instruments.isEmpty())
        result.error = QObject::tr("no line holds venue,symbol");
    return result;
}

WatchlistImport importJson(const QByteArray &data, const InstrumentPredicate &isKnown, const QString &fallbackName)
{
    WatchlistImport result;
    QJsonParseError parseError {};
    const QJsonDocument doc = QJsonDocument::fromJson(data, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        result.error
            = QObject::tr("not valid JSON (%1 at byte %2)").arg(parseError.errorString()).arg(parseError.offset);
        return result;
    }
    if (!doc.isObject()) {
        result.error = QObject::tr("not a watchlist: the JSON is not an object");
        return result;
    }
    const QJsonObject json = doc.object();
    const QJsonValue instruments = json.value(QLatin1String("instruments"));
    if (!instruments.isArray()) {
        result.error = QObject::tr("not a watchlist: no \"instruments\" list");
        return result;
    }
    const QString name = json.value(QLatin1String("name")).toString().trimmed();
    result.list.name = name.isEmpty() ? fallbackName : name;
    const QJsonArray entries = instruments.toArray();
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QString where = QObject::tr("entry %1").arg(i + 1);
        const QJsonObject entry = entries.at(i).toObject();
        const QJsonValue venue = entry.value(QLatin1String("venue"));
        const QJsonValue symbol = entry.value(QLatin1String("symbol"));
        if (!venue.isString() || !symbol.isString() || venue.toString().trimmed().isEmpty()
            || symbol.toString().trimmed().isEmpty()) {
            result.problems.append(QObject::tr("%1: expected {\"venue\", \"symbol\"}").arg(where));
            continue;
        }
        addInstrument(result, {venue.toString(), symbol.toString()}, where, isKnown);
    }
    if (!entries.isEmpty() && result.list.instruments.isEmpty()) {
        result.error = QObject::tr("no entry holds a venue and a symbol");
        return result;
    }
    // The view settings are optional; a wrong type is ignored rather than refusing the instruments.
    for (const QJsonValue column : json.value(QLatin1String("hidden_columns")).toArray()) {
        if (column.isString() && !result.list.hiddenColumns.contains(column.toString()))
            result.list.hiddenColumns.append(column.toString());
    }
    result.list.sortColumn = json.value(QLatin1String("sort_column")).toString();
    result.list.sortAscending = json.value(QLatin1String("sort_ascending")).toBool(true);
    return result;
}

} // namespace

WatchlistFormat watchlistFormatFor(const QString &path)
{
    return path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive) ? WatchlistFormat::Csv : WatchlistFormat::Json;
}

QByteArray exportWatchlist(const Watchlist &list, WatchlistFormat format)
{
    if (format == WatchlistFormat::Csv) {
        QString text = QStringLiteral("venue,symbol\r\n");
        for (const InstrumentKey &key : list.instruments)
            text += csvField(key.venue) + QLatin1Char(',') + csvField(key.symbol) + QStringLiteral("\r\n");
        return text.toUtf8();
    }
    QJsonArray instruments;
    for (const InstrumentKey &key : list.instruments)
        instruments.append(QJsonObject {{QStringLiteral("venue"), key.venue}, {QStringLiteral("symbol"), key.symbol}});
    QJsonObject json {{QStringLiteral("name"), list.name}, {QStringLiteral("instruments"), instruments}};
    if (!list.hiddenColumns.isEmpty())
        json.insert(QStringLiteral("hidden_columns"), QJsonArray::fromStringList(list.hiddenColumns));
    if (!list.sortColumn.isEmpty()) {
        json.insert(QStringLiteral("sort_column"), list.sortColumn);
        json.insert(QStringLiteral("sort_ascending"), list.sortAscending);
    }
    return QJsonDocument(json).toJson(QJsonDocument::Indented);
}

WatchlistImport importWatchlist(const QByteArray &data, WatchlistFormat format, const InstrumentPredicate &isKnown,
                                const QString &fallbackName)
{
    WatchlistImport result;
    QByteArray bytes = data;
    if (bytes.startsWith("\xEF\xBB\xBF"))
        bytes.remove(0, 3);
    if (bytes.trimmed().isEmpty()) {
        result.error = QObject::tr("the file is empty");
        return result;
    }
    if (bytes.contains('\0')) {
        result.error = QObject::tr("not a text file");
        return result;
    }
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString text = decoder.decode(bytes);
    if (decoder.hasError()) {
        result.error = QObject::tr("not UTF-8 text");
        return result;
    }
    const QString name = fallbackName.trimmed().isEmpty() ? QObject::tr("Imported") : fallbackName.trimmed();
    return format == WatchlistFormat::Csv ? importCsv(text, isKnown, name) : importJson(bytes, isKnown, name);
}

bool exportWatchlistFile(const Watchlist &list, const QString &path, QString *error)
{
    QSaveFile file(path);
    const QByteArray data = exportWatchlist(list, watchlistFormatFor(path));
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

WatchlistImport importWatchlistFile(const QString &path, const InstrumentPredicate &isKnown)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        WatchlistImport result;
        result.error = QObject::tr("%1 cannot be read (%2)").arg(path, file.errorString());
        return result;
    }
    if (file.size() > kMaxFileBytes) {
        WatchlistImport result;
        result.error = QObject::tr("%1 is too large for a watchlist").arg(path);
        return result;
    }
    const QByteArray data = file.read(kMaxFileBytes + 1);
    if (file.error() != QFileDevice::NoError) {
        WatchlistImport result;
        result.error = QObject::tr("%1 cannot be read (%2)").arg(path, file.errorString());
        return result;
    }
    return importWatchlist(data, watchlistFormatFor(path), isKnown, QFileInfo(path).completeBaseName());
}

} // namespace tickscope
