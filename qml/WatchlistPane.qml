import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Dialogs
import QtQuick.Layouts
import QtQuick.Templates as T
import Tickscope
import Tickscope.Models

// The watchlists: one tab per named list, the current list's instruments below with last,
// change %, bid, ask, spread and volume. Clicking a row (or moving with the arrow keys, PgUp/PgDn,
// Home/End) selects the instrument the other panels show. Delete removes the current row,
// Alt+Up/Down or dragging a row moves it, a column header sorts (ascending, descending, off), the
// header's context menu chooses columns. List edits can be undone (Ctrl+Z or the banner's Undo).
FocusScope {
    id: root

    property alias view: list
    readonly property WatchlistsModel lists: MarketHub.lists
    readonly property WatchlistModel rows: MarketHub.watchlist

    // The column headers: key, title and width (0 when hidden; the symbol column always shows and
    // also carries the venue).
    readonly property var headers: {
        const widths = Theme.watchlistWidths(root.lists.columnShown);
        const keys = ["symbol", "last", "change", "bid", "ask", "spread", "volume"];
        const titles = [qsTr("Symbol · venue"), qsTr("Last"), qsTr("Chg %"), qsTr("Bid"), qsTr("Ask"), qsTr("Spread"), qsTr("Volume")];
        return keys.map((key, i) => ({
                    key: key,
                    title: titles[i],
                    width: widths[i]
                }));
    }

    /// Makes `row` current and shows its instrument in the other panels.
    function choose(row: int) {
        if (list.count === 0)
            return;
        list.currentIndex = Math.max(0, Math.min(list.count - 1, row));
        const id = rows.instrumentAt(list.currentIndex);
        if (id >= 0)
            MarketHub.selectedInstrument = id;
    }
    /// The current row follows the selected instrument (after a sort, a list switch, an undo); no
    /// row is highlighted when the selected instrument is not in this list.
    function syncCurrent() {
        list.currentIndex = rows.rowOf(MarketHub.selectedInstrument);
    }
    /// Copies the current row (tab-separated, the figures as shown: pastes into a spreadsheet) or
    /// only its symbol, and says so next to the row.
    function copyCurrent(symbolOnly: bool) {
        if (list.currentIndex < 0)
            return;
        const symbol = root.rows.symbolAt(list.currentIndex);
        Clipboard.setText(symbolOnly ? symbol : root.rows.rowText(list.currentIndex));
        // Above the row; its place in the list's content is kept (the row's item may be recycled
        // while the tip shows), so the tip follows the row when the list scrolls.
        copiedTip.rowY = list.currentItem ? list.currentItem.y : list.contentY;
        copiedTip.show(symbolOnly ? qsTr("Copied “%1”").arg(symbol) : qsTr("Copied the row of %1").arg(symbol), 1500);
    }
    function removeCurrent() {
        const row = list.currentIndex;
        if (row < 0 || row >= list.count)
            return;
        rows.removeAt(row);
        root.choose(Math.min(row, list.count - 1));
    }
    function moveCurrent(delta: int) {
        const from = list.currentIndex;
        const to = from + delta;
        if (from < 0 || to < 0 || to >= list.count)
            return;
        rows.moveRow(from, to);
        list.currentIndex = to;
    }
    function startRename(index: int) {
        renamePopup.listIndex = index;
        renamePopup.open();
    }

    Connections {
        target: MarketHub
        function onSelectedInstrumentChanged() {
            root.syncCurrent();
        }
    }
    Connections {
        target: root.rows
        function onReordered() {
            root.syncCurrent();
        }
        function onModelReset() {
            root.syncCurrent();
        }
    }
    Connections {
        target: root.lists
        // Every change that can be undone is offered for undoing for a few seconds.
        function onUndoChanged() {
            undoBanner.visible = root.lists.canUndo;
            undoTimer.restart();
        }
        function onRenameRequested(index: int) {
            root.startRename(index);
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        PanelHeader {
            Layout.fillWidth: true
            title: qsTr("Watchlist") + "  (" + list.count + ")"
            active: root.activeFocus
            ToolButton {
                objectName: "listMenuButton"
                text: "\u22ee"
                font.pixelSize: Theme.fontSize
                implicitHeight: 24
                Accessible.name: qsTr("Watchlist menu")
                onClicked: listMenu.popup()
                contentItem: Text {
                    text: "\u22ee"
                    color: Theme.text
                    font.pixelSize: Theme.fontSize + 2
                    horizontalAlignment: Text.AlignHCenter
                    verticalAlignment: Text.AlignVCenter
                }
            }
        }

        // The lists, as tabs; double-click renames, right-click opens the list menu.
        RowLayout {
            Layout.fillWidth: true
            spacing: 0
            TabBar {
                id: tabs
                objectName: "watchlistTabs"
                Layout.fillWidth: true
                currentIndex: root.lists.currentIndex
                Accessible.name: qsTr("Watchlists")
                background: Rectangle {
                    color: Theme.panel
                }
                TapHandler {
                    acceptedButtons: Qt.RightButton
                    onTapped: point => {
                        for (let i = 0; i < tabs.count; ++i) {
                            const tab = tabs.itemAt(i);
                            if (tab.contains(tab.mapFromItem(tabs, point.position.x, point.position.y))) {
                                root.lists.currentIndex = i;
                                listMenu.popup();
                                return;
                            }
                        }
                    }
                }
                Repeater {
                    model: MarketHub.lists
                    delegate: TabButton {
                        id: tab
                        required property int index
                        required property string name
                        required property int count
                        objectName: "watchlistTab"
                        text: tab.name + "  " + tab.count
                        width: Math.max(90, implicitWidth)
                        font.pixelSize: Theme.smallFontSize
                        Accessible.name: qsTr("%1, %2 instruments").arg(tab.name).arg(tab.count)
                        onClicked: MarketHub.lists.currentIndex = tab.index
                        onDoubleClicked: MarketHub.lists.requestRename(tab.index)
                        contentItem: Text {
                            text: tab.text
                            font: tab.font
                            color: tab.checked ? Theme.text : Theme.textDim
                            horizontalAlignment: Text.AlignHCenter
                            verticalAlignment: Text.AlignVCenter
                            elide: Text.ElideRight
                        }
                        background: Rectangle {
                            color: tab.checked ? Theme.panelAlt : Theme.panel
                            Rectangle {
                                anchors.bottom: parent.bottom
                                width: parent.width
                                height: 2
                                color: tab.checked ? Theme.accent : "transparent"
                            }
                        }
                    }
                }
            }
            ToolButton {
                objectName: "newListButton"
                text: "+"
                implicitHeight: 28
                font.pixelSize: Theme.fontSize + 2
                Accessible.name: qsTr("New watchlist")
                ToolTip.visible: hovered
                ToolTip.text: qsTr("New watchlist")
                onClicked: root.startRename(root.lists.create(""))
                contentItem: Text {
                    text: "+"
                    color: Theme.accent
                    font.pixelSize: Theme.fontSize + 4
                    font.bold: true
                    horizontalAlignment: Text.AlignHCenter
                    verticalAlignment: Text.AlignVCenter
                }
            }
        }

        // Column headers: click to sort (again: descending, a third time: your own order),
        // right-click to choose the columns.
        Row {
            Layout.fillWidth: true
            Layout.leftMargin: 8
            height: Theme.rowHeight
            clip: true // a narrow pane cuts the columns, like the rows below, not the panes beside it
            TapHandler {
                acceptedButtons: Qt.RightButton
                onTapped: columnsMenu.popup()
            }
            Repeater {
                model: root.headers
                delegate: Item {
                    id: header
                    required property var modelData
                    required property int index
                    readonly property bool sorted: MarketHub.watchlist.sortColumn === header.modelData.key
                    objectName: "header_" + header.modelData.key
                    width: header.modelData.width
                    height: Theme.rowHeight
                    visible: width > 0
                    Accessible.role: Accessible.ColumnHeader
                    Accessible.name: header.modelData.title
                    Text {
                        anchors.fill: parent
                        verticalAlignment: Text.AlignVCenter
                        horizontalAlignment: header.index === 0 ? Text.AlignLeft : Text.AlignHCenter
                        text: header.modelData.title + (header.sorted ? (MarketHub.watchlist.sortAscending ? " \u25b2" : " \u25bc") : "")
                        color: header.sorted ? Theme.text : Theme.textDim
                        font.pixelSize: Theme.smallFontSize
                    }
                    TapHandler {
                        onTapped: MarketHub.lists.sortBy(header.modelData.key)
                    }
                }
            }
        }

        ListView {
            id: list
            objectName: "watchlistView"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            focus: true
            model: root.rows
            // Only the rows on screen exist: rows kept off screen would update their texts every frame.
            cacheBuffer: 0
            // Keys are handled below: only the user's moves change the selected instrument.
            keyNavigationEnabled: false
            highlightMoveDuration: 0
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar {}
            Accessible.role: Accessible.Table
            Accessible.name: qsTr("Watchlist")
            onCountChanged: root.syncCurrent()

            Keys.onPressed: event => {
                const page = Math.max(1, Math.floor(list.height / Theme.rowHeight) - 1);
                const alt = event.modifiers & Qt.AltModifier;
                if (event.matches(StandardKey.Copy)) {
                    root.copyCurrent(false);
                } else if (alt && event.key === Qt.Key_Up) {
                    root.moveCurrent(-1);
                } else if (alt && event.key === Qt.Key_Down) {
                    root.moveCurrent(1);
                } else if (event.key === Qt.Key_Up) {
                    root.choose(list.currentIndex - 1);
                } else if (event.key === Qt.Key_Down) {
                    root.choose(list.currentIndex + 1);
                } else if (event.key === Qt.Key_PageDown) {
                    root.choose(list.currentIndex + page);
                } else if (event.key === Qt.Key_PageUp) {
                    root.choose(list.currentIndex - page);
                } else if (event.key === Qt.Key_Home) {
                    root.choose(0);
                } else if (event.key === Qt.Key_End) {
                    root.choose(list.count - 1);
                } else if (event.key === Qt.Key_Delete) {
                    root.removeCurrent();
                } else if (event.key === Qt.Key_Menu && list.currentItem) {
                    rowMenu.popup(list.currentItem, 40, list.currentItem.height);
                } else {
                    return;
                }
                event.accepted = true;
            }

            delegate: WatchlistRow {
                width: ListView.view.width
                selected: ListView.isCurrentItem
                onClicked: {
                    ListView.view.currentIndex = index;
                    const id = MarketHub.watchlist.instrumentAt(index);
                    if (id >= 0)
                        MarketHub.selectedInstrument = id;
                    ListView.view.forceActiveFocus();
                }
                onMoved: (from, to) => ListView.view.currentIndex = to
            }

            Text {
                anchors.centerIn: parent
                visible: list.count === 0
                width: parent.width - 40
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                text: qsTr("This list is empty. Press Ctrl+K to add instruments.")
                color: Theme.textDim
                font.pixelSize: Theme.fontSize
            }

            // Undo for the last change of the lists, offered for a few seconds.
            Rectangle {
                id: undoBanner
                objectName: "undoBanner"
                anchors.left: parent.left
                anchors.right: parent.right
                anchors.bottom: parent.bottom
                height: 30
                visible: false
                color: Theme.panelAlt
                border.color: Theme.accent
                Accessible.role: Accessible.AlertMessage
                Accessible.name: root.lists.undoText
                Timer {
                    id: undoTimer
                    interval: 8000
                    onTriggered: undoBanner.visible = false
                }
                RowLayout {
                    anchors.fill: parent
                    anchors.leftMargin: 8
                    anchors.rightMargin: 4
                    Text {
                        Layout.fillWidth: true
                        text: root.lists.undoText
                        color: Theme.text
                        elide: Text.ElideRight
                        font.pixelSize: Theme.smallFontSize
                    }
                    Button {
                        objectName: "undoButton"
                        text: qsTr("Undo (Ctrl+Z)")
                        flat: true
                        implicitHeight: 26
                        font.pixelSize: Theme.smallFontSize
                        onClicked: root.lists.undo()
                    }
                }
            }
        }
    }

    // The current row's menu (right-click or the Menu key). One menu for all rows: a row may be
    // removed while its menu closes.
    Connections {
        target: list.currentItem as WatchlistRow
        function onContextMenuRequested() {
            rowMenu.popup();
        }
    }
    Menu {
        id: rowMenu
        objectName: "rowMenu"
        MenuRow {
            text: qsTr("Copy row (Ctrl+C)")
            onTriggered: root.copyCurrent(false)
        }
        MenuRow {
            text: qsTr("Copy symbol")
            onTriggered: root.copyCurrent(true)
        }
        MenuSeparator {}
        MenuRow {
            text: qsTr("Remove from list")
            onTriggered: root.removeCurrent()
        }
        MenuRow {
            text: qsTr("Move up")
            enabled: list.currentIndex > 0
            onTriggered: root.moveCurrent(-1)
        }
        MenuRow {
            text: qsTr("Move down")
            enabled: list.currentIndex < list.count - 1
            onTriggered: root.moveCurrent(1)
        }
    }

    // "Copied …", briefly, above the row that was copied.
    ToolTip {
        id: copiedTip
        objectName: "copiedTip"
        /// The copied row's y in the list's content.
        property real rowY: 0
        parent: list
        x: 40
        y: rowY - list.contentY - implicitHeight - 2
    }
    // A tip whose row has scrolled out of the list has nothing to point at.
    Connections {
        target: list
        enabled: copiedTip.visible
        function onContentYChanged() {
            if (copiedTip.rowY + Theme.rowHeight <= list.contentY || copiedTip.rowY >= list.contentY + list.height)
                copiedTip.close();
        }
    }

    Menu {
        id: columnsMenu
        objectName: "columnsMenu"
        title: qsTr("Columns")
        Repeater {
            model: root.lists.columns
            delegate: MenuRow {
                required property string modelData
                checkable: true
                checked: MarketHub.lists.columnShown[modelData] !== false
                text: {
                    const titles = {
                        venue: qsTr("Venue"),
                        last: qsTr("Last"),
                        change: qsTr("Change %"),
                        bid: qsTr("Bid"),
                        ask: qsTr("Ask"),
                        spread: qsTr("Spread"),
                        volume: qsTr("Volume")
                    };
                    return titles[modelData];
                }
                onTriggered: MarketHub.lists.setColumnVisible(modelData, checked)
            }
        }
    }

    Menu {
        id: listMenu
        objectName: "listMenu"
        MenuRow {
            text: qsTr("New list")
            onTriggered: root.startRename(root.lists.create(""))
        }
        MenuRow {
            text: qsTr("Rename…")
            onTriggered: root.startRename(root.lists.currentIndex)
        }
        MenuRow {
            text: qsTr("Duplicate")
            onTriggered: root.lists.duplicate(root.lists.currentIndex)
        }
        MenuRow {
            objectName: "deleteListItem"
            text: qsTr("Delete list")
            enabled: root.lists.count > 1
            onTriggered: root.lists.remove(root.lists.currentIndex)
        }
        MenuSeparator {}
        MenuRow {
            objectName: "importItem"
            text: qsTr("Import list…")
            onTriggered: root.openFileDialog(importDialog)
        }
        MenuRow {
            objectName: "exportItem"
            text: qsTr("Export list…")
            onTriggered: root.openFileDialog(exportDialog)
        }
        MenuSeparator {}
        MenuRow {
            text: qsTr("Undo") + (root.lists.canUndo ? ": " + root.lists.undoText : "")
            enabled: root.lists.canUndo
            onTriggered: root.lists.undo()
        }
        MenuSeparator {}
        MenuRow {
            text: qsTr("Sort by venue")
            onTriggered: root.lists.sortBy("venue")
        }
        MenuRow {
            text: qsTr("Your own order")
            enabled: root.rows.sortColumn.length > 0
            onTriggered: root.rows.setSort("", true)
        }
        MenuRow {
            text: qsTr("Columns…")
            onTriggered: columnsMenu.popup()
        }
    }

    // Naming a list: Enter applies, Escape cancels; a refused name says why.
    NamePopup {
        id: renamePopup
        objectName: "renamePopup"
        property int listIndex: -1
        parent: root
        x: 12
        y: 56
        width: Math.min(root.width - 24, 320)
        title: qsTr("List name")
        initialText: root.lists.nameAt(listIndex)
        onClosed: list.forceActiveFocus()
        onSubmitted: text => {
            problem = root.lists.rename(listIndex, text);
            if (problem.length === 0)
                close();
        }
    }

    readonly property alias importDialog: importDialog
    readonly property alias exportDialog: exportDialog

    /// Whether Qt Quick's own file dialog can be made. On Linux (no native dialog without a desktop
    /// platform theme) it needs the Qt.labs.folderlistmodel module, which Debian packages apart
    /// (qml6-module-qt-labs-folderlistmodel); without it FileDialog.open() crashes the app (Qt 6.4).
    /// Elsewhere the platform's native dialogs are used.
    /// Asked when a dialog is first wanted, not at start-up (the probe loads a plugin).
    function fileDialogsWork(): bool {
        if (root.fileDialogProbe === 0) {
            root.fileDialogProbe = 1;
            if (Qt.platform.os === "linux") {
                try {
                    Qt.createQmlObject("import QtQml\nimport Qt.labs.folderlistmodel\nFolderListModel {}", root, "probe").destroy();
                } catch (error) {
                    root.fileDialogProbe = -1;
                }
            }
        }
        return root.fileDialogProbe > 0;
    }
    property int fileDialogProbe: 0 // 0 not asked yet, 1 the dialogs work, -1 they cannot be made
    /// Opens an import/export dialog, or says why there is none instead of crashing.
    function openFileDialog(dialog) {
        if (root.fileDialogsWork()) {
            dialog.open();
            root.fixFileDialog(); // the dialog's items are made by open()
            return;
        }
        importReport.ok = false;
        importReport.message = qsTr("No file dialog: Qt's QML module Qt.labs.folderlistmodel is missing (on Debian and Ubuntu: sudo apt-get install qml6-module-qt-labs-folderlistmodel).");
        importReport.problems = [];
        importReport.open();
    }

    /// Two faults of Qt 6.4's own file dialog, worked around on its items (found in the overlay):
    /// - it draws its folder path on a white rectangle whatever the palette, in the palette's window
    ///   text colour (light on white in the dark theme): the bar takes the theme's field colour;
    /// - a typed file name counts only once its field finishes editing (Enter), and the accept button
    ///   does not take the focus: "type a name, click Export" did nothing. Each edit now counts.
    function fixFileDialog() {
        (function visit(item) {
            if (String(item).indexOf("FolderBreadcrumbBar") >= 0 && item.background) {
                item.background.color = Theme.window;
                item.palette.button = Theme.textDim;
            } else if (item.objectName === "fileNameTextField" && root.fixedNameFields.indexOf(item) < 0) {
                root.fixedNameFields.push(item);
                item.textEdited.connect(item.editingFinished);
            }
            for (let i = 0; i < item.children.length; ++i)
                visit(item.children[i]);
        })(T.Overlay.overlay);
    }
    property var fixedNameFields: []

    /// Imports `file` (a path or file: URL) as a new list and shows what happened.
    function importFrom(file) {
        const report = Object.assign({}, root.lists.importFile(file)); // a plain object: its keys are read below
        importReport.ok = report.ok;
        importReport.message = report.message;
        importReport.problems = report.problems;
        importReport.open();
    }
    /// Exports the current list to `file`; a failure is shown.
    function exportTo(file) {
        const problem = root.lists.exportFile(root.lists.currentIndex, file);
        if (problem.length > 0) {
            importReport.ok = false;
            importReport.message = qsTr("The list could not be exported: %1").arg(problem);
            importReport.problems = [];
            importReport.open();
        }
    }

    FileDialog {
        id: importDialog
        title: qsTr("Import a watchlist")
        fileMode: FileDialog.OpenFile
        acceptLabel: qsTr("Import")
        nameFilters: [qsTr("Watchlists (*.json *.csv)"), qsTr("All files (*)")]
        onAccepted: root.importFrom(importDialog.selectedFile)
    }
    FileDialog {
        id: exportDialog
        title: qsTr("Export “%1”").arg(root.lists.nameAt(root.lists.currentIndex))
        fileMode: FileDialog.SaveFile
        acceptLabel: qsTr("Export") // Qt 6.4's own dialog says "Open" otherwise
        defaultSuffix: "json"
        nameFilters: [qsTr("JSON (*.json)"), qsTr("CSV, venue,symbol per line (*.csv)")]
        onAccepted: root.exportTo(exportDialog.selectedFile)
    }

    // What an import did: the count, and every row it skipped or could not find on a venue.
    Popup {
        id: importReport
        objectName: "importReport"
        property bool ok: true
        property string message: ""
        property var problems: []
        parent: root
        x: 12
        y: 56
        width: Math.min(root.width - 24, 460)
        modal: true
        focus: true
        padding: 10
        background: Rectangle {
            color: Theme.panel
            border.color: importReport.ok ? Theme.accent : Theme.error
            radius: 6
        }
        onClosed: list.forceActiveFocus()
        ColumnLayout {
            anchors.fill: parent
            spacing: 6
            Text {
                Layout.fillWidth: true
                text: importReport.message
                color: importReport.ok ? Theme.text : Theme.error
                wrapMode: Text.Wrap
                font.pixelSize: Theme.fontSize
            }
            ListView {
                Layout.fillWidth: true
                Layout.preferredHeight: Math.min(contentHeight, 200)
                visible: importReport.problems.length > 0
                clip: true
                model: importReport.problems
                ScrollBar.vertical: ScrollBar {}
                delegate: Text {
                    required property string modelData
                    width: ListView.view.width
                    text: "• " + modelData
                    color: Theme.warning
                    wrapMode: Text.Wrap
                    font.pixelSize: Theme.smallFontSize
                }
            }
            Button {
                Layout.alignment: Qt.AlignRight
                text: qsTr("OK")
                onClicked: importReport.close()
            }
        }
    }
}
