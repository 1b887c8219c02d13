/* Search as you type over search-index.json (written by bounce at build time).
   Without this script the search page lists the topic pages instead. */
(function () {
  "use strict";
  var box = document.querySelector("[data-search-index]");
  if (!box || !window.fetch) {
    return;
  }
  var input = box.querySelector("input");
  var status = box.querySelector("[data-search-status]");
  var list = box.querySelector("[data-search-results]");
  var base = box.getAttribute("data-base-path");
  var fallback = document.querySelector("[data-search-fallback]");
  var index = null;
  var MAX = 30;

  // The form is hidden until this script runs: without it, it could not work.
  box.hidden = false;
  if (fallback) {
    fallback.hidden = true;
  }

  function words(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  function load() {
    if (!index) {
      index = fetch(box.getAttribute("data-search-index"))
        .then(function (r) { return r.json(); })
        .then(function (data) {
          return data.docs.map(function (d) {
            var topics = d[3].map(function (t) { return data.topics[t][1]; });
            var text = d[4] ? d[4].split(" ").map(function (n) { return data.words[parseInt(n, 36)]; }) : [];
            return {
              url: base + d[0], title: d[1], summary: d[2],
              fields: [words(d[1]), words(d[2]), words(topics.join(" ")), text]
            };
          });
        });
    }
    return index;
  }

  // Each query word must start a word of the document; title words count most.
  var WEIGHTS = [10, 4, 3, 1];
  function score(doc, query) {
    var total = 0;
    for (var q = 0; q < query.length; q++) {
      var best = 0;
      for (var f = 0; f < doc.fields.length; f++) {
        var field = doc.fields[f];
        for (var w = 0; w < field.length; w++) {
          if (field[w].lastIndexOf(query[q], 0) === 0) {
            best = Math.max(best, WEIGHTS[f] * (field[w] === query[q] ? 2 : 1));
            break;
          }
        }
      }
      if (!best) {
        return 0;
      }
      total += best;
    }
    return total;
  }

  function show(docs, text) {
    var query = words(text);
    list.textContent = "";
    if (!query.length) {
      status.textContent = "";
      return;
    }
    var found = docs
      .map(function (d) { return { doc: d, score: score(d, query) }; })
      .filter(function (r) { return r.score > 0; })
      .sort(function (a, b) { return b.score - a.score || a.doc.title.localeCompare(b.doc.title); });
    status.textContent = found.length === 0
      ? "No pages match \u201c" + text + "\u201d. Try fewer or different words."
      : found.length + (found.length === 1 ? " page matches" : " pages match") + " \u201c" + text + "\u201d" +
        (found.length > MAX ? ", the first " + MAX + " shown." : ".");
    found.slice(0, MAX).forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = r.doc.url;
      a.textContent = r.doc.title;
      li.appendChild(a);
      if (r.doc.summary) {
        var p = document.createElement("p");
        p.textContent = r.doc.summary;
        li.appendChild(p);
      }
      list.appendChild(li);
    });
  }

  var timer = null;
  function update() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      var text = input.value.trim();
      load().then(function (docs) { show(docs, text); }, function () {
        status.textContent = "The search index could not be loaded. Browse by topic instead.";
        if (fallback) {
          fallback.hidden = false;
        }
      });
      if (window.history.replaceState) {
        window.history.replaceState(null, "", text ? "?q=" + encodeURIComponent(text) : location.pathname);
      }
    }, 120);
  }

  input.addEventListener("input", update);
  input.addEventListener("focus", load);
  box.querySelector("form").addEventListener("submit", function (event) {
    event.preventDefault();
    update();
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) {
    input.value = initial;
    update();
  }
})();
