// Browser benchmark of a site's search page: what a reader downloads and how long
// they wait for results, in headless Chromium with the CPU slowed 4x (a mid-range
// phone) and the HTTP cache off. Run by scripts/bench-search.sh, which serves the
// site (gzip + Range); not part of `cargo test`.
//
// Usage: node run.mjs PROFILE SEARCH_PAGE_URL [QUERY...]
//   PROFILE: bounce (bounce's /search/ page), pagefind (Pagefind's Default UI) or
//   pagefind-main-thread (the same, with its Web Worker blocked: see PROFILES).
//   Without queries, the six below. Env: CHROMIUM (default /usr/bin/chromium),
//   BENCH_JSON=FILE to also write every measurement as JSON.
//
// For each query: a fresh page load (new browser context, empty cache), tap the
// search box, type the query with 80 ms between keys, and wait until the results
// for exactly that query show (the count line names the query and, unless nothing
// matches, a result item has text). "First query" bytes are everything the page
// fetched (HTML, CSS, scripts, index) until the network is quiet for a second after
// the results showed. Then, in the same page, the next LATER queries in the list are
// typed one after another (clear the box, type): each one's bytes are what it added.
// Bytes are Chromium's encodedDataLength (headers + body as sent: gzipped where the
// server gzips), from every request of the page and its workers. Time is from the
// last key's keydown to the moment the results are in the DOM (page clock).
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");

const PROFILES = {
  // Today's markup, kept by the sharded rewrite: status line "N pages match “q”".
  // `done`: the count line says the search has finished (not "Searching…").
  bounce: { input: "#search-input", results: "[data-search-results] li", count: "[data-search-status]",
    done: "(page|pages) match|[Nn]o pages match" },
  // Pagefind Default UI: message "N results for q"; a result's link appears once its
  // fragment has loaded (before that the item is a grey placeholder).
  pagefind: { input: ".pagefind-ui__search-input", results: ".pagefind-ui__result-link", count: ".pagefind-ui__message",
    done: "results? for" },
};
// Chromium cannot slow a Web Worker's CPU (Emulation.setCPUThrottlingRate: "only
// supported for pages, not workers"), and Pagefind searches in one: this profile
// blocks pagefind-worker.js, so Pagefind falls back to searching on the page's
// (slowed) main thread, as a phone's slower cores would slow its worker.
PROFILES["pagefind-main-thread"] = { ...PROFILES.pagefind, block: "**/pagefind-worker.js" };
const QUERIES = [
  "safeguarding", // a common word: in nearly every document
  "protective", // only in the middle of some bodies (a quotation), never a title or summary
  "exam stress", // two words
  "anxiety lessons", // what a teacher would type
  "vaping policy", // a topic word and a resource kind
  "bereavment", // a typo (missing e) of a word in about a quarter of the documents
];
const LATER = 3;
const KEY_DELAY = 80;
const QUIET_MS = 1000;

const [profileName, url, ...argQueries] = process.argv.slice(2);
const profile = PROFILES[profileName];
if (!profile || !url) {
  console.error(`usage: node run.mjs ${Object.keys(PROFILES).join("|")} SEARCH_PAGE_URL [QUERY...]`);
  process.exit(2);
}
const queries = argQueries.length ? argQueries : QUERIES;

function kindOf(request) {
  const type = request.resourceType();
  const path = new URL(request.url()).pathname;
  if (type === "document") return "html";
  if (/\.css$/.test(path)) return "css";
  if (/wasm/i.test(path.split("/").pop())) return "wasm";
  if (/\.m?js$/.test(path)) return "js";
  if (type === "fetch" || type === "xhr") return "index";
  return "other";
}

// Counts bytes per kind, and in-flight requests, for the page and its workers.
function watchNetwork(page) {
  const net = { bytes: {}, inFlight: 0, lastActivity: Date.now(), files: [], icons: new Set() };
  page.on("request", () => { net.inFlight++; net.lastActivity = Date.now(); });
  page.on("requestfailed", () => { net.inFlight--; net.lastActivity = Date.now(); });
  page.on("requestfinished", async (request) => {
    const sizes = await request.sizes().catch(() => null);
    // responseBodySize is encodedDataLength minus the headers (see Playwright's
    // crNetworkManager), so the sum is encodedDataLength: bytes on the wire.
    const wire = sizes ? sizes.responseHeadersSize + sizes.responseBodySize : 0;
    const kind = kindOf(request);
    net.inFlight--;
    net.lastActivity = Date.now();
    // With the cache off, Chromium fetches the site icon again on every
    // history.replaceState (bounce's search puts the query in the address): a reader's
    // browser would have it cached, so only its first fetch counts.
    const path = new URL(request.url()).pathname;
    if (/\/favicon\.[a-z]+$/.test(path) && net.icons.has(path)) return;
    net.icons.add(path);
    net.bytes[kind] = (net.bytes[kind] || 0) + wire;
    net.files.push([path, kind, wire]);
  });
  return net;
}

