/* Page previews: resting on an internal link (pointer or keyboard focus) shows a card with the
   target's defining sentence, from /w/rest.php/v1/page/{title}/summary. Red links say the page does
   not exist. Touch screens get it only on a long press. Turned off by the reader (a toggle in the
   sidebar, kept in localStorage) or by the server (<html data-previews="off">, for a preference).
   Without this script links simply work as links. */
(function () {
  "use strict";

  var DELAY = 500; // ms resting on a link before the card shows
  var HIDE_DELAY = 300; // ms to move the pointer from the link into the card
  var LONG_PRESS = 600;
  var KEY = "wiki-previews";
  var content = document.getElementById("mw-content-text");
  var form = document.getElementById("searchform");
  if (!content || !form || !window.fetch) {
    return;
  }
  var script = (form.getAttribute("action") || "/w/index.php").replace(/\/index\.php$/, "");
  var article = (form.getAttribute("data-article-path") || "/wiki/$1").split("$1")[0];
  var cache = {};
  var card = null;
  var current = null;
  var showTimer = 0;
  var hideTimer = 0;
  var pressTimer = 0;
  var pressed = null;

  function serverOff() {
    return document.documentElement.getAttribute("data-previews") === "off";
  }
  function enabled() {
    try {
      return !serverOff() && window.localStorage.getItem(KEY) !== "0";
    } catch (e) {
      return !serverOff();
    }
  }

  // The title a link leads to, or null for links that get no preview.
  function target(link) {
    if (!link || !content.contains(link) || link.closest("form, textarea, .mw-editsection, .toc, #toc, .mw-preview-card")) {
      return null;
    }
    if (link.classList.contains("external") || link.classList.contains("image") || link.querySelector("img")) {
      return null;
    }
    var url;
    try {
      url = new URL(link.href, location.href);
    } catch (e) {
      return null;
    }
    if (url.origin !== location.origin) {
      return null;
    }
    var name = null;
    if (link.classList.contains("new")) {
      name = url.searchParams.get("title");
    } else if (url.pathname.indexOf(article) === 0 && !url.search) {
      name = decodeURIComponent(url.pathname.slice(article.length));
    }
    if (!name || /^(Special|Media|File|Image|Category):/i.test(name)) {
      return null;
    }
    if (url.pathname === location.pathname && url.hash) {
      return null; // a section of this page
    }
    return name.replace(/_/g, " ");
  }

  function summary(title) {
    if (!cache[title]) {
      var url = script + "/rest.php/v1/page/" + encodeURIComponent(title.replace(/ /g, "_")) + "/summary";
      cache[title] = fetch(url, { headers: { Accept: "application/json" } }).then(function (resp) {
        return resp.ok ? resp.json() : { missing: resp.status === 404 };
      }).catch(function () {
        return { failed: true };
      });
    }
    return cache[title];
  }

  function build() {
    card = document.createElement("div");
    card.className = "mw-preview-card";
    card.id = "mw-preview-card";
    card.setAttribute("role", "tooltip");
    card.hidden = true;
    card.addEventListener("mouseenter", function () {
      clearTimeout(hideTimer);
    });
    card.addEventListener("mouseleave", scheduleHide);
    document.body.appendChild(card);
  }

  function fill(link, title, data) {
    card.textContent = "";
    var thumb = document.createElement("div");
    thumb.className = "mw-preview-thumb";
    if (data.thumbnail && data.thumbnail.source) {
      var img = document.createElement("img");
      img.src = data.thumbnail.source;
      img.alt = "";
      thumb.appendChild(img);
      card.appendChild(thumb);
    }
    var heading = document.createElement("strong");
    heading.className = "mw-preview-title";
    heading.textContent = title;
    card.appendChild(heading);
    var text = document.createElement("p");
    text.className = "mw-preview-extract";
    if (link.classList.contains("new") || data.missing) {
      card.classList.add("mw-preview-missing");
      text.textContent = "This page does not exist.";
    } else {
      card.classList.remove("mw-preview-missing");
      text.textContent = data.failed ? "The preview could not be loaded." : data.extract || "There is no preview for this page.";
    }
    card.appendChild(text);
  }

  function place(link) {
    var box = link.getBoundingClientRect();
    var width = Math.min(320, document.documentElement.clientWidth - 16);
    card.style.width = width + "px";
    var left = Math.max(8, Math.min(box.left, document.documentElement.clientWidth - width - 8));
    card.style.left = left + window.scrollX + "px";
    var below = box.bottom + 8;
    var height = card.offsetHeight;
    var top = below + height > window.innerHeight && box.top - height - 8 > 0 ? box.top - height - 8 : below;
    card.style.top = top + window.scrollY + "px";
  }

  function show(link) {
    var title = target(link);
    if (!title || !enabled()) {
      return;
    }
    var isNew = link.classList.contains("new");
    (isNew ? Promise.resolve({ missing: true }) : summary(title)).then(function (data) {
      if (current !== link) {
        return;
      }
      if (!card) {
        build();
      }
      fill(link, (data.titles && data.titles.normalized) || title, data);
      card.hidden = false;
      place(link);
      link.setAttribute("aria-describedby", card.id);
    });
  }

  function hide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (current) {
      current.removeAttribute("aria-describedby");
    }
    current = null;
    if (card) {
      card.hidden = true;
    }
  }

  function scheduleHide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, HIDE_DELAY);
  }

  function schedule(link) {
    if (current === link) {
      clearTimeout(hideTimer);
      return;
    }
    hide();
    if (!target(link)) {
      return;
    }
    current = link;
    showTimer = setTimeout(function () {
      show(link);
    }, DELAY);
  }

  function linkOf(event) {
    return event.target.closest ? event.target.closest("a[href]") : null;
  }

  content.addEventListener("pointerover", function (event) {
    if (event.pointerType === "mouse" || event.pointerType === "pen") {
      var link = linkOf(event);
      if (link) {
        schedule(link);
      }
    }
  });
  content.addEventListener("pointerout", function (event) {
    var link = linkOf(event);
    if (link && link === current && !link.contains(event.relatedTarget)) {
      scheduleHide();
    }
  });
  content.addEventListener("focusin", function (event) {
    var link = linkOf(event);
    if (link) {
      schedule(link);
    }
  });
  content.addEventListener("focusout", function (event) {
    if (linkOf(event) === current) {
      hide();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && card && !card.hidden) {
      hide();
    }
  });
  // Touch: a long press previews, and the tap that ends it does not follow the link.
  content.addEventListener("pointerdown", function (event) {
    if (event.pointerType !== "touch") {
      return;
    }
    var link = linkOf(event);
    hide();
    if (!link || !target(link)) {
      return;
    }
    pressTimer = setTimeout(function () {
      pressed = link;
      current = link;
      show(link);
    }, LONG_PRESS);
  });
  ["pointerup", "pointercancel", "pointermove"].forEach(function (name) {
    content.addEventListener(name, function (event) {
      if (event.pointerType === "touch" && (name !== "pointermove" || Math.abs(event.movementX) + Math.abs(event.movementY) > 6)) {
        clearTimeout(pressTimer);
      }
    });
  });
  content.addEventListener("click", function (event) {
    if (pressed && linkOf(event) === pressed) {
      event.preventDefault();
    }
    pressed = null;
  });
  content.addEventListener("contextmenu", function (event) {
    if (pressed) {
      event.preventDefault();
    }
  });
  window.addEventListener("scroll", function () {
    if (pressed === null && card && !card.hidden && current) {
      place(current);
    }
  }, { passive: true });

  // The reader's switch, in the sidebar's Tools (or Navigation) menu.
  var portlet = document.querySelector("#p-tb ul") || document.querySelector("#p-navigation ul");
  if (portlet && !serverOff()) {
    var item = document.createElement("li");
    item.id = "t-previews";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "link-button";
    button.id = "mw-previews-toggle";
    var label = function () {
      button.textContent = enabled() ? "Disable page previews" : "Enable page previews";
      button.setAttribute("aria-pressed", enabled() ? "true" : "false");
    };
    button.addEventListener("click", function () {
      try {
        window.localStorage.setItem(KEY, enabled() ? "0" : "1");
      } catch (e) {
        return;
      }
      hide();
      label();
    });
    label();
    item.appendChild(button);
    portlet.appendChild(item);
  }
})();
