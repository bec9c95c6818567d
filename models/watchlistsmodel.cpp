#include "watchlistsmodel.h"

#include <QFileInfo>
#include <QUrl>

#include <algorithm>

namespace tickscope {

WatchlistsModel::WatchlistsModel(WorkspaceStore &store, WatchlistModel &rows, QObject *parent)
    : QAbstractListModel(parent)
    , m_store(store)
    , m_rows(rows)
{
    connect(&m_rows, &WatchlistModel::edited, this, &WatchlistsModel::onRowsEdited);
    connect(&m_rows, &WatchlistModel::sortChanged, this, &WatchlistsModel::onSortChanged);
    connect(&m_store, &WorkspaceStore::workspaceReplaced, this, &WatchlistsModel::reload);
    connect(&m_store, &WorkspaceStore::workspaceModified, this, &WatchlistsModel::followStore);
}

void WatchlistsModel::write(const std::function<void(Workspace &)> &change)
{
    const bool writing = m_writing;
    m_writing = true;
    m_store.modify(change);
    m_writing = writing;
    m_listCount = count();
}

void WatchlistsModel::followStore()
{
    if (m_writing || count() == 0)
        return;
    if (count() != m_listCount) {
        // Lists added or removed elsewhere (a venue followed with no list yet): start over.
        beginResetModel();
        m_listCount = count();
        endResetModel();
        showCurrent();
        Q_EMIT countChanged();
        Q_EMIT currentIndexChanged();
        Q_EMIT instrumentsChanged();
        return;
    }
    const QList<InstrumentKey> &now = m_store.workspace().watchlists.at(currentIndex()).instruments;
    const QList<InstrumentKey> shown = m_rows.keys();
    if (now == shown)
        return;
    Q_EMIT dataChanged(index(0), index(count() - 1), {CountRole});
    if (now.size() > shown.size() && now.mid(0, shown.size()) == shown) {
        // Instruments appended elsewhere (followed on a venue): new rows, the table stays.
        m_showing = true;
        for (qsizetype i = shown.size(); i < now.size(); ++i)
            m_rows.addKey(now.at(i).venue, now.at(i).symbol);
        m_showing = false;
    } else {
        showCurrent();
    }
    Q_EMIT instrumentsChanged();
}

int WatchlistsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

QHash<int, QByteArray> WatchlistsModel::roleNames() const
{
    return {{NameRole, "name"}, {CountRole, "count"}, {CurrentRole, "current"}};
}

QVariant WatchlistsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index,
                    QAbstractItemModel::CheckIndexOption::IndexIsValid
                        | QAbstractItemModel::CheckIndexOption::ParentIsInvalid))
        return {};
    const Watchlist &list = m_store.workspace().watchlists.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return list.name;
    case CountRole:
        return static_cast<int>(list.instruments.size());
    case CurrentRole:
        return index.row() == currentIndex();
    default:
        return {};
    }
}

void WatchlistsModel::reload()
{
    beginResetModel();
    write([](Workspace &workspace) {
        if (workspace.watchlists.isEmpty())
            workspace.watchlists.append(Watchlist {tr("Watchlist"), {}, {}, {}, true});
        workspace.currentList = std::clamp(workspace.currentList, 0, static_cast<int>(workspace.watchlists.size()) - 1);
    });
    m_listCount = count();
    endResetModel();
    m_undo.clear();
    showCurrent();
    Q_EMIT countChanged();
    Q_EMIT currentIndexChanged();
    Q_EMIT undoChanged();
    Q_EMIT instrumentsChanged();
}

void WatchlistsModel::showCurrent()
{
    if (count() == 0)
        return;
    const Watchlist &list = m_store.workspace().watchlists.at(currentIndex());
    m_showing = true;
    m_rows.setSort(list.sortColumn, list.sortAscending);
    m_rows.setKeys(list.instruments);
    m_showing = false;
    Q_EMIT columnsChanged();
}

void WatchlistsModel::setCurrentIndex(int index)
{
    if (index < 0 || index >= count() || index == currentIndex())
        return;
    const int before = currentIndex();
    write([index](Workspace &workspace) { workspace.currentList = index; });
    showCurrent();
    Q_EMIT dataChanged(this->index(before), this->index(before), {CurrentRole});
    Q_EMIT dataChanged(this->index(index), this->index(index), {CurrentRole});
    Q_EMIT currentIndexChanged();
}

QString WatchlistsModel::uniqueName(const QString &base) const
{
    if (!nameTaken(base))
        return base;
    // "Scalps 2" taken: "Scalps 3", not "Scalps 2 2".
    QString stem = base;
    const qsizetype space = base.lastIndexOf(QLatin1Char(' '));
    bool numbered = false;
    if (space > 0)
        base.mid(space + 1).toInt(&numbered);
    if (numbered)
        stem = base.left(space);
    for (int n = 2;; ++n) {
        const QString name = QStringLiteral("%1 %2").arg(stem).arg(n);
        if (!nameTaken(name))
            return name;
    }
}

