import QtQuick
import QtTest
import Tickscope
import Tickscope.Models

// The Ctrl+K symbol search against the live demo instruments: type-ahead, keyboard-only choice,
// Escape, and a mouse click.
TestCase {
    id: testCase
    name: "SymbolSearch"
    width: 600
    height: 500
    visible: true
    when: windowShown

    Component {
        id: searchComponent
        SymbolSearch {}
    }
    SignalSpy {
        id: chosenSpy
        signalName: "chosen"
    }

    function openSearch() {
        tryVerify(() => MarketHub.searchInstruments("", 100).length >= 50, 10000, "the demo feed announced its instruments");
        const search = createTemporaryObject(searchComponent, testCase);
        chosenSpy.clear();
        chosenSpy.target = search;
        search.open();
        tryCompare(search, "opened", true);
        return search;
    }
    function idOf(symbol) {
        return MarketHub.searchInstruments(symbol, 1)[0].id;
    }
    function typeText(text) {
        for (const c of text)
            keyClick(c);
    }

    function test_typeAheadAndEnter() {
        const search = openSearch();
        compare(search.results.length, 50); // empty text: the first 50
        typeText("eth");
        verify(search.results.length >= 2);
        compare(search.results[0].symbol, "ETH-USD"); // symbol prefix first
        for (const r of search.results)
            verify((r.symbol + " " + r.name).toLowerCase().indexOf("eth") >= 0, r.symbol);
        keyClick(Qt.Key_Return);
        compare(chosenSpy.count, 1);
        compare(chosenSpy.signalArguments[0][0], idOf("ETH-USD"));
        tryCompare(search, "opened", false);
    }

    function test_arrowsMoveTheChoice() {
        const search = openSearch();
        typeText("usd");
        verify(search.results.length >= 3);
        keyClick(Qt.Key_Down);
        keyClick(Qt.Key_Down);
        keyClick(Qt.Key_Up);
        keyClick(Qt.Key_Enter);
        compare(chosenSpy.count, 1);
        compare(chosenSpy.signalArguments[0][0], search.results[1].id);
    }

    function test_matchesNameAndQuote() {
        const search = openSearch();
        typeText("bitcoin"); // the display name, not the symbol
        verify(search.results.length >= 1);
        compare(search.results[0].symbol.indexOf("BTC"), 0);
        for (let i = 0; i < 7; ++i)
            keyClick(Qt.Key_Backspace);
        typeText("jpy"); // a quote asset
        verify(search.results.some(r => r.symbol === "USD/JPY"));
        typeText("zzzz");
        compare(search.results.length, 0);
        keyClick(Qt.Key_Return); // nothing to choose: nothing happens, the popup stays
        compare(chosenSpy.count, 0);
        verify(search.opened);
    }

    function test_escapeCloses() {
        const search = openSearch();
        typeText("sol");
        keyClick(Qt.Key_Escape);
        tryCompare(search, "opened", false);
        compare(chosenSpy.count, 0);
    }

    function test_clickChooses() {
        const search = openSearch();
        typeText("doge");
        compare(search.results[0].symbol, "DOGE-USDT");
        const list = findChild(search.contentItem, "resultList");
        verify(list);
        waitForRendering(list);
        mouseClick(list, 20, 12); // the first row
        compare(chosenSpy.count, 1);
        compare(chosenSpy.signalArguments[0][0], idOf("DOGE-USDT"));
    }
}
