import QtCore
import QtQuick
import QtQuick.Templates as T
import QtTest
import Tickscope
import Tickscope.Models

// The watchlist pane against the live demo feed and a fresh workspace: lists as tabs created and
// renamed with the mouse and the keyboard, rows removed (Delete, context menu) and undone, moved
// with Alt+arrows and by dragging, sorted by a header click.
TestCase {
    id: testCase
    name: "WatchlistPane"
    width: 1000
    height: 600
    visible: true
    when: windowShown

    Component {
        id: searchComponent
        SymbolSearch {}
    }

    // One pane for all the tests, as in the app (the lists are reset between tests).
    WatchlistPane {
        id: thePane
        width: testCase.width
        height: testCase.height
    }

    readonly property WatchlistsModel lists: MarketHub.lists
    readonly property WatchlistModel rows: MarketHub.watchlist

    function makePane() {
        const pane = thePane;
        tryVerify(() => rows.count >= 50, 10000, "the demo list is shown");
        tryVerify(() => rows.instrumentAt(0) >= 0, 10000, "the demo feed announced its instruments");
        pane.view.positionViewAtBeginning();
        tryVerify(() => pane.view.itemAtIndex(5) !== null, 5000, "the rows are laid out");
        pane.view.forceActiveFocus();
        return pane;
    }
    function symbolsOf() {
        const out = [];
        for (let row = 0; row < rows.count; ++row)
            out.push(rows.symbolAt(row));
        return out;
    }
    function rowCenter(pane, row) {
        const view = pane.view;
        return view.mapToItem(testCase, view.width / 2, row * Theme.rowHeight - view.contentY + Theme.rowHeight / 2);
    }
    function cleanup() {
        // Back to the one list of demo instruments in their own order.
        while (lists.canUndo)
            lists.undo();
        rows.setSort("", true);
        lists.currentIndex = 0;
    }

    function test_newListWithTheMouseAndItsName() {
        const pane = makePane();
        const before = lists.count;
        mouseClick(findChild(pane, "newListButton"));
        compare(lists.count, before + 1);
        compare(lists.currentIndex, before);
        compare(rows.count, 0);
        const popup = findChild(pane, "renamePopup");
        tryCompare(popup, "opened", true);
        // The field starts with the default name selected: typing replaces it.
        keyClick(Qt.Key_N);
        keyClick(Qt.Key_I);
        keyClick(Qt.Key_G);
        keyClick(Qt.Key_H);
        keyClick(Qt.Key_T);
        keyClick(Qt.Key_Return);
        tryCompare(popup, "opened", false);
        compare(lists.nameAt(before), "night");
        // A name another list has is refused with a reason, and the popup stays.
        const tabs = findChild(pane, "watchlistTabs");
        mouseDoubleClickSequence(tabs.itemAt(before));
        tryCompare(popup, "opened", true);
        for (const c of lists.nameAt(0))
            keyClick(c);
        keyClick(Qt.Key_Return);
        verify(popup.problem.length > 0);
        verify(popup.opened);
        keyClick(Qt.Key_Escape);
        tryCompare(popup, "opened", false);
        compare(lists.nameAt(before), "night");
        // Clicking the first tab shows its instruments again.
        mouseClick(tabs.itemAt(0));
        compare(lists.currentIndex, 0);
        verify(rows.count >= 50);
    }

    function test_deleteKeyRemovesAndUndoRestores() {
        const pane = makePane();
        const first = rows.symbolAt(0);
        const second = rows.symbolAt(1);
        const count = rows.count;
        const at = rowCenter(pane, 0);
        mouseClick(testCase, at.x, at.y);
        compare(pane.view.currentIndex, 0);
        keyClick(Qt.Key_Down);
        compare(pane.view.currentIndex, 1);
        compare(MarketHub.selectedSymbol, second);
        keyClick(Qt.Key_Delete);
        compare(rows.count, count - 1);
        compare(rows.rowOfKey("demo", second), -1);
        compare(lists.undoText, "Remove " + second + " from “" + lists.nameAt(0) + "”");
        const banner = findChild(pane, "undoBanner");
        verify(banner.visible);
        mouseClick(findChild(pane, "undoButton"));
        compare(rows.count, count);
        compare(rows.symbolAt(1), second);
        compare(rows.symbolAt(0), first);
    }

    function test_contextMenuRemoves() {
        const pane = makePane();
        const third = rows.symbolAt(2);
        const at = rowCenter(pane, 2);
        mouseClick(testCase, at.x, at.y, Qt.RightButton);
        const menu = findChild(pane, "rowMenu");
        tryCompare(menu, "opened", true);
        compare(MarketHub.selectedSymbol, third);
        const remove = menu.itemAt(3); // after "Copy row", "Copy symbol" and a separator
        compare(remove.text, "Remove from list");
        mouseClick(remove);
        tryCompare(menu, "visible", false);
        compare(rows.rowOfKey("demo", third), -1);
        lists.undo();
        compare(rows.symbolAt(2), third);
        // The list takes clicks again once the menu is gone.
        const first = rowCenter(pane, 0);
        mouseClick(testCase, first.x, first.y);
        compare(pane.view.currentIndex, 0);
        compare(MarketHub.selectedSymbol, rows.symbolAt(0));
    }

    // Ctrl+C copies the current row as tab-separated figures (as shown); the row's menu copies the
    // symbol alone. Each says so next to the row.
    function test_copyRowAndSymbol() {
        const pane = makePane();
        const symbol = rows.symbolAt(1);
        const at = rowCenter(pane, 1);
        mouseClick(testCase, at.x, at.y);
        compare(pane.view.currentIndex, 1);
        Clipboard.setText("");
        keyClick(Qt.Key_C, Qt.ControlModifier);
        const fields = Clipboard.text().split("\t");
        compare(fields.length, 8);
        compare(fields[0], symbol);
        compare(fields[1], "demo");
        verify(/^[0-9]+\.[0-9]+$/.test(fields[2]), "an exact last price: " + fields[2]);
        const tip = findChild(pane, "copiedTip");
        tryCompare(tip, "visible", true);
        compare(tip.text, "Copied the row of " + symbol);

        mouseClick(testCase, at.x, at.y, Qt.RightButton);
        const menu = findChild(pane, "rowMenu");
        tryCompare(menu, "opened", true);
        const copySymbol = menu.itemAt(1);
        compare(copySymbol.text, "Copy symbol");
        mouseClick(copySymbol);
        tryCompare(menu, "visible", false);
        compare(Clipboard.text(), symbol);
        compare(tip.text, "Copied “" + symbol + "”");

        // The tip stays above its row when the list scrolls, and goes when the row leaves the list.
        const view = pane.view;
        tryCompare(tip, "visible", true);
        const tipY = tip.y;
        verify(view.contentHeight > view.height + Theme.rowHeight, "the list can scroll");
        view.contentY += 1;
        compare(tip.y, tipY - 1);
        verify(tip.visible);
        view.contentY = view.contentY + 2 * Theme.rowHeight;
        tryCompare(tip, "visible", false);
    }

    // Only the rows on screen exist (no cache buffer): the keys still bring any row into view.
    function test_keysBringOffScreenRowsIntoView() {
        const pane = makePane();
        const view = pane.view;
        verify(view.contentHeight > view.height, "50 rows do not fit in 600 px");
        const onScreen = row => {
            const item = view.itemAtIndex(row);
            return item !== null && item.y >= view.contentY - 0.5 && item.y + item.height <= view.contentY + view.height + 0.5;
        };
        verify(view.itemAtIndex(rows.count - 1) === null, "the last row is not created while off screen");
        keyClick(Qt.Key_End);
        compare(view.currentIndex, rows.count - 1);
        tryVerify(() => onScreen(rows.count - 1), 2000, "End shows the last row");
        if (rows.instrumentAt(rows.count - 1) >= 0)
            compare(MarketHub.selectedInstrument, rows.instrumentAt(rows.count - 1));
        keyClick(Qt.Key_PageUp);
        verify(view.currentIndex < rows.count - 1);
        tryVerify(() => onScreen(view.currentIndex), 2000, "PgUp shows the row it moves to");
        keyClick(Qt.Key_Home);
        compare(view.currentIndex, 0);
        tryVerify(() => onScreen(0), 2000, "Home shows the first row");
        tryVerify(() => view.itemAtIndex(rows.count - 1) === null, 2000, "rows scrolled away are released");
    }

    function test_altArrowsMoveTheCurrentRow() {
        const pane = makePane();
        const order = symbolsOf();
        pane.view.currentIndex = 0;
        keyClick(Qt.Key_Down, Qt.AltModifier);
        keyClick(Qt.Key_Down, Qt.AltModifier);
        compare(rows.symbolAt(2), order[0]);
        compare(pane.view.currentIndex, 2);
        keyClick(Qt.Key_Up, Qt.AltModifier);
        compare(rows.symbolAt(1), order[0]);
        compare(rows.symbolAt(0), order[1]);
        compare(lists.undoText, "Reorder “" + lists.nameAt(0) + "”");
    }

    function test_dragMovesARow() {
        const pane = makePane();
        const order = symbolsOf();
        const from = rowCenter(pane, 0);
        const to = rowCenter(pane, 3);
        mousePress(testCase, from.x, from.y);
        for (let step = 1; step <= 6; ++step)
            mouseMove(testCase, from.x, from.y + (to.y - from.y) * step / 6);
        const dragged = pane.view.itemAtIndex(0);
        compare(dragged.dropRow, 3); // the row follows the pointer and knows where it would land
        mouseRelease(testCase, to.x, to.y);
        compare(rows.symbolAt(3), order[0]);
        compare(rows.symbolAt(0), order[1]);
        compare(pane.view.currentIndex, 3);
        compare(dragged.dropRow, -1);
    }

    function test_headerClickSorts() {
        const pane = makePane();
        mouseClick(findChild(pane, "header_symbol"));
        compare(rows.sortColumn, "symbol");
        const sorted = symbolsOf();
        const lower = text => text.toLowerCase();
        const expected = sorted.slice().sort((a, b) => lower(a) < lower(b) ? -1 : lower(a) > lower(b) ? 1 : 0);
        compare(sorted, expected);
        mouseClick(findChild(pane, "header_symbol"));
        compare(rows.sortAscending, false);
        compare(symbolsOf(), expected.slice().reverse());
        mouseClick(findChild(pane, "header_symbol"));
        compare(rows.sortColumn, "");
    }

    function test_columnsCanBeHidden() {
        const pane = makePane();
        verify(findChild(pane, "header_volume").visible);
        lists.setColumnVisible("volume", false);
        verify(!findChild(pane, "header_volume").visible);
        lists.setColumnVisible("volume", true);
        verify(findChild(pane, "header_volume").visible);
    }

    function test_exportThenImportShowsAReport() {
        const pane = makePane();
        const file = StandardPaths.writableLocation(StandardPaths.TempLocation) + "/tickscope-tst-" + Date.now() + ".csv";
        pane.exportTo(file);
        const report = findChild(pane, "importReport");
        verify(!report.opened, "an export that worked says nothing");
        const before = lists.count;
        const count = rows.count;
        pane.importFrom(file);
        tryCompare(report, "opened", true);
        verify(report.ok);
        compare(report.message, "Imported " + count + " instruments into “" + lists.nameAt(before) + "”.");
        compare(lists.count, before + 1);
        compare(lists.currentIndex, before);
        compare(rows.count, count);
        keyClick(Qt.Key_Escape);
        tryCompare(report, "opened", false);
        pane.importFrom(file + ".missing");
        tryCompare(report, "opened", true);
        verify(!report.ok);
        compare(lists.count, before + 1);
        keyClick(Qt.Key_Escape);
    }

    // The import and export dialogs open (with Qt.labs.folderlistmodel missing, opening one used to
    // crash the app; scripts/bootstrap.sh installs it).
    function test_theFileDialogsOpen() {
        const pane = makePane();
        verify(pane.fileDialogsWork(), "Qt's file dialog can be made (qml6-module-qt-labs-folderlistmodel)");
        const folder = StandardPaths.writableLocation(StandardPaths.TempLocation); // a file: URL
        for (const dialog of [pane.importDialog, pane.exportDialog]) {
            // In the app the pane is in its window when the dialogs are made; here it comes later.
            dialog.parentWindow = testCase.Window.window;
            dialog.currentFolder = folder; // not the build directory
            pane.openFileDialog(dialog);
            tryCompare(dialog, "visible", true);
            dialog.reject();
            tryCompare(dialog, "visible", false);
        }
        verify(!findChild(pane, "importReport").opened, "no message instead of a dialog");

        // Export through the dialog as a user does: type a name, click Export (no Enter: Qt 6.4's
        // dialog used to ignore a name that was not confirmed with Enter).
        const name = "tickscope-dialog-" + Date.now();
        pane.openFileDialog(pane.exportDialog);
        tryCompare(pane.exportDialog, "visible", true);
        const find = test => {
            let found = null;
            (function visit(item) {
                if (!found && test(item))
                    found = item;
                for (let i = 0; i < item.children.length && !found; ++i)
                    visit(item.children[i]);
            })(T.Overlay.overlay);
            return found;
        };
        const field = find(item => item.objectName === "fileNameTextField");
        const exportButton = find(item => item.text === "Export" && item.clicked !== undefined && item.visible);
        verify(field && exportButton);
        waitForRendering(field);
        field.forceActiveFocus();
        for (const c of name)
            keyClick(c);
        compare(field.text, name);
        mouseClick(exportButton);
        tryCompare(pane.exportDialog, "visible", false);
        const written = String(pane.exportDialog.selectedFile);
        verify(written.endsWith("/" + name + ".json"), written);
        const before = lists.count;
        pane.importFrom(written);
        const report = findChild(pane, "importReport");
        tryCompare(report, "opened", true);
        verify(report.ok, report.message);
        compare(lists.count, before + 1);
        keyClick(Qt.Key_Escape);
        tryCompare(report, "opened", false);
    }

    function test_ctrlKAddsToTheCurrentList() {
        const pane = makePane();
        lists.create("Adds");
        compare(rows.count, 0);
        const search = createTemporaryObject(searchComponent, testCase);
        search.open();
        tryCompare(search, "opened", true);
        for (const c of "sol-usd")
            keyClick(c);
        compare(search.results[0].symbol, "SOL-USD");
        keyClick(Qt.Key_Return);
        tryCompare(search, "opened", false);
        compare(rows.count, 1);
        compare(rows.symbolAt(0), "SOL-USD");
        compare(rows.venueAt(0), "demo");
        compare(MarketHub.selectedSymbol, "SOL-USD");
        tryCompare(pane.view, "currentIndex", 0);
        // Adding it again selects it and adds nothing.
        search.open();
        tryCompare(search, "opened", true);
        for (const c of "sol-usd")
            keyClick(c);
        keyClick(Qt.Key_Return);
        compare(rows.count, 1);
        compare(lists.undoText, "Add SOL-USD to “Adds”");
    }
}
