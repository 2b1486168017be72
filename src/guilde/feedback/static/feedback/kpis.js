// KPI charts drawn with the vendored Chart.js from data rendered by json_script (no inline script: CSP).
(function () {
  const PALETTE = ["#4f46e5", "#0891b2", "#16a34a", "#d97706", "#db2777", "#64748b"];

  function readJson(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function colours() {
    const style = getComputedStyle(document.documentElement);
    return {
      text: style.getPropertyValue("--bs-body-color").trim() || "#212529",
      grid: style.getPropertyValue("--bs-border-color-translucent").trim() || "rgba(0,0,0,.1)",
    };
  }

  function drawChart(canvas) {
    const spec = readJson(canvas.dataset.chart);
    if (!spec) return;
    const c = colours();
    const horizontal = !!spec.horizontal;
    const datasets = spec.datasets.map(function (d, i) {
      const colour = PALETTE[i % PALETTE.length];
      return {
        label: d.label,
        data: d.data,
        borderColor: colour,
        backgroundColor: spec.type === "line" ? colour + "22" : colour,
        tension: 0.3,
        pointRadius: spec.type === "line" ? 2 : 0,
        fill: false,
      };
    });
    const valueAxis = { beginAtZero: true, title: { display: true, text: spec.y, color: c.text }, ticks: { color: c.text, precision: 0 }, grid: { color: c.grid } };
    const labelAxis = { title: { display: true, text: spec.x, color: c.text }, ticks: { color: c.text }, grid: { display: false } };
    if (horizontal) {
      valueAxis.title.text = spec.x;
      labelAxis.title.text = spec.y;
    }
    new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: horizontal ? "y" : "x",
        animation: false,
        plugins: { legend: { labels: { color: c.text, boxWidth: 12 } } },
        scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
      },
    });
  }

  function drawSparkline(canvas) {
    const data = readJson(canvas.dataset.sparkline);
    if (!data) return;
    new Chart(canvas, {
      type: "line",
      data: { labels: data.map(function (_, i) { return i; }), datasets: [{ data: data, borderColor: PALETTE[0], borderWidth: 2, pointRadius: 0, tension: 0.3, fill: false }] },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        events: [],
        plugins: { legend: { display: false }, tooltip: { enabled: false } },
        scales: { x: { display: false }, y: { display: false, beginAtZero: true } },
      },
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof Chart === "undefined") return;
    document.querySelectorAll("canvas[data-chart]").forEach(drawChart);
    document.querySelectorAll("canvas[data-sparkline]").forEach(drawSparkline);
  });
})();
