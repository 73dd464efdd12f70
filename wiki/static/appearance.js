/* The Appearance menu: text size, width and colour theme, applied at once and remembered in this
   browser (appearance-init.js applies them before the next page paints) and, for a logged-in user,
   in their preferences too (action=options). Without script "Appearance" links to Special:Preferences. */
(function () {
  "use strict";

  var link = document.getElementById("mw-appearance-button");
  if (!link || !window.JSON) {
    return;
  }
  var root = document.documentElement;
  var box = link.parentNode;
  var KEY = "wiki-appearance";
  // attribute on <html>, preference name, legend, choices
  var GROUPS = [
    ["textsize", "textsize", "Text size", [["small", "Small"], ["standard", "Standard"], ["large", "Large"]]],
    ["width", "pagewidth", "Width", [["limited", "Limited"], ["full", "Full"]]],
    ["theme", "theme", "Colour", [["auto", "Automatic"], ["light", "Light"], ["dark", "Dark"]]],
  ];

  var button = document.createElement("button");
  button.type = "button";
  button.id = link.id;
  button.className = link.className + " link-button";
  button.textContent = link.textContent;
  button.title = link.title;
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", "mw-appearance-panel");

  var panel = document.createElement("div");
  panel.id = "mw-appearance-panel";
  panel.className = "mw-appearance-panel";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", "Appearance");
  panel.hidden = true;
  var status = document.createElement("p");
  status.className = "mw-appearance-status";
  status.setAttribute("role", "status");

  GROUPS.forEach(function (group) {
    var set = document.createElement("fieldset");
    var legend = document.createElement("legend");
    legend.textContent = group[2];
    set.appendChild(legend);
    group[3].forEach(function (choice) {
      var label = document.createElement("label");
      var input = document.createElement("input");
      input.type = "radio";
      input.name = "mw-appearance-" + group[0];
      input.value = choice[0];
      input.checked = root.getAttribute("data-" + group[0]) === choice[0];
      input.addEventListener("change", function () {
        choose(group, choice[0]);
      });
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + choice[1]));
      set.appendChild(label);
    });
    panel.appendChild(set);
  });
  panel.appendChild(status);
  box.replaceChild(button, link);
  box.appendChild(panel);

  function choose(group, value) {
    root.setAttribute("data-" + group[0], value);
    if (group[0] === "theme") {
      root.className = root.className.replace(/skin-theme-\w+/, "skin-theme-" + value);
      var meta = document.querySelector("meta[name=color-scheme]");
      if (meta) {
        meta.content = value === "auto" ? "light dark" : value;
      }
    }
    try {
      var stored = JSON.parse(window.localStorage.getItem(KEY) || "{}");
      stored[group[0]] = value;
      window.localStorage.setItem(KEY, JSON.stringify(stored));
    } catch (e) {}
    var token = document.querySelector("#pt-logout input[name=wpEditToken]");
    if (root.getAttribute("data-appearance") !== "user" || !token || !window.fetch) {
      return;
    }
    var body = new FormData();
    body.append("action", "options");
    body.append("format", "json");
    body.append("formatversion", "2");
    body.append("optionname", group[1]);
    body.append("optionvalue", value);
    body.append("token", token.value);
    status.textContent = "";
    fetch(box.getAttribute("data-api"), { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        status.textContent = data.options === "success" && !data.warnings
          ? "Saved in your preferences."
          : "Not saved in your preferences.";
      })
      .catch(function () { status.textContent = "Not saved in your preferences."; });
  }

  function open(show) {
    panel.hidden = !show;
    button.setAttribute("aria-expanded", show ? "true" : "false");
    if (show) {
      (panel.querySelector("input:checked") || panel.querySelector("input")).focus();
    }
  }
  button.addEventListener("click", function () {
    open(panel.hidden);
  });
  document.addEventListener("click", function (event) {
    if (!panel.hidden && !box.contains(event.target)) {
      open(false);
    }
  });
  box.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) {
      event.stopPropagation();
      open(false);
      button.focus();
    }
  });
})();
