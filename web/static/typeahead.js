/* Vocabulary suggestions for comma-separated term inputs (input[data-typeahead]).
   Without JavaScript the input is a plain text field; with it, the word being typed (after the
   last comma) gets a list of suggestions: arrow keys move, Enter or a click picks, Escape closes.
   ARIA 1.2 combobox pattern; the number of suggestions is announced in a polite live region. */
(function () {
  "use strict";
  var counter = 0;

  function lastTerm(value) {
    var parts = value.split(",");
    return parts[parts.length - 1].replace(/^\s+/, "");
  }

  function replaceLastTerm(value, term) {
    var parts = value.split(",");
    parts[parts.length - 1] = (parts.length > 1 ? " " : "") + term;
    return parts.join(",") + ", ";
  }

  function enhance(input) {
    counter += 1;
    var listId = "typeahead-list-" + counter;
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "typeahead-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.labels && input.labels[0] ? input.labels[0].textContent.trim() : "");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    var active = -1;
    var pending = null;
    var items = [];

    function close() {
      list.hidden = true;
      list.textContent = "";
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
      items = [];
    }

    function pick(index) {
      if (index < 0 || index >= items.length) { return; }
      input.value = replaceLastTerm(input.value, items[index].label);
      close();
      input.focus();
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (el, i) { el.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(suggestions) {
      list.textContent = "";
      items = suggestions;
      suggestions.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = s.label;
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); pick(i); });
        list.appendChild(li);
      });
      var open = suggestions.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      status.textContent = open ? suggestions.length + " \u2193" : "";
      active = -1;
    }

    input.addEventListener("input", function () {
      var term = lastTerm(input.value);
      if (pending) { clearTimeout(pending); }
      if (term.length < 2) { close(); return; }
      pending = setTimeout(function () {
        var url = input.getAttribute("data-typeahead") + "?q=" + encodeURIComponent(term);
        fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
          .then(function (data) {
            if (lastTerm(input.value) === term) { show(data.suggestions || []); }
          })
          .catch(function () { close(); });
      }, 150);
    });

    input.addEventListener("keydown", function (ev) {
      if (list.hidden) { return; }
      if (ev.key === "ArrowDown") { ev.preventDefault(); highlight(Math.min(items.length - 1, active + 1)); }
      else if (ev.key === "ArrowUp") { ev.preventDefault(); highlight(Math.max(0, active - 1)); }
      else if (ev.key === "Enter" && active >= 0) { ev.preventDefault(); pick(active); }
      else if (ev.key === "Escape") { ev.preventDefault(); close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  document.querySelectorAll("input[data-typeahead]").forEach(enhance);
})();