async function quiet(net) {
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    if (net.inFlight <= 0 && Date.now() - net.lastActivity >= QUIET_MS) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

// In the page: note each keydown's time, and the moment the results for `query` show.
function arm({ query, profile }) {
  const countEl = () => (profile.count ? document.querySelector(profile.count) : null);
  const stale = countEl() ? countEl().textContent : "";
  window.__bench = { lastKey: 0, shown: 0 };
  if (!window.__benchKeys) {
    window.__benchKeys = true;
    window.addEventListener("keydown", () => { window.__bench.lastKey = performance.now(); }, true);
  }
  const check = () => {
    if (window.__bench.shown) return;
    const items = [...document.querySelectorAll(profile.results)].filter((el) => el.textContent.trim());
    const text = countEl() ? countEl().textContent.trim() : "";
    if (profile.count && (text === stale || !text.includes(query) || !new RegExp(profile.done).test(text))) return;
    const m = text.match(/\d[\d,]*/);
    const count = m ? Number(m[0].replace(/,/g, "")) : profile.count ? 0 : items.length;
    if (count > 0 && items.length === 0) return;
    window.__bench.shown = performance.now();
    window.__bench.count = count;
    window.__bench.items = items.length;
    window.__bench.status = text;
    observer.disconnect();
  };
  const observer = new MutationObserver(check);
  observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
}

async function search(page, net, query) {
  await page.evaluate(arm, { query, profile });
  await page.keyboard.type(query, { delay: KEY_DELAY });
  await page.waitForFunction(() => window.__bench.shown > 0, null, { timeout: 30000, polling: 100 }).catch(async () => {
    const said = profile.count ? await page.locator(profile.count).first().textContent().catch(() => null) : null;
    throw new Error(`no results for "${query}" showed within 30 s (${profile.count || "count line"} says ${JSON.stringify(said)}; ` +
      `${profile.results} matched nothing with text?)`);
  });
  const got = await page.evaluate(() => window.__bench);
  await quiet(net);
  return { ms: Math.round(got.shown - got.lastKey), count: got.count, shown: got.items, status: got.status };
}

async function session(browser, index) {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
  if (profile.block) await context.route(profile.block, (route) => route.abort());
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  const net = watchNetwork(page);
  await page.goto(url, { waitUntil: "load" });
  await page.click(profile.input);
  const first = { query: queries[index], ...(await search(page, net, queries[index])), bytes: net.bytes, files: net.files };
  const later = [];
  for (let k = 1; k <= LATER && k < queries.length; k++) {
    const query = queries[(index + k) % queries.length];
    await page.fill(profile.input, "");
    await new Promise((r) => setTimeout(r, 700));
    await quiet(net);
    net.bytes = {};
    net.files = [];
    later.push({ query, ...(await search(page, net, query)), bytes: net.bytes, files: net.files });
  }
  await context.close();
  return { first, later };
}

const sum = (bytes) => Object.values(bytes).reduce((a, b) => a + b, 0);
const kb = (n) => (n / 1000).toFixed(1);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const started = Date.now();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const runs = [];
for (let i = 0; i < queries.length; i++) runs.push(await session(browser, i));
await browser.close();

const kinds = ["html", "css", "js", "wasm", "index", "other"];
console.log(`\n${profileName}: ${url} (CPU 4x slower, cache off; KB = 1000 bytes on the wire)\n`);
console.log(`| first query | total KB | ${kinds.join(" | ")} | ms to results | count shown |`);
console.log(`|---|---|${kinds.map(() => "---").join("|")}|---|---|`);
for (const { first } of runs) {
  const cells = kinds.map((k) => kb(first.bytes[k] || 0));
  console.log(`| ${first.query} | ${kb(sum(first.bytes))} | ${cells.join(" | ")} | ${first.ms} | ${first.count} |`);
}
console.log(`\n| later query (after) | KB added | ms to results | count shown |\n|---|---|---|---|`);
for (const { first, later } of runs) {
  for (const l of later) console.log(`| ${l.query} (${first.query}) | ${kb(sum(l.bytes))} | ${l.ms} | ${l.count} |`);
}
const firsts = runs.map((r) => r.first);
const laters = runs.flatMap((r) => r.later);
console.log(`\nmedian: first query ${kb(median(firsts.map((f) => sum(f.bytes))))} KB, ` +
  `${median(firsts.map((f) => f.ms))} ms; later query ${kb(median(laters.map((l) => sum(l.bytes))))} KB ` +
  `(max ${kb(Math.max(...laters.map((l) => sum(l.bytes))))}), ${median(laters.map((l) => l.ms))} ms; ` +
  `run took ${Math.round((Date.now() - started) / 1000)} s`);
if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify({ profile: profileName, url, runs }, null, 2));
