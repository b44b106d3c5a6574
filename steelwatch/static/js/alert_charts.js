/* The alert page: the 15-minute load curve (melt cycles shaded, capacity lines) and the daily energy bars with
   the capacity-increase requests. Data: json_script "chart-data"; labels: data-label-* of #alert-charts. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var data = SW.json("chart-data"), labelsEl = document.getElementById("alert-charts");
    if (!data || !labelsEl) return;
    var t = SW.labels(labelsEl);
    var lines = [{yAxis: data.contracted_kw, name: t.contracted,
                  label: {formatter: t.contracted + " " + data.contracted_kw + " kVA≈kW"}}];
    if (data.furnace_kw > 0) {
      lines.push({yAxis: data.furnace_kw, name: t.furnace, lineStyle: {color: "#b45309"},
                  label: {formatter: t.furnace + " " + data.furnace_kw + " kW"}});
    }
    var curveEl = document.getElementById("load-chart");
    if (curveEl) {
      SW.chart(curveEl).setOption({
        animation: false,
        tooltip: SW.tooltipOptions("axis"),
        grid: {left: 60, right: 20, top: 30, bottom: 70},
        xAxis: {type: "time"},
        // Scaled to the load itself: a capacity line is kept in view only when it is within 3× the peak,
        // so that a large contracted capacity does not flatten the curve (both values are listed above the chart).
        yAxis: {type: "value", name: "kW", min: 0, max: function (v) {
          var peak = Math.max(v.max, 1);
          var near = [data.contracted_kw, data.furnace_kw].filter(function (x) { return x > 0 && x <= peak * 3; });
          var top = Math.max.apply(null, [peak].concat(near)) * 1.08, step = Math.pow(10, Math.floor(Math.log10(top))) / 2;
          return Math.ceil(top / step) * step;  // a round number: 681 → 700
        }},
        dataZoom: [{type: "inside"}, {type: "slider"}],
        series: [{
          // Missing 15-minute slots arrive as null: the line breaks there instead of bridging the gap.
          name: t.load, type: "line", showSymbol: false, data: data.curve, connectNulls: false,
          lineStyle: {width: 1},
          markArea: {itemStyle: {color: "rgba(220, 38, 38, 0.15)"}, silent: true,
                     data: data.segments.map(function (s) { return [{xAxis: s[0], name: ""}, {xAxis: s[1]}]; })},
          markLine: {symbol: "none", lineStyle: {type: "dashed"}, label: {position: "insideEndTop"}, data: lines}
        }]
      });
    }
    var dailyEl = document.getElementById("daily-chart");
    if (dailyEl && data.daily.length) {
      var days = data.daily.map(function (d) { return d[0]; });
      var requests = data.requests.filter(function (r) { return r[0] >= days[0] && r[0] <= days[days.length - 1]; })
        .map(function (r) { return {xAxis: r[0], label: {formatter: t.request + " " + r[1] + " kVA（" + r[2] + "）"}}; });
      SW.chart(dailyEl).setOption({
        animation: false, tooltip: SW.tooltipOptions("axis"), legend: {data: [t.kwh, t.night]},
        grid: {left: 60, right: 20, top: 40, bottom: 30},
        xAxis: {type: "category", data: days}, yAxis: {type: "value", name: "kWh"},
        series: [
          {name: t.kwh, type: "bar", data: data.daily.map(function (d) { return d[1]; }),
           markLine: {symbol: "none", data: requests}},
          {name: t.night, type: "bar", data: data.daily.map(function (d) { return d[2]; })}
        ]
      });
    }
  });
})();
