import QtQuick
import QtQuick.Controls.Basic
import QtTest
import Tickscope
import Tickscope.Models

// The feeds settings page with the keyboard and mouse: every venue listed with the demo feed on
// and the exchanges off, a bad endpoint refused with the reason and nothing changed, a loopback
// endpoint accepted, a venue switched on makes its instruments searchable with Ctrl+K and one of
// them followed from the search, then switched off again.
TestCase {
    id: testCase
    name: "FeedsSettings"
    width: 800
    height: 700
    visible: true
    when: windowShown

    Component {
        id: pageComponent
        FeedsSettings {}
    }
    Component {
        id: searchComponent
        SymbolSearch {}
    }

    function findNamed(item, name) {
        if (item.objectName === name)
            return item;
        const children = item.children || [];
        for (let i = 0; i < children.length; ++i) {
            const found = findNamed(children[i], name);
            if (found)
                return found;
        }
        if (item.contentItem && item.contentItem !== item) {
            const found = findNamed(item.contentItem, name);
            if (found)
                return found;
        }
        return null;
    }
    function openPage() {
        const page = createTemporaryObject(pageComponent, testCase);
        page.open();
        tryCompare(page, "opened", true);
        const list = findNamed(page.contentItem, "venueList");
        verify(list);
        tryCompare(list, "count", 6);
        return list;
    }
    function card(list, venue) {
        for (let i = 0; i < list.count; ++i) {
            list.positionViewAtIndex(i, ListView.Contain);
            list.forceLayout();
            const item = list.itemAtIndex(i);
            if (item && item.venueId === venue)
                return item;
        }
        return null;
    }
    function replaceText(field, text) {
        field.forceActiveFocus();
        field.selectAll();
        keyClick(Qt.Key_Delete);
        for (const c of text)
            keyClick(c);
        keyClick(Qt.Key_Return);
    }

    function test_1_venuesListedDemoOnExchangesOff() {
        const list = openPage();
        const demo = card(list, "demo");
        verify(demo);
        verify(demo.enabled);
        verify(findNamed(demo, "enabledSwitch").checked);
        for (const id of ["binance", "coinbase", "kraken", "okx", "bybit"]) {
            const c = card(list, id);
            verify(c, id);
            verify(!c.enabled, id);
            verify(!findNamed(c, "enabledSwitch").checked, id);
            verify(c.catalogText.indexOf("bundled") >= 0, c.catalogText);
        }
    }

    function test_2_badEndpointRefusedGoodOneAccepted() {
        const list = openPage();
        let kraken = card(list, "kraken");
        const before = kraken.wsUrl;
        replaceText(findNamed(kraken, "wsField"), "https://ws.kraken.com");
        kraken = card(list, "kraken");
        const problem = findNamed(kraken, "venueProblem");
        tryVerify(() => problem.visible && problem.text.indexOf("ws://") >= 0, 2000, problem.text);
        compare(kraken.wsUrl, before); // nothing changed
        replaceText(findNamed(kraken, "wsField"), "ws://127.0.0.1:9/v2");
        kraken = card(list, "kraken");
        tryCompare(kraken, "wsUrl", "ws://127.0.0.1:9/v2");
        tryCompare(findNamed(kraken, "venueProblem"), "visible", false);
    }

    function test_3_enableSearchFollowDisable() {
        const list = openPage();
        let kraken = card(list, "kraken");
        compare(kraken.wsUrl, "ws://127.0.0.1:9/v2"); // remembered from the previous test
        verify(MarketHub.searchInstruments("MATIC/USD", 5).every(r => r.venue !== "kraken"));
        mouseClick(findNamed(kraken, "enabledSwitch"));
        kraken = card(list, "kraken");
        tryVerify(() => kraken.enabled, 2000);
        // The enabled venue's instruments are offered by the symbol search, not yet followed.
        const offered = MarketHub.searchInstruments("MATIC/USD", 5).filter(r => r.venue === "kraken");
        compare(offered.length, 1);
        verify(!offered[0].followed);

        const search = createTemporaryObject(searchComponent, testCase);
        search.open();
        tryCompare(search, "opened", true);
        for (const c of "MATIC/USD")
            keyClick(c);
        const index = search.results.findIndex(r => r.venue === "kraken" && r.symbol === "MATIC/USD");
        verify(index >= 0);
        for (let i = 0; i < index; ++i)
            keyClick(Qt.Key_Down);
        keyClick(Qt.Key_Return);
        tryCompare(search, "opened", false);
        kraken = card(list, "kraken");
        tryVerify(() => kraken.symbols.indexOf("MATIC/USD") >= 0, 2000);
        verify(MarketHub.searchInstruments("MATIC/USD", 5).every(r => r.venue !== "kraken" || r.followed));

        mouseClick(findNamed(kraken, "enabledSwitch"));
        kraken = card(list, "kraken");
        tryVerify(() => !kraken.enabled, 2000);
        verify(MarketHub.searchInstruments("ETH/USD", 50).every(r => r.venue !== "kraken"));
    }
}
