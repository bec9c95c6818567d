import QtQuick
import QtTest
import Tickscope
import Tickscope.Models

// The ladder's middle line on the live demo feed: "last <price>   spread <spread>", the numbers
// drawn by NumberText in the direction's colour, the words in a fixed colour.
TestCase {
    id: testCase
    name: "OrderBookPane"
    width: 420
    height: 640
    visible: true
    when: windowShown

    Component {
        id: paneComponent
        OrderBookPane {
            width: 400
            height: 620
        }
    }

    function test_lastAndSpreadLine() {
        const pane = createTemporaryObject(paneComponent, testCase);
        tryVerify(() => MarketHub.selectedLast.length > 0 && MarketHub.selectedSpread.length > 0, 15000,
                  "the selected instrument has a last price and a spread");
        const last = findChild(pane, "spreadLast");
        const spread = findChild(pane, "spreadValue");
        verify(last !== null && spread !== null);
        compare(last.text, MarketHub.selectedLast);
        compare(spread.text, MarketHub.selectedSpread);
        verify(last.visible && last.width > 0 && spread.width > 0);
        const line = last.parent;
        compare(line.text, "last " + MarketHub.selectedLast + "   spread " + MarketHub.selectedSpread);
        const direction = MarketHub.selectedTickDirection;
        verify(Qt.colorEqual(last.color, direction > 0 ? Theme.up : direction < 0 ? Theme.down : Theme.text));
        // Words, number, words, number, left to right without overlapping.
        const words = line.children[0];
        const spreadWord = line.children[2];
        verify(Qt.colorEqual(words.color, Theme.textDim));
        verify(Qt.colorEqual(spreadWord.color, Theme.textDim));
        verify(words.x + words.width <= last.x);
        verify(last.x + last.width <= spreadWord.x);
        verify(spreadWord.x + spreadWord.width <= spread.x);
        // It follows the feed.
        const shown = last.text + spread.text;
        tryVerify(() => last.text + spread.text !== shown, 10000, "the line follows the last price");
        compare(last.text, MarketHub.selectedLast);
    }

    // A right-click on a level offers its exact price, size and total for the clipboard; a click
    // elsewhere (the spread line) offers nothing.
    function test_rightClickCopiesALevel() {
        const pane = createTemporaryObject(paneComponent, testCase);
        tryVerify(() => !MarketHub.bids.empty && !MarketHub.asks.empty, 15000, "the book has levels");
        const menu = findChild(pane, "levelMenu");
        // The level under the pointer on either side (asks are laid out bottom to top).
        for (const name of ["asksView", "bidsView"]) {
            const view = findChild(pane, name);
            tryVerify(() => view.itemAtIndex(2) !== null, 5000, "the rows are laid out");
            const row = view.itemAtIndex(2);
            const before = row.price;
            const at = row.mapToItem(pane, row.width / 2, row.height / 2);
            mouseClick(pane, at.x, at.y, Qt.RightButton);
            tryCompare(menu, "opened", true);
            verify(menu.price === before || menu.price === row.price, name + ": " + menu.price + " for " + before);
            menu.close();
            tryCompare(menu, "visible", false);
        }
        const row = findChild(pane, "bidsView").itemAtIndex(2);
        const at = row.mapToItem(pane, row.width / 2, row.height / 2);
        mouseClick(pane, at.x, at.y, Qt.RightButton);
        tryCompare(menu, "opened", true);
        verify(/^[0-9]+\.[0-9]+$/.test(menu.price), "an exact price: " + menu.price);
        verify(/^[0-9]+(\.[0-9]+)?$/.test(menu.size), "an exact size: " + menu.size);
        verify(menu.total.length > 0);
        const copyPrice = menu.itemAt(0);
        compare(copyPrice.text, "Copy price " + menu.price);
        Clipboard.setText("");
        mouseClick(copyPrice);
        tryCompare(menu, "visible", false);
        compare(Clipboard.text(), menu.price);

        // The spread line between the sides is not a level.
        const line = findChild(pane, "spreadLast").parent;
        const middle = line.mapToItem(pane, line.width / 2, line.height / 2);
        mouseClick(pane, middle.x, middle.y, Qt.RightButton);
        wait(50);
        verify(!menu.opened);
    }
}
