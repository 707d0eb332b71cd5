/* Draw every [data-line-chart-source] element as a line chart (ECharts, served locally) from its
   JSON: {"labels": [...], "series": [{"name": ..., "data": [...]}, ...]}. */
(function () {
  function draw(el) {
    if (!window.echarts) return;
    var source = document.getElementById(el.dataset.lineChartSource);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    if (!data.labels.length) { el.remove(); return; }
    el.style.height = "280px";
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      color: ["#b3261e", "#2f6f9f", "#d4a017", "#4e8a3e", "#8a9099"],
      tooltip: { trigger: "axis" },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.labels, axisLabel: { rotate: 45, fontSize: 10 } },
      yAxis: { type: "value", minInterval: 1 },
      series: data.series.map(function (s) { return { name: s.name, type: "line", data: s.data, connectNulls: false }; })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-line-chart-source]").forEach(draw);
  });
})();
