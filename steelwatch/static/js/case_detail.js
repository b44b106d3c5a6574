/* The case page: the location plot (site and photo positions) and the trace-back graph. Data from the
   json_script blocks "map-data" and "trace-data"; labels from the chart elements' data-label-* attributes. */
(function () {
  "use strict";
  // An axis around the points themselves (at least ±0.005°, about 500 m), not stretched out from zero.
  function span(values) {
    var lo = Math.min.apply(null, values), hi = Math.max.apply(null, values), pad = Math.max((hi - lo) * 0.15, 0.005);
    return {min: lo - pad, max: hi + pad,
            axisLabel: {formatter: SW.degrees, hideOverlap: true, showMinLabel: false, showMaxLabel: false}};
  }

  function drawMap(el, points) {
    var t = SW.labels(el);
    var site = points.filter(function (p) { return p.kind === "site"; });
    var photos = points.filter(function (p) { return p.kind === "photo"; });
    SW.chart(el).setOption({
      tooltip: SW.tooltipOptions("item", function (p) {
        return SW.tooltip([[p.color, p.name], p.value[0] + ", " + p.value[1]]);
      }),
      legend: {data: [t.site, t.photo]},
      grid: {left: 70, right: 50, top: 40, bottom: 40},
      xAxis: Object.assign({type: "value", name: t.longitude}, span(points.map(function (p) { return p.value[0]; }))),
      yAxis: Object.assign({type: "value", name: t.latitude}, span(points.map(function (p) { return p.value[1]; }))),
      series: [{name: t.site, type: "scatter", symbolSize: 18, data: site},
               {name: t.photo, type: "scatter", symbolSize: 9, data: photos}]
    });
  }

  function drawGraph(el, graph) {
    SW.chart(el).setOption({
      tooltip: SW.tooltipOptions("item", function (p) {
        if (p.dataType === "edge") return SW.tooltip([p.data.label || ""]);
        return SW.tooltip([[p.color, p.name], p.value]);
      }),
      legend: [{data: graph.categories.map(function (c) { return c.name; })}],
      series: [{type: "graph", layout: "force", roam: true, draggable: true, force: {repulsion: 260, edgeLength: 120},
                categories: graph.categories, data: graph.nodes, links: graph.edges,
                label: {show: true}, edgeSymbol: ["none", "arrow"],
                edgeLabel: {show: true, formatter: function (p) { return p.data.label || ""; }}}]
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var mapEl = document.getElementById("map"), graphEl = document.getElementById("trace-graph");
    if (mapEl) drawMap(mapEl, SW.json("map-data"));
    if (graphEl) drawGraph(graphEl, SW.json("trace-data"));
  });
})();
