(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) {
    return;
  }
  form.hidden = false;
  var records = Array.prototype.slice.call(document.querySelectorAll("li.record"));
  var years = Array.prototype.slice.call(document.querySelectorAll("section.year"));
  var shown = document.getElementById("shown");
  var texts = records.map(function (li) {
    return li.textContent.toLowerCase();
  });

  function listHas(list, value) {
    return (" " + (list || "") + " ").indexOf(" " + value + " ") !== -1;
  }

  function value(name) {
    return form.elements[name].value;
  }

  function apply() {
    var actor = value("actor");
    var kind = value("kind");
    var collection = value("collection");
    var sourceKind = value("source-kind");
    var year = value("year");
    var terms = value("q").toLowerCase().split(/\s+/).filter(Boolean);
    var count = 0;
    records.forEach(function (li, i) {
      var data = li.dataset;
      var ok = (!actor || listHas(data.actors, actor)) &&
        (!kind || data.kind === kind) &&
        (!collection || data.collection === collection) &&
        (!sourceKind || listHas(data.sourceKinds, sourceKind)) &&
        (!year || data.year === year) &&
        terms.every(function (term) { return texts[i].indexOf(term) !== -1; });
      li.hidden = !ok;
      if (ok) {
        count += 1;
      }
    });
    years.forEach(function (section) {
      var visible = section.querySelectorAll("li.record:not([hidden])").length;
      var label = section.querySelector("h3 .n");
      var total = Number(label.getAttribute("data-total"));
      section.hidden = visible === 0;
      label.textContent = visible === total
        ? total + (total === 1 ? " record" : " records")
        : visible + " of " + total + " records";
    });
    shown.textContent = count === records.length
      ? "All " + count + " records shown."
      : count + " of " + records.length + " records shown.";
  }

  function openShown(open) {
    records.forEach(function (li) {
      if (!li.hidden) {
        li.querySelector("details").open = open;
      }
    });
  }

  // a link to a record (from the aid picture, a "part of" line or the address bar) opens it,
  // clearing the filters if they hide it
  function reveal() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    if (!target || target.tagName !== "DETAILS") {
      return;
    }
    if (target.parentNode.hidden) {
      form.reset();
      apply();
    }
    target.open = true;
    target.scrollIntoView();
    target.querySelector("summary").focus();
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    apply();
  });
  form.addEventListener("reset", function () {
    window.setTimeout(apply, 0);
  });
  document.getElementById("open-all").addEventListener("click", function () { openShown(true); });
  document.getElementById("close-all").addEventListener("click", function () { openShown(false); });
  window.addEventListener("hashchange", reveal);
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href^='#r-']") : null;
    if (link) {
      window.setTimeout(reveal, 0);  // also when the address already ends in this record's id
    }
  });
  apply();
  reveal();
}());
