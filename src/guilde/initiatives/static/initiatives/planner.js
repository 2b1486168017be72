// The planner's chart: demand against pledged time and volunteers' time, week by week.
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    const source = document.getElementById("planner-data");
    const canvas = document.getElementById("planner-chart");
    if (!source || !canvas || typeof window.Chart === "undefined") return;
    const data = JSON.parse(source.textContent);
    const styles = getComputedStyle(document.documentElement);
    const text = styles.getPropertyValue("--bs-body-color").trim() || "#212529";
    const grid = styles.getPropertyValue("--bs-border-color").trim() || "#dee2e6";
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { type: "bar", label: data.series.demand, data: data.demand, backgroundColor: "rgba(217, 119, 6, 0.75)" },
          { type: "bar", label: data.series.pledged, data: data.pledged, backgroundColor: "rgba(79, 70, 229, 0.8)" },
          {
            type: "line",
            label: data.series.capacity,
            data: data.capacity,
            borderColor: "rgba(22, 163, 74, 1)",
            backgroundColor: "rgba(22, 163, 74, 0.2)",
            borderWidth: 2,
            pointRadius: 2,
            tension: 0.2,
          },
        ],
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { labels: { color: text } } },
        scales: {
          x: { ticks: { color: text }, grid: { color: grid } },
          y: {
            beginAtZero: true,
            ticks: { color: text },
            grid: { color: grid },
            title: { display: true, text: data.series.axis, color: text },
          },
        },
      },
    });
  });
})();
