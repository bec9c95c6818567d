#pragma once

// The user's workspace as one JSON document: watchlists, what is selected, the arrangement of the
// panes (and named layouts), the chart interval, preferences and the venue feeds' settings. Plain
// values and free functions: reading, validating, migrating and writing the file. WorkspaceStore
// (workspacestore.h) keeps the live copy and saves it, debounced.

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace tickscope {

/// An instrument as the user chose it: the venue id and the venue's own symbol. The same symbol on
/// two venues is two instruments.
struct InstrumentKey
{
    QString venue; ///< "demo", "binance", …
    QString symbol; ///< venue spelling, e.g. "BTCUSDT", "BTC-USD"
    bool isValid() const { return !venue.isEmpty() && !symbol.isEmpty(); }
    friend bool operator==(const InstrumentKey &, const InstrumentKey &) = default;
};

/// One named watchlist: its instruments in the user's order and how its table is shown.
struct Watchlist
{
    QString name;
    QList<InstrumentKey> instruments;
    QStringList hiddenColumns; ///< column keys the user switched off ("volume", …)
    QString sortColumn; ///< "" = the user's own order
    bool sortAscending = true;
    friend bool operator==(const Watchlist &, const Watchlist &) = default;
};

/// The arrangement of the window: split view states (opaque, from SplitView.saveState()) and
/// which panes are hidden.
struct PaneLayout
{
    QByteArray splitState;
    QByteArray centerState;
    QStringList hiddenPanes; ///< "watchlist", "book", "chart", "trades"
    friend bool operator==(const PaneLayout &, const PaneLayout &) = default;
};

/// A venue feed's settings (the feeds settings page).
struct VenueFeedSettings
{
    bool enabled = false;
    QString wsUrl; ///< "" = the venue's default
    QString restUrl; ///< "" = the venue's default
    friend bool operator==(const VenueFeedSettings &, const VenueFeedSettings &) = default;
};

struct Workspace
{
    /// The version this build writes. Files of a newer version are refused (kept as a backup).
    static constexpr int kSchemaVersion = 1;
    /// The ranges of the preferences; fromJson() refuses values outside them.
    static constexpr double kMinUiScale = 0.75, kMaxUiScale = 2.0;
    static constexpr double kMinReconnectBase = 0.05, kMaxReconnectBase = 60;
    static constexpr double kMinReconnectCap = 1, kMaxReconnectCap = 3600; ///< and never below the base
    static constexpr double kMinSilence = 1, kMaxSilence = 600;

    QList<Watchlist> watchlists; ///< never empty once loaded
    int currentList = 0;
    InstrumentKey selected; ///< the instrument the book, trades and chart show
    PaneLayout panes;
    QMap<QString, PaneLayout> layouts; ///< named layouts
    QString chartInterval = QStringLiteral("1s"); ///< a fresh chart has something to say at once
    bool darkTheme = true;
    bool colorBlind = false;
    double uiScale = 1.0; ///< 0.75 … 2.0
    bool thousandsSeparators = false;
    double reconnectBaseSeconds = 0.5;
    double reconnectCapSeconds = 30;
    double silenceTimeoutSeconds = 5;
    QMap<QString, VenueFeedSettings> feeds; ///< by venue id

    /// What a new user starts with: one list holding the demo instruments in `demoSymbols`.
    static Workspace defaults(const QStringList &demoSymbols = {});
    /// Every instrument of every list, each once, in list order.
    QList<InstrumentKey> allInstruments() const;

    QJsonObject toJson() const;
    /// The workspace in `json` (current schema), or nothing with the first problem in `error`:
    /// every field is checked for its type and range; unknown fields are ignored.
    static std::optional<Workspace> fromJson(const QJsonObject &json, QString *error);
    friend bool operator==(const Workspace &, const Workspace &) = default;
};

/// The outcome of reading the workspace file.
struct WorkspaceLoad
{
    enum class Outcome {
        Loaded, ///< the file was read
        Missing, ///< no file yet: defaults (a first start)
        Recovered, ///< the file could not be used: defaults, the file kept aside as `backupPath`
    };
    Outcome outcome = Outcome::Missing;
    Workspace workspace;
    QString message; ///< for the user when Recovered (what was wrong, where the backup is)
    QString backupPath;
    bool importedLegacy = false; ///< no file yet; the settings of an older build were taken over
};

/// The workspace file in `dir` ("workspace.json").
QString workspacePath(const QString &dir);

/// Reads `path`. A file that cannot be used (unreadable, empty, truncated, not JSON, wrong types,
/// a newer schema) is renamed to "<path>.bad-<yyyyMMdd-HHmmss>" and defaults are returned with a
/// message saying what happened. Without a file, `legacy` (the QSettings file of builds before the
/// workspace existed: theme, pane states, venues and their followed symbols) is migrated when it
/// holds any of those.
WorkspaceLoad loadWorkspace(const QString &path, const Workspace &defaults, const QString &legacySettingsPath = {});

/// Writes `workspace` to `path` atomically (QSaveFile: the old file stays whole until the new one
/// is complete). Returns false with the reason in `error`.
bool saveWorkspace(const Workspace &workspace, const QString &path, QString *error);

} // namespace tickscope
