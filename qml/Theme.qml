pragma Singleton
import QtQuick
import Tickscope

// Colours, fonts and sizes of the whole UI. Dark by default; `dark = false` switches to the light
// palette, `colorBlind = true` replaces green/red with a blue/orange pair that stays distinct for
// the common colour-vision deficiencies. Direction is never shown by colour alone (arrows, signs).
QtObject {
    id: theme

    property bool dark: true
    property bool colorBlind: false
    /// Size of text and rows (the workspace's UI scale, 0.75 … 2): font pixel sizes and row
    /// heights are multiplied by it.
    property real scale: 1.0
    /// Whether number() groups the integer digits of prices and sizes ("12,345.6").
    property bool thousandsSeparators: false

    readonly property color window: dark ? "#0f1318" : "#f4f6f8"
    readonly property color panel: dark ? "#151b22" : "#ffffff"
    readonly property color panelAlt: dark ? "#1a212a" : "#eef1f4"
    readonly property color border: dark ? "#27313c" : "#d0d7de"
    readonly property color text: dark ? "#e3e8ee" : "#1b2128"
    readonly property color textDim: dark ? "#8b97a5" : "#5d6975"
    readonly property color selection: dark ? "#233247" : "#dbe8f7"
    readonly property color accent: dark ? "#4ea1ff" : "#1565c0"
    /// Text on an accent background (checked buttons, selected text).
    readonly property color onAccent: dark ? "#0f1318" : "#ffffff"
    /// Buttons and other controls of the dialogs (Qt Quick Controls read them from the palette).
    readonly property color control: dark ? "#252e39" : "#e3e8ed"
    readonly property color controlBorder: dark ? "#5a6878" : "#8a96a3"

    readonly property color up: colorBlind ? (dark ? "#5aa9ff" : "#1565c0") : (dark ? "#2ecc8f" : "#0f8a5f")
    readonly property color down: colorBlind ? (dark ? "#ffa04d" : "#c25e00") : (dark ? "#ff5d5d" : "#c62828")
    // Depth and volume bars: the direction colour faintly over the panel, as an opaque colour (an
    // opaque bar is drawn without blending, which software renderers pay for per pixel).
    readonly property color upBar: theme.mixed(panel, up, dark ? 0.18 : 0.16)
    readonly property color downBar: theme.mixed(panel, down, dark ? 0.18 : 0.16)

    // The watchlist's flash behind a changed last price: the direction's colour at 20 % over each
    // row background, mixed here once per palette (rows pick one; a mix per row would run a
    // JavaScript call on every tick).
    readonly property color flashUp: theme.mixed(panel, up, 0.2)
    readonly property color flashDown: theme.mixed(panel, down, 0.2)
    readonly property color flashSame: theme.mixed(panel, text, 0.2)
    readonly property color flashUpAlt: theme.mixed(panelAlt, up, 0.2)
    readonly property color flashDownAlt: theme.mixed(panelAlt, down, 0.2)
    readonly property color flashSameAlt: theme.mixed(panelAlt, text, 0.2)
    readonly property color flashUpSelected: theme.mixed(selection, up, 0.2)
    readonly property color flashDownSelected: theme.mixed(selection, down, 0.2)
    readonly property color flashSameSelected: theme.mixed(selection, text, 0.2)

    readonly property color live: dark ? "#2ecc8f" : "#0f8a5f"
    readonly property color warning: dark ? "#f2c94c" : "#a86b00"
    readonly property color error: dark ? "#ff5d5d" : "#c62828"
    readonly property color idle: dark ? "#8b97a5" : "#5d6975"

    readonly property string monoFamily: "DejaVu Sans Mono"
    readonly property int fontSize: Math.round(12 * scale)
    readonly property int smallFontSize: Math.round(11 * scale)
    readonly property int rowHeight: Math.round(20 * scale)
    /// Widths of the watchlist columns: symbol, last, change %, bid, ask, spread, volume.
    readonly property var watchlistColumns: [Math.round(154 * scale), Math.round(122 * scale), Math.round(68 * scale),
        Math.round(122 * scale), Math.round(122 * scale), Math.round(82 * scale), Math.round(104 * scale)]

    /// `over` at `amount` (0…1) on top of `base`, as one opaque colour: what blending would show,
    /// worked out once here instead of by the renderer on every pixel of every frame.
    function mixed(base: color, over: color, amount: real): color {
        return Qt.tint(base, Qt.rgba(over.r, over.g, over.b, amount));
    }

    /// An exact decimal string as shown: with thousands separators in its integer digits when they
    /// are on (NumberFormat). Text only: sign, fraction and any suffix stay as they are.
    function number(text: string): string {
        return NumberFormat.number(text, theme.thousandsSeparators);
    }

    /// The watchlist column widths with hidden columns at 0; `shown` maps a column key to whether it
    /// shows (WatchlistsModel.columnShown; the symbol column always shows).
    function watchlistWidths(shown: var): var {
        const keys = ["symbol", "last", "change", "bid", "ask", "spread", "volume"];
        return theme.watchlistColumns.map((width, i) => i === 0 || shown[keys[i]] !== false ? width : 0);
    }

    /// Whether `shown` (WatchlistsModel.columnShown, WorkspaceStore.paneShown) has `key` showing.
    function shows(shown: var, key: string): bool {
        return shown[key] !== false;
    }
}
