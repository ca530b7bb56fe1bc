/* Polls /api/jobs/<id> for a background job's progress and reloads the page when it is done.
   Without JavaScript the page still works: the "reload" link shows the same state. */
(function () {
  "use strict";
  var box = document.querySelector("[data-job-url]");
  if (!box || !window.fetch) { return; }
  var bar = box.querySelector("progress");
  var status = box.querySelector("[role=status]");
  var url = box.getAttribute("data-job-url");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (job) {
        var pct = Math.round((job.progress || 0) * 100);
        if (bar) { bar.value = pct; bar.textContent = pct + " %"; }
        if (status) { status.textContent = status.textContent.replace(/\d+ %/, pct + " %"); }
        if (job.status === "done" || job.status === "failed") { window.location.reload(); return; }
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
