/* Draws the dashboard's charts from its JSON endpoint with the vendored Chart.js.
   The same numbers are in the tables under each chart (for screen readers) and as CSV. */
(function () {
  "use strict";
  var script = document.currentScript;
  var COLORS = ["#0b5394", "#e69138", "#38761d", "#a61c00", "#674ea7", "#45818e", "#bf9000"];
  Chart.defaults.font.size = 18;
  Chart.defaults.font.family = '"Noto Sans KR", "Noto Sans CJK KR", "Apple SD Gothic Neo", sans-serif';
  Chart.defaults.color = "#111";
  Chart.defaults.animation = false;

  function draw(spec) {
    var canvas = document.getElementById("chart-" + spec.id);
    if (!canvas || !spec.labels.length) { return; }
    var horizontal = spec.kind === "hbar";
    var datasets = spec.series.map(function (s, i) {
      var color = COLORS[i % COLORS.length];
      return { label: s.name, data: s.values, backgroundColor: color, borderColor: color,
               borderWidth: spec.kind === "line" ? 3 : 1, pointRadius: 4, spanGaps: true };
    });
    var chart = new Chart(canvas, {
      type: spec.kind === "line" ? "line" : "bar",
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { position: "bottom", labels: { font: { size: 18 } } } },
        scales: {
          x: { stacked: spec.stacked, beginAtZero: true, ticks: { font: { size: 16 } } },
          y: { stacked: spec.stacked, beginAtZero: true, ticks: { font: { size: 16 } } }
        }
      }
    });
    canvas.dataset.drawn = "1";
    return chart;
  }

  fetch(script.dataset.src, { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
    .then(function (data) {
      data.charts.forEach(draw);
      document.body.dataset.charts = "ready";
    })
    .catch(function () {
      document.body.dataset.charts = "failed";
      var note = document.createElement("p");
      note.className = "error";
      note.setAttribute("role", "alert");
      note.textContent = "그래프를 그리지 못했어요. 표의 숫자는 그대로 맞습니다.";
      document.querySelector("main").prepend(note);
    });
})();
