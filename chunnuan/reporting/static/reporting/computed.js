// A base form's computed figures (未签订劳动合同人数, 劳动合同签订率) recomputed as the filler types.
// Only a preview: the server recomputes every computed field on save and submit and stays the
// authority. The formulas are the server's (chunnuan/reporting/definitions.py): difference(a, b)
// = a − b; rate(part, whole) = part / whole as a whole percentage, rounded half up.
(function () {
  "use strict";

  function figure(form, name) {
    var input = form.elements.namedItem(name);
    if (!input || typeof input.value !== "string") return null;
    var text = input.value.trim();
    return /^\d+$/.test(text) ? parseInt(text, 10) : null;
  }

  function wholePercent(part, whole) {
    if (!whole) return null;
    return Math.floor((200 * part + whole) / (2 * whole)); // half up, as the server's whole_percent
  }

  var FORMULAS = {
    difference: function (a, b) { return a - b; },
    rate: function (part, whole) { return wholePercent(part, whole); },
  };

  function recompute(form) {
    form.querySelectorAll("output[data-formula]").forEach(function (out) {
      var formula = FORMULAS[out.getAttribute("data-formula")];
      var args = (out.getAttribute("data-args") || "").split(",").map(function (name) {
        return figure(form, name);
      });
      var value = null;
      if (formula && args.every(function (x) { return x !== null; })) value = formula.apply(null, args);
      out.textContent = value === null ? "—" : String(value);
    });
  }

  document.querySelectorAll("form[data-live-compute]").forEach(function (form) {
    form.addEventListener("input", function () { recompute(form); });
  });
})();
