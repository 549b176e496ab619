// Builds the council-branded GOV.UK Frontend assets into accord/web/static/build/ (`npm run build`).
//
// The compiled CSS is checked afterwards: it must not name the GDS Transport font, and every
// url() in it must point at a file that is actually served, so a missing image or font is a
// build failure rather than a 404 in someone's browser.
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "accord/web/assets/scss/accord.scss");
const out = join(root, "accord/web/static/build");
const govuk = join(root, "node_modules/govuk-frontend/dist/govuk");

mkdirSync(out, { recursive: true });

const result = sass.compile(source, {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
});
const css = result.css;

const problems = [];
if (/GDS Transport/i.test(css)) problems.push("the CSS names the GDS Transport font");
if (/@font-face/.test(css)) problems.push("the CSS declares a web font; Arial needs none");
for (const [, raw] of css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) {
  if (raw.startsWith("data:") || raw.startsWith("#")) continue;
  if (!existsSync(resolve(out, raw))) problems.push(`url(${raw}) does not resolve to a served file`);
}
if (problems.length) {
  console.error(`build-assets: ${problems.join("; ")}`);
  process.exit(1);
}

writeFileSync(join(out, "accord.css"), css);
for (const name of ["govuk-frontend.min.js", "govuk-frontend.min.js.map"]) {
  copyFileSync(join(govuk, name), join(out, name));
}
console.log(`build-assets: wrote ${css.length} bytes of CSS and GOV.UK Frontend JS to accord/web/static/build`);
