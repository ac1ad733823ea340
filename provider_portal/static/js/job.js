// The job page: ask the job's status endpoint every second and show its progress, until the
// job has finished (links to the month's invoices and scores), failed or stalled (its error).
// Everything it needs comes from data attributes on #job; the page works without it too.
(function () {
  "use strict";

  var INTERVAL_MS = 1000;
  var section = document.getElementById("job");
  if (!section || !section.dataset.statusUrl) {
    return;
  }

  function part(role) {
    return section.querySelector('[data-role="' + role + '"]');
  }

  var bar = section.querySelector("progress");
  var label = part("label");
  var progressText = part("progress-text");
  var result = part("result");
  var error = part("error");
  var errorText = part("error-text");
  var refresh = part("refresh");
  var pollNote = part("poll-note");

  function progressLabel(done, total) {
    return section.dataset.progressLabel.replace("{done}", done).replace("{total}", total);
  }

  function show(element, visible) {
    if (element) {
      element.hidden = !visible;
    }
  }

  function render(job) {
    section.dataset.status = job.status;
    label.textContent = job.label;
    label.className = "job-status job-status-" + job.status;
    bar.max = Math.max(job.progress.total, 1);
    bar.value = job.progress.done;
    bar.textContent = job.progress.done + " / " + job.progress.total;
    progressText.textContent = progressLabel(job.progress.done, job.progress.total);

    if (job.status === "finished") {
      if (job.links.scores) {
        part("scores-link").href = job.links.scores;
      }
      if (job.links.invoices) {
        part("invoices-link").href = job.links.invoices;
        show(part("invoices-item"), true);
      }
      show(result, true);
    }
    var notice = part("notice");
    notice.textContent = job.notice || "";
    show(notice, Boolean(job.notice));
    if (job.status === "failed" || job.status === "stalled") {
      errorText.textContent = job.error || "";
      var heading = part("error-heading");
      heading.textContent = heading.dataset[job.status];
      show(error, true);
    }
    show(part("again"), job.may_start_again);
  }

  function done(status) {
    return status === "finished" || status === "failed" || status === "stalled";
  }

  function poll() {
    fetch(section.dataset.statusUrl, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      cache: "no-store",
    })
      .then(function (response) {
        if (response.status === 404 || response.redirected) {
          // Gone, or the session ended (sent to the login page): the refresh link takes over.
          progressText.textContent = section.dataset.lostLabel;
          show(refresh, true);
          return null;
        }
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (job) {
        if (!job) {
          return;
        }
        render(job);
        if (done(job.status)) {
          show(refresh, false);
        } else {
          window.setTimeout(poll, INTERVAL_MS);
        }
      })
      .catch(function () {
        // A moment without the server (a restart, the network): say so and keep asking.
        progressText.textContent = section.dataset.offlineLabel;
        window.setTimeout(poll, INTERVAL_MS);
      });
  }

  if (!done(section.dataset.status)) {
    // The script keeps the page current, so the note about refreshing by hand can go.
    show(pollNote, false);
    window.setTimeout(poll, INTERVAL_MS);
  }
})();
