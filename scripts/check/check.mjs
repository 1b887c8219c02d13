// Checks a built bounce site: axe-core (WCAG 2.x A and AA) in headless Chromium
// on every page, and internal links and #fragments. Run by scripts/check-output.sh,
// which also runs the Nu HTML Checker. Not part of `cargo test`.
//
// Usage: node check.mjs OUTPUT_DIR BASE_PATH PORT
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const [outDir, basePath, port] = process.argv.slice(2);
const skipAxe = process.env.SKIP_AXE === "1";

function htmlFiles(dir) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...htmlFiles(path));
    else if (name.endsWith(".html")) found.push(path);
  }
  return found;
}

const files = htmlFiles(outDir);
const isRedirect = (text) => /http-equiv="refresh"/i.test(text);

// ---- links and fragments ----
const idsCache = new Map();
function idsOf(file) {
  if (!idsCache.has(file)) {
    const text = readFileSync(file, "utf8");
    const ids = new Set();
    for (const m of text.matchAll(/\sid="([^"]*)"/g)) ids.add(m[1]);
    for (const m of text.matchAll(/<a\s[^>]*name="([^"]*)"/g)) ids.add(m[1]);
    idsCache.set(file, ids);
  }
  return idsCache.get(file);
}

function decodeEntities(s) {
  return s.replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">");
}

// The file a root-relative path maps to, or null.
function fileFor(path) {
  if (!path.startsWith(basePath)) return null;
  let rel = decodeURIComponent(path.slice(basePath.length));
  let candidate = join(outDir, rel);
  if (rel === "" || rel.endsWith("/")) candidate = join(candidate, "index.html");
  if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  return null;
}

const origin = new URL(`http://127.0.0.1:${port}/`);
const broken = [];
let checkedLinks = 0;
for (const file of files) {
  const text = readFileSync(file, "utf8");
  const rel = relative(outDir, file).split("\\").join("/");
  const pageUrl = new URL(basePath + rel.replace(/(^|\/)index\.html$/, "$1"), origin);
  for (const m of text.matchAll(/\s(href|src|action)="([^"]*)"/g)) {
    const raw = decodeEntities(m[2]);
    if (/^(mailto:|tel:|data:|javascript:)/i.test(raw)) continue;
    if (/^[a-z][a-z0-9+.-]*:/i.test(raw) || raw.startsWith("//")) continue; // external
    checkedLinks++;
    const url = new URL(raw, pageUrl);
    const target = fileFor(url.pathname);
    if (!target) {
      broken.push(`${rel}: broken link ${raw}`);
      continue;
    }
    if (url.hash && url.hash !== "#") {
      const id = decodeURIComponent(url.hash.slice(1));
      if (target.endsWith(".html") && !idsOf(target).has(id)) {
        broken.push(`${rel}: broken fragment ${raw}`);
      }
    }
  }
}
for (const b of broken) console.log(`link: ${b}`);
console.log(`links: ${checkedLinks} internal links in ${files.length} files, ${broken.length} broken`);

// ---- axe-core ----
let violations = 0;
let nodes = 0;
if (!skipAxe) {
  const { chromium } = require("playwright-core");
  const axePath = require.resolve("axe-core/axe.min.js");
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  // Phones and desktops lay pages out differently (targets, reflow, contrast
  // of what moves), so every page is checked at both widths.
  const widths = [1280, 375];
  let pages = 0;
  for (const width of widths) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      if (isRedirect(text)) continue; // a redirect leaves at once; vnu checks it
      let rel = relative(outDir, file).split("\\").join("/");
      let url = `http://127.0.0.1:${port}${basePath}${rel}`;
      await page.goto(url, { waitUntil: "load" });
      await check(page, rel, width);
      // The search page again with results, filters and snippets showing:
      // a query of the first long word of the home page's title.
      if (rel !== "search/index.html") continue;
      const home = readFileSync(join(outDir, "index.html"), "utf8");
      const title = (home.match(/<title>([^<]*)</) || ["", ""])[1];
      const word = (title.match(/[A-Za-z]{4,}/) || ["school"])[0];
      rel = `search/?q=${word}`;
      url = `http://127.0.0.1:${port}${basePath}${rel}`;
      await page.goto(url, { waitUntil: "networkidle" });
      await check(page, rel, width);
    }
    await page.close();
  }
  await browser.close();
  console.log(`axe: ${pages / widths.length} pages at ${widths.join(" and ")} px wide, ${violations} violations (${nodes} elements)`);

  async function check(page, rel, width) {
    await page.addScriptTag({ path: axePath });
    const result = await page.evaluate(() =>
      // eslint-disable-next-line no-undef
      axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
      }));
    pages++;
    for (const v of result.violations) {
      violations++;
      nodes += v.nodes.length;
      console.log(`axe: ${rel} at ${width}px: ${v.id} (${v.impact}): ${v.help} — ${v.nodes.length} element(s)`);
      for (const n of v.nodes.slice(0, 3)) console.log(`       ${n.target.join(" ")}: ${n.failureSummary.replace(/\s+/g, " ").slice(0, 200)}`);
    }
  }
}
process.exitCode = broken.length + violations > 0 ? 1 : 0;
