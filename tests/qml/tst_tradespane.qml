import QtQuick
import QtTest
import Tickscope
import Tickscope.Models

// The trades tape on the live demo feed: once full, its rows stay and show newer trades; scrolled
// back, it holds still and counts what arrives; Home (or the chip) returns to the live tape.
TestCase {
    id: testCase
    name: "TradesPane"
    width: 420
    height: 320
    visible: true
    when: windowShown

    Component {
        id: paneComponent
        TradesPane {
            width: 400
            height: 300
        }
    }

    property int savedInstrument: -1
    property int savedCapacity: 200

    function init() {
        savedInstrument = MarketHub.trades.instrument;
        savedCapacity = MarketHub.trades.capacity;
        // Every instrument's trades and a short tape: the demo feed fills it within a second or two.
        MarketHub.trades.instrument = -1;
        MarketHub.trades.capacity = 40;
    }
    function cleanup() {
        MarketHub.trades.capacity = savedCapacity;
        MarketHub.trades.instrument = savedInstrument;
    }

    function resumeChipOf(pane) {
        return findChild(pane, "resumeTape");
    }

    function test_fullTapeUpdatesItsRowsInPlace() {
        const pane = createTemporaryObject(paneComponent, testCase);
        const view = pane.view;
        tryVerify(() => view.count === 40, 15000, "the tape fills up");
        const top = view.itemAtIndex(0);
        verify(top !== null);
        const shown = top.accessibleText;
        tryVerify(() => view.itemAtIndex(0).accessibleText !== shown, 10000, "a newer trade on top");
        verify(view.itemAtIndex(0) === top, "the same row item, showing the newer trade");
        compare(view.count, 40, "bounded");
        verify(!MarketHub.trades.paused);
    }

    function test_scrolledBackTheTapeHoldsAndHomeResumes() {
        const pane = createTemporaryObject(paneComponent, testCase);
        const view = pane.view;
        tryVerify(() => view.count === 40, 15000, "the tape fills up");
        const chip = resumeChipOf(pane);
        verify(chip !== null);
        verify(!chip.visible, "no chip while live");

        view.contentY = view.originY + 5 * Theme.rowHeight;
        tryVerify(() => MarketHub.trades.paused, 2000, "scrolled back: paused");
        const row = view.itemAtIndex(8);
        verify(row !== null);
        const held = row.accessibleText;
        tryVerify(() => MarketHub.trades.missed > 0, 10000, "new trades are counted");
        wait(300);
        compare(view.itemAtIndex(8).accessibleText, held, "the rows hold still while paused");
        verify(chip.visible, "the chip says the tape is paused");
        verify(chip.text.indexOf(String(MarketHub.trades.missed)) >= 0, chip.text + " gives the count");

        view.forceActiveFocus();
        keyClick(Qt.Key_Home);
        tryVerify(() => !MarketHub.trades.paused, 2000, "Home resumes the live tape");
        verify(view.atYBeginning);
        compare(MarketHub.trades.missed, 0);
        verify(!chip.visible);
        compare(view.count, 40);
    }

    function test_keysScrollTheTape() {
        const pane = createTemporaryObject(paneComponent, testCase);
        const view = pane.view;
        tryVerify(() => view.count === 40, 15000, "the tape fills up");
        view.forceActiveFocus();
        verify(view.atYBeginning);
        keyClick(Qt.Key_Down);
        compare(view.contentY - view.originY, Theme.rowHeight, "Down: one row");
        tryVerify(() => MarketHub.trades.paused, 2000, "off the top: paused");
        keyClick(Qt.Key_Up);
        verify(view.atYBeginning, "Up: back to the top");
        tryVerify(() => !MarketHub.trades.paused, 2000);
        keyClick(Qt.Key_PageDown);
        const page = Math.floor(view.height / Theme.rowHeight) - 1;
        compare(view.contentY - view.originY, page * Theme.rowHeight, "PgDn: a page less one row");
        keyClick(Qt.Key_PageUp);
        verify(view.atYBeginning, "PgUp: a page back");
        keyClick(Qt.Key_End);
        verify(view.atYEnd, "End: the oldest trades");
        keyClick(Qt.Key_PageDown);
        verify(view.atYEnd, "not past the end");
        keyClick(Qt.Key_Home);
        verify(view.atYBeginning, "Home: the newest");
    }

    function test_resumingBeforeTheTapeIsFullStaysAtTheTop() {
        MarketHub.trades.capacity = 1000000; // never full here: new trades are inserted at the top
        const pane = createTemporaryObject(paneComponent, testCase);
        const view = pane.view;
        tryVerify(() => view.count >= 30, 15000);
        view.forceActiveFocus();
        keyClick(Qt.Key_PageDown);
        tryVerify(() => MarketHub.trades.paused, 2000);
        tryVerify(() => MarketHub.trades.missed > 0, 10000);
        keyClick(Qt.Key_Home);
        tryVerify(() => !MarketHub.trades.paused, 2000);
        verify(view.count < 1000000, "the tape was still filling");
        const countAtResume = view.count;
        tryVerify(() => view.count > countAtResume, 10000, "more trades inserted at the top");
        verify(view.atYBeginning, "still at the top, showing the newest");
        verify(!MarketHub.trades.paused);
        compare(view.currentIndex, -1, "no current row to follow");
    }

    function test_chipReturnsToTheLiveTape() {
        const pane = createTemporaryObject(paneComponent, testCase);
        const view = pane.view;
        tryVerify(() => view.count === 40, 15000, "the tape fills up");
        view.contentY = view.originY + 5 * Theme.rowHeight;
        tryVerify(() => MarketHub.trades.paused, 2000);
        const chip = resumeChipOf(pane);
        tryVerify(() => chip.visible);
        mouseClick(chip);
        tryVerify(() => !MarketHub.trades.paused, 2000, "the chip resumes the live tape");
        verify(view.atYBeginning);
    }

    // A right-click on a print offers its exact price and size, and the whole line, for the clipboard.
    function test_rightClickCopiesATrade() {
        const pane = createTemporaryObject(paneComponent, testCase);
        const tape = pane.view;
        tryVerify(() => tape.itemAtIndex(1) !== null, 10000, "trades arrive");
        const menu = findChild(pane, "tradeMenu");
        const row = tape.itemAtIndex(1);
        const before = row.price;
        const at = row.mapToItem(pane, row.width / 2, row.height / 2);
        mouseClick(pane, at.x, at.y, Qt.RightButton);
        tryCompare(menu, "opened", true);
        verify(menu.price === before || menu.price === row.price, menu.price + " for " + before);
        verify(/^[0-9]+(\.[0-9]+)?$/.test(menu.size), "an exact size: " + menu.size);
        const fields = menu.line.split("\t");
        compare(fields.length, 4);
        verify(/^[0-9]{2}:[0-9]{2}:[0-9]{2}/.test(fields[0]), "a time: " + fields[0]);
        verify(fields[1] === "buy" || fields[1] === "sell", fields[1]);
        compare(fields[2], menu.price);
        compare(fields[3], menu.size);
        // The tape holds still under the open menu: newer trades are counted, the rows stay.
        const shown = tape.itemAtIndex(1).accessibleText;
        tryCompare(MarketHub.trades, "paused", true);
        tryVerify(() => MarketHub.trades.missed > 0, 10000, "newer trades arrive while the menu is open");
        compare(tape.itemAtIndex(1).accessibleText, shown);
        compare(findChild(pane, "resumeTape").visible, true);
        const copyLine = menu.itemAt(2);
        Clipboard.setText("");
        mouseClick(copyLine);
        tryCompare(menu, "visible", false);
        compare(Clipboard.text(), menu.line);
        // Live again once the menu is gone.
        tryCompare(MarketHub.trades, "paused", false);
    }
}
