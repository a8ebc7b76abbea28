// On a phone the header's links fold behind a Menu button; without script they all show, as on a laptop.
(function () {
  "use strict";
  var button = document.querySelector(".top .menu-toggle");
  if (!button) return;
  var header = button.closest(".top");
  header.classList.add("foldable");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = header.classList.toggle("open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
