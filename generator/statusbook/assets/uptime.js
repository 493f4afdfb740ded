// Uptime strips, enhanced: each strip becomes one Tab stop whose arrow keys (Home, End too)
// pick a day, and a click or tap picks the day under it. The day's state and incidents show in
// a panel below the strip, never over the component's name above it; Esc closes it. Without
// this script the same facts are in each day's text and in the "days with incidents" list.
(function () {
  "use strict";

  function visibleDays(strip) {
    return Array.prototype.filter.call(strip.children, function (day) {
      return day.offsetWidth > 0;
    });
  }

  function enhance(box) {
    var strip = box.querySelector("ol.sb-strip");
    if (!strip) return;
    var list = box.querySelector("details.sb-days");
    var panel = document.createElement("p");
    panel.className = "sb-day-panel";
    panel.setAttribute("role", "status");
    panel.hidden = true;
    var legend = box.querySelector(".sb-strip-legend");
    box.insertBefore(panel, legend ? legend.nextSibling : strip.nextSibling);
    strip.tabIndex = 0;
    strip.classList.add("sb-strip--live");
    var current = null;
    var pointing = false; // a click or tap focuses the strip: it picks its own day

    function show(day) {
      if (current) current.classList.remove("sb-day--on");
      current = day;
      day.classList.add("sb-day--on");
      var entry = list && list.querySelector('li[data-sb-day="' + day.dataset.sbDay + '"]');
      panel.textContent = "";
      if (entry) {
        // The list's entry has links to the day's incidents: a finger can follow them.
        Array.prototype.forEach.call(entry.childNodes, function (node) {
          panel.appendChild(node.cloneNode(true));
        });
      } else {
        panel.textContent = day.textContent.trim();
      }
      panel.hidden = false;
    }

    function hide() {
      if (current) current.classList.remove("sb-day--on");
      current = null;
      panel.hidden = true;
    }

    strip.addEventListener("pointerdown", function () {
      pointing = true;
    });
    strip.addEventListener("focus", function () {
      var days = visibleDays(strip);
      if (!current && !pointing && days.length) show(days[days.length - 1]);
    });
    strip.addEventListener("focusout", function (event) {
      if (!panel.contains(event.relatedTarget)) hide();
    });
    panel.addEventListener("focusout", function (event) {
      if (event.relatedTarget !== strip && !panel.contains(event.relatedTarget)) hide();
    });
    strip.addEventListener("keydown", function (event) {
      var days = visibleDays(strip);
      var at = days.indexOf(current);
      var next = null;
      if (event.key === "ArrowLeft") next = days[Math.max(at - 1, 0)];
      else if (event.key === "ArrowRight") next = days[Math.min(at + 1, days.length - 1)];
      else if (event.key === "Home") next = days[0];
      else if (event.key === "End") next = days[days.length - 1];
      else if (event.key === "Escape" && current) {
        hide();
        event.preventDefault();
      }
      if (next) {
        show(next);
        event.preventDefault();
      }
    });
    strip.addEventListener("click", function (event) {
      pointing = false;
      var day = event.target.closest("li.sb-day");
      if (!day) return;
      if (day === current) hide();
      else show(day);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && current) hide();
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll(".sb-uptime"), enhance);
})();
