/* Behaviour of every page (staff and public), kept out of the HTML so that the Content-Security-Policy can
   forbid inline script: the phone menu toggle and the language switcher's submit-on-change. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".nav-toggle");
    if (toggle) {
      toggle.addEventListener("click", function () {
        var bar = document.getElementById(toggle.getAttribute("aria-controls"));
        toggle.setAttribute("aria-expanded", String(bar.classList.toggle("open")));
      });
    }
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  });
})();
