import QtQuick
import QtTest
import Tickscope

// NumberText: the glyph-atlas text of the numeric cells. It must measure like the monospaced font,
// elide on the left, draw what it is given (and redraw when it changes), in its colour, where its
// alignment says.
TestCase {
    id: testCase
    name: "NumberText"
    width: 400
    height: 200
    visible: true
    when: windowShown

    FontMetrics {
        id: metrics
        font.family: Theme.monoFamily
        font.pixelSize: 14
    }

    Component {
        id: textComponent
        Rectangle {
            property alias text: number.text
            property alias number: number
            width: 160
            height: 24
            color: "black"
            NumberText {
                id: number
                anchors.fill: parent
                color: "#ff0000"
                fontFamily: Theme.monoFamily
                pixelSize: 14
            }
        }
    }

    property int made: 0

    function init() {
        testCase.made = 0;
    }

    /// A cell of its own (grabImage grabs the window's pixels: cells must not overlap).
    function make(text, props) {
        const cell = createTemporaryObject(textComponent, testCase, { text: text, y: 30 * testCase.made++ });
        verify(cell);
        for (const key in props)
            cell.number[key] = props[key];
        return cell;
    }

    /// [first, last] columns of the grabbed image that have a pixel brighter than the background.
    function inkColumns(image) {
        let first = -1;
        let last = -1;
        for (let x = 0; x < image.width; ++x) {
            for (let y = 0; y < image.height; ++y) {
                const p = image.pixel(x, y);
                if (p.r + p.g + p.b > 0.2) {
                    if (first < 0)
                        first = x;
                    last = x;
                    break;
                }
            }
        }
        return [first, last];
    }

    function test_measuresLikeTheFont() {
        const cell = make("60000.25", {});
        fuzzyCompare(cell.number.advance, metrics.advanceWidth("0"), 0.01);
        fuzzyCompare(cell.number.implicitWidth, 8 * metrics.advanceWidth("0"), 0.01);
        cell.text = "1.5";
        fuzzyCompare(cell.number.implicitWidth, 3 * metrics.advanceWidth("0"), 0.01);
        verify(cell.number.implicitHeight >= metrics.height - 1);
    }

    function test_elidesOnTheLeft() {
        const cell = make("1234567890123", { elideLeft: true });
        cell.width = 5.5 * cell.number.advance;
        compare(cell.number.shownText(), "\u20260123"); // five characters fit: "…" and the last four
        cell.width = 20 * cell.number.advance;
        compare(cell.number.shownText(), "1234567890123");
        cell.number.elideLeft = false;
        cell.width = 3 * cell.number.advance;
        compare(cell.number.shownText(), "1234567890123");
    }

    /// Pixels of the grabbed cell (black background) that are red, green, or some other colour.
    function tally(image) {
        const counts = { red: 0, green: 0, other: 0 };
        for (let x = 0; x < image.width; ++x) {
            for (let y = 0; y < image.height; ++y) {
                const p = image.pixel(x, y);
                if (p.r > 0.02 && p.g <= 0.02 && p.b <= 0.02)
                    ++counts.red;
                else if (p.g > 0.02 && p.r <= 0.02 && p.b <= 0.02)
                    ++counts.green;
                else if (p.r > 0.02 || p.g > 0.02 || p.b > 0.02)
                    ++counts.other;
            }
        }
        return counts;
    }

    function test_drawsItsTextInItsColour() {
        const cell = make("8.8", {});
        waitForRendering(cell);
        let counts = tally(grabImage(cell));
        verify(counts.red > 20, "red ink: " + counts.red + " other: " + counts.other);
        compare(counts.green, 0);
        // Antialiased edges are darker red, never another hue.
        compare(counts.other, 0);
        // A new colour (a theme switch, a tick's direction) redraws in it.
        cell.number.color = "#00ff00";
        waitForRendering(cell);
        counts = tally(grabImage(cell));
        verify(counts.green > 20, "green ink: " + counts.green);
        compare(counts.red, 0);
    }

    function test_redrawsWhenTheTextChanges() {
        const a = make("60000.25", {});
        const b = make("60000.25", {});
        waitForRendering(b);
        verify(grabImage(a).equals(grabImage(b)));
        b.text = "60000.26";
        waitForRendering(b);
        verify(!grabImage(a).equals(grabImage(b)));
        b.text = "60000.25";
        waitForRendering(b);
        verify(grabImage(a).equals(grabImage(b)));
        b.text = "";
        waitForRendering(b);
        compare(inkColumns(grabImage(b))[0], -1); // nothing drawn
    }

    function test_charactersOutsideTheAtlasAreQuestionMarks() {
        const a = make("1\u00e9", {});
        const b = make("1?", {});
        const c = make("1\u25b2", {});
        waitForRendering(c);
        verify(grabImage(a).equals(grabImage(b)));
        verify(!grabImage(c).equals(grabImage(b))); // ▲ is in the atlas
    }

    function test_alignment() {
        const left = make("42", {});
        const right = make("42", { horizontalAlignment: Qt.AlignRight });
        const centre = make("42", { horizontalAlignment: Qt.AlignHCenter });
        waitForRendering(centre);
        const l = inkColumns(grabImage(left));
        const r = inkColumns(grabImage(right));
        const c = inkColumns(grabImage(centre));
        verify(l[0] >= 0 && l[0] <= 2, "left ink starts at " + l[0]);
        verify(r[1] >= 160 - 3 && r[1] <= 159, "right ink ends at " + r[1]);
        verify(Math.abs((c[0] + c[1]) / 2 - 80) <= 2, "centre ink " + c);
        // The same glyphs wherever they are: equal ink width, give or take the pixel snapping of
        // the second glyph.
        verify(Math.abs((r[1] - r[0]) - (l[1] - l[0])) <= 1, "ink widths " + l + " " + r);
    }
}
