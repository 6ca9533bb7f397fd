/* The meeting-room display (大屏): shows one page at a time, turns to the next every
   data-interval seconds, and reloads every data-refresh seconds, but only when the server answers,
   so a wall keeps showing the last figures through a network outage. */
(function () {
  "use strict";
  var body = document.body;
  var pages = Array.prototype.slice.call(document.querySelectorAll("[data-page]"));
  var indicator = document.querySelector("[data-page-indicator]");
  var current = 0;

  function show(index) {
    pages.forEach(function (page, position) { page.hidden = position !== index; });
    current = index;
    if (indicator) { indicator.textContent = (index + 1) + " / " + pages.length; }
  }

  function next() { show((current + 1) % pages.length); }

  function refresh() {
    fetch(window.location.href, { method: "HEAD", credentials: "same-origin", cache: "no-store" })
      .then(function (response) { if (response.ok) { window.location.reload(); } })
      .catch(function () { /* keep the last figures on the wall */ });
  }

  window.sipingDisplay = { show: show, next: next };
  show(0);
  if (pages.length > 1) { window.setInterval(next, Number(body.dataset.interval || 15) * 1000); }
  window.setInterval(refresh, Number(body.dataset.refresh || 300) * 1000);
}());
