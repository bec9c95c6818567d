import QtQuick
import QtTest
import Tickscope

// A watchlist row's flash: shown when the last price changes, in the direction's colour mixed over
// the row's own background (drawn opaque), and gone 300 ms after the last change. The rectangle
// itself stays: between flashes it shows the row's background, so the scene graph never adds or
// removes it (which would make the renderer rebuild its render lists).
TestCase {
    id: testCase
    name: "WatchlistRow"
    width: 900
    height: 100
    visible: true
    when: windowShown

    Component {
        id: rowComponent
        WatchlistRow {
            width: 880
            index: 0
            symbol: "BTC-USD"
            venue: "demo"
            last: "60000.00"
            changePercent: "0.10"
            changePercentValue: 0.1
            tickDirection: 0
            bid: "59999.50"
            ask: "60000.50"
            spread: "1.00"
            volume: "12.5"
            integrity: "synced"
            stale: false
        }
    }

    function flashOf(row) {
        return row.children[1];
    }
    /// What the row shows where its flash is drawn, between flashes (rows 0 and 2 here are even).
    function backgroundOf(index, selected) {
        return selected ? Theme.selection : index % 2 ? Theme.panelAlt : Theme.panel;
    }
    /// The flash is on screen: drawn in a colour other than the row's background.
    function flashShown(row) {
        const flash = flashOf(row);
        return flash.visible && !near(flash.color, backgroundOf(row.index, row.selected));
    }
    /// `base` with `over` on top at 20 % (what blending the direction colour at opacity 0.2 gives).
    function mixed(base, over) {
        return Qt.rgba(base.r * 0.8 + over.r * 0.2, base.g * 0.8 + over.g * 0.2, base.b * 0.8 + over.b * 0.2, 1);
    }
    function near(a, b) {
        return Math.abs(a.r - b.r) < 0.01 && Math.abs(a.g - b.g) < 0.01 && Math.abs(a.b - b.b) < 0.01
            && Math.abs(a.a - b.a) < 0.01;
    }

    function test_flashShowsOnAChangeAndEnds() {
        const row = createTemporaryObject(rowComponent, testCase);
        tryVerify(() => !flashShown(row), 2000, "the first price's flash ends");
        row.tickDirection = 1;
        row.last = "60000.50";
        verify(flashShown(row), "a change flashes at once");
        tryVerify(() => !flashShown(row), 2000, "the flash ends after the last change");
    }

    function test_flashLastsFromTheLatestChange() {
        const row = createTemporaryObject(rowComponent, testCase, { tickDirection: 1 });
        tryVerify(() => !flashShown(row), 2000, "the first price's flash ends");
        // Ticks closer together than the flash keep it on: it ends after the latest one, not the first.
        const prices = ["60000.25", "60000.50", "60000.75", "60001.00", "60001.25"];
        for (const price of prices) {
            row.last = price;
            verify(flashShown(row), "flashing after " + price);
            wait(100);
            verify(flashShown(row), "still flashing 100 ms after " + price);
        }
        row.last = "60001.50";
        const lastTick = Date.now();
        tryVerify(() => !flashShown(row), 2000, "the flash ends after the latest tick");
        const lasted = Date.now() - lastTick;
        verify(lasted >= 280, "the flash lasted " + lasted + " ms after the latest tick, not 300");
        // The same price again is no change: no flash.
        row.last = "60001.50";
        verify(!flashShown(row));
    }

    function test_flashColourIsMixedOverTheRowBackground_data() {
        return [
            { tag: "up on an even row", index: 0, selected: false, direction: 1 },
            { tag: "down on an even row", index: 2, selected: false, direction: -1 },
            { tag: "up on an alternate row", index: 1, selected: false, direction: 1 },
            { tag: "down on the selected row", index: 3, selected: true, direction: -1 },
            { tag: "up on the selected row", index: 3, selected: true, direction: 1 },
            { tag: "no direction on an alternate row", index: 5, selected: false, direction: 0 },
        ];
    }

    function test_flashColourIsMixedOverTheRowBackground(data) {
        const row = createTemporaryObject(rowComponent, testCase,
                                          { index: data.index, selected: data.selected, tickDirection: data.direction });
        row.last = "60001.00";
        const flash = flashOf(row);
        verify(flashShown(row));
        const background = backgroundOf(data.index, data.selected);
        const direction = data.direction > 0 ? Theme.up : data.direction < 0 ? Theme.down : Theme.text;
        compare(flash.opacity, 1, "drawn opaque, not blended");
        compare(flash.color.a, 1);
        verify(near(flash.color, mixed(background, direction)),
               "flash " + flash.color + " is the direction at 20 % over " + background);
        // The last price itself is in the direction's colour.
        verify(Qt.colorEqual(row.directionColor, direction));
    }

    function test_flashFollowsTheTheme() {
        const row = createTemporaryObject(rowComponent, testCase, { tickDirection: 1 });
        row.last = "60002.00";
        Theme.dark = false;
        verify(near(flashOf(row).color, mixed(Theme.panel, Theme.up)), "light theme: mixed over the light panel");
        Theme.dark = true;
        verify(near(flashOf(row).color, mixed(Theme.panel, Theme.up)));
        Theme.colorBlind = true;
        verify(near(flashOf(row).color, mixed(Theme.panel, Theme.up)), "colour-blind palette: its own up colour");
        Theme.colorBlind = false;
    }

    function test_betweenFlashesTheRectangleStaysAndShowsTheRowBackground(data) {
        const row = createTemporaryObject(rowComponent, testCase,
                                          { index: data.index, selected: data.selected, tickDirection: data.direction });
        const flash = flashOf(row);
        tryVerify(() => !row.flashing, 2000, "the first price's flash ends");
        verify(flash.visible, "kept in the scene between flashes");
        compare(flash.color.a, 1);
        verify(near(flash.color, backgroundOf(data.index, data.selected)),
               "between flashes " + flash.color + " is the row's background");
        row.last = "60003.00";
        verify(flashShown(row));
        tryVerify(() => !row.flashing, 2000);
        verify(flash.visible);
        verify(near(flash.color, backgroundOf(data.index, data.selected)));
    }
    function test_betweenFlashesTheRectangleStaysAndShowsTheRowBackground_data() {
        return test_flashColourIsMixedOverTheRowBackground_data();
    }
}