QString WatchlistsModel::nameAt(int index) const
{
    return index < 0 || index >= count() ? QString() : m_store.workspace().watchlists.at(index).name;
}

bool WatchlistsModel::nameTaken(const QString &name, int except) const
{
    const QList<Watchlist> &lists = m_store.workspace().watchlists;
    for (int i = 0; i < lists.size(); ++i) {
        if (i != except && lists.at(i).name.compare(name.trimmed(), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

int WatchlistsModel::create(const QString &name)
{
    const QString wanted = name.trimmed().isEmpty() ? tr("Watchlist") : name.trimmed();
    const QString unique = uniqueName(wanted);
    pushUndo(tr("New list “%1”").arg(unique));
    const int at = count();
    beginInsertRows({}, at, at);
    write([&](Workspace &workspace) { workspace.watchlists.append(Watchlist {unique, {}, {}, {}, true}); });
    endInsertRows();
    Q_EMIT countChanged();
    setCurrentIndex(at);
    return at;
}

QString WatchlistsModel::rename(int index, const QString &name)
{
    if (index < 0 || index >= count())
        return tr("There is no such list.");
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return tr("A list needs a name.");
    if (nameTaken(trimmed, index))
        return tr("Another list is already called “%1”.").arg(trimmed);
    const QString old = m_store.workspace().watchlists.at(index).name;
    if (old == trimmed)
        return {};
    pushUndo(tr("Rename “%1” to “%2”").arg(old, trimmed));
    write([&](Workspace &workspace) { workspace.watchlists[index].name = trimmed; });
    Q_EMIT dataChanged(this->index(index), this->index(index), {NameRole, Qt::DisplayRole});
    return {};
}

int WatchlistsModel::duplicate(int index)
{
    if (index < 0 || index >= count())
        return -1;
    Watchlist copy = m_store.workspace().watchlists.at(index);
    copy.name = uniqueName(tr("%1 copy").arg(copy.name));
    pushUndo(tr("Duplicate “%1”").arg(m_store.workspace().watchlists.at(index).name));
    const int at = index + 1;
    const int current = currentIndex();
    beginInsertRows({}, at, at);
    write([&](Workspace &workspace) {
        workspace.watchlists.insert(at, copy);
        if (workspace.currentList >= at)
            ++workspace.currentList;
    });
    endInsertRows();
    Q_EMIT countChanged();
    if (current >= at)
        Q_EMIT currentIndexChanged();
    setCurrentIndex(at);
    return at;
}

bool WatchlistsModel::remove(int index)
{
    if (index < 0 || index >= count() || count() <= 1)
        return false;
    const int current = currentIndex();
    pushUndo(tr("Delete list “%1”").arg(m_store.workspace().watchlists.at(index).name));
    beginRemoveRows({}, index, index);
    write([&](Workspace &workspace) {
        workspace.watchlists.removeAt(index);
        // Deleting the shown list shows the one before it (the first list: the next one).
        if (workspace.currentList > index || (workspace.currentList == index && index > 0))
            --workspace.currentList;
    });
    endRemoveRows();
    Q_EMIT countChanged();
    if (index == current) {
        showCurrent();
        const int now = currentIndex();
        Q_EMIT dataChanged(this->index(now), this->index(now), {CurrentRole});
    }
    if (index <= current)
        Q_EMIT currentIndexChanged();
    Q_EMIT instrumentsChanged();
    return true;
}

void WatchlistsModel::pushUndo(const QString &text)
{
    pushUndo(Snapshot {m_store.workspace().watchlists, currentIndex(), text});
}

void WatchlistsModel::pushUndo(Snapshot snapshot)
{
    m_undo.append(std::move(snapshot));
    while (m_undo.size() > kUndoDepth)
        m_undo.removeFirst();
    Q_EMIT undoChanged();
}

void WatchlistsModel::undo()
{
    if (m_undo.isEmpty())
        return;
    Snapshot snapshot = m_undo.takeLast();
    beginResetModel();
    write([&](Workspace &workspace) {
        workspace.watchlists = snapshot.lists;
        workspace.currentList = snapshot.current;
    });
    endResetModel();
    showCurrent();
    Q_EMIT countChanged();
    Q_EMIT currentIndexChanged();
    Q_EMIT undoChanged();
    Q_EMIT instrumentsChanged();
}

void WatchlistsModel::onRowsEdited()
{
    if (m_showing || count() == 0)
        return;
    const int index = currentIndex();
    const Watchlist &before = m_store.workspace().watchlists.at(index);
    const QList<InstrumentKey> now = m_rows.keys();
    if (now == before.instruments)
        return;
    const qsizetype removed = before.instruments.size() - now.size();
    QString text;
    if (removed > 0) {
        QString which;
        for (const InstrumentKey &key : before.instruments) {
            if (!now.contains(key)) {
                which = key.symbol;
                break;
            }
        }
        text = removed == 1 ? tr("Remove %1 from “%2”").arg(which, before.name)
                            : tr("Remove %1 instruments from “%2”").arg(removed).arg(before.name);
    } else if (removed < 0) {
        text = tr("Add %1 to “%2”").arg(now.last().symbol, before.name);
    } else {
        text = tr("Reorder “%1”").arg(before.name);
    }
    pushUndo(text);
    write([&](Workspace &workspace) { workspace.watchlists[index].instruments = now; });
    Q_EMIT dataChanged(this->index(index), this->index(index), {CountRole});
    if (removed != 0)
        Q_EMIT instrumentsChanged();
}

void WatchlistsModel::onSortChanged()
{
    if (m_showing || count() == 0)
        return;
    const int index = currentIndex();
    const QString column = m_rows.sortColumn();
    const bool ascending = m_rows.sortAscending();
    write([&](Workspace &workspace) {
        Watchlist &list = workspace.watchlists[index];
        list.sortColumn = column;
        list.sortAscending = ascending;
    });
}

void WatchlistsModel::sortBy(const QString &column)
{
    if (!WatchlistModel::sortableColumns().contains(column))
        return;
    if (m_rows.sortColumn() != column)
        m_rows.setSort(column, true);
    else if (m_rows.sortAscending())
        m_rows.setSort(column, false);
    else
        m_rows.setSort({}, true);
}

namespace {
/// A local path from a path or a file: URL (as FileDialog gives it).
QString localPath(const QVariant &file)
{
    const QUrl url = file.toUrl();
    if (url.isLocalFile())
        return url.toLocalFile();
    return file.toString();
}
} // namespace

QVariantMap WatchlistsModel::importFile(const QVariant &file)
{
    const QString path = localPath(file);
    WatchlistImport imported = importWatchlistFile(path, m_isKnown);
    if (!imported.ok()) {
        return {{QStringLiteral("ok"), false},
                {QStringLiteral("message"),
                 tr("%1 could not be imported: %2").arg(QFileInfo(path).fileName(), imported.error)},
                {QStringLiteral("problems"), QStringList()}};
    }
    Watchlist list = imported.list;
    list.name = uniqueName(list.name.trimmed().isEmpty() ? tr("Imported") : list.name.trimmed());
    pushUndo(tr("Import “%1”").arg(list.name));
    const int at = count();
    beginInsertRows({}, at, at);
    write([&](Workspace &workspace) { workspace.watchlists.append(list); });
    endInsertRows();
    Q_EMIT countChanged();
    setCurrentIndex(at);
    Q_EMIT instrumentsChanged();
    const qsizetype instruments = list.instruments.size();
    QString message = instruments == 1 ? tr("Imported 1 instrument into “%1”.").arg(list.name)
                                       : tr("Imported %1 instruments into “%2”.").arg(instruments).arg(list.name);
    if (imported.problems.size() == 1)
        message += QLatin1Char(' ') + tr("1 remark:");
    else if (imported.problems.size() > 1)
        message += QLatin1Char(' ') + tr("%1 remarks:").arg(imported.problems.size());
    return {{QStringLiteral("ok"), true},
            {QStringLiteral("message"), message},
            {QStringLiteral("problems"), imported.problems}};
}

QString WatchlistsModel::exportFile(int index, const QVariant &file)
{
    if (index < 0 || index >= count())
        return tr("There is no such list.");
    QString error;
    if (!exportWatchlistFile(m_store.workspace().watchlists.at(index), localPath(file), &error))
        return error;
    return {};
}

QStringList WatchlistsModel::columns()
{
    return {QStringLiteral("venue"), QStringLiteral("last"),   QStringLiteral("change"), QStringLiteral("bid"),
            QStringLiteral("ask"),   QStringLiteral("spread"), QStringLiteral("volume")};
}

QStringList WatchlistsModel::hiddenColumns() const
{
    if (count() == 0)
        return {};
    return m_store.workspace().watchlists.at(currentIndex()).hiddenColumns;
}

QVariantMap WatchlistsModel::columnShown() const
{
    const QStringList hidden = hiddenColumns();
    QVariantMap shown;
    for (const QString &column : columns())
        shown.insert(column, !hidden.contains(column));
    return shown;
}

void WatchlistsModel::setColumnVisible(const QString &column, bool visible)
{
    if (count() == 0 || !columns().contains(column) || hiddenColumns().contains(column) != visible)
        return;
    const int index = currentIndex();
    write([&](Workspace &workspace) {
        QStringList &hidden = workspace.watchlists[index].hiddenColumns;
        if (visible)
            hidden.removeAll(column);
        else
            hidden.append(column);
    });
    Q_EMIT columnsChanged();
}

} // namespace tickscope
