import QtQuick
import QtTest
import Tickscope

// Number formatting: exact text split at the decimal point so columns align on it.
TestCase {
    id: testCase
    name: "PriceText"
    width: 300
    height: 100
    visible: true
    when: windowShown

    Component {
        id: priceComponent
        PriceText {
            width: 160
            pointX: 100
        }
    }

    function test_split_data() {
        return [
            { tag: "cents", value: "60000.25", integer: "60000", fraction: ".25" },
            { tag: "8 decimals", value: "0.00001234", integer: "0", fraction: ".00001234" },
            { tag: "negative", value: "-1.50", integer: "-1", fraction: ".50" },
            { tag: "integer", value: "77", integer: "77", fraction: "" },
            { tag: "unknown", value: "", integer: "", fraction: "" },
        ];
    }

    function test_split(data) {
        const price = createTemporaryObject(priceComponent, testCase, { value: data.value });
        verify(price);
        compare(price.integerPart(), data.integer);
        compare(price.fractionPart(), data.fraction);
        compare(price.integerPart() + price.fractionPart(), data.value); // nothing lost, nothing rounded
    }

    FontMetrics {
        id: metrics
        font.family: Theme.monoFamily
        font.pixelSize: Theme.fontSize
    }

    function test_pointIsAligned() {
        // Whatever the precision, the decimal point sits at pointX: the integer part, as the font
        // lays it out, ends there.
        const a = createTemporaryObject(priceComponent, testCase, { value: "60000.25" });
        const b = createTemporaryObject(priceComponent, testCase, { value: "0.00001234" });
        const c = createTemporaryObject(priceComponent, testCase, { value: "1234" });
        waitForRendering(a);
        for (const item of [a, b, c]) {
            const text = item.children[0];
            compare(text.text, item.value);
            fuzzyCompare(text.x + metrics.advanceWidth(item.integerPart()), 100, 0.5);
        }
        verify(a.children[0].x < b.children[0].x); // more integer digits start further left
    }

    function test_thousandsSeparators() {
        // With separators on the text gains them and the decimal point still sits at pointX.
        Theme.thousandsSeparators = true;
        try {
            const a = createTemporaryObject(priceComponent, testCase, { value: "60000.25" });
            const b = createTemporaryObject(priceComponent, testCase, { value: "-1234567" });
            waitForRendering(a);
            compare(a.children[0].text, "60,000.25");
            compare(a.integerPart(), "60,000");
            compare(a.fractionPart(), ".25");
            fuzzyCompare(a.children[0].x + metrics.advanceWidth(a.integerPart()), 100, 0.5);
            compare(b.children[0].text, "-1,234,567");
        } finally {
            Theme.thousandsSeparators = false;
        }
    }
}
