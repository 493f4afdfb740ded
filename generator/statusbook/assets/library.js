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
  // The page's language gives its words (data-sb-words, from the catalogue); English is built in.
  var words = list && list.getAttribute("data-sb-words") ? JSON.parse(list.getAttribute("data-sb-words")) : null;
  var plural = words && window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang) : null;

  function counted(key, n, one, other) {
    if (!words) return n + " " + (n === 1 ? one : other);
    var forms = words[key];
    var form = forms[plural ? plural.select(n) : "other"] || forms.other;
    return form.replace("%(num)s", String(n));
  }
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
    var parts = [record.date].concat(record.impact.map(function (i) {
      return words ? words.impact.replace("%(impact)s", words.impacts[i] || i) : i + " impact";
    }));
    if (record.overdue) parts.push(counted("overdue", record.overdue, "overdue action item", "overdue action items"));
    else if (record.open) parts.push(counted("open", record.open, "open action item", "open action items"));
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
    var text = counted("match", found.length, "postmortem match", "postmortems match");
    if (heading) heading.textContent = words ? words.heading : "Matching postmortems";
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
