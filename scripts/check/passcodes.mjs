// The passcode form of the example site in headless Chromium, as a reader
// uses it: a wrong passcode, the right one, the download's bytes against the
// source file, a second resource of the group opening without asking,
// "Forget passcode", the page without JavaScript, and axe on the unlocked
// page. Run by scripts/check-passcodes.sh; not part of `cargo test`.
//
// Usage: node passcodes.mjs SITE_ROOT BASE_PATH PORT SCREENSHOT_DIR
// with the passcode in $SCHOOLS_PASSCODE.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const [root, basePath, port, shots] = process.argv.slice(2);
const passcode = process.env.SCHOOLS_PASSCODE;
const site = `http://127.0.0.1:${port}${basePath}`;
const first = `${site}resources/bounce-forward-lesson-material/`;
const second = `${site}resources/bounce-forward-problem-solving-lesson/`;
let failures = 0;

function check(ok, what) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures++;
}

async function downloaded(page, locator, source) {
  const [download] = await Promise.all([page.waitForEvent("download"), locator.click()]);
  const bytes = readFileSync(await download.path());
  const expected = readFileSync(join(root, "content/resources", source));
  check(download.suggestedFilename() === source, `the download is named ${source}`);
  check(Buffer.compare(bytes, expected) === 0, `${source}: the download's ${bytes.length} bytes equal the source file's`);
}

async function axe(page, what) {
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } }));
  for (const v of result.violations) console.log(`     axe: ${v.id}: ${v.help}`);
  check(result.violations.length === 0, `axe: no violations ${what}`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
for (const width of [375, 1280]) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(first);
  const form = page.locator("[data-passcode-form]");
  const body = page.locator("[data-passcode-body]");
  check(await form.isVisible(), `${width}px: the form shows`);
  await page.screenshot({ path: join(shots, `locked-${width}.png`), fullPage: true });
  await page.getByLabel("Passcode", { exact: true }).fill("not the passcode");
  await page.getByRole("button", { name: "Unlock" }).click();
  await page.getByText("That passcode did not work").waitFor();
  check(await page.locator("#passcode").getAttribute("aria-invalid") === "true", "a wrong passcode marks the field");
  check(await page.locator("#passcode-error").getAttribute("aria-live") === "assertive", "and is announced");
  check(!(await body.isVisible()) && (await body.innerHTML()) === "", "and nothing opens");
  await page.screenshot({ path: join(shots, `wrong-${width}.png`), fullPage: true });
  await page.getByLabel("Passcode", { exact: true }).fill(passcode);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Lesson 1: noticing thoughts and feelings" }).waitFor();
  check(!(await form.isVisible()), "the right passcode opens the body in place of the form");
  check(await page.evaluate(() => document.activeElement.matches("[data-passcode-unlocked]")), "focus moves to the opened material");
  await page.screenshot({ path: join(shots, `unlocked-${width}.png`), fullPage: true });
  await axe(page, `on the unlocked page at ${width}px`);
  await downloaded(page, page.getByRole("link", { name: /^Download Bounce Forward example lesson material \(PDF, / }), "bounce-forward-lesson-1.pdf");
  await downloaded(page, page.getByRole("link", { name: /thought catching worksheet/ }), "thought-catching-worksheet.pdf");

  await page.goto(second);
  await page.getByRole("heading", { name: "The activity" }).waitFor();
  check(!(await form.isVisible()), "a second resource of the group opens without asking");
  await downloaded(page, page.getByRole("link", { name: /^Download Bounce Forward problem-solving lesson \(PDF, / }), "bounce-forward-lesson-2.pdf");
  await page.getByRole("button", { name: "Forget passcode" }).click();
  await page.waitForLoadState("load");
  await form.waitFor();
  check(await form.isVisible() && !(await body.isVisible()), "\"Forget passcode\" locks it again");
  await page.goto(first);
  await form.waitFor();
  check(await form.isVisible(), "and the group's other pages ask again");
  await context.close();
}
const noScript = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 900 } });
const page = await noScript.newPage();
await page.goto(first);
const text = await page.locator("main").innerText();
check(text.includes("needs JavaScript as well as the passcode"), "without JavaScript the page says it needs JavaScript and a passcode");
check(text.includes("healthyschools@council.example"), "and how to get one");
check(!(await page.locator("[data-passcode-form]").isVisible()), "and shows no form that cannot work");
await page.screenshot({ path: join(shots, "no-javascript-375.png"), fullPage: true });
await browser.close();
console.log(`passcodes: ${failures} failed`);
process.exitCode = failures > 0 ? 1 : 0;
