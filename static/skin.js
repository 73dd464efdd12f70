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
})();
