/* Search suggestions as you type, from the REST API's search/title (redirects resolved), each with
   its page's description (defining sentence) as Vector 2022 shows them.
   A comfort only: without this script the search form submits to Special:Search as usual.
   ARIA combobox pattern: the input owns a listbox; arrow keys move the highlight, Enter opens the
   highlighted page, Escape closes the list and restores what was typed. */
(function () {
  "use strict";

  var form = document.getElementById("searchform");
  var input = document.getElementById("searchInput");
  if (!form || !input || !window.fetch) {
    return;
  }
  var rest = form.getAttribute("action").replace(/index\.php$/, "rest.php/v1/search/title");
  var articlePath = form.getAttribute("data-article-path") || "/wiki/$1";
  var list = document.createElement("ul");
  var typed = "";
  var items = [];
  var active = -1;
  var sequence = 0;
  var timer = null;

  list.id = "searchSuggestions";
  list.className = "mw-suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Search suggestions");
  list.hidden = true;
  input.parentNode.appendChild(list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");

  function pageUrl(title) {
    var key = encodeURIComponent(title.replace(/ /g, "_")).replace(/%3A/g, ":").replace(/%2F/g, "/");
    return articlePath.replace("$1", key);
  }

  function fulltextUrl(query) {
    return form.getAttribute("action") + "?title=Special:Search&fulltext=1&search=" + encodeURIComponent(query);
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(title, query) {
    var frag = document.createDocumentFragment();
    if (query && title.toLowerCase().indexOf(query.toLowerCase()) === 0) {
      var mark = document.createElement("mark");
      mark.textContent = title.slice(0, query.length);
      frag.appendChild(mark);
      frag.appendChild(document.createTextNode(title.slice(query.length)));
    } else {
      frag.appendChild(document.createTextNode(title));
    }
    return frag;
  }

  function option(index, url, content, className) {
    var li = document.createElement("li");
    li.id = "searchSuggestion-" + index;
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    li.setAttribute("data-url", url);
    if (className) {
      li.className = className;
    }
    li.appendChild(content);
    return li;
  }

  function render(query, titles) {
    list.textContent = "";
    items = [];
    titles.forEach(function (page, i) {
      var content = document.createDocumentFragment();
      var name = document.createElement("span");
      name.className = "mw-suggestion-title";
      name.appendChild(highlight(page.title, query));
      content.appendChild(name);
      if (page.description) {
        var about = document.createElement("span");
        about.className = "mw-suggestion-description";
        about.textContent = page.description;
        content.appendChild(about);
      }
      var li = option(i, pageUrl(page.title), content);
      li.setAttribute("data-title", page.title);
      items.push(li);
    });
    var more = document.createDocumentFragment();
    var strong = document.createElement("strong");
    strong.textContent = query;
    more.appendChild(document.createTextNode("Search for pages containing "));
    more.appendChild(strong);
    var last = option(titles.length, fulltextUrl(query), more, "mw-suggestion-fulltext");
    last.setAttribute("data-title", query);
    items.push(last);
    items.forEach(function (li) {
      list.appendChild(li);
    });
    active = -1;
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function select(index) {
    if (active >= 0 && items[active]) {
      items[active].setAttribute("aria-selected", "false");
    }
    active = index;
    if (active < 0) {
      input.value = typed;
      input.removeAttribute("aria-activedescendant");
      return;
    }
    var li = items[active];
    li.setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", li.id);
    input.value = li.getAttribute("data-title");
  }

  function fetchSuggestions() {
    var query = input.value;
    typed = query;
    if (!query.trim()) {
      close();
      return;
    }
    var mine = ++sequence;
    var url = rest + "?limit=10&q=" + encodeURIComponent(query);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        // A slower answer to an older keystroke must not replace a newer list.
        if (mine !== sequence || input.value !== query || !data || !Array.isArray(data.pages)) {
          return;
        }
        render(query, data.pages);
      })
      .catch(function () {
        /* suggestions are optional: a network hiccup leaves the plain search form */
      });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(fetchSuggestions, 120);
  });

  input.addEventListener("keydown", function (event) {
    if (list.hidden) {
      return;
    }
    if (event.key === "ArrowDown") {
      event.preventDefault();
      select(active + 1 >= items.length ? -1 : active + 1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      select(active - 1 < -1 ? items.length - 1 : active - 1);
    } else if (event.key === "Escape") {
      event.preventDefault(); // a search field would also clear itself
      select(-1);
      close();
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.href = items[active].getAttribute("data-url");
    }
  });

  // mousedown, not click: the input's blur would close the list before a click lands.
  list.addEventListener("mousedown", function (event) {
    var li = event.target.closest("li[role=option]");
    if (li) {
      event.preventDefault();
      window.location.href = li.getAttribute("data-url");
    }
  });

  form.addEventListener("submit", function () {
    window.clearTimeout(timer);
    sequence++;
  });

  input.addEventListener("blur", function () {
    window.setTimeout(close, 150);
  });

  input.addEventListener("focus", function () {
    if (items.length && input.value === typed && typed.trim()) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
  });
})();
