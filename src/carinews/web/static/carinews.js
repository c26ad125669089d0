/* carinews: small enhancements; the page works without them.
   - saved searches, kept in this browser (localStorage), listed on the front page;
   - "/" puts the cursor in the search box;
   - changing the order or the explain box searches again at once. */
(function () {
  "use strict";
  var KEY = "carinews.saved";
  var MAX_SAVED = 50;

  function load() {
    try {
      var list = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      return Array.isArray(list) ? list.filter(function (q) { return typeof q === "string"; }) : [];
    } catch (e) {
      return [];
    }
  }

  function store(list) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(list.slice(0, MAX_SAVED)));
    } catch (e) { /* storage full or disabled: nothing to keep */ }
  }

  function searchHref(query, lang) {
    var params = new URLSearchParams({ q: query });
    if (lang) { params.set("lang", lang); }
    return "/?" + params.toString();
  }

  function showSaved(list) {
    var ul = document.getElementById("saved-list");
    if (!ul) { return; }
    ul.textContent = "";
    if (!list.length) {
      var empty = document.createElement("li");
      empty.className = "empty";
      empty.textContent = ul.getAttribute("data-empty");
      ul.appendChild(empty);
      return;
    }
    list.forEach(function (query) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = searchHref(query, ul.getAttribute("data-lang"));
      link.textContent = query;
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "delete";
      remove.textContent = ul.getAttribute("data-delete");
      remove.setAttribute("aria-label", ul.getAttribute("data-delete") + ": " + query);
      remove.addEventListener("click", function () {
        var rest = load().filter(function (q) { return q !== query; });
        store(rest);
        showSaved(rest);
      });
      li.appendChild(link);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(remove);
      ul.appendChild(li);
    });
  }

  function setUpSave() {
    var button = document.getElementById("save-search");
    if (!button) { return; }
    var query = button.getAttribute("data-query");
    button.hidden = false;
    if (load().indexOf(query) >= 0) {
      button.textContent = button.getAttribute("data-saved");
      button.disabled = true;
    }
    button.addEventListener("click", function () {
      var list = load().filter(function (q) { return q !== query; });
      list.unshift(query);
      store(list);
      button.textContent = button.getAttribute("data-saved");
      button.disabled = true;
    });
  }

  function setUpKeys() {
    var box = document.getElementById("q");
    document.addEventListener("keydown", function (event) {
      var tag = (document.activeElement && document.activeElement.tagName) || "";
      if (event.key === "/" && box && !/^(INPUT|TEXTAREA|SELECT)$/.test(tag)) {
        event.preventDefault();
        box.focus();
        box.select();
      }
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-autosubmit]"), function (field) {
      field.addEventListener("change", function () {
        if (field.form) { field.form.submit(); }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    showSaved(load());
    setUpSave();
    setUpKeys();
  });
})();
