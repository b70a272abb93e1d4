// Parallax: small progressive enhancements. Every page works without this file.
"use strict";

(function () {
  // -- Citations: hover shows the source sentence (CSS); a click or Enter pins it open.
  function closeAll(except) {
    document.querySelectorAll(".cite-wrap.is-open").forEach(function (wrap) {
      if (wrap !== except) {
        wrap.classList.remove("is-open");
        var button = wrap.querySelector(".cite");
        if (button) button.setAttribute("aria-expanded", "false");
      }
    });
  }

  function place(wrap) {
    var panel = wrap.querySelector(".evidence");
    if (!panel) return;
    wrap.classList.remove("align-right");
    var box = panel.getBoundingClientRect();
    if (box.right > document.documentElement.clientWidth - 8) wrap.classList.add("align-right");
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".cite") : null;
    if (!button) {
      if (!event.target.closest || !event.target.closest(".evidence")) closeAll(null);
      return;
    }
    var wrap = button.closest(".cite-wrap");
    var open = !wrap.classList.contains("is-open");
    closeAll(wrap);
    wrap.classList.toggle("is-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) place(wrap);
  });

  document.addEventListener("mouseover", function (event) {
    var wrap = event.target.closest ? event.target.closest(".cite-wrap") : null;
    if (wrap) place(wrap);
  });

  document.addEventListener("focusin", function (event) {
    var wrap = event.target.closest ? event.target.closest(".cite-wrap") : null;
    if (wrap) place(wrap);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = document.querySelector(".cite-wrap.is-open");
    if (!open) return;
    closeAll(null);
    var button = open.querySelector(".cite");
    if (button) button.focus();
  });

  // -- Facts matrix: show only the facts of one status (one tbody per status).
  document.querySelectorAll(".filter[data-filter]").forEach(function (group) {
    var table = document.getElementById(group.getAttribute("data-filter"));
    if (!table) return;
    group.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-status]");
      if (!button) return;
      var wanted = button.getAttribute("data-status");
      group.querySelectorAll("button").forEach(function (b) {
        b.setAttribute("aria-pressed", b === button ? "true" : "false");
      });
      table.querySelectorAll("tbody[data-status]").forEach(function (body) {
        body.hidden = wanted !== "all" && body.getAttribute("data-status") !== wanted;
      });
    });
  });

  // -- Long lists show their first items and a button for the rest (all shown without JS).
  document.querySelectorAll("[data-collapse]").forEach(function (list) {
    var keep = parseInt(list.getAttribute("data-collapse"), 10);
    var items = Array.prototype.filter.call(list.children, function (child) {
      return !child.classList.contains("group-row");
    });
    if (!(keep > 0) || items.length <= keep + 2) return;
    var rest = items.slice(keep);
    rest.forEach(function (item) { item.hidden = true; });
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button-quiet show-more";
    button.textContent = "Show " + rest.length + " more";
    button.setAttribute("aria-expanded", "false");
    var holder;
    if (list.tagName === "TBODY") {
      holder = document.createElement("tr");
      holder.className = "more-row";
      var cell = document.createElement("td");
      cell.colSpan = list.closest("table").querySelector("tr").children.length;
      cell.appendChild(button);
      holder.appendChild(cell);
      list.appendChild(holder);
    } else {
      holder = document.createElement("p");
      holder.className = "more-row";
      holder.appendChild(button);
      list.parentNode.insertBefore(holder, list.nextSibling);
    }
    button.addEventListener("click", function () {
      rest.forEach(function (item) { item.hidden = false; });
      holder.remove();
      if (rest[0]) {
        var focusable = rest[0].querySelector("a, button, [tabindex]");
        if (focusable) focusable.focus();
      }
    });
  });

  // -- Verify form: more source fields on demand, and a busy state while checking.
  var add = document.getElementById("add-source");
  var fields = document.getElementById("source-fields");
  if (add && fields) {
    add.hidden = false;
    add.addEventListener("click", function () {
      var all = fields.querySelectorAll(".source-field");
      if (all.length >= 20) {
        add.disabled = true;
        return;
      }
      var copy = all[all.length - 1].cloneNode(true);
      var n = all.length + 1;
      var label = copy.querySelector("label");
      var area = copy.querySelector("textarea");
      label.setAttribute("for", "source-" + n);
      label.textContent = "Source " + n;
      area.id = "source-" + n;
      area.value = "";
      fields.appendChild(copy);
      area.focus();
    });
  }
  var form = document.getElementById("verify-form");
  if (form) {
    form.addEventListener("submit", function () {
      var submit = document.getElementById("verify-submit");
      if (submit) {
        submit.disabled = true;
        submit.textContent = "Checking…";
      }
      form.setAttribute("aria-busy", "true");
    });
  }
})();
