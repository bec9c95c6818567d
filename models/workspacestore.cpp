#include "workspacestore.h"

#include "marketcache.h" // lcModels

#include <QCoreApplication>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace tickscope {

WorkspaceStore::WorkspaceStore(QObject *parent)
    : QObject(parent)
{
    m_saveTimer.setSingleShot(true);
    m_saveTimer.setInterval(kSaveDelayMs);
    connect(&m_saveTimer, &QTimer::timeout, this, &WorkspaceStore::saveNow);
    if (QCoreApplication *app = QCoreApplication::instance())
        connect(app, &QCoreApplication::aboutToQuit, this, &WorkspaceStore::saveNow);
}

WorkspaceStore::~WorkspaceStore()
{
    saveNow();
}

void WorkspaceStore::load(const QString &dir, const Workspace &defaults, const QString &legacySettingsPath)
{
    m_path = workspacePath(dir);
    WorkspaceLoad load = loadWorkspace(m_path, defaults, legacySettingsPath);
    m_workspace = std::move(load.workspace);
    m_outcome = load.outcome;
    m_loadMessage = load.message;
    if (!m_loadMessage.isEmpty())
        qCWarning(lcModels).noquote() << m_loadMessage;
    if (load.importedLegacy)
        qCInfo(lcModels).noquote() << "workspace: took over the settings of an earlier version";
    // A first start, a recovered or migrated workspace: written out at once so the file exists.
    m_dirty = load.outcome != WorkspaceLoad::Outcome::Loaded;
    saveNow();
    Q_EMIT workspaceReplaced();
    Q_EMIT preferencesChanged();
    Q_EMIT connectionSettingsChanged();
    Q_EMIT panesChanged();
    Q_EMIT layoutsChanged();
    Q_EMIT loadMessageChanged();
}

void WorkspaceStore::setWorkspace(const Workspace &workspace)
{
    if (workspace == m_workspace)
        return;
    m_workspace = workspace;
    changed();
    Q_EMIT workspaceReplaced();
    Q_EMIT preferencesChanged();
    Q_EMIT connectionSettingsChanged();
    Q_EMIT panesChanged();
}

void WorkspaceStore::modify(const std::function<void(Workspace &)> &change)
{
    Workspace before = m_workspace;
    change(m_workspace);
    if (m_workspace == before)
        return;
    changed();
    Q_EMIT workspaceModified();
}

void WorkspaceStore::changed()
{
    m_dirty = true;
    if (!m_path.isEmpty())
        m_saveTimer.start(); // restarts: saved once the changes pause
}

void WorkspaceStore::setDarkTheme(bool dark)
{
    if (dark == m_workspace.darkTheme)
        return;
    m_workspace.darkTheme = dark;
    changed();
    Q_EMIT preferencesChanged();
}

void WorkspaceStore::setColorBlind(bool colorBlind)
{
    if (colorBlind == m_workspace.colorBlind)
        return;
    m_workspace.colorBlind = colorBlind;
    changed();
    Q_EMIT preferencesChanged();
}

void WorkspaceStore::setChartInterval(const QString &interval)
{
    static const QStringList known {QStringLiteral("1s"),  QStringLiteral("1m"), QStringLiteral("5m"),
                                    QStringLiteral("15m"), QStringLiteral("1h"), QStringLiteral("1d")};
    if (interval == m_workspace.chartInterval || !known.contains(interval))
        return;
    m_workspace.chartInterval = interval;
    changed();
    Q_EMIT preferencesChanged();
}

namespace {
/// `value` within [min, max]; NaN (a cleared spin box) counts as the minimum.
double clamped(double value, double min, double max)
{
    return std::isnan(value) ? min : std::clamp(value, min, max);
}
} // namespace

void WorkspaceStore::setUiScale(double scale)
{
    scale = clamped(scale, Workspace::kMinUiScale, Workspace::kMaxUiScale);
    if (qFuzzyCompare(scale, m_workspace.uiScale))
        return;
    m_workspace.uiScale = scale;
    changed();
    Q_EMIT preferencesChanged();
}

void WorkspaceStore::setThousandsSeparators(bool on)
{
    if (on == m_workspace.thousandsSeparators)
        return;
    m_workspace.thousandsSeparators = on;
    changed();
    Q_EMIT preferencesChanged();
}

void WorkspaceStore::setReconnectBaseSeconds(double seconds)
{
    seconds = clamped(seconds, Workspace::kMinReconnectBase, Workspace::kMaxReconnectBase);
    if (qFuzzyCompare(seconds, m_workspace.reconnectBaseSeconds))
        return;
    m_workspace.reconnectBaseSeconds = seconds;
    // The cap is never below the base (the file would be refused otherwise).
    m_workspace.reconnectCapSeconds
        = std::max(m_workspace.reconnectCapSeconds, std::max(seconds, Workspace::kMinReconnectCap));
    changed();
    Q_EMIT connectionSettingsChanged();
}

