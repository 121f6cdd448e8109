// Where a chart stands with plotly.js: "gone" (its page was left), "drawn" (plotly keeps a plot's traces on its div, el.data),
// "loading" (plotly.js has not loaded yet: its own queue will draw it) or "undrawn" (loaded, and the chart still blank).
export function drawState(id) {
    const el = document.getElementById(id);
    if (el === null) return "gone";
    if (Array.isArray(el.data)) return "drawn";
    return window.Plotly === undefined ? "loading" : "undrawn";
}
