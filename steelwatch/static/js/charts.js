/* Shared chart helpers (ECharts). Every text that comes from data — names, addresses, titles, reasons — is put
   into the page as a text node, never as HTML: tooltips are DOM elements built here, and the data itself is
   read from a json_script block. No inline style attributes either (the CSP forbids them): the colour marker
   is set through the element's style property. */
(function () {
  "use strict";
  var SW = window.SW = window.SW || {};

  /** The JSON of a {{ value|json_script:"id" }} block, or null when the page has none. */
  SW.json = function (id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  };

  /** The chart's labels, from its data-label-* attributes (translated in the template). */
  SW.labels = function (el) {
    var out = {};
    Object.keys(el.dataset).forEach(function (key) {
      if (key.indexOf("label") === 0 && key.length > 5) {
        out[key.charAt(5).toLowerCase() + key.slice(6)] = el.dataset[key];
      }
    });
    return out;
  };

  function marker(color) {
    var dot = document.createElement("span");
    dot.className = "chart-marker";
    if (typeof color === "string") dot.style.backgroundColor = color;
    return dot;
  }

  /** A tooltip element: one line per entry; an entry is a string or [color, text]. Text only, never HTML. */
  SW.tooltip = function (lines) {
    var box = document.createElement("div");
    box.className = "chart-tooltip";
    lines.forEach(function (line) {
      var row = document.createElement("div");
      if (Array.isArray(line)) {
        row.appendChild(marker(line[0]));
        line = line[1];
      }
      row.appendChild(document.createTextNode(line == null ? "" : String(line)));
      box.appendChild(row);
    });
    return box;
  };

  function shown(value) {
    if (Array.isArray(value)) value = value[value.length - 1];
    if (value == null || value === "-") return "—";
    return typeof value === "number" ? value.toLocaleString() : String(value);
  }

  /** formatter for trigger "axis": the axis value, then "series: value" per series. */
  SW.axisTooltip = function (params) {
    params = Array.isArray(params) ? params : [params];
    if (!params.length) return SW.tooltip([]);
    var head = params[0].axisValueLabel != null ? params[0].axisValueLabel : params[0].name;
    return SW.tooltip([head].concat(params.map(function (p) {
      return [p.color, p.seriesName + "：" + shown(p.value)];
    })));
  };

  /** formatter for trigger "item": the point's name (or category), then its value. */
  SW.itemTooltip = function (p) {
    var lines = [];
    if (p.seriesName && p.seriesType !== "graph") lines.push(p.seriesName);
    lines.push([p.color, (p.name || "") + (p.value != null && !Array.isArray(p.value) ? "：" + shown(p.value) : "")]);
    return SW.tooltip(lines);
  };

  /** Tooltip options every chart shares. */
  SW.tooltipOptions = function (trigger, formatter) {
    return {trigger: trigger || "item", formatter: formatter || (trigger === "axis" ? SW.axisTooltip : SW.itemTooltip)};
  };

  /** echarts.init plus a resize on window resize. */
  SW.chart = function (el) {
    var chart = echarts.init(el);
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  };

  /** An axis of degrees: "120.123°", without the crowded end labels. */
  SW.degrees = function (v) { return v.toFixed(3) + "°"; };
})();
