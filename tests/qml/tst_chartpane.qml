import QtQuick
import QtTest
import Tickscope
import Tickscope.Models

// The chart's crosshair read-out: hovering a candle shows its exact OHLCV, leaving hides it.
TestCase {
    id: testCase
    name: "ChartPane"
    width: 700
    height: 460
    visible: true
    when: windowShown

    Component {
        id: chartComponent
        ChartPane {
            width: 700
            height: 460
        }
    }

    function test_readOut() {
        tryVerify(() => MarketHub.searchInstruments("BTC-USD", 1).length === 1, 10000);
        MarketHub.selectedInstrument = MarketHub.searchInstruments("BTC-USD", 1)[0].id;
        const pane = createTemporaryObject(chartComponent, testCase);
        // One-second candles: a few seconds of the demo feed give several.
        tryVerify(() => MarketHub.candles.rowCount() >= 3, 15000, "candles arrive");
        const area = findChild(pane, "chartMouse");
        const readOut = findChild(pane, "readOut");
        verify(area && readOut);
        verify(!readOut.visible);

        // Hover near the plot's right edge, where the newest candle is (the view keeps room for the
        // candles to come, so the last pixels of the plot still read the newest one).
        waitForRendering(pane);
        mouseMove(area, area.width - 80, area.height / 2);
        tryVerify(() => readOut.visible, 2000, "read-out shown on hover");
        const c = pane.hovered;
        verify(c.close !== undefined);
        for (const part of [c.open, c.high, c.low, c.close, c.volume])
            verify(readOut.text.indexOf("\u00A0" + part) >= 0, readOut.text + " has " + part);
        verify(Number(c.low) <= Number(c.open) && Number(c.open) <= Number(c.high));
        verify(Number(c.low) <= Number(c.close) && Number(c.close) <= Number(c.high));
        // A recent candle (its exact values are checked against the model by tst_candlechartfeeder).
        verify(c.time <= Date.now() && c.time > Date.now() - 600000);

        // The price at the crosshair, on the axis, in the instrument's decimals.
        const tag = findChild(pane, "crosshairPrice");
        verify(tag);
        tryVerify(() => tag.visible, 2000, "price tag shown on hover");
        const decimals = MarketHub.selectedLast.length - MarketHub.selectedLast.indexOf(".") - 1;
        verify(new RegExp("^\\d+\\.\\d{" + decimals + "}$").test(tag.text), tag.text);
        verify(Math.abs(Number(tag.text) - pane.hoveredPrice) < Math.pow(10, -decimals));

        // The pointer rests while one-second candles go by: the read-out is of what is under it now
        // (the newest candle stays at the plot's right edge).
        const firstTime = c.time;
        tryVerify(() => pane.hovered.time !== undefined && pane.hovered.time > firstTime, 5000,
                  "the read-out follows the candles under a resting pointer");

        // Leaving hides it.
        mouseMove(testCase, 1, 1);
        tryVerify(() => !readOut.visible, 2000, "read-out hidden on exit");
        verify(!tag.visible);
    }
}
