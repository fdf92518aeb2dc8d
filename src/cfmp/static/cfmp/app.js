// CFMP's page behaviour, kept out of the templates: the Content-Security-Policy runs no
// inline script or handler.
"use strict";

// <select data-autosubmit> submits its form when changed (filters that apply at once).
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLElement && field.matches("[data-autosubmit]") && field.form) {
    field.form.submit();
  }
});

// <meter>-less bars: <span class="bar" data-share="42"> is drawn 42 % wide (an inline
// style attribute would be refused by the policy).
function drawBars(root) {
  root.querySelectorAll(".bar[data-share]").forEach((bar) => {
    const share = Math.max(0, Math.min(100, Number(bar.dataset.share) || 0));
    bar.style.width = `${share}%`;
  });
}
document.addEventListener("DOMContentLoaded", () => drawBars(document));
document.addEventListener("htmx:afterSwap", (event) => drawBars(event.target));
