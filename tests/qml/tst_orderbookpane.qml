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
}
