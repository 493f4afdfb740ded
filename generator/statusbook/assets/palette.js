// The light/dark toggle for pages served without Material's script bundle (the status home
// page, kept small for readers during an outage). It reads and writes the same stored choice
// as Material, so the scheme follows the reader from page to page.
(function () {
  "use strict";
  var form = document.querySelector("[data-md-component=palette]");
  if (!form || !window.__md_get) return;
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input[name=__palette]"));
  if (!inputs.length) return;

  function show(input) {
    ["scheme", "primary", "accent"].forEach(function (key) {
      document.body.setAttribute("data-md-color-" + key, input.getAttribute("data-md-color-" + key));
    });
    Array.prototype.forEach.call(form.querySelectorAll("label"), function (label) {
      label.hidden = label !== input.nextElementSibling;
    });
  }

  var stored = __md_get("__palette");
  var index = stored && typeof stored.index === "number" ? stored.index : -1;
  if (index < 0 || index >= inputs.length) {
    index = 0;
    inputs.forEach(function (input, i) {
      var media = input.getAttribute("data-md-color-media");
      if (index === 0 && media && window.matchMedia(media).matches) index = i;
    });
  }
  inputs[index].checked = true;
  show(inputs[index]);

  form.addEventListener("change", function (event) {
    var input = event.target;
    show(input);
    __md_set("__palette", {
      index: inputs.indexOf(input),
      color: {
        media: input.getAttribute("data-md-color-media"),
        scheme: input.getAttribute("data-md-color-scheme"),
        primary: input.getAttribute("data-md-color-primary"),
        accent: input.getAttribute("data-md-color-accent"),
      },
    });
  });
})();
