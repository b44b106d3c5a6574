// The evaluation's ranking bars: data from a json_script element, every label set as text (ECharts escapes
// plain series labels; no HTML formatter is used).
(function () {
  var el = document.getElementById("ranking-chart");
  var source = document.getElementById("ranking-data");
  if (!el || !source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  if (!data.names.length) return;
  echarts.init(el).setOption({
    grid: { left: 90, right: 30, top: 10, bottom: 30 },
    tooltip: { trigger: "axis", formatter: function (items) {
      var item = items[0];
      return echarts.format.encodeHTML(item.name) + "：" + echarts.format.encodeHTML(String(item.value));
    } },
    xAxis: { type: "value", min: 0, max: 100 },
    yAxis: { type: "category", inverse: true, data: data.names },
    series: [{ type: "bar", data: data.scores, label: { show: true, position: "right" },
      itemStyle: { color: function (p) { return p.value >= 85 ? "#16a34a" : (p.value >= 70 ? "#ca8a04" : "#dc2626"); } } }]
  });
})();
