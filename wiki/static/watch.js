/* The watch star: toggles without reloading the page through the API (action=watch). Without this
   script the star is a form that posts to index.php?action=watch|unwatch and works the same. */
(function () {
  "use strict";

  var form = document.querySelector("form.mw-watchlink-form");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var item = form.parentNode;
  var button = form.querySelector("button");
  var status = document.createElement("span");
  status.className = "mw-watchlink-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  item.appendChild(status);

  function show(watched) {
    item.id = watched ? "ca-unwatch" : "ca-watch";
    item.classList.remove("mw-watchlink-temp");
    button.textContent = watched ? "Unwatch" : "Watch";
    button.setAttribute("aria-pressed", watched ? "true" : "false");
    button.title = (watched ? "Remove this page from your watchlist" : "Add this page to your watchlist") +
      " [alt-shift-w]";
    form.action = form.action.replace(/action=(un)?watch/, "action=" + (watched ? "unwatch" : "watch"));
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var unwatch = item.id === "ca-unwatch";
    var body = new FormData();
    body.append("action", "watch");
    body.append("format", "json");
    body.append("formatversion", "2");
    body.append("titles", form.getAttribute("data-title"));
    body.append("token", form.querySelector("input[name=wpEditToken]").value);
    if (unwatch) {
      body.append("unwatch", "1");
    }
    button.disabled = true;
    fetch(form.getAttribute("data-api"), { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (!data.watch) {
          form.submit(); // the API refused (an expired session, ...): let the form page explain
          return;
        }
        show(!unwatch);
        status.textContent = unwatch
          ? "This page has been removed from your watchlist."
          : "This page has been added to your watchlist.";
      })
      .catch(function () { form.submit(); })
      .then(function () { button.disabled = false; });
  });
})();
