/* The tip statistics page: one bar chart per breakdown (channel, district, outcome, month).
   Data: json_script "tip-stats" ({channel: [[label, count], …], …}). */
(function () {
  "use strict";
  function bar(id, rows) {
    var el = document.getElementById(id);
    if (!el) return;
    SW.chart(el).setOption({color: ["#1c3d6e"], tooltip: SW.tooltipOptions("item"),
      grid: {left: 8, right: 16, top: 16, bottom: 8, containLabel: true},
      xAxis: {type: "category", data: rows.map(function (r) { return r[0]; }), axisLabel: {interval: 0, hideOverlap: true}},
      yAxis: {type: "value", minInterval: 1},
      series: [{type: "bar", barMaxWidth: 48, label: {show: true, position: "top"}, data: rows.map(function (r) { return r[1]; })}]});
  }
  document.addEventListener("DOMContentLoaded", function () {
    var data = SW.json("tip-stats");
    if (!data) return;
    bar("chart-channel", data.channel);
    bar("chart-district", data.district);
    bar("chart-outcome", data.outcome);
    bar("chart-month", data.month);
  });
})();
