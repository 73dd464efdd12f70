/* Small comforts on every page. The page works the same without this script. */
(function () {
  "use strict";

  // The renderer's table-of-contents toggle is a checkbox whose label shows "hide"/"show" through CSS
  // only; give it a name screen readers announce, and keep it in step with the state.
  var toggle = document.getElementById("toctogglecheckbox");
  if (toggle) {
    var name = function () {
      toggle.setAttribute("aria-label", toggle.checked ? "Show contents" : "Hide contents");
    };
    toggle.addEventListener("change", name);
    name();
  }

  // The "More" menu is a <details>: it opens without script; this closes it on a click elsewhere
  // or on Escape, as a menu should.
  var menus = document.querySelectorAll("details.mw-dropdown");
  function closeMenus(except) {
    Array.prototype.forEach.call(menus, function (menu) {
      if (menu !== except) {
        menu.open = false;
      }
    });
  }
  if (menus.length) {
    document.addEventListener("click", function (event) {
      closeMenus(event.target.closest ? event.target.closest("details.mw-dropdown") : null);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        var open = document.querySelector("details.mw-dropdown[open]");
        closeMenus(null);
        if (open) {
          open.querySelector("summary").focus();
        }
      }
    });
  }
})();

/* The reader's comforts on long pages: the page title in the sticky header once the heading has
   scrolled away, and the table of contents in the sidebar (wide screens, via CSS), collapsible and
   following the section being read. Without script the header still sticks and the in-page TOC
   stays. */
