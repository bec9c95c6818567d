#pragma once

#include "watchlistio.h"
#include "watchlistmodel.h"
#include "workspacestore.h"

#include <QAbstractListModel>
#include <QList>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

namespace tickscope {

/// The user's named watchlists (the tabs above the watchlist table), kept in the workspace.
///
/// One list is current: its instruments, sort and hidden columns drive the WatchlistModel, and
/// the user's edits there (add, remove, move, sort) are written back to the workspace. Creating,
/// renaming, duplicating and deleting lists, and edits of the current list, can be undone (the
/// last 50 of them).
///
/// Roles: name (QString), count (int: instruments in the list), current (bool).
class WatchlistsModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The watchlists are provided by MarketHub")
    Q_PROPERTY(int currentIndex READ currentIndex WRITE setCurrentIndex NOTIFY currentIndexChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    /// Whether there is something to undo, and what ("Delete list “Majors”").
    Q_PROPERTY(bool canUndo READ canUndo NOTIFY undoChanged)
    Q_PROPERTY(QString undoText READ undoText NOTIFY undoChanged)
    /// Columns of the current list the user switched off (keys of WatchlistsModel::columns()).
    Q_PROPERTY(QStringList hiddenColumns READ hiddenColumns NOTIFY columnsChanged)
    /// Column key → whether the current list shows it (for bindings).
    Q_PROPERTY(QVariantMap columnShown READ columnShown NOTIFY columnsChanged)
    /// Every column that can be switched off, in display order.
    Q_PROPERTY(QStringList columns READ columns CONSTANT)

public:
    enum Roles {
        NameRole = Qt::UserRole + 1, ///< QString: the list's name
        CountRole, ///< int: instruments in the list
        CurrentRole, ///< bool: the list shown in the table
    };
    Q_ENUM(Roles)

    static constexpr int kUndoDepth = 50;

    WatchlistsModel(WorkspaceStore &store, WatchlistModel &rows, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int currentIndex() const { return m_store.workspace().currentList; }
    /// Shows list `index` in the table (out-of-range indexes are ignored).
    void setCurrentIndex(int index);
    int count() const { return static_cast<int>(m_store.workspace().watchlists.size()); }

    /// Adds an empty list after the others and makes it current; an empty name becomes
    /// "Watchlist N". Returns its index.
    Q_INVOKABLE int create(const QString &name = {});
    /// Renames list `index`. Returns "" or why not (empty name, a name another list has).
    Q_INVOKABLE QString rename(int index, const QString &name);
    /// Copies list `index` (as "<name> copy") after it and makes the copy current. Returns its
    /// index, -1 when out of range.
    Q_INVOKABLE int duplicate(int index);
    /// Deletes list `index` (undoable). The last remaining list cannot be deleted.
    Q_INVOKABLE bool remove(int index);
    /// Name of list `index` ("" when out of range).
    Q_INVOKABLE QString nameAt(int index) const;
    /// Whether `name` is already used by a list other than `except`.
    Q_INVOKABLE bool nameTaken(const QString &name, int except = -1) const;

    bool canUndo() const { return !m_undo.isEmpty(); }
    QString undoText() const { return m_undo.isEmpty() ? QString() : m_undo.last().text; }
    /// Restores the lists as they were before the last change.
    Q_INVOKABLE void undo();

    /// Sorts the current list by `column`: ascending first, then descending, then the user's order.
    Q_INVOKABLE void sortBy(const QString &column);
    QStringList hiddenColumns() const;
    QVariantMap columnShown() const;
    static QStringList columns();
    /// Shows or hides a column of the current list.
    Q_INVOKABLE void setColumnVisible(const QString &column, bool visible);

    /// Which instruments exist (for import reports); unset, every instrument counts as known.
    void setInstrumentPredicate(InstrumentPredicate isKnown) { m_isKnown = std::move(isKnown); }
    /// Reads a watchlist from a JSON or CSV file (`file` a local path or file: URL) into a new list
    /// after the others, made current (undoable). Returns {ok: bool, message: what happened in a
    /// sentence, problems: [per-row remarks: skipped rows, instruments no venue knows (kept, they
    /// wait)]}.
    Q_INVOKABLE QVariantMap importFile(const QVariant &file);
    /// Writes list `index` to a JSON or CSV file (by its extension). Returns "" or why not.
    Q_INVOKABLE QString exportFile(int index, const QVariant &file);

    /// Asks the view to let the user rename list `index` (emits renameRequested).
    Q_INVOKABLE void requestRename(int index) { Q_EMIT renameRequested(index); }

    /// Reads the lists from the workspace again (after it was loaded or replaced).
    void reload();

Q_SIGNALS:
    void currentIndexChanged();
    void countChanged();
    void undoChanged();
    void columnsChanged();
    /// The set of instruments over all lists may have changed (the feeds follow them).
    void instrumentsChanged();
    /// A tab asked for its list to be renamed; the pane opens its name field.
    void renameRequested(int index);

private:
    struct Snapshot
    {
        QList<Watchlist> lists;
        int current = 0;
        QString text;
    };
    /// Remembers the lists as they are now, for undo() of the change about to be made.
    void pushUndo(const QString &text);
    void pushUndo(Snapshot snapshot);
    /// Puts the current list into the table.
    void showCurrent();
    void onRowsEdited();
    /// Changes the workspace (our own change: followStore() ignores it).
    void write(const std::function<void(Workspace &)> &change);
    /// The workspace was changed by someone else (a venue adding what it follows).
    void followStore();
    void onSortChanged();
    QString uniqueName(const QString &base) const;

    WorkspaceStore &m_store;
    WatchlistModel &m_rows;
    QList<Snapshot> m_undo;
    InstrumentPredicate m_isKnown;
    bool m_showing = false; // showCurrent() is filling the table: its signals are not edits
    bool m_writing = false;
    int m_listCount = 0; // lists as the views know them
};

} // namespace tickscope
