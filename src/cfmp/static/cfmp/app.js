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

// The narrow screens' navigation folds behind the Menu button (issue 22); without this
// script it stays open, so nothing is ever out of reach.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".menu-toggle");
  const nav = document.getElementById("main-nav");
  if (!toggle || !nav) return;
  toggle.hidden = false;
  toggle.addEventListener("click", () => {
    const open = nav.classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
});

// A table wider than the page scrolls inside itself: it takes the keyboard's focus then, so
// it can be scrolled without a mouse (issue 22; axe's scrollable-region-focusable).
function focusableScrollers() {
  document.querySelectorAll("table.grid").forEach((table) => {
    if (table.closest(".table-scroll")) return;
    if (table.scrollWidth > table.clientWidth + 1) {
      table.setAttribute("tabindex", "0");
    } else if (table.getAttribute("tabindex") === "0") {
      table.removeAttribute("tabindex");
    }
  });
}
document.addEventListener("DOMContentLoaded", focusableScrollers);
window.addEventListener("resize", focusableScrollers);
document.addEventListener("htmx:afterSwap", focusableScrollers);
