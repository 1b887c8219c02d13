// Full-page screenshots of some pages of a built site at phone and desktop
// widths, for looking at a theme change before and after. Run by
// scripts/screens.sh, which serves the output. Not part of `cargo test`.
//
// Usage: node screens.mjs BASE_URL SAVE_DIR PAGE...   (PAGE: name=path, path
// relative to the base URL, e.g. home= or partners=partners/)
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const [base, saveDir, ...pages] = process.argv.slice(2);
mkdirSync(saveDir, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
for (const width of [375, 1280]) {
  const page = await browser.newPage({ viewport: { width, height: 800 } });
  for (const spec of pages) {
    // At the first `=` only: the path may have a query (`search=search/?q=x`).
    const at = spec.indexOf("=");
    const [name, path] = [spec.slice(0, at), spec.slice(at + 1)];
    await page.goto(base + path, { waitUntil: "networkidle" });
    // Where the page's h1 and its first list start: what the reader scrolls past.
    const where = await page.evaluate(() => {
      const top = (sel) => {
        const el = document.querySelector(sel);
        return el ? Math.round(el.getBoundingClientRect().top + window.scrollY) : null;
      };
      return { h1: top("h1"), firstListing: top("main .listing, main .doc-list, main .ways") };
    });
    const file = `${saveDir}/${name}-${width}.png`;
    await page.screenshot({ path: file, fullPage: true });
    // The first screenful, which a full page of a phone is too long to show.
    await page.screenshot({ path: file.replace(/\.png$/, "-top.png") });
    console.log(`${file}: h1 at ${where.h1}px, first listing at ${where.firstListing}px`);
  }
  await page.close();
}
await browser.close();
