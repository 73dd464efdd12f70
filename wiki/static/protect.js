/* The protect form's chain, as MediaWiki's "Unlock further protect options": while the box is
   unticked, the move level follows the edit level (the server applies the same rule, so the form
   works the same without this script). */
(function () {
  "use strict";
  var unchained = document.getElementById("mwProtectUnchained");
  var edit = document.getElementById("mwProtect-level-edit");
  var move = document.getElementById("mwProtect-level-move");
  if (!unchained || !edit || !move) {
    return;
  }
  function sync() {
    move.disabled = !unchained.checked;
    if (!unchained.checked) {
      move.value = edit.value;
    }
  }
  edit.addEventListener("change", sync);
  unchained.addEventListener("change", sync);
  sync();
})();
