/* After following a redirect, show the target's URL in the address bar and scroll to the
   redirect's section, as MediaWiki does. The page works without this script. */
(function () {
  "use strict";
  var el = document.getElementById("mw-redirectedfrom");
  if (!el) {
    return;
  }
  var url = el.getAttribute("data-target-url");
  var fragment = el.getAttribute("data-fragment") || "";
  if (url && window.history && typeof window.history.replaceState === "function") {
    var hash = fragment ? "#" + encodeURIComponent(fragment).replace(/%3A/g, ":") : window.location.hash;
    window.history.replaceState(window.history.state, "", url + hash);
  }
  if (fragment) {
    var section = document.getElementById(fragment);
    if (section) {
      section.scrollIntoView();
    }
  }
})();
