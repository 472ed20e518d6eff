// Search box with suggestions: an ARIA combobox. Arrow keys move, Enter opens, Escape closes.
// Without JavaScript the form still submits to /search.
(function () {
  "use strict";
  const input = document.getElementById("q");
  const list = document.getElementById("q-options");
  if (!input || !list) return;
  let items = [];
  let active = -1;
  let timer = null;
  let seq = 0;

  function hrefFor(item) {
    if (item.kind === "repo") {
      const [owner, name] = item.name.split("/");
      return "/repo/" + encodeURIComponent(owner) + "/" + encodeURIComponent(name);
    }
    return "/dev/" + encodeURIComponent(item.name);
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function render() {
    list.replaceChildren();
    items.forEach(function (item, index) {
      const li = document.createElement("li");
      li.id = "q-option-" + index;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", index === active ? "true" : "false");
      const name = document.createElement("span");
      name.textContent = item.name;
      const kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = item.kind === "repo" ? "repository" : "developer";
      li.append(name, kind);
      li.addEventListener("mousedown", function (event) {
        event.preventDefault();
        window.location.href = hrefFor(item);
      });
      list.append(li);
    });
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", items.length ? "true" : "false");
    if (active >= 0) input.setAttribute("aria-activedescendant", "q-option-" + active);
    else input.removeAttribute("aria-activedescendant");
  }

  function suggest() {
    const text = input.value.trim();
    if (text.length < 2) { items = []; close(); return; }
    const mine = ++seq;
    fetch(input.dataset.suggest + "?q=" + encodeURIComponent(text) + "&limit=10")
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        if (mine !== seq) return;
        items = data.results || [];
        active = -1;
        render();
      })
      .catch(function () { items = []; close(); });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(suggest, 120);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && items.length) {
      active = (active + 1) % items.length; render(); event.preventDefault();
    } else if (event.key === "ArrowUp" && items.length) {
      active = (active - 1 + items.length) % items.length; render(); event.preventDefault();
    } else if (event.key === "Enter" && active >= 0) {
      window.location.href = hrefFor(items[active]); event.preventDefault();
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 100); });
})();
