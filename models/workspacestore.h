#pragma once

#include "workspace.h"

#include <QObject>
#include <QTimer>
#include <QVariant>
#include <QtQml/qqmlregistration.h>

#include <functional>

namespace tickscope {

/// The live workspace of the running app: loaded once at start from `<dir>/workspace.json`, changed
/// through its properties, saved atomically 500 ms after the last change and on exit. A file that
/// could not be used leaves `loadMessage` set for the window to show.
class WorkspaceStore : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The workspace is provided by MarketHub")
    Q_PROPERTY(bool darkTheme READ darkTheme WRITE setDarkTheme NOTIFY preferencesChanged)
    Q_PROPERTY(bool colorBlind READ colorBlind WRITE setColorBlind NOTIFY preferencesChanged)
    Q_PROPERTY(QString chartInterval READ chartInterval WRITE setChartInterval NOTIFY preferencesChanged)
    /// Size of text and rows, 0.75 … 2.0 (1 = 100 %); other values are clamped.
    Q_PROPERTY(double uiScale READ uiScale WRITE setUiScale NOTIFY preferencesChanged)
    /// Whether prices and sizes are shown with thousands separators ("12,345.5").
    Q_PROPERTY(bool thousandsSeparators READ thousandsSeparators WRITE setThousandsSeparators NOTIFY preferencesChanged)
    /// First reconnect delay ceiling in seconds, 0.05 … 60 (the cap is raised to stay above it).
    Q_PROPERTY(double reconnectBaseSeconds READ reconnectBaseSeconds WRITE setReconnectBaseSeconds NOTIFY
                   connectionSettingsChanged)
    /// Largest reconnect delay ceiling in seconds, 1 … 3600 (the base is lowered to stay below it).
    Q_PROPERTY(double reconnectCapSeconds READ reconnectCapSeconds WRITE setReconnectCapSeconds NOTIFY
                   connectionSettingsChanged)
    /// Seconds without data before a feed is Stale, 1 … 600 (venues that are quiet by nature keep
    /// their own longer timeout).
    Q_PROPERTY(double silenceTimeoutSeconds READ silenceTimeoutSeconds WRITE setSilenceTimeoutSeconds NOTIFY
                   connectionSettingsChanged)
    /// SplitView.saveState() of the main and centre split views (empty = never saved).
    Q_PROPERTY(QVariant splitState READ splitState WRITE setSplitState NOTIFY panesChanged)
    Q_PROPERTY(QVariant centerState READ centerState WRITE setCenterState NOTIFY panesChanged)
    /// Panes the user closed: "watchlist", "book", "chart", "trades".
    Q_PROPERTY(QStringList hiddenPanes READ hiddenPanes WRITE setHiddenPanes NOTIFY panesChanged)
    /// Pane → whether it shows ("watchlist", "book", "chart", "trades"; for bindings).
    Q_PROPERTY(QVariantMap paneShown READ paneShown NOTIFY panesChanged)
    /// Names of the saved layouts, sorted.
    Q_PROPERTY(QStringList layoutNames READ layoutNames NOTIFY layoutsChanged)
    /// What went wrong reading the workspace file ("" when nothing did).
    Q_PROPERTY(QString loadMessage READ loadMessage NOTIFY loadMessageChanged)
    Q_PROPERTY(QString path READ path CONSTANT)

public:
    static constexpr int kSaveDelayMs = 500;

    explicit WorkspaceStore(QObject *parent = nullptr);
    ~WorkspaceStore() override;

    /// Loads `<dir>/workspace.json` (see loadWorkspace()); the store saves there from now on.
    void load(const QString &dir, const Workspace &defaults, const QString &legacySettingsPath = {});
    const Workspace &workspace() const { return m_workspace; }
    const WorkspaceLoad::Outcome &outcome() const { return m_outcome; }
    /// Replaces the whole workspace (and saves it soon).
    void setWorkspace(const Workspace &workspace);
    /// Applies `change` to the live workspace and saves it soon; when it changed anything, emits
    /// workspaceModified() only (no preference or pane signals), so it stays cheap for frequent
    /// edits such as watchlists. The change must leave the workspace valid (what
    /// Workspace::fromJson() accepts).
    void modify(const std::function<void(Workspace &)> &change);

    bool darkTheme() const { return m_workspace.darkTheme; }
    void setDarkTheme(bool dark);
    bool colorBlind() const { return m_workspace.colorBlind; }
    void setColorBlind(bool colorBlind);
    QString chartInterval() const { return m_workspace.chartInterval; }
    void setChartInterval(const QString &interval);
    double uiScale() const { return m_workspace.uiScale; }
    void setUiScale(double scale);
    bool thousandsSeparators() const { return m_workspace.thousandsSeparators; }
    void setThousandsSeparators(bool on);
    double reconnectBaseSeconds() const { return m_workspace.reconnectBaseSeconds; }
    void setReconnectBaseSeconds(double seconds);
    double reconnectCapSeconds() const { return m_workspace.reconnectCapSeconds; }
    void setReconnectCapSeconds(double seconds);
    double silenceTimeoutSeconds() const { return m_workspace.silenceTimeoutSeconds; }
    void setSilenceTimeoutSeconds(double seconds);

    QVariant splitState() const;
    void setSplitState(const QVariant &state);
    QVariant centerState() const;
    void setCenterState(const QVariant &state);
    QStringList hiddenPanes() const { return m_workspace.panes.hiddenPanes; }
    void setHiddenPanes(const QStringList &panes);
    QVariantMap paneShown() const;
    /// Shows or hides one pane.
    Q_INVOKABLE void setPaneVisible(const QString &pane, bool visible);

    QStringList layoutNames() const { return m_workspace.layouts.keys(); }
    /// Saves the current arrangement (split states and hidden panes) as `name`, replacing a layout
    /// of that name. Returns "" or why not.
    Q_INVOKABLE QString saveLayout(const QString &name);
    /// Makes layout `name` the current arrangement; panesChanged and layoutApplied tell the window.
    Q_INVOKABLE bool applyLayout(const QString &name);
    Q_INVOKABLE bool deleteLayout(const QString &name);

    QString loadMessage() const { return m_loadMessage; }
    Q_INVOKABLE void dismissLoadMessage();
    QString path() const { return m_path; }

    /// Writes the workspace now if it changed (also done on exit). Returns false if a write failed.
    Q_INVOKABLE bool saveNow();
    /// Whether a change waits for its save.
    bool dirty() const { return m_dirty; }
    /// Saves written since start (tests).
    int saves() const { return m_saves; }

    /// For --stats: {"watchlists": N, "instruments": M, "loaded_from_backup_defaults": bool}.
    QJsonObject statsJson() const;

Q_SIGNALS:
    void preferencesChanged();
    void panesChanged();
    void layoutsChanged();
    /// A named layout replaced the arrangement: the window restores its split views from it.
    void layoutApplied();
    void loadMessageChanged();
    /// The whole workspace was replaced (load, setWorkspace): everything may have changed.
    void workspaceReplaced();
    /// modify() changed the workspace (watchlists, feeds, …).
    void workspaceModified();
    /// Reconnect base/cap or silence timeout changed: feeds should take the new values.
    void connectionSettingsChanged();
    /// A save failed (disk full, no permission): `message` says why. The next change retries.
    void saveFailed(const QString &message);

private:
    void changed();

    Workspace m_workspace;
    WorkspaceLoad::Outcome m_outcome = WorkspaceLoad::Outcome::Missing;
    QString m_path;
    QString m_loadMessage;
    QTimer m_saveTimer;
    bool m_dirty = false;
    int m_saves = 0;
};

} // namespace tickscope
