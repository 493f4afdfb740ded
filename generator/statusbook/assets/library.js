// Postmortem library filters. Without JavaScript the page is a plain list (latest first, and
// one page per year); with it, the filters search every postmortem through index.json.
(function () {
  "use strict";
  var form = document.getElementById("sb-filters");
  var list = document.getElementById("sb-library");
  if (!form || !list || !window.fetch) return;
  var base = list.getAttribute("data-base") || "";
  var heading = document.getElementById("sb-latest");
  var count = document.getElementById("sb-filter-count");
  var initial = list.innerHTML;
  var initialHeading = heading ? heading.textContent : "";
  var records = null;

  function chosen() {
    var out = {};
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (s) {
      if (s.value) out[s.name] = s.value;
    });
    return out;
  }

  function matches(record, filters) {
    return Object.keys(filters).every(function (key) {
      var value = record[key];
      return Array.isArray(value) ? value.indexOf(filters[key]) !== -1 : value === filters[key];
    });
  }

  function item(record) {
    var li = document.createElement("li");
    li.className = "sb-row";
    var a = document.createElement("a");
    a.className = "sb-row-title";
    a.href = base + record.url;
    a.textContent = record.title;
    li.appendChild(a);
    var meta = document.createElement("span");
    meta.className = "sb-row-meta";
    var parts = [record.date].concat(record.impact.map(function (i) { return i + " impact"; }));
    if (record.overdue) parts.push(record.overdue + " overdue action item" + (record.overdue === 1 ? "" : "s"));
    else if (record.open) parts.push(record.open + " open action item" + (record.open === 1 ? "" : "s"));
    meta.textContent = parts.join(" · ");
    li.appendChild(meta);
    if (record.summary) {
      var summary = document.createElement("span");
      summary.className = "sb-row-summary";
      summary.textContent = record.summary;
      li.appendChild(summary);
    }
    return li;
  }

  function render() {
    var filters = chosen();
    if (!Object.keys(filters).length) {
      list.innerHTML = initial;
      if (heading) heading.textContent = initialHeading;
      count.textContent = "";
      return;
    }
    var found = records.filter(function (r) { return matches(r, filters); });
    list.textContent = "";
    found.forEach(function (r) { list.appendChild(item(r)); });
    var text = found.length + " postmortem" + (found.length === 1 ? "" : "s") + " match";
    if (heading) heading.textContent = "Matching postmortems";
    count.textContent = text;
  }

  fetch(list.getAttribute("data-index"))
    .then(function (response) { return response.json(); })
    .then(function (data) {
      records = data.postmortems;
      form.hidden = false;
      form.addEventListener("change", render);
    })
    .catch(function () { /* keep the plain list */ });
})();