(function () {
  "use strict";

  var header = document.getElementById("mw-head");
  var heading = document.getElementById("firstHeading");
  var observe = "IntersectionObserver" in window;
  if (header && heading && observe) {
    var sticky = document.createElement("a");
    sticky.className = "mw-sticky-title";
    sticky.href = "#";
    sticky.hidden = true;
    sticky.textContent = heading.textContent;
    sticky.addEventListener("click", function (event) {
      event.preventDefault();
      window.scrollTo(0, 0);
      heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: true });
    });
    header.appendChild(sticky);
    // Over the wordmark only, never over the search box beside it: measured once it is shown (a
    // hidden element has no position to measure from).
    var mark = header.querySelector(".mw-logo-wordmark");
    var fit = function () {
      var room = mark ? mark.getBoundingClientRect().right - header.getBoundingClientRect().left : 0;
      if (room > 0) {
        sticky.style.maxWidth = Math.max(120, room - sticky.offsetLeft - 4) + "px";
      }
    };
    new IntersectionObserver(function (entries) {
      var away = !entries[0].isIntersecting && entries[0].boundingClientRect.top < 0;
      sticky.hidden = !away;
      if (away) {
        fit();
      }
      header.classList.toggle("mw-header-stuck", away);
    }, { rootMargin: "-64px 0px 0px 0px" }).observe(heading);
  }

  var content = document.querySelector("#mw-content-text .mw-parser-output") || document.getElementById("mw-content-text");
  var sidebar = document.getElementById("mw-navigation");
  if (!content || !sidebar || !heading || document.getElementById("wpTextbox1")) {
    return;
  }
  var list = sections(content);
  if (!list) {
    return;
  }
  var KEY = "wiki-sidebar-toc";
  var nav = document.createElement("nav");
  nav.className = "mw-portlet mw-sidebar-toc";
  nav.id = "mw-sidebar-toc";
  nav.setAttribute("aria-labelledby", "mw-sidebar-toc-label");
  var title = document.createElement("h2");
  title.className = "mw-portlet-heading";
  title.id = "mw-sidebar-toc-label";
  title.textContent = "Contents";
  var toggle = document.createElement("button");
  toggle.type = "button";
  toggle.className = "link-button mw-sidebar-toc-toggle";
  toggle.setAttribute("aria-controls", "mw-sidebar-toc-list");
  title.appendChild(toggle);
  list.id = "mw-sidebar-toc-list";
  nav.appendChild(title);
  nav.appendChild(list);
  sidebar.appendChild(nav);

  // The sections of the page: the renderer's TOC when it made one; else the headings; else, on a
  // concept page, its top-level groups ("AKA:", "Context:", "Examples:", ...), given anchors here.
  function sections(root) {
    var ul = document.createElement("ul");
    function add(id, text, parent) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "#" + id;
      a.textContent = text;
      li.appendChild(a);
      (parent || ul).appendChild(li);
      return li;
    }
    add("top", "(Top)");
    if (!document.getElementById("top")) {
      heading.id = heading.id || "firstHeading";
      ul.firstChild.firstChild.href = "#" + heading.id;
    }
    var rendered = root.querySelector(".toc > ul");
    if (rendered) {
      var copy = rendered.cloneNode(true);
      Array.prototype.forEach.call(copy.querySelectorAll("[id]"), function (el) {
        el.removeAttribute("id");
      });
      Array.prototype.forEach.call(copy.children, function (li) {
        ul.appendChild(li.cloneNode(true));
      });
      return ul;
    }
    var found = 0;
    Array.prototype.forEach.call(root.querySelectorAll("h2 .mw-headline[id], h3 .mw-headline[id]"), function (span) {
      add(span.id, span.textContent);
      found++;
    });
    if (found) {
      return ul;
    }
    Array.prototype.forEach.call(root.querySelectorAll(":scope > ul > li"), function (li) {
      var label = li.firstElementChild;
      if (!label || !/^(B|STRONG)$/.test(label.tagName) || li.firstChild !== label) {
        return;
      }
      var text = label.textContent.replace(/:\s*$/, "").trim();
      if (!text) {
        return;
      }
      li.id = li.id || "mw-group-" + text.replace(/\s+/g, "_");
      add(li.id, text);
      found++;
    });
    return found ? ul : null;
  }

  function setCollapsed(collapsed) {
    nav.classList.toggle("mw-collapsed", collapsed);
    toggle.textContent = collapsed ? "show" : "hide";
    toggle.setAttribute("aria-expanded", collapsed ? "false" : "true");
    toggle.setAttribute("aria-label", collapsed ? "Show contents" : "Hide contents");
  }
  var stored = null;
  try {
    stored = window.localStorage.getItem(KEY);
  } catch (e) {}
  setCollapsed(stored === "collapsed");
  toggle.addEventListener("click", function () {
    var collapsed = !nav.classList.contains("mw-collapsed");
    setCollapsed(collapsed);
    try {
      window.localStorage.setItem(KEY, collapsed ? "collapsed" : "open");
    } catch (e) {}
  });

  // Scroll spy: the last heading above the upper third of the window is the current section.
  if (!observe) {
    return;
  }
  var links = {};
  Array.prototype.forEach.call(list.querySelectorAll("a[href^='#']"), function (a) {
    links[decodeURIComponent(a.getAttribute("href").slice(1))] = a;
  });
  var targets = Object.keys(links).map(function (id) {
    return document.getElementById(id);
  }).filter(Boolean);
  var shown = null;
  function spy() {
    var line = window.innerHeight / 3;
    var found = targets[0] || null; // at the top of the page: "(Top)"
    for (var i = 1; window.scrollY > 10 && i < targets.length; i++) {
      if (targets[i].getBoundingClientRect().top <= line) {
        found = targets[i];
      } else {
        break;
      }
    }
    var link = found ? links[found.id] : null;
    if (link !== shown) {
      if (shown) {
        shown.classList.remove("mw-toc-current");
        shown.removeAttribute("aria-current");
      }
      if (link) {
        link.classList.add("mw-toc-current");
        link.setAttribute("aria-current", "location");
      }
      shown = link;
    }
  }
  var pending = false;
  window.addEventListener("scroll", function () {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        spy();
      });
    }
  }, { passive: true });
  spy();
})();

/* "/" puts the cursor in the search box (as Vector 2022), unless the reader is typing somewhere. */
(function () {
  "use strict";
  var search = document.getElementById("searchInput");
  if (!search) {
    return;
  }
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) {
      return;
    }
    if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) {
      return;
    }
    event.preventDefault();
    search.focus();
  });
})();
