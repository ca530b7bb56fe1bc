// Progress of a background job (/api/jobs/<id>): updates the bar and message, reloads when done.
// The page works without this script: it shows the state when loaded and a reload link.
(function () {
  "use strict";
  var box = document.querySelector("[data-job-id]");
  if (!box || !window.fetch) { return; }
  var id = box.getAttribute("data-job-id");
  var bar = box.querySelector("progress");
  var msg = box.querySelector(".job-message");
  function poll() {
    fetch("/api/jobs/" + encodeURIComponent(id), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (job) {
        if (!job) { return; }
        if (bar) { bar.value = job.progress; }
        if (msg) { msg.textContent = Math.round(job.progress * 100) + " %"; }
        if (job.status === "failed") {
          if (msg) { msg.textContent = box.getAttribute("data-failed-text"); }
          return;
        }
        if (job.status === "done") {
          var url = new URL(window.location.href);
          url.searchParams.delete("job");
          window.location.replace(url.toString());
          return;
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
}());
