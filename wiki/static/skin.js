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
