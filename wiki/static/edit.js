/* The edit page's comforts: a small toolbar that inserts markup at the cursor, and a warning
   before leaving with unsaved changes. The form works the same without this script. */
(function () {
  "use strict";

  var form = document.getElementById("editform");
  var textarea = document.getElementById("wpTextbox1");
  var toolbar = document.getElementById("wikiEditor-toolbar");
  if (!form || !textarea) {
    return;
  }

  // [label, title, class, before, after, sample, whole line?]
  var TOOLS = [
    ["B", "Bold", "tool-bold", "'''", "'''", "Bold text", false],
    ["I", "Italic", "tool-italic", "''", "''", "Italic text", false],
    ["Link", "Internal link", "tool-link", "[[", "]]", "Link title", false],
    ["H", "Level 2 heading", "tool-heading", "== ", " ==", "Heading text", true],
    ["\u2022 List", "Bulleted list", "tool-list", "* ", "", "List item", true],
  ];

  function insertText(text) {
    // execCommand keeps the browser's undo history; setRangeText is the fallback where it is gone.
    textarea.focus();
    var ok = false;
    try {
      ok = document.execCommand && document.execCommand("insertText", false, text);
    } catch (err) {
      ok = false;
    }
    if (!ok) {
      textarea.setRangeText(text, textarea.selectionStart, textarea.selectionEnd, "end");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  function wrap(before, after, sample, wholeLine) {
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    var value = textarea.value;
    var selected = value.slice(start, end) || sample;
    var prefix = "";
    var suffix = "";
    if (wholeLine) {
      // Line markup (headings, list items) must start a line of its own.
      if (start > 0 && value.charAt(start - 1) !== "\n") {
        prefix = "\n";
      }
      if (end < value.length && value.charAt(end) !== "\n") {
        suffix = "\n";
      }
    }
    insertText(prefix + before + selected + after + suffix);
    // Select the inserted inner text so typing replaces the sample.
    var innerStart = start + prefix.length + before.length;
    textarea.setSelectionRange(innerStart, innerStart + selected.length);
  }

  if (toolbar) {
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "Formatting");
    toolbar.setAttribute("aria-controls", textarea.id);
    TOOLS.forEach(function (tool, i) {
      if (i === 3) {
        var sep = document.createElement("span");
        sep.className = "tool-sep";
        sep.setAttribute("aria-hidden", "true");
        toolbar.appendChild(sep);
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = tool[2];
      button.textContent = tool[0];
      button.title = tool[1];
      button.setAttribute("aria-label", tool[1]);
      button.addEventListener("click", function () {
        wrap(tool[3], tool[4], tool[5], tool[6]);
      });
      toolbar.appendChild(button);
    });
    toolbar.hidden = false;
  }

  var original = textarea.defaultValue;
  // After a preview, "show changes" or a conflict the text on screen is not saved yet.
  var unsavedFromStart = form.hasAttribute("data-unsaved");
  var submitting = false;

  form.addEventListener("submit", function () {
    submitting = true;
  });

  window.addEventListener("beforeunload", function (event) {
    if (submitting || (!unsavedFromStart && textarea.value === original)) {
      return undefined;
    }
    event.preventDefault();
    event.returnValue = "";
    return "";
  });

  // Coming back through the browser's cache (back button) must not leave the flag set.
  window.addEventListener("pageshow", function () {
    submitting = false;
  });
})();
