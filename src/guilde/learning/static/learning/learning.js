// Learning: charts from json_script data, the attempt countdown, focus on answer feedback.
// No inline script: the content security policy forbids it.
(function () {
  function drawCharts(root) {
    if (typeof Chart === "undefined") return;
    root.querySelectorAll("canvas[data-learning-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) return;
      const source = document.getElementById(canvas.dataset.learningChart);
      if (!source) return;
      const data = JSON.parse(source.textContent);
      const horizontal = canvas.dataset.learningChartKind === "hbar";
      const styles = getComputedStyle(document.documentElement);
      const primary = styles.getPropertyValue("--bs-primary").trim() || "#4f46e5";
      const text = styles.getPropertyValue("--bs-body-color").trim() || "#212529";
      canvas.dataset.drawn = "1";
      new Chart(canvas, {
        type: "bar",
        data: {
          labels: data.labels,
          datasets: [{ label: data.label, data: data.values, backgroundColor: primary, borderRadius: 4 }],
        },
        options: {
          indexAxis: horizontal ? "y" : "x",
          maintainAspectRatio: false,
          plugins: { legend: { display: false } },
          scales: {
            x: { ticks: { color: text }, beginAtZero: true },
            y: { ticks: { color: text }, beginAtZero: true },
          },
        },
      });
    });
  }

  function startTimers() {
    document.querySelectorAll("[data-learning-deadline]").forEach(function (timer) {
      const deadline = Number(timer.dataset.learningDeadline);
      const text = timer.querySelector("[data-learning-timer-text]");
      if (!deadline || !text) return;
      function tick() {
        const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
        const minutes = Math.floor(left / 60);
        const seconds = String(left % 60).padStart(2, "0");
        text.textContent = minutes + ":" + seconds;
        timer.classList.toggle("is-urgent", left < 60);
        if (left > 0) window.setTimeout(tick, 1000);
      }
      tick();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts(document);
    startTimers();
    const feedback = document.querySelector("[data-learning-focus]");
    if (feedback) feedback.focus();
  });
})();
