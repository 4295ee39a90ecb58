// While any job is pending or running, poll the job states and reload when one of them changes.
(function () {
  "use strict";
  var table = document.getElementById("jobs");
  if (!table || !window.fetch) { return; }
  var INTERVAL_MS = 2000;

  function shownStates() {
    var states = {};
    table.querySelectorAll("tr[data-job]").forEach(function (row) { states[row.dataset.job] = row.dataset.state; });
    return states;
  }

  function unfinished(states) {
    return Object.keys(states).some(function (id) { return states[id] === "pending" || states[id] === "running"; });
  }

  function changed(shown, jobs) {
    return jobs.some(function (job) { return shown[String(job.id)] !== undefined && shown[String(job.id)] !== job.state; });
  }

  function poll() {
    var shown = shownStates();
    if (!unfinished(shown)) { return; }
    fetch(table.dataset.pollUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (body && changed(shown, body.jobs)) { window.location.reload(); return; }
        window.setTimeout(poll, INTERVAL_MS);
      })
      .catch(function () { window.setTimeout(poll, INTERVAL_MS * 3); });
  }

  window.setTimeout(poll, INTERVAL_MS);
})();
