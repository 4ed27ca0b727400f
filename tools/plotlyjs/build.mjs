// Build the report's plotly.js: the npm plotly.js core plus only the trace modules named on the
// command line, bundled and minified with esbuild. Run by `make plotlyjs`; node is needed for
// this step only. Usage:
//   node build.mjs OUT_DIR PLOTLYJS_VERSION TRACE [TRACE ...]
// Writes OUT_DIR/plotly.min.js, OUT_DIR/LICENSES.txt (plotly.js and every bundled package) and
// OUT_DIR/bundle.json (version, traces, size, sha256). Same inputs, same bytes.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const [outArg, wantedVersion, ...traceArgs] = process.argv.slice(2);
if (!outArg || !wantedVersion || traceArgs.length === 0) {
  console.error("usage: node build.mjs OUT_DIR PLOTLYJS_VERSION TRACE [TRACE ...]");
  process.exit(2);
}
const outDir = resolve(outArg);
const plotlyDir = join(here, "node_modules", "plotly.js");
const readJson = (path) => JSON.parse(readFileSync(path, "utf8"));
const plotlyPackage = readJson(join(plotlyDir, "package.json"));
if (plotlyPackage.version !== wantedVersion) {
  console.error(
    `npm plotly.js is ${plotlyPackage.version} but the plotly Python package bundles ` +
      `${wantedVersion}: run  cd tools/plotlyjs && npm install --save-exact plotly.js@${wantedVersion}`,
  );
  process.exit(1);
}
// scatter is part of plotly.js core; register it explicitly anyway (CUSTOM_BUNDLE.md advises it).
const traces = [...new Set(["scatter", ...traceArgs])].sort();
for (const trace of traces) {
  if (!/^[a-z0-9]+$/.test(trace) || !readdirSync(join(plotlyDir, "lib")).includes(`${trace}.js`)) {
    console.error(`plotly.js ${wantedVersion} has no trace module lib/${trace}.js`);
    process.exit(1);
  }
}

// The only stylesheet plotly.js imports is maplibre's, for the tile-map traces; the bundle has no
// CSS loader, so refuse those traces rather than ship them unstyled.
const tileMapTraces = ["scattermap", "choroplethmap", "densitymap"];
const unstyled = traces.filter((t) => tileMapTraces.includes(t));
if (unstyled.length) {
  console.error(`tile-map traces (${unstyled.join(", ")}) need maplibre's CSS: not supported here`);
  process.exit(1);
}

const entry = [
  'var Plotly = require("plotly.js/lib/core");',
  `Plotly.register([${traces.map((t) => `require("plotly.js/lib/${t}")`).join(", ")}]);`,
  "module.exports = Plotly;",
].join("\n");
const copyright = readFileSync(join(plotlyDir, "LICENSE"), "utf8").match(/Copyright[^\n]*/)[0];
const banner =
  `/*! plotly.js v${wantedVersion} (ziyang bundle: ${traces.join(", ")}) | ${copyright} | ` +
  "MIT license; licences of the bundled packages: LICENSES.txt */";

const result = await esbuild.build({
  absWorkingDir: here,
  stdin: { contents: entry, resolveDir: here, sourcefile: "ziyang-plotly-entry.js" },
  bundle: true,
  minify: true,
  format: "iife",
  globalName: "Plotly",
  target: "es2016",
  define: { global: "window", "define.amd": "false" },
  loader: { ".css": "empty" },
  legalComments: "none",
  banner: { js: banner },
  metafile: true,
  write: false,
  logLevel: "warning",
});
const code = result.outputFiles[0].contents;
if (Buffer.from(code).toString("utf8").toLowerCase().includes("</script")) {
  console.error("the bundle contains '</script' and could not be inlined in a page");
  process.exit(1);
}

// Licences: plotly.js first, then every other package whose files went into the bundle.
const packages = new Set();
for (const output of Object.values(result.metafile.outputs)) {
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const match = input.match(/^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//);
    // the stylesheet is loaded as an empty module (see above): no code of its package is shipped
    if (match && bytesInOutput > 0 && !input.endsWith(".css")) packages.add(match[1]);
  }
}
const licenceText = (dir) => {
  const name = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  return name ? readFileSync(join(dir, name), "utf8").trim() : null;
};
const sections = [];
const bundled = [];
const manifests = new Map(); // name@version -> [dir, package.json] (nested copies once)
for (const rel of [...packages].sort()) {
  const pkg = readJson(join(here, rel, "package.json"));
  manifests.set(`${pkg.name}@${pkg.version}`, [join(here, rel), pkg]);
}
for (const key of [...manifests.keys()].sort()) {
  const [dir, pkg] = manifests.get(key);
  const text = licenceText(dir);
  bundled.push({ name: pkg.name, version: pkg.version, license: pkg.license ?? null });
  const body = text ?? `(no licence file in the package; package.json says: ${pkg.license})`;
  const section = `${pkg.name} ${pkg.version} (${pkg.license ?? "licence not declared"})\n\n${body}`;
  if (pkg.name === "plotly.js") sections.unshift(section);
  else sections.push(section);
}
const rule = `\n\n${"-".repeat(72)}\n\n`;
const licences =
  "Licences of the packages bundled in plotly.min.js (built by tools/plotlyjs/build.mjs).\n\n" +
  sections.join(rule) +
  "\n";

const esbuildVersion = readJson(join(here, "node_modules", "esbuild", "package.json")).version;
const info = {
  file: "plotly.min.js",
  plotlyjs_version: wantedVersion,
  traces,
  bytes: code.length,
  sha256: createHash("sha256").update(code).digest("hex"),
  bundler: `esbuild ${esbuildVersion}`,
  rebuild: "make plotlyjs",
  packages: bundled,
};
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "plotly.min.js"), code);
writeFileSync(join(outDir, "LICENSES.txt"), licences);
writeFileSync(join(outDir, "bundle.json"), `${JSON.stringify(info, null, 1)}\n`);
console.log(
  `plotly.js ${wantedVersion} [${traces.join(" ")}]: ${(code.length / 1e6).toFixed(2)} MB, ` +
    `sha256 ${info.sha256} -> ${join(outArg, "plotly.min.js")}`,
);
