// Every page (no inline script: CSP).
(function () {
  // Dates: shown as UTC without JavaScript; in the reader's own time zone with it.
  var fmt = new Intl.DateTimeFormat("en-GB", {day: "numeric", month: "short", year: "numeric",
                                              hour: "2-digit", minute: "2-digit"});
  document.querySelectorAll("time[data-local]").forEach(function (el) {
    var d = new Date(el.getAttribute("datetime"));
    if (!isNaN(d)) { el.title = el.textContent.trim(); el.textContent = fmt.format(d); }
  });
})();