void WorkspaceStore::setReconnectCapSeconds(double seconds)
{
    seconds = clamped(seconds, Workspace::kMinReconnectCap, Workspace::kMaxReconnectCap);
    if (qFuzzyCompare(seconds, m_workspace.reconnectCapSeconds))
        return;
    m_workspace.reconnectCapSeconds = seconds;
    m_workspace.reconnectBaseSeconds = std::min(m_workspace.reconnectBaseSeconds, seconds);
    changed();
    Q_EMIT connectionSettingsChanged();
}

void WorkspaceStore::setSilenceTimeoutSeconds(double seconds)
{
    seconds = clamped(seconds, Workspace::kMinSilence, Workspace::kMaxSilence);
    if (qFuzzyCompare(seconds, m_workspace.silenceTimeoutSeconds))
        return;
    m_workspace.silenceTimeoutSeconds = seconds;
    changed();
    Q_EMIT connectionSettingsChanged();
}

QVariant WorkspaceStore::splitState() const
{
    return m_workspace.panes.splitState.isEmpty() ? QVariant() : QVariant(m_workspace.panes.splitState);
}

void WorkspaceStore::setSplitState(const QVariant &state)
{
    const QByteArray bytes = state.toByteArray();
    if (bytes == m_workspace.panes.splitState)
        return;
    m_workspace.panes.splitState = bytes;
    changed();
    Q_EMIT panesChanged();
}

QVariant WorkspaceStore::centerState() const
{
    return m_workspace.panes.centerState.isEmpty() ? QVariant() : QVariant(m_workspace.panes.centerState);
}

void WorkspaceStore::setCenterState(const QVariant &state)
{
    const QByteArray bytes = state.toByteArray();
    if (bytes == m_workspace.panes.centerState)
        return;
    m_workspace.panes.centerState = bytes;
    changed();
    Q_EMIT panesChanged();
}

namespace {
const QStringList &knownPanes()
{
    static const QStringList known {QStringLiteral("watchlist"), QStringLiteral("book"), QStringLiteral("chart"),
                                    QStringLiteral("trades")};
    return known;
}
} // namespace

QVariantMap WorkspaceStore::paneShown() const
{
    QVariantMap shown;
    for (const QString &pane : knownPanes())
        shown.insert(pane, !m_workspace.panes.hiddenPanes.contains(pane));
    return shown;
}

void WorkspaceStore::setHiddenPanes(const QStringList &panes)
{
    const QStringList &known = knownPanes();
    QStringList hidden;
    for (const QString &pane : panes) {
        if (known.contains(pane) && !hidden.contains(pane))
            hidden.append(pane);
    }
    if (hidden == m_workspace.panes.hiddenPanes)
        return;
    m_workspace.panes.hiddenPanes = hidden;
    changed();
    Q_EMIT panesChanged();
}

void WorkspaceStore::setPaneVisible(const QString &pane, bool visible)
{
    QStringList hidden = m_workspace.panes.hiddenPanes;
    if (visible)
        hidden.removeAll(pane);
    else if (!hidden.contains(pane))
        hidden.append(pane);
    setHiddenPanes(hidden);
}

QString WorkspaceStore::saveLayout(const QString &name)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return tr("A layout needs a name.");
    constexpr int kMaxName = 64;
    if (trimmed.size() > kMaxName)
        return tr("A layout name has at most %1 characters.").arg(kMaxName);
    m_workspace.layouts.insert(trimmed, m_workspace.panes);
    changed();
    Q_EMIT layoutsChanged();
    return {};
}

bool WorkspaceStore::applyLayout(const QString &name)
{
    const auto it = m_workspace.layouts.constFind(name);
    if (it == m_workspace.layouts.constEnd())
        return false;
    m_workspace.panes = *it;
    changed();
    Q_EMIT panesChanged();
    Q_EMIT layoutApplied();
    return true;
}

bool WorkspaceStore::deleteLayout(const QString &name)
{
    if (m_workspace.layouts.remove(name) == 0)
        return false;
    changed();
    Q_EMIT layoutsChanged();
    return true;
}

void WorkspaceStore::dismissLoadMessage()
{
    if (m_loadMessage.isEmpty())
        return;
    m_loadMessage.clear();
    Q_EMIT loadMessageChanged();
}

bool WorkspaceStore::saveNow()
{
    m_saveTimer.stop();
    if (!m_dirty || m_path.isEmpty())
        return true;
    QString error;
    if (!saveWorkspace(m_workspace, m_path, &error)) {
        const QString message = tr("The workspace could not be saved to %1: %2").arg(m_path, error);
        qCWarning(lcModels).noquote() << message;
        Q_EMIT saveFailed(message);
        return false;
    }
    m_dirty = false;
    ++m_saves;
    return true;
}

QJsonObject WorkspaceStore::statsJson() const
{
    qsizetype instruments = 0;
    for (const Watchlist &list : m_workspace.watchlists)
        instruments += list.instruments.size();
    return {{QStringLiteral("watchlists"), static_cast<qint64>(m_workspace.watchlists.size())},
            {QStringLiteral("instruments"), static_cast<qint64>(instruments)},
            {QStringLiteral("loaded_from_backup_defaults"), m_outcome == WorkspaceLoad::Outcome::Recovered}};
}

} // namespace tickscope
