import QtQuick
import QtTest
import Tickscope

// A ladder row: depth bar proportional to the cumulative share, best level outlined, empty rows blank.
TestCase {
    id: testCase
    name: "LadderRow"
    width: 400
    height: 100
    visible: true
    when: windowShown

    Component {
        id: rowComponent
        LadderRow {
            width: 300
            price: "60000.25"
            size: "1.50000000"
            cumulativeSize: "3.00000000"
            depthRatio: 0.5
            isBest: false
            empty: false
        }
    }

    function test_depthBar_data() {
        return [
            { tag: "half", ratio: 0.5, empty: false, width: 150 },
            { tag: "full", ratio: 1.0, empty: false, width: 300 },
            { tag: "empty row", ratio: 0.0, empty: true, width: 0 },
        ];
    }

    function test_depthBar(data) {
        const row = createTemporaryObject(rowComponent, testCase, { depthRatio: data.ratio, empty: data.empty });
        compare(row.children[0].width, data.width);
    }

    function test_bestIsOutlined() {
        const best = createTemporaryObject(rowComponent, testCase, { isBest: true });
        const other = createTemporaryObject(rowComponent, testCase, { isBest: false });
        verify(best.children[1].visible);
        verify(!other.children[1].visible);
    }

    function test_sidesUseTheirColours() {
        const bid = createTemporaryObject(rowComponent, testCase, { ask: false });
        const ask = createTemporaryObject(rowComponent, testCase, { ask: true });
        verify(Qt.colorEqual(bid.children[2].color, Theme.up));
        verify(Qt.colorEqual(ask.children[2].color, Theme.down));
        verify(!Qt.colorEqual(bid.children[0].color, ask.children[0].color));
    }

    function test_colourBlindPalette() {
        const normal = Theme.up.toString(); // a copy, not a live reference
        Theme.colorBlind = true;
        verify(!Qt.colorEqual(Theme.up, normal));
        verify(!Qt.colorEqual(Theme.up, Theme.down));
        Theme.colorBlind = false;
        verify(Qt.colorEqual(Theme.up, normal));
    }
}
