/* Full-text search over the index bounce writes under search/ (see
   src/render/search/mod.rs for the format). A query loads meta.json and
   facets.json once, then only the shards of its words, and the records of
   the results it shows, each by an HTTP Range request. No dependencies.
   Without this script the search page lists the topic pages instead. */
(function () {
  "use strict";
  var box = document.querySelector("[data-search-index]");
  if (!box || !window.fetch || !window.DecompressionStream || !window.Map) {
    return;
  }
  var input = box.querySelector("input");
  var status = box.querySelector("[data-search-status]");
  var list = box.querySelector("[data-search-results]");
  var filters = box.querySelector("[data-search-filters]");
  var filterBox = box.querySelector("[data-search-filter-box]");
  // Open beside the results on wide screens; on phones, one tap away.
  filterBox.open = window.matchMedia("(min-width: 40rem)").matches;
  var more = box.querySelector("[data-search-more]");
  var base = box.getAttribute("data-base-path");
  var dir = box.getAttribute("data-search-index").replace(/meta\.json$/, "");
  var fallback = document.querySelector("[data-search-fallback]");
  // Results shown at a time, each needing its record (about 2 KB): five keep
  // a later query under 30 KB at 10,000 documents.
  var PAGE = 5;
  var FIELD = [10, 4, 1]; // title, heading (or summary, names), body
  var GROUPS = [
    ["kind", "Kind"], ["topic", "Topic"], ["audience", "Audience"],
    ["stage", "Key stage"], ["type", "Resource type"]
  ];

  box.hidden = false;
  if (fallback) {
    fallback.hidden = true;
  }

  var meta = null;
  var shards = {};
  var records = {};
  var packs = {};
  var stored = null;
  var ranges = window.sessionStorage && sessionStorage.getItem("bounce-no-range") ? false : true;

  /* meta.json and facets.json are asked of the server every time (a 304
     when unchanged): every other file of the index is named by its
     contents, so what they name is always of the same build. */
  function json(url, fresh) {
    return fetch(url, fresh ? { cache: "no-cache" } : {}).then(function (r) {
      if (!r.ok) { throw new Error(url); }
      return r.json();
    });
  }

  /* The URL of a file meta.json names by its path in the output
     (`search/s3.1a2b3c4d.json`). */
  function file(path) {
    return dir + path.replace(/^search\//, "");
  }

  /* Forgets everything loaded, after a fetch failed: a site rebuilt while
     this page was open has other file names, so the next search starts
     again from meta.json. */
  function forget() {
    meta = null; shards = {}; records = {}; packs = {}; stored = null; last = null;
  }

  function load() {
    if (!meta) {
      meta = Promise.all([json(dir + "meta.json", true), json(dir + "facets.json", true)]).then(function (both) {
        var m = both[0];
        m.k = both[1].k; m.t = both[1].t; m.l = both[1].l;
        m.offset = [];
        var p = 0;
        for (var d = 0, at = 0; d < m.documents; d++) {
          if (p < m.packs.length && m.packs[p][1] === d) { at = 0; p++; }
          m.offset.push(at);
          at += m.l[d];
        }
        return m;
      });
    }
    return meta;
  }

  /* The words of a text as the index has them: lower-cased, stop words
     out, accents folded, UK and US spellings made one (the same table as
     the build's, from meta.json). */
  function fold(w) {
    return w.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  function canonical(m, w) {
    var s = m.spelling;
    if (Object.prototype.hasOwnProperty.call(s.exceptions, w)) { return s.exceptions[w]; }
    var n = Array.from(w).length;
    for (var i = 0; i < s.suffixes.length; i++) {
      var r = s.suffixes[i];
      if (n >= r[2] && w.slice(-r[0].length) === r[0]) { w = w.slice(0, -r[0].length) + r[1]; break; }
    }
    s.infixes.forEach(function (r) { w = w.split(r[0]).join(r[1]); });
    return w;
  }
  function worth(m, w) {
    return Array.from(w).length >= 3 && !/^[0-9]/.test(w) && m.stop.indexOf(w) < 0;
  }
  function words(m, text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (w) { return worth(m, w); })
      .map(function (w) { return canonical(m, fold(w)); });
  }

  function shardOf(m, word) {
    var lo = 0, hi = m.shards.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (m.shards[mid] <= word) { lo = mid; } else { hi = mid - 1; }
    }
    return lo;
  }
  function shard(m, i) {
    if (!shards[i]) {
      shards[i] = json(file(m.shard_files[i])).then(function (entries) {
        var map = new Map();
        entries.forEach(function (e) { map.set(e[0], e); });
        return { map: map, words: entries.map(function (e) { return e[0]; }), i: i };
      });
    }
    return shards[i];
  }
  function entry(m, word) {
    return shard(m, shardOf(m, word)).then(function (s) { return s.map.get(word) || null; });
  }

  function distance1(a, b) {
    if (Math.abs(a.length - b.length) > 1 || a === b) { return false; }
    var i = 0;
    while (i < a.length && a[i] === b[i]) { i++; }
    if (a.length === b.length) {
      return a.slice(i + 1) === b.slice(i + 1) ||
        (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
    }
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  /* Stems the word may have: the index lists, under each stem that is not
     itself a word, the words of that stem (Porter 2, at build time); these
     few endings reach the stems of most forms of English words. */
  function stems(w) {
    var out = [];
    [["ies", "i"], ["ied", "i"], ["ying", "i"], ["ing", ""], ["ed", ""], ["es", ""], ["s", ""],
      ["ly", ""], ["y", "i"], ["e", ""]].forEach(function (r) {
      if (w.length - r[0].length >= 3 && w.slice(-r[0].length) === r[0]) {
        var s = w.slice(0, -r[0].length) + r[1];
        out.push(s);
        if (/(bb|dd|ff|gg|mm|nn|pp|rr|tt)$/.test(s)) { out.push(s.slice(0, -1)); }
      }
    });
    return out;
  }

  /* The index entries a query word stands for, each with a weight: the word
     itself, other words of its stem, words it begins (the word being typed)
     or, failing all those, words one letter away. */
  function resolve(m, word, prefix) {
    return shard(m, shardOf(m, word)).then(function (s) {
      var found = [];
      var seen = new Set([word]);
      var exact = s.map.get(word);
      var forms = exact ? (exact[2] || []).slice() : [];
      if (exact && exact[1].length) { found.push([exact, 1]); }
      // Only guesses in the word's own shard: a guess is often wrong, and
      // another shard would cost the reader about 10 KB.
      var here = shardOf(m, word);
      var waits = stems(word).filter(function (stem) { return shardOf(m, stem) === here; }).map(function (stem) {
        return entry(m, stem).then(function (e) { if (e) { forms.push(e[0]); forms = forms.concat(e[2] || []); } });
      });
      return Promise.all(waits).then(function () {
        return Promise.all(forms.filter(function (f) {
          if (seen.has(f)) { return false; }
          seen.add(f);
          return true;
        }).map(function (f) {
          return entry(m, f).then(function (e) { if (e && e[1].length) { found.push([e, 0.7]); } });
        }));
      }).then(function () {
        if (prefix) {
          for (var i = 0; i < s.words.length && found.length < 60; i++) {
            var w = s.words[i];
            var e = s.map.get(w);
            if (!seen.has(w) && e[1].length && w.lastIndexOf(word, 0) === 0) { found.push([e, 0.5]); }
          }
        }
        var fix = null;
        if (!found.length && word.length >= 5) {
          s.words.forEach(function (w) {
            var e = s.map.get(w);
            if (e[1].length && distance1(word, w)) {
              found.push([e, 0.6]);
              if (!fix || e[1].length > s.map.get(fix)[1].length) { fix = w; }
            }
          });
        }
        return { found: found, fix: fix };
      });
    });
  }

  /* Document number -> {score, section, words} for one query word. */
  function hits(found) {
    var docs = new Map();
    found.forEach(function (f) {
      var p = f[0][1];
      for (var i = 0, d = 0; i < p.length; i += 2) {
        d += p[i];
        var field = p[i + 1] & 3, score = FIELD[field] * f[1];
        var h = docs.get(d);
        if (!h) { docs.set(d, h = { score: 0, section: p[i + 1] >> 2, words: [] }); }
        if (score > h.score) { h.score = score; h.section = p[i + 1] >> 2; }
        h.words.push(f[0][0]);
      }
    });
    return docs;
  }
  function both(a, b) {
    var out = new Map();
    a.forEach(function (h, d) {
      var o = b.get(d);
      if (o) {
        out.set(d, { score: h.score + o.score, section: h.score >= o.score ? h.section : o.section,
          words: h.words.concat(o.words) });
      }
    });
    return out;
  }
  function either(a, b) {
    b.forEach(function (h, d) { if (!a.has(d)) { a.set(d, h); } });
    return a;
  }
  function all(m, list, last) {
    return Promise.all(list.map(function (w, i) {
      return resolve(m, w, last && i === list.length - 1);
    })).then(function (rs) {
      var docs = null, fixes = [];
      rs.forEach(function (r, i) {
        var h = hits(r.found);
        docs = docs ? both(docs, h) : h;
        fixes.push(r.fix || list[i]);
      });
      return { docs: docs || new Map(), fixes: rs.some(function (r) { return r.fix; }) ? fixes : null };
    });
  }

  /* A query: every word must match (or a synonym's words stand in for it). */
  function query(m, text) {
    var typing = !/\s$/.test(text);
    var list = words(m, text);
    var syn = m.synonyms || {};
    var parts = list.map(function (w, i) {
      var raw = Object.keys(syn).filter(function (k) { return words(m, k).join(" ") === w; })[0];
      var one = all(m, [w], typing && i === list.length - 1);
      if (!raw) { return one; }
      return Promise.all([one, all(m, words(m, syn[raw]), false)]).then(function (r) {
        return { docs: either(r[0].docs, r[1].docs), fixes: null };
      });
    });
    var phrase = Object.keys(syn).filter(function (k) { return words(m, syn[k]).join(" ") === list.join(" "); })[0];
    if (phrase && list.length > 1) { parts = [Promise.all([all(m, list, false), all(m, words(m, phrase), false)]).then(function (r) { return { docs: either(r[0].docs, r[1].docs), fixes: null }; })]; }
    return Promise.all(parts).then(function (rs) {
      var docs = null;
      rs.forEach(function (r) { docs = docs ? both(docs, r.docs) : r.docs; });
      var fixed = rs.some(function (r) { return r.fixes; });
      return {
        docs: docs || new Map(),
        fixed: fixed ? rs.map(function (r, i) { return r.fixes ? r.fixes[0] : list[i]; }).join(" ") : null,
        list: list
      };
    });
  }

  /* Facets: what each document is, by group, as value numbers. */
  function values(m, g, d) {
    var k = m.k[d], out = [], i;
    if (g === "kind") { return [k & 3]; }
    if (g === "type") { return (k >> 12) & 7 ? [((k >> 12) & 7) - 1] : []; }
    var mask = g === "topic" ? m.t[d] : g === "audience" ? (k >> 2) & 15 : (k >> 6) & 63;
    for (i = 0; mask > 0; i++, mask = Math.floor(mask / 2)) { if (mask % 2) { out.push(i); } }
    return out;
  }
  var chosen = {};
  function passes(m, d, except) {
    return GROUPS.every(function (g) {
      var set = chosen[g[0]];
      if (g[0] === except || !set || !set.length) { return true; }
      var v = values(m, g[0], d);
      return set.some(function (slug) { return v.indexOf(slugIndex(m, g[0], slug)) >= 0; });
    });
  }
  function slugIndex(m, g, slug) {
    return m.facets[g].findIndex(function (f) { return f[0] === slug; });
  }

  function showFilters(m, docs) {
    filters.textContent = "";
    GROUPS.forEach(function (g) {
      var counts = m.facets[g[0]].map(function () { return 0; });
      docs.forEach(function (d) {
        if (passes(m, d, g[0])) { values(m, g[0], d).forEach(function (v) { counts[v]++; }); }
      });
      var set = chosen[g[0]] || [];
      var shown = m.facets[g[0]].filter(function (f, i) { return counts[i] || set.indexOf(f[0]) >= 0; });
      if (!shown.length) { return; }
      var fs = document.createElement("fieldset");
      var legend = document.createElement("legend");
      legend.textContent = g[1];
      fs.appendChild(legend);
      m.facets[g[0]].forEach(function (f, i) {
        if (shown.indexOf(f) < 0) { return; }
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox"; box.name = g[0]; box.value = f[0];
        box.checked = set.indexOf(f[0]) >= 0;
        box.addEventListener("change", function () {
          chosen[g[0]] = Array.from(filters.querySelectorAll("input[name=" + g[0] + "]:checked"))
            .map(function (c) { return c.value; });
          address();
          render(m, last);
          var again = filters.querySelector("input[name=" + g[0] + "][value='" + f[0] + "']");
          if (again) { again.focus(); }
        });
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + f[1] + " (" + counts[i] + ")"));
        fs.appendChild(label);
      });
      filters.appendChild(fs);
    });
    filterBox.hidden = !filters.firstChild;
    var n = GROUPS.reduce(function (sum, g) { return sum + (chosen[g[0]] || []).length; }, 0);
    filterBox.querySelector("summary").textContent = "Filter the results" + (n ? " (" + n + " chosen)" : "");
  }

  /* A result's record: fetched by a Range request, or sliced from the whole
     pack when the host ignores Range (remembered for the session). */
  function record(m, d) {
    if (records[d]) { return records[d]; }
    var p = 0;
    while (p + 1 < m.packs.length && m.packs[p + 1][1] <= d) { p++; }
    var url = file(m.packs[p][0]);
    var a = m.offset[d], b = a + m.l[d] - 1;
    var bytes = ranges && !packs[url]
      ? fetch(url, { headers: { Range: "bytes=" + a + "-" + b } }).then(function (r) {
        if (r.status === 206) { return r.arrayBuffer(); }
        ranges = false;
        if (window.sessionStorage) { sessionStorage.setItem("bounce-no-range", "1"); }
        packs[url] = r.ok ? r.arrayBuffer() : Promise.reject(new Error(url));
        return packs[url].then(function (all) { return all.slice(a, b + 1); });
      })
      : (packs[url] = packs[url] || fetch(url).then(function (r) { return r.arrayBuffer(); }))
        .then(function (all) { return all.slice(a, b + 1); });
    records[d] = Promise.all([bytes, dictionary(m)]).then(function (both) {
      var dict = both[1];
      return inflate(dict.parts.concat([both[0]])).then(function (out) {
        return JSON.parse(new TextDecoder().decode(new Uint8Array(out, dict.length)));
      });
    });
    return records[d];
  }

  function inflate(parts) {
    var stream = new Blob(parts).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return new Response(stream).arrayBuffer();
  }

  /* The text the records were deflated against (fetched once, with the
     first record): inflated before each record as a stored block, so that
     the record's copies from it resolve, and its bytes dropped from what
     comes out. */
  function dictionary(m) {
    if (!stored) {
      stored = fetch(file(m.dictionary)).then(function (r) {
        if (!r.ok) { throw new Error(m.dictionary); }
        return r.arrayBuffer();
      }).then(function (buf) { return inflate([buf]); }).then(function (dict) {
        var n = dict.byteLength;
        var header = new Uint8Array([0, n & 255, n >> 8, ~n & 255, (~n >> 8) & 255]);
        return { parts: [header, dict], length: n };
      });
      stored.catch(function () { stored = null; });
    }
    return stored;
  }

  /* Up to 30 words of a section around the first matched word, matched
     words in <mark>. */
  function snippet(m, text, matched, typed) {
    var parts = text.split(/([^\p{L}\p{N}]+)/u);
    var hit = function (w) {
      if (!worth(m, w.toLowerCase())) { return false; }
      var c = canonical(m, fold(w.toLowerCase()));
      return matched.has(c) || (typed && c.lastIndexOf(typed, 0) === 0);
    };
    var first = parts.findIndex(function (w, i) { return i % 2 === 0 && w && hit(w); });
    if (first < 0) { return null; }
    var from = Math.max(0, first - 20), to = Math.min(parts.length, first + 40);
    var p = document.createElement("p");
    p.className = "search-snippet";
    if (from > 0) { p.appendChild(document.createTextNode("\u2026 ")); }
    for (var i = from; i < to; i++) {
      if (i % 2 === 0 && parts[i] && hit(parts[i])) {
        var mark = document.createElement("mark");
        mark.textContent = parts[i];
        p.appendChild(mark);
      } else {
        p.appendChild(document.createTextNode(parts[i]));
      }
    }
    if (to < parts.length) { p.appendChild(document.createTextNode(" \u2026")); }
    return p;
  }

  function item(m, d, h, typed) {
    var li = document.createElement("li");
    var kind = document.createElement("p");
    kind.className = "search-kind";
    kind.textContent = m.facets.kind[m.k[d] & 3][1];
    var title = document.createElement("h2");
    var a = document.createElement("a");
    a.textContent = "\u2026";
    title.appendChild(a);
    li.appendChild(kind);
    li.appendChild(title);
    record(m, d).then(function (r) {
      var heading = h.section > 0 && r.h[h.section - 1];
      a.href = base + r.u + (heading ? "#" + heading[0] : "");
      a.textContent = r.t;
      var matched = new Set(h.words);
      var p = snippet(m, r.x[h.section] || "", matched, typed) ||
        r.x.reduce(function (found, x) { return found || snippet(m, x, matched, typed); }, null);
      if (!p && r.s) {
        p = document.createElement("p");
        p.textContent = r.s;
      }
      if (p) { li.appendChild(p); }
    }, function () {
      a.textContent = "This result could not be loaded";
      forget();
    });
    return li;
  }

  var last = null;
  var shownCount = PAGE;
  function render(m, result) {
    if (!result) { return; }
    var all = Array.from(result.docs.keys());
    var docs = all.filter(function (d) { return passes(m, d, null); });
    docs.sort(function (a, b) { return result.docs.get(b).score - result.docs.get(a).score || a - b; });
    showFilters(m, all);
    list.textContent = "";
    var n = docs.length;
    /* A corrected query says what it searched for instead, and the count
       is of that: "15 pages match" the word shown, not the one typed. */
    var asked = result.fixed ? "" : " \u201c" + result.text + "\u201d";
    var said = n === 0 ? "No pages match" + asked + ". Try fewer or different words, or fewer filters."
      : (n === 1 ? "1 page matches" : n.toLocaleString("en-GB") + " pages match") + asked + ".";
    status.textContent = (result.fixed ? "Showing results for \u201c" + result.fixed +
      "\u201d instead of \u201c" + result.text + "\u201d. " : "") + said;
    var typed = result.typing ? result.list[result.list.length - 1] : null;
    docs.slice(0, shownCount).forEach(function (d) { list.appendChild(item(m, d, result.docs.get(d), typed)); });
    more.hidden = n <= shownCount;
  }

  function address() {
    var params = new URLSearchParams();
    if (input.value.trim()) { params.set("q", input.value.trim()); }
    GROUPS.forEach(function (g) { (chosen[g[0]] || []).forEach(function (v) { params.append(g[0], v); }); });
    var q = params.toString();
    if (window.history.replaceState) { window.history.replaceState(null, "", q ? "?" + q : location.pathname); }
  }

  var timer = null;
  var asked = 0;
  function update() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { search(input.value, ++asked, true); }, 150);
  }

  /* Searches for `text` (the `mine`th search asked); after a failed fetch,
     once more from meta.json if `again`, as the site may have been rebuilt
     since the page loaded it. */
  function search(text, mine, again) {
    address();
    load().then(function (m) {
      if (!words(m, text).length) {
        list.textContent = ""; filters.textContent = ""; status.textContent = ""; more.hidden = true;
        filterBox.hidden = true;
        return null;
      }
      return query(m, text).then(function (result) {
        if (mine !== asked) { return; }
        result.typing = !/\s$/.test(text);
        result.text = text.trim();
        last = result;
        shownCount = PAGE;
        render(m, result);
      });
    }).catch(function () {
      forget();
      if (again) { return search(text, mine, false); }
      status.textContent = "Search could not be loaded. Browse by topic instead.";
      if (fallback) { fallback.hidden = false; }
    });
  }

  input.addEventListener("input", update);
  input.addEventListener("focus", load);
  more.addEventListener("click", function () {
    shownCount += PAGE;
    load().then(function (m) { render(m, last); });
  });
  box.querySelector("form").addEventListener("submit", function (event) {
    event.preventDefault();
    update();
  });
  var params = new URLSearchParams(location.search);
  GROUPS.forEach(function (g) { chosen[g[0]] = params.getAll(g[0]); });
  if (params.get("q")) {
    input.value = params.get("q");
    update();
  }
})();
