import QtQuick
import QtQuick.Layouts
import QtCharts
import Tickscope
import Tickscope.Models

// Candlestick chart of the selected instrument with volume below and a last-price line. Follows
// the newest candle until the user pans (drag, arrow keys) or zooms (wheel, +/-); Home returns to
// live. A crosshair reads out the candle under the mouse. The series are filled from C++
// (CandleChartFeeder) in batches, never point by point from QML.
FocusScope {
    id: root

    readonly property var intervals: [
        { label: "1s", value: CandleModel.S1 }, { label: "1m", value: CandleModel.M1 },
        { label: "5m", value: CandleModel.M5 }, { label: "15m", value: CandleModel.M15 },
        { label: "1h", value: CandleModel.H1 }, { label: "1d", value: CandleModel.D1 }
    ]
    property var hovered: ({})
    /// The price at the crosshair's height (NaN when the pointer is not over the chart).
    property real hoveredPrice: NaN

    // The interval the workspace remembers (one-second candles on a fresh start).
    Component.onCompleted: {
        const saved = intervals.find(i => i.label === MarketHub.workspace.chartInterval);
        MarketHub.candles.interval = saved ? saved.value : CandleModel.S1;
    }

    // Qt 6.4's QtCharts type information is incomplete (ValueAxis and the axis/series property types
    // are missing from its qmltypes), so qmllint cannot check the chart elements; it is switched off
    // for them only, and back on below.
    // qmllint disable
    CandleChartFeeder {
        id: feeder
        model: MarketHub.candles
        priceSeries: candles
        volumeSeries: volumes
        timeAxis: timeAxis
        priceAxis: priceAxis
        volumeTimeAxis: volumeTimeAxis
        volumeAxis: volumeAxis
    }

    Keys.onPressed: event => {
        if (event.key === Qt.Key_Left) {
            feeder.offset = feeder.offset + Math.max(1, Math.round(feeder.visibleCount / 10));
        } else if (event.key === Qt.Key_Right) {
            feeder.offset = Math.max(0, feeder.offset - Math.max(1, Math.round(feeder.visibleCount / 10)));
        } else if (event.key === Qt.Key_Plus || event.key === Qt.Key_Equal) {
            feeder.visibleCount = Math.round(feeder.visibleCount / 1.25);
        } else if (event.key === Qt.Key_Minus) {
            feeder.visibleCount = Math.round(feeder.visibleCount * 1.25);
        } else if (event.key === Qt.Key_Home) {
            feeder.follow = true;
        } else {
            return;
        }
        event.accepted = true;
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        PanelHeader {
            Layout.fillWidth: true
            title: qsTr("Chart") + "  " + MarketHub.selectedSymbol + "  " + MarketHub.selectedName
            active: root.activeFocus
        }

        Row {
            Layout.fillWidth: true
            Layout.leftMargin: 6
            Layout.topMargin: 4
            spacing: 4

            Repeater {
                model: root.intervals
                delegate: Chip {
                    required property var modelData
                    text: modelData.label
                    checked: MarketHub.candles.interval === modelData.value
                    Accessible.name: qsTr("Interval %1").arg(modelData.label)
                    onClicked: {
                        MarketHub.candles.interval = modelData.value;
                        MarketHub.workspace.chartInterval = modelData.label;
                    }
                }
            }
            Item {
                width: 12
                height: 1
            }
            Chip {
                // Not "Live": that word is the feed's state, and this button only scrolls.
                text: feeder.follow ? qsTr("Auto-scroll") : "\u21E5 " + qsTr("Back to latest")
                checked: feeder.follow
                Accessible.name: qsTr("Follow the newest candle")
                onClicked: feeder.follow = true
            }
        }

        ChartView {
            id: priceChart
            objectName: "priceChart"
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredHeight: 3
            // The chart is painted on the GUI thread (QPainter) on each patch. Candles, grid and the
            // last-price line are axis-aligned, so they look the same without antialiasing, and
            // each repaint costs about a fifth less (measured with perf on the GUI thread).
            antialiasing: false
            legend.visible: false
            // Transparent: the pane shows through. A painted background is two chart-sized fills on
            // every repaint, which Qt's raster engine farms out to worker threads.
            backgroundColor: "transparent"
            plotAreaColor: "transparent"
            margins.top: 4
            margins.bottom: 0
            margins.left: 4
            margins.right: 4
            Accessible.role: Accessible.Chart
            Accessible.name: qsTr("Price chart of %1").arg(MarketHub.selectedSymbol)

            DateTimeAxis {
                id: timeAxis
                format: MarketHub.candles.interval === CandleModel.D1 ? "dd MMM"
                    : MarketHub.candles.interval === CandleModel.S1 ? "HH:mm:ss" : "HH:mm"
                tickCount: 4
                labelsVisible: MarketHub.candles.count > 0 // no row of 00:00:00 without data
                labelsColor: Theme.textDim
                gridLineColor: Theme.border
                lineVisible: false
                labelsFont.pixelSize: Theme.smallFontSize
            }
            ValueAxis {
                id: priceAxis
                labelsColor: Theme.textDim
                gridLineColor: Theme.border
                lineVisible: false
                tickCount: 6
                labelsFont.pixelSize: Theme.smallFontSize
                labelFormat: "%.6g"
                labelsVisible: MarketHub.candles.count > 0 // no made-up 0…1 scale without data
            }
            CandlestickSeries {
                id: candles
                axisX: timeAxis
                axisYRight: priceAxis
                increasingColor: Theme.up
                decreasingColor: Theme.down
                bodyOutlineVisible: false
                capsVisible: false
            }
            LineSeries {
                id: lastLine
                axisX: timeAxis
                axisYRight: priceAxis
                color: Theme.accent
                style: Qt.DashLine
                width: 1
            }
        }

        ChartView {
            id: volumeChart
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredHeight: 1
            antialiasing: false
            legend.visible: false
            backgroundColor: "transparent"
            plotAreaColor: "transparent"
            margins.top: 0
            margins.left: 4
            margins.right: 4
            Accessible.role: Accessible.Chart
            Accessible.name: qsTr("Volume")

            DateTimeAxis {
                id: volumeTimeAxis
                visible: false
            }
            ValueAxis {
                id: volumeAxis
                labelsColor: Theme.textDim
                gridLineColor: Theme.border
                lineVisible: false
                tickCount: 3
                labelsFont.pixelSize: Theme.smallFontSize
                labelFormat: "%.4g"
                labelsVisible: MarketHub.candles.count > 0 // no made-up 0…1 scale without data
            }
            CandlestickSeries {
                id: volumes
                axisX: volumeTimeAxis
                axisYRight: volumeAxis
                increasingColor: Theme.upBar
                decreasingColor: Theme.downBar
                bodyOutlineVisible: false
                capsVisible: false
            }
        }
    }

    // qmllint enable

    // The last-price line spans the visible time range at the newest close.
    Connections {
        target: feeder
        function onLastCloseChanged() {
            // A pointer resting on the chart reads what is under it now: the candles scroll and the
            // open one changes beneath it.
            if (mouse.containsMouse)
                mouse.readOutAt(mouse.mouseX, mouse.mouseY);
            lastLine.clear();
            if (!isNaN(feeder.lastClose)) {
                lastLine.append(timeAxis.min.getTime(), feeder.lastClose);
                lastLine.append(timeAxis.max.getTime(), feeder.lastClose);
            }
        }
    }

    // Where trades may be missing (a reconnect or a stream gap): a dashed warning line at the start
    // of each such candle. The history stays; the chart says where it has a hole.
    // qmllint disable
    Repeater {
        model: feeder.gapTimes
        delegate: Column {
            id: gapMark
            required property real modelData
            readonly property real plotX: {
                void timeAxis.min; // follow pans, zooms and new candles
                void timeAxis.max;
                return priceChart.mapToPosition(Qt.point(gapMark.modelData, priceAxis.min), candles).x;
            }
            objectName: "gapMark"
            x: plotX
            y: priceChart.y + priceChart.parent.y + priceChart.plotArea.y
            visible: plotX >= priceChart.plotArea.x && plotX <= priceChart.plotArea.x + priceChart.plotArea.width
            spacing: 3
            Accessible.role: Accessible.Indicator
            Accessible.name: qsTr("trades may be missing here")
            Repeater {
                model: Math.max(0, Math.floor(priceChart.plotArea.height / 7))
                delegate: Rectangle {
                    width: 1
                    height: 4
                    color: Theme.warning
                }
            }
        }
    }
    // qmllint enable

    // Crosshair with the OHLCV read-out; dragging pans, the wheel zooms.
    MouseArea {
        id: mouse
        objectName: "chartMouse"
        x: priceChart.x
        y: priceChart.y + priceChart.parent.y
        width: priceChart.width
        height: priceChart.height
        hoverEnabled: true
        property real pressX: 0
        property int pressOffset: 0
        onPressed: e => {
            pressX = e.x;
            pressOffset = feeder.offset;
            root.forceActiveFocus();
        }
        onPositionChanged: e => {
            if (pressed) {
                const perCandle = priceChart.plotArea.width / feeder.visibleCount;
                feeder.offset = Math.max(0, pressOffset + Math.round((e.x - pressX) / perCandle));
            }
            readOutAt(e.x, e.y);
        }
        // Entering already shows the read-out (a pointer that arrives and stops still gets one).
        onEntered: readOutAt(mouseX, mouseY)
        onExited: {
            root.hovered = ({});
            root.hoveredPrice = NaN;
        }
        function readOutAt(x: real, y: real) {
            const value = priceChart.mapToValue(Qt.point(x, y), candles);
            root.hovered = feeder.candleAt(value.x);
            root.hoveredPrice = value.y;
        }
        onWheel: w => {
            feeder.visibleCount = Math.round(feeder.visibleCount * (w.angleDelta.y > 0 ? 0.8 : 1.25));
        }
    }
    Rectangle {
        visible: mouse.containsMouse
        x: mouse.x + mouse.mouseX
        y: mouse.y + priceChart.plotArea.y
        width: 1
        height: priceChart.plotArea.height
        color: Theme.textDim
    }
    Rectangle {
        visible: mouse.containsMouse
        x: mouse.x + priceChart.plotArea.x
        y: mouse.y + mouse.mouseY
        width: priceChart.plotArea.width
        height: 1
        color: Theme.textDim
    }
    // The crosshair's price, on the price axis, in the instrument's decimals.
    Rectangle {
        id: priceTag
        objectName: "crosshairPrice"
        readonly property string text: isNaN(root.hoveredPrice) ? "" : root.hoveredPrice.toFixed(MarketHub.selectedPriceScale)
        visible: mouse.containsMouse && priceTag.text.length > 0 && mouse.mouseY >= priceChart.plotArea.y
            && mouse.mouseY <= priceChart.plotArea.y + priceChart.plotArea.height
        x: mouse.x + priceChart.plotArea.x + priceChart.plotArea.width + 2
        y: mouse.y + mouse.mouseY - height / 2
        width: priceTagText.implicitWidth + 8
        height: priceTagText.implicitHeight + 2
        radius: 2
        color: Theme.accent
        Text {
            id: priceTagText
            anchors.centerIn: parent
            text: priceTag.text
            color: Theme.onAccent
            font.family: Theme.monoFamily
            font.pixelSize: Theme.smallFontSize
        }
    }
    EmptyNote {
        objectName: "chartNote"
        visible: MarketHub.candles.count === 0
        idleText: qsTr("No candles yet")
        width: priceChart.width - 40
        x: priceChart.x + 20
        y: priceChart.y + priceChart.parent.y + (priceChart.height - height) / 2
    }
    Text {
        objectName: "readOut"
        x: priceChart.plotArea.x + 8
        y: priceChart.y + priceChart.parent.y + priceChart.plotArea.y + 4
        visible: root.hovered.close !== undefined
        text: root.hovered.close === undefined ? ""
            // No-break spaces tie each letter to its value when the line wraps.
            : qsTr("%1  O\u00A0%2  H\u00A0%3  L\u00A0%4  C\u00A0%5  V\u00A0%6")
                .arg(new Date(root.hovered.time).toLocaleTimeString(Qt.locale(), "HH:mm:ss"))
                .arg(root.hovered.open).arg(root.hovered.high).arg(root.hovered.low)
                .arg(root.hovered.close).arg(root.hovered.volume)
        color: Theme.text
        font.family: Theme.monoFamily
        font.pixelSize: Theme.smallFontSize
        // Within the plot: a narrow pane breaks the line between the values instead of cutting it.
        width: priceChart.plotArea.width - 16
        wrapMode: Text.WordWrap
    }
}
