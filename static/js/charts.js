/* Draw every [data-chart-source] element as a bar chart from its JSON (served locally, ECharts). */
(function () {
  function draw(el) {
    if (!window.echarts) return;
    var source = document.getElementById(el.dataset.chartSource);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    if (!data.labels.length) { el.remove(); return; }
    el.style.height = Math.max(220, data.labels.length * 26 + 60) + "px";
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      color: ["#b3261e", "#8a9099", "#d4a017", "#2f6f9f", "#4e8a3e"],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 30, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.labels, inverse: true },
      series: data.series.map(function (s) { return { name: s.name, type: "bar", data: s.data }; })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart-source]").forEach(draw);
  });
})();
