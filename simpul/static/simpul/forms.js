/* Form behaviour the pages ask for with data- attributes (the Content-Security-Policy allows no inline handlers):
   data-submit-on-change sends its form as soon as the control changes, e.g. ticking a checklist item (through
   requestSubmit, so that a submit listener such as the offline queue of maintenance/offline.js sees it). */
"use strict";
document.querySelectorAll("[data-submit-on-change]").forEach(function (control) {
  control.addEventListener("change", function () { control.form.requestSubmit(); });
});
/* data-confirm on a form asks once before an irreversible submit, e.g. closing a stocktake. */
document.querySelectorAll("form[data-confirm]").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
  });
});
