import QtQuick
import QtTest
import Tickscope
import Tickscope.Models

// The Layout menu: panes shown and hidden with the mouse, named layouts listed and applied.
TestCase {
    id: testCase
    name: "LayoutMenu"
    width: 600
    height: 500
    visible: true
    when: windowShown

    Component {
        id: menuComponent
        LayoutMenu {}
    }
    SignalSpy {
        id: appliedSpy
        target: MarketHub.workspace
        signalName: "layoutApplied"
    }

    function openMenu() {
        const menu = createTemporaryObject(menuComponent, testCase);
        menu.popup(testCase, 10, 10);
        tryCompare(menu, "opened", true);
        return menu;
    }
    function itemNamed(menu, name) {
        for (let i = 0; i < menu.count; ++i) {
            const item = menu.itemAt(i);
            if (item && item.objectName === name)
                return item;
        }
        return null;
    }
    function cleanup() {
        MarketHub.workspace.hiddenPanes = [];
        for (const name of MarketHub.workspace.layoutNames)
            MarketHub.workspace.deleteLayout(name);
    }

    function test_panesToggle() {
        let menu = openMenu();
        const book = itemNamed(menu, "pane_book");
        verify(book.checked);
        mouseClick(book);
        compare(MarketHub.workspace.paneShown.book, false);
        compare(MarketHub.workspace.hiddenPanes, ["book"]);
        menu = openMenu();
        const again = itemNamed(menu, "pane_book");
        verify(!again.checked);
        mouseClick(again);
        compare(MarketHub.workspace.paneShown.book, true);
    }

    function test_namedLayouts() {
        MarketHub.workspace.setPaneVisible("chart", false);
        compare(MarketHub.workspace.saveLayout("No chart"), "");
        MarketHub.workspace.setPaneVisible("chart", true);
        const menu = openMenu();
        const item = itemNamed(menu, "layout_No chart");
        verify(item, "the saved layout is listed");
        appliedSpy.clear();
        mouseClick(item);
        compare(appliedSpy.count, 1);
        compare(MarketHub.workspace.paneShown.chart, false);
    }
}
