// Forms: a select marked data-narrows="<id>" offers, in that other select, only the options
// of the same department (the operator's record form: the chosen office's services).
(function () {
  "use strict";
  function narrow(source) {
    var target = document.getElementById(source.dataset.narrows);
    if (!target) return;
    var chosen = source.options[source.selectedIndex];
    var department = chosen ? chosen.dataset.department : undefined;
    Array.prototype.forEach.call(target.options, function (option) {
      var keep = !option.value || !department || option.dataset.department === department;
      option.hidden = !keep;
      option.disabled = !keep;
      if (!keep && option.selected) target.value = "";
    });
  }
  function start() {
    document.querySelectorAll("select[data-narrows]").forEach(function (source) {
      narrow(source);
      source.addEventListener("change", function () { narrow(source); });
    });
    // A form that writes is sent once: a second click while it is on its way does nothing.
    document.querySelectorAll("form[method=post]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.dataset.sending) { event.preventDefault(); return; }
        form.dataset.sending = "1";
        setTimeout(function () { delete form.dataset.sending; }, 5000);
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
