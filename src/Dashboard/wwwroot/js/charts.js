// Whether plotly.js has drawn a chart on the element: plotly keeps a plot's traces on its div (el.data).
// null when the element is gone (its page was left), so the caller stops asking.
export function isDrawn(id) {
    const el = document.getElementById(id);
    return el === null ? null : Array.isArray(el.data);
}
