// Campaign phases on a timeline: positions come from data- attributes (no inline styles, for the CSP).
document.querySelectorAll(".timeline [data-left]").forEach(function (el) {
  el.style.left = el.dataset.left + "%";
  if (el.dataset.width) el.style.width = el.dataset.width + "%";
});
