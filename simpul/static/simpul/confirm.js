/* Irreversible buttons ask once: a button with data-confirm="question" sends its form only when confirmed
   (the Content-Security-Policy allows no inline handlers). */
"use strict";
document.querySelectorAll("[data-confirm]").forEach(function (button) {
  button.addEventListener("click", function (event) {
    if (!window.confirm(button.dataset.confirm)) { event.preventDefault(); }
  });
});
