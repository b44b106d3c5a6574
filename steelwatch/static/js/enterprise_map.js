/* The enterprise page's location plot: this enterprise (red) among the others of its township (grey), both
   axes at the same kilometres per pixel, with a scale bar. Data: json_script "map-points"
   ({here: [[lng, lat, name]], others: [[lng, lat, name], …]}); series names from data-label-* attributes. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("enterprise-map"), data = SW.json("map-points");
    if (!el || !data || !data.here.length) return;
    var t = SW.labels(el), chart = echarts.init(el);
    var lat0 = data.here[0][1];
    var kmX = 111.32 * Math.cos(lat0 * Math.PI / 180), kmY = 110.57;  // km per degree at this latitude
    function draw() {
      var all = data.others.concat(data.here), w = el.clientWidth - 90, h = el.clientHeight - 60;
      var xs = all.map(function (p) { return p[0]; }), ys = all.map(function (p) { return p[1]; });
      var cx = (Math.min.apply(null, xs) + Math.max.apply(null, xs)) / 2, cy = (Math.min.apply(null, ys) + Math.max.apply(null, ys)) / 2;
      // Same kilometres per pixel on both axes, so distances on screen are true to scale.
      var halfX = Math.max((Math.max.apply(null, xs) - cx) * kmX, (Math.max.apply(null, ys) - cy) * kmY * w / h, 0.5) * 1.25;
      var halfY = halfX * h / w, ticks = w < 400 ? 3 : 6;
      var axis = {type: "value", splitNumber: ticks, splitLine: {lineStyle: {color: "#eee"}},
                  axisLabel: {formatter: SW.degrees, hideOverlap: true, showMinLabel: false, showMaxLabel: false}};
      chart.setOption({
        animation: false, grid: {left: 70, right: 20, top: 20, bottom: 40},
        tooltip: SW.tooltipOptions("item", function (p) { return SW.tooltip([[p.color, p.value[2]]]); }),
        xAxis: Object.assign({min: cx - halfX / kmX, max: cx + halfX / kmX}, axis),
        yAxis: Object.assign({min: cy - halfY / kmY, max: cy + halfY / kmY}, axis),
        series: [
          {name: t.others, type: "scatter", symbolSize: 6, itemStyle: {color: "#9aa5b1"}, data: data.others},
          {name: t.here, type: "scatter", symbolSize: 16, itemStyle: {color: "#b71c1c"}, data: data.here, z: 3}
        ]
      }, true);
      var km = halfX > 4 ? 2 : (halfX > 1.5 ? 1 : 0.5), x0 = 80, y0 = el.clientHeight - 58;
      var px = chart.convertToPixel({xAxisIndex: 0}, cx - halfX / kmX + km / kmX) - chart.convertToPixel({xAxisIndex: 0}, cx - halfX / kmX);
      chart.setOption({graphic: [
        {type: "line", shape: {x1: x0, y1: y0, x2: x0 + px, y2: y0}, style: {stroke: "#1f2933", lineWidth: 3}},
        {type: "text", x: x0, y: y0 - 18, style: {text: km + " km", fill: "#1f2933", font: "12px sans-serif"}}
      ]});
    }
    draw();
    window.addEventListener("resize", function () { chart.resize(); draw(); });
  });
})();
