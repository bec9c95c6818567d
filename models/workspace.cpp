#include "workspace.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSet>
#include <QSettings>

#include <cmath>

namespace tickscope {

namespace {

const QStringList kIntervals {QStringLiteral("1s"),  QStringLiteral("1m"), QStringLiteral("5m"),
                              QStringLiteral("15m"), QStringLiteral("1h"), QStringLiteral("1d")};
const QStringList kPanes {QStringLiteral("watchlist"), QStringLiteral("book"), QStringLiteral("chart"),
                          QStringLiteral("trades")};

QJsonArray stringArray(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QJsonObject keyJson(const InstrumentKey &key)
{
    return {{QStringLiteral("venue"), key.venue}, {QStringLiteral("symbol"), key.symbol}};
}

QJsonObject paneJson(const PaneLayout &panes)
{
    return {{QStringLiteral("split"), QString::fromLatin1(panes.splitState.toBase64())},
            {QStringLiteral("center"), QString::fromLatin1(panes.centerState.toBase64())},
            {QStringLiteral("hidden"), stringArray(panes.hiddenPanes)}};
}

/// Reads fields of one JSON object with their types checked; the first problem is kept, with the
/// path of the field ("watchlists[1].instruments[3].symbol: not a string").
class Reader
{
public:
    Reader(const QJsonObject &object, QString path, QString *error)
        : m_object(object)
        , m_path(std::move(path))
        , m_error(error)
    { }

    bool ok() const { return m_ok; }
    bool has(const char *key) const { return m_object.contains(QLatin1String(key)); }
    QString pathOf(const char *key) const
    {
        if (m_path.isEmpty())
            return QLatin1String(key);
        return m_path + QLatin1Char('.') + QLatin1String(key);
    }

    void fail(const QString &what)
    {
        if (m_ok && m_error)
            *m_error = what;
        m_ok = false;
    }

    QString string(const char *key, const QString &fallback, bool required = false)
    {
        const QJsonValue v = m_object.value(QLatin1String(key));
        if (v.isUndefined()) {
            if (required)
                fail(QStringLiteral("%1: missing").arg(pathOf(key)));
            return fallback;
        }
        if (!v.isString()) {
            fail(QStringLiteral("%1: not a string").arg(pathOf(key)));
            return fallback;
        }
        return v.toString();
    }
    bool boolean(const char *key, bool fallback)
    {
        const QJsonValue v = m_object.value(QLatin1String(key));
        if (v.isUndefined())
            return fallback;
        if (!v.isBool()) {
            fail(QStringLiteral("%1: not true or false").arg(pathOf(key)));
            return fallback;
        }
        return v.toBool();
    }
    double number(const char *key, double fallback, double min, double max)
    {
        const QJsonValue v = m_object.value(QLatin1String(key));
        if (v.isUndefined())
            return fallback;
        if (!v.isDouble() || !std::isfinite(v.toDouble()) || v.toDouble() < min || v.toDouble() > max) {
            fail(QStringLiteral("%1: not a number from %2 to %3").arg(pathOf(key)).arg(min).arg(max));
            return fallback;
        }
        return v.toDouble();
    }
    QJsonArray array(const char *key)
    {
        const QJsonValue v = m_object.value(QLatin1String(key));
        if (v.isUndefined())
            return {};
        if (!v.isArray()) {
            fail(QStringLiteral("%1: not a list").arg(pathOf(key)));
            return {};
        }
        return v.toArray();
    }
    QJsonObject object(const char *key)
    {
        const QJsonValue v = m_object.value(QLatin1String(key));
        if (v.isUndefined())
            return {};
        if (!v.isObject()) {
            fail(QStringLiteral("%1: not an object").arg(pathOf(key)));
            return {};
        }
        return v.toObject();
    }
    QStringList strings(const char *key)
    {
        QStringList out;
        const QJsonArray items = array(key);
        for (qsizetype i = 0; i < items.size(); ++i) {
            if (!items.at(i).isString()) {
                fail(QStringLiteral("%1[%2]: not a string").arg(pathOf(key)).arg(i));
                return {};
            }
            out.append(items.at(i).toString());
        }
        return out;
    }
    QByteArray base64(const char *key)
    {
        const QString text = string(key, {});
        auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded) {
            fail(QStringLiteral("%1: not base64").arg(pathOf(key)));
            return {};
        }
        return *decoded;
    }

private:
    QJsonObject m_object;
    QString m_path;
    QString *m_error;
    bool m_ok = true;
};

/// Reads nested objects with a Reader, passing failure up.
template<typename Fn> bool readNested(Reader &parent, const QJsonValue &value, const QString &path, Fn &&fn)
{
    if (!value.isObject()) {
        parent.fail(QStringLiteral("%1: not an object").arg(path));
        return false;
    }
    QString error;
    Reader reader(value.toObject(), path, &error);
    fn(reader);
    if (!reader.ok())
        parent.fail(error);
    return reader.ok();
}

PaneLayout readPanes(Reader &r)
{
    PaneLayout panes;
    panes.splitState = r.base64("split");
    panes.centerState = r.base64("center");
    panes.hiddenPanes = r.strings("hidden");
    for (const QString &pane : std::as_const(panes.hiddenPanes)) {
        if (!kPanes.contains(pane))
            r.fail(QStringLiteral("%1: unknown pane \"%2\"").arg(r.pathOf("hidden"), pane));
    }
    return panes;
}

QString backupName(const QString &path)
{
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString candidate = QStringLiteral("%1.bad-%2").arg(path, stamp);
    for (int n = 2; QFileInfo::exists(candidate); ++n)
        candidate = QStringLiteral("%1.bad-%2-%3").arg(path, stamp).arg(n);
    return candidate;
}

/// Keeps the unusable file aside. Returns the backup's path ("" when it could not be moved or copied).
QString keepAside(const QString &path)
{
    const QString backup = backupName(path);
    if (QFile::rename(path, backup))
        return backup;
    if (QFile::copy(path, backup))
        return backup;
    return {};
}

/// The settings of builds before the workspace file: Main.qml's [window] group and the venues'.
bool importLegacy(const QString &settingsPath, Workspace &workspace)
{
    if (settingsPath.isEmpty() || !QFileInfo::exists(settingsPath))
        return false;
    QSettings settings(settingsPath, QSettings::IniFormat);
    bool any = false;
    settings.beginGroup(QStringLiteral("window"));
    if (settings.contains(QStringLiteral("darkTheme"))) {
        workspace.darkTheme = settings.value(QStringLiteral("darkTheme")).toBool();
        any = true;
    }
    if (settings.contains(QStringLiteral("colorBlind"))) {
        workspace.colorBlind = settings.value(QStringLiteral("colorBlind")).toBool();
        any = true;
    }
    if (settings.contains(QStringLiteral("splitState"))) {
        workspace.panes.splitState = settings.value(QStringLiteral("splitState")).toByteArray();
        any = true;
    }
    if (settings.contains(QStringLiteral("centerState"))) {
        workspace.panes.centerState = settings.value(QStringLiteral("centerState")).toByteArray();
        any = true;
    }
    settings.endGroup();
    // The feed's silence timeout was a hand-edited [feed] setting; out-of-range values are left out.
    if (settings.contains(QStringLiteral("feed/silenceTimeoutSeconds"))) {
        bool ok = false;
        const double seconds = settings.value(QStringLiteral("feed/silenceTimeoutSeconds")).toDouble(&ok);
        if (ok && seconds >= Workspace::kMinSilence && seconds <= Workspace::kMaxSilence) {
            workspace.silenceTimeoutSeconds = seconds;
            any = true;
        }
    }
    settings.beginGroup(QStringLiteral("venues"));
    const QStringList venueIds = settings.childGroups();
    settings.endGroup();
    for (const QString &venue : venueIds) {
        settings.beginGroup(QStringLiteral("venues/") + venue);
        VenueFeedSettings feed;
        feed.enabled = settings.value(QStringLiteral("enabled"), venue == QLatin1String("demo")).toBool();
        feed.wsUrl = settings.value(QStringLiteral("wsUrl")).toString();
        feed.restUrl = settings.value(QStringLiteral("restUrl")).toString();
        const QStringList symbols = settings.value(QStringLiteral("symbols")).toStringList();
        const bool demoSwitched = settings.contains(QStringLiteral("enabled"));
        settings.endGroup();
        // The demo feed's stored address was the embedded server's port of that run: only whether it
        // was on is taken over.
        if (venue != QLatin1String("demo"))
            workspace.feeds.insert(venue, feed);
        else if (demoSwitched)
            workspace.feeds.insert(venue, {feed.enabled, {}, {}});
        for (const QString &symbol : symbols) {
            const InstrumentKey key {venue, symbol};
            if (!workspace.watchlists.front().instruments.contains(key))
                workspace.watchlists.front().instruments.append(key);
        }
        any = true;
    }
    return any;
}

} // namespace

Workspace Workspace::defaults(const QStringList &demoSymbols)
{
    Workspace workspace;
    Watchlist list;
    list.name = QObject::tr("Watchlist");
    for (const QString &symbol : demoSymbols)
        list.instruments.append({QStringLiteral("demo"), symbol});
    workspace.watchlists.append(list);
    if (!demoSymbols.isEmpty())
        workspace.selected = {QStringLiteral("demo"), demoSymbols.first()};
    return workspace;
}

QList<InstrumentKey> Workspace::allInstruments() const
{
    QList<InstrumentKey> out;
    for (const Watchlist &list : watchlists) {
        for (const InstrumentKey &key : list.instruments) {
            if (!out.contains(key))
                out.append(key);
        }
    }
    return out;
}

QJsonObject Workspace::toJson() const
{
    QJsonArray lists;
    for (const Watchlist &list : watchlists) {
        QJsonArray instruments;
        for (const InstrumentKey &key : list.instruments)
            instruments.append(keyJson(key));
        lists.append(QJsonObject {{QStringLiteral("name"), list.name},
                                  {QStringLiteral("instruments"), instruments},
                                  {QStringLiteral("hidden_columns"), stringArray(list.hiddenColumns)},
                                  {QStringLiteral("sort_column"), list.sortColumn},
                                  {QStringLiteral("sort_ascending"), list.sortAscending}});
    }
    QJsonObject namedLayouts;
    for (auto it = layouts.begin(); it != layouts.end(); ++it)
        namedLayouts.insert(it.key(), paneJson(it.value()));
    QJsonObject feedObjects;
    for (auto it = feeds.begin(); it != feeds.end(); ++it) {
        feedObjects.insert(it.key(),
                           QJsonObject {{QStringLiteral("enabled"), it->enabled},
                                        {QStringLiteral("ws_url"), it->wsUrl},
                                        {QStringLiteral("rest_url"), it->restUrl}});
    }
    return {
        {QStringLiteral("schema_version"), kSchemaVersion},
        {QStringLiteral("watchlists"), lists},
        {QStringLiteral("current_list"), currentList},
        {QStringLiteral("selected"), selected.isValid() ? QJsonValue(keyJson(selected)) : QJsonValue()},
        {QStringLiteral("panes"), paneJson(panes)},
        {QStringLiteral("layouts"), namedLayouts},
        {QStringLiteral("chart_interval"), chartInterval},
        {QStringLiteral("theme"), darkTheme ? QStringLiteral("dark") : QStringLiteral("light")},
        {QStringLiteral("color_blind"), colorBlind},
        {QStringLiteral("ui_scale"), uiScale},
        {QStringLiteral("thousands_separators"), thousandsSeparators},
        {QStringLiteral("reconnect"),
         QJsonObject {{QStringLiteral("base_seconds"), reconnectBaseSeconds},
                      {QStringLiteral("cap_seconds"), reconnectCapSeconds},
                      {QStringLiteral("silence_seconds"), silenceTimeoutSeconds}}},
        {QStringLiteral("feeds"), feedObjects},
    };
}

std::optional<Workspace> Workspace::fromJson(const QJsonObject &json, QString *error)
{
    Workspace w;
    Reader r(json, {}, error);
    const QJsonValue version = json.value(QLatin1String("schema_version"));
    if (!version.isDouble() || version.toDouble() != std::floor(version.toDouble()) || version.toDouble() < 1) {
        r.fail(QStringLiteral("schema_version: missing or not a positive whole number"));
        return std::nullopt;
    }
    if (version.toInt() > kSchemaVersion) {
        r.fail(QStringLiteral("schema_version %1 is newer than this version of Tickscope understands (%2)")
                   .arg(version.toInt())
                   .arg(kSchemaVersion));
        return std::nullopt;
    }

    const QJsonArray lists = r.array("watchlists");
    for (qsizetype i = 0; i < lists.size() && r.ok(); ++i) {
        const QString path = QStringLiteral("watchlists[%1]").arg(i);
        readNested(r, lists.at(i), path, [&](Reader &l) {
            Watchlist list;
            list.name = l.string("name", {}, true);
            if (l.ok() && list.name.trimmed().isEmpty())
                l.fail(QStringLiteral("%1.name: empty").arg(path));
            const QJsonArray instruments = l.array("instruments");
            for (qsizetype j = 0; j < instruments.size() && l.ok(); ++j) {
                const QString keyPath = QStringLiteral("%1.instruments[%2]").arg(path).arg(j);
                readNested(l, instruments.at(j), keyPath, [&](Reader &k) {
                    InstrumentKey key {k.string("venue", {}, true), k.string("symbol", {}, true)};
                    if (k.ok() && !key.isValid())
                        k.fail(QStringLiteral("%1: empty venue or symbol").arg(keyPath));
                    if (k.ok() && !list.instruments.contains(key))
                        list.instruments.append(key);
                });
            }
            list.hiddenColumns = l.strings("hidden_columns");
            list.sortColumn = l.string("sort_column", {});
            list.sortAscending = l.boolean("sort_ascending", true);
            if (l.ok())
                w.watchlists.append(list);
        });
    }
    if (r.ok() && w.watchlists.isEmpty())
        r.fail(QStringLiteral("watchlists: none"));
    w.currentList = static_cast<int>(r.number("current_list", 0, 0, 1e6));
    if (r.ok() && w.currentList >= w.watchlists.size())
        r.fail(QStringLiteral("current_list: no list %1").arg(w.currentList));
    const QJsonValue selected = json.value(QLatin1String("selected"));
    if (!selected.isUndefined() && !selected.isNull() && r.ok()) {
        readNested(r, selected, QStringLiteral("selected"), [&](Reader &k) {
            w.selected = {k.string("venue", {}, true), k.string("symbol", {}, true)};
        });
    }
    if (r.has("panes") && r.ok())
        readNested(r, json.value(QLatin1String("panes")), QStringLiteral("panes"),
                   [&](Reader &p) { w.panes = readPanes(p); });
    const QJsonObject layouts = r.object("layouts");
    for (auto it = layouts.begin(); it != layouts.end() && r.ok(); ++it) {
        if (it.key().trimmed().isEmpty()) {
            r.fail(QStringLiteral("layouts: a layout without a name"));
            break;
        }
        readNested(r, it.value(), QStringLiteral("layouts.") + it.key(),
                   [&](Reader &p) { w.layouts.insert(it.key(), readPanes(p)); });
    }
    w.chartInterval = r.string("chart_interval", w.chartInterval);
    if (r.ok() && !kIntervals.contains(w.chartInterval))
        r.fail(QStringLiteral("chart_interval: \"%1\" is not one of %2").arg(w.chartInterval, kIntervals.join(u", ")));
    const QString theme = r.string("theme", QStringLiteral("dark"));
    if (r.ok() && theme != QLatin1String("dark") && theme != QLatin1String("light"))
        r.fail(QStringLiteral("theme: \"%1\" is neither dark nor light").arg(theme));
    w.darkTheme = theme != QLatin1String("light");
    w.colorBlind = r.boolean("color_blind", false);
    w.uiScale = r.number("ui_scale", 1.0, kMinUiScale, kMaxUiScale);
    w.thousandsSeparators = r.boolean("thousands_separators", false);
    if (r.has("reconnect") && r.ok()) {
        readNested(r, json.value(QLatin1String("reconnect")), QStringLiteral("reconnect"), [&](Reader &c) {
            w.reconnectBaseSeconds
                = c.number("base_seconds", w.reconnectBaseSeconds, kMinReconnectBase, kMaxReconnectBase);
            w.reconnectCapSeconds = c.number("cap_seconds", w.reconnectCapSeconds, kMinReconnectCap, kMaxReconnectCap);
            w.silenceTimeoutSeconds = c.number("silence_seconds", w.silenceTimeoutSeconds, kMinSilence, kMaxSilence);
            if (c.ok() && w.reconnectCapSeconds < w.reconnectBaseSeconds)
                c.fail(QStringLiteral("reconnect.cap_seconds: below base_seconds"));
        });
    }
    const QJsonObject feeds = r.object("feeds");
    for (auto it = feeds.begin(); it != feeds.end() && r.ok(); ++it) {
        readNested(r, it.value(), QStringLiteral("feeds.") + it.key(), [&](Reader &f) {
            VenueFeedSettings feed;
            feed.enabled = f.boolean("enabled", false);
            feed.wsUrl = f.string("ws_url", {});
            feed.restUrl = f.string("rest_url", {});
            w.feeds.insert(it.key(), feed);
        });
    }
    if (!r.ok())
        return std::nullopt;
    return w;
}

QString workspacePath(const QString &dir)
{
    return QDir(dir).filePath(QStringLiteral("workspace.json"));
}

WorkspaceLoad loadWorkspace(const QString &path, const Workspace &defaults, const QString &legacySettingsPath)
{
    WorkspaceLoad result;
    result.workspace = defaults;
    const QFileInfo info(path);
    if (!info.exists()) {
        result.outcome = WorkspaceLoad::Outcome::Missing;
        Workspace migrated = defaults;
        if (importLegacy(legacySettingsPath, migrated)) {
            result.workspace = migrated;
            result.importedLegacy = true;
        }
        return result;
    }
    QString problem;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        problem = QObject::tr("it cannot be read (%1)").arg(file.errorString());
    } else {
        const QByteArray data = file.readAll();
        file.close();
        QJsonParseError parseError {};
        const QJsonDocument doc = QJsonDocument::fromJson(data, &parseError);
        if (data.trimmed().isEmpty()) {
            problem = QObject::tr("it is empty");
        } else if (parseError.error != QJsonParseError::NoError) {
            problem = QObject::tr("it is not valid JSON (%1 at byte %2)")
                          .arg(parseError.errorString())
                          .arg(parseError.offset);
        } else if (!doc.isObject()) {
            problem = QObject::tr("it is not a JSON object");
        } else {
            QString error;
            if (std::optional<Workspace> workspace = Workspace::fromJson(doc.object(), &error)) {
                result.outcome = WorkspaceLoad::Outcome::Loaded;
                result.workspace = std::move(*workspace);
                return result;
            }
            problem = error;
        }
    }
    result.outcome = WorkspaceLoad::Outcome::Recovered;
    result.backupPath = keepAside(path);
    result.message = result.backupPath.isEmpty()
        ? QObject::tr("Your workspace file %1 could not be used: %2. Tickscope started with "
                      "defaults; the file could not be moved aside and will be replaced when the "
                      "workspace is saved.")
              .arg(QDir::toNativeSeparators(path), problem)
        : QObject::tr("Your workspace file could not be used: %1. Tickscope started with defaults; "
                      "the old file is kept as %2.")
              .arg(problem, QDir::toNativeSeparators(result.backupPath));
    return result;
}

bool saveWorkspace(const Workspace &workspace, const QString &path, QString *error)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    const QByteArray data = QJsonDocument(workspace.toJson()).toJson(QJsonDocument::Indented);
    if (file.write(data) != data.size()) {
        if (error)
            *error = file.errorString();
        file.cancelWriting();
        return false;
    }
    if (!file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

} // namespace tickscope
