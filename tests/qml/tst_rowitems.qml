import QtQuick
import QtTest
import Tickscope

// The C++ row bases and NumberFormat: the texts the rows show are derived in C++ and follow their
// inputs (value, side, gap, thousands separators) as the bindings in QML used to.
TestCase {
    id: testCase
    name: "RowItems"
    width: 400
    height: 100
    visible: true
    when: windowShown

    Component {
        id: tradeComponent
        TradeRowBase {
            width: 300
            height: 20
            timeText: "12:00:00.125"
            price: "60000.25"
            size: "1234.5"
            isBuy: true
            afterGap: false
        }
    }

    Component {
        id: ladderComponent
        LadderRow {
            width: 300
            price: "60000.25"
            size: "12345.50000000"
            cumulativeSize: "1234567.00000000"
            depthRatio: 0.5
            isBest: false
            empty: false
        }
    }

    function test_number_data() {
        return [
            { tag: "off", text: "1234567.125", on: false, shown: "1234567.125" },
            { tag: "short", text: "123.45", on: true, shown: "123.45" },
            { tag: "four digits", text: "1234", on: true, shown: "1,234" },
            { tag: "exact fraction kept", text: "-1234567.125", on: true, shown: "-1,234,567.125" },
            { tag: "plus sign", text: "+1234567", on: true, shown: "+1,234,567" },
            { tag: "suffix kept", text: "12345%", on: true, shown: "12,345%" },
            { tag: "empty", text: "", on: true, shown: "" },
            { tag: "not a number", text: "n/a", on: true, shown: "n/a" },
            { tag: "sign only", text: "-", on: true, shown: "-" },
        ];
    }

    function test_number(data) {
        compare(NumberFormat.number(data.text, data.on), data.shown);
    }

    function test_integerDigits() {
        compare(NumberFormat.integerDigits("60000.25"), 5);
        compare(NumberFormat.integerDigits("-1,234.5"), 6);
        compare(NumberFormat.integerDigits("42"), 2);
        compare(NumberFormat.integerDigits(""), 0);
    }

    function test_tradeTextsFollowTheirInputs() {
        const trade = createTemporaryObject(tradeComponent, testCase);
        compare(trade.sizeText, "\u25B2 1234.5");
        compare(trade.accessibleText, "buy 1234.5 @ 60000.25");

        trade.thousandsSeparators = true;
        compare(trade.sizeText, "\u25B2 1,234.5");
        trade.isBuy = false;
        compare(trade.sizeText, "\u25BC 1,234.5");
        trade.size = "0.001";
        compare(trade.sizeText, "\u25BC 0.001");
        compare(trade.accessibleText, "sell 0.001 @ 60000.25");
        trade.afterGap = true;
        verify(trade.accessibleText.startsWith("sell 0.001 @ 60000.25 "));
        verify(trade.accessibleText.indexOf("missing") > 0);
    }

    function test_tradeTextsSignalChanges() {
        const trade = createTemporaryObject(tradeComponent, testCase);
        let changes = 0;
        trade.textsChanged.connect(() => ++changes);
        trade.price = "60000.25"; // the same value: nothing to tell
        compare(changes, 0);
        trade.price = "60001";
        compare(changes, 1);
        compare(trade.accessibleText, "buy 1234.5 @ 60001");
    }

    function test_ladderSizesWithSeparators() {
        const row = createTemporaryObject(ladderComponent, testCase);
        compare(row.sizeText, "12345.50000000");
        Theme.thousandsSeparators = true;
        try {
            compare(row.sizeText, "12,345.50000000");
            compare(row.cumulativeSizeText, "1,234,567.00000000");
            row.size = "2.5";
            compare(row.sizeText, "2.5");
        } finally {
            Theme.thousandsSeparators = false;
        }
        compare(row.cumulativeSizeText, "1234567.00000000");
    }

    function test_ladderAccessibleText() {
        // The row says what its cells draw, exactly and without separators, and follows each change.
        const row = createTemporaryObject(ladderComponent, testCase);
        compare(row.accessibleText, "60000.25, size 12345.50000000, total 1234567.00000000");
        compare(row.Accessible.name, row.accessibleText);
        row.price = "60000.5";
        row.size = "2.5";
        row.cumulativeSize = "3";
        compare(row.accessibleText, "60000.5, size 2.5, total 3");
        compare(row.Accessible.name, "60000.5, size 2.5, total 3");
        row.price = "";
        compare(row.accessibleText, "");
    }
}
