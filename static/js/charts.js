// Draws the dashboard charts from JSON data blocks; each canvas names its kind and its data block.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") { return; }

  // Static figures: no animation, so the page settles at once (and screenshots show the final state).
  window.Chart.defaults.animation = false;

  var PALETTE = ["#1f5fbf", "#d9822b", "#2e9e5b", "#b3261e", "#7b4fbf", "#148a8a", "#8a6d00", "#c2185b"];

  function readData(canvas) {
    var block = document.getElementById(canvas.dataset.source);
    return block ? JSON.parse(block.textContent) : null;
  }

  function monthly(data) {
    return {
      type: "bar",
      data: {
        labels: data.months,
        datasets: data.series.map(function (series, i) {
          return { label: series.name, data: series.counts, backgroundColor: PALETTE[i % PALETTE.length] };
        })
      },
      options: { maintainAspectRatio: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }
    };
  }

  function flows(data) {
    return {
      type: "bar",
      data: {
        labels: data.map(function (row) { return row.supplier + " → " + row.recipient; }),
        datasets: [{ label: "Deals", data: data.map(function (row) { return row.deals; }), backgroundColor: PALETTE[0] }]
      },
      options: { indexAxis: "y", maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } }
    };
  }

  function timeline(data) {
    return {
      type: "bar",
      data: {
        labels: data.map(function (row) { return String(row.year); }),
        datasets: [
          { label: "As supplier", data: data.map(function (row) { return row.as_supplier; }), backgroundColor: PALETTE[0] },
          { label: "As recipient", data: data.map(function (row) { return row.as_recipient; }), backgroundColor: PALETTE[1] }
        ]
      },
      options: { maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    };
  }

  function perDay(data) {
    return {
      type: "bar",
      data: {
        labels: data.map(function (row) { return row.day.slice(5); }),
        datasets: [{ label: "Articles", data: data.map(function (row) { return row.articles; }), backgroundColor: PALETTE[2] }]
      },
      options: { maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    };
  }

  var BUILDERS = { monthly: monthly, flows: flows, timeline: timeline, "per-day": perDay };

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var build = BUILDERS[canvas.dataset.chart];
    var data = readData(canvas);
    if (build && data) { new window.Chart(canvas, build(data)); }
  });
})();
