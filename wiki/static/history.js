/* History comfort: as in MediaWiki, hide the radio buttons that would make a backwards or empty
   comparison (an "old" revision newer than the "new" one). Without this script all are shown. */
(function () {
  "use strict";

  var list = document.getElementById("pagehistory");
  if (!list) {
    return;
  }
  var rows = Array.prototype.slice.call(list.querySelectorAll("li[data-mw-revid]"));
  if (rows.length < 2) {
    return;
  }

  function checkedIndex(name) {
    for (var i = 0; i < rows.length; i++) {
      var radio = rows[i].querySelector("input[name=" + name + "]");
      if (radio && radio.checked) {
        return i;
      }
    }
    return -1;
  }

  function update() {
    // Row 0 is the newest revision.
    var diffAt = checkedIndex("diff");
    var oldAt = checkedIndex("oldid");
    rows.forEach(function (row, i) {
      var oldRadio = row.querySelector("input[name=oldid]");
      var diffRadio = row.querySelector("input[name=diff]");
      if (oldRadio) {
        oldRadio.classList.toggle("mw-history-hidden", diffAt >= 0 && i <= diffAt);
      }
      if (diffRadio) {
        diffRadio.classList.toggle("mw-history-hidden", oldAt >= 0 && i >= oldAt);
      }
    });
  }

  list.addEventListener("change", update);
  update();
})();
