/* Before first paint: an anonymous reader's Appearance choices kept in this browser (appearance.js). */
(function (d) {
  try {
    if (d.getAttribute("data-appearance")) return; // logged in: the server wrote the preferences
    var s = JSON.parse(localStorage.getItem("wiki-appearance") || "{}"), k;
    for (k in s) {
      if (/^(theme|textsize|width)$/.test(k) && /^[a-z]+$/.test(s[k])) d.setAttribute("data-" + k, s[k]);
    }
    if (s.theme) d.className = d.className.replace(/skin-theme-\w+/, "skin-theme-" + s.theme);
  } catch (e) {}
})(document.documentElement);
