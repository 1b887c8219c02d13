/* "Exit this page" for sensitive pages. Without this script the link still works;
   with it, the page is blanked at once, the visit is replaced in the tab's history
   (so Back does not return here), and pressing Shift 3 times also leaves. */
(function () {
  "use strict";
  var link = document.querySelector("[data-exit-page]");
  if (!link) {
    return;
  }

  function leave(event) {
    if (event) {
      event.preventDefault();
    }
    document.title = "Loading";
    document.body.innerHTML = "";
    window.location.replace(link.href);
  }

  link.addEventListener("click", leave);

  var presses = 0;
  var timer = null;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift" || event.repeat) {
      return;
    }
    presses += 1;
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      presses = 0;
    }, 2000);
    if (presses >= 3) {
      leave();
    }
  });

  var hint = document.querySelector("[data-exit-hint]");
  if (hint) {
    hint.hidden = false;
  }
})();
