#!/usr/bin/env node
/*
 * Builds dist/ only when the sources changed since the last build, so a second `npm start` on an
 * unchanged tree serves in seconds. Plain JavaScript on purpose: it runs before anything is compiled.
 *
 * - Nothing newer than dist/.build-stamp: no compile at all (a directory walk, a few milliseconds).
 * - Stale and @swc/core installed (any `npm install`): transpile only the changed files with swc
 *   (the same compiler jest uses); type checking stays in `npm run typecheck` / `npm test`.
 * - Stale and no swc (a production install): `tsc -p tsconfig.build.json`, incremental.
 * `--tsc` forces the type-checking tsc build (the Dockerfile uses `npm run build`, which is tsc).
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const stampFile = path.join(dist, '.build-stamp');
// What tsconfig.build.json compiles, plus test/support which bench imports.
const SOURCE_DIRS = ['src', 'bench', 'test/support'];
const CONFIG_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json', 'scripts/build-if-stale.js'];

function walk(dir, out) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.isFile() && full.endsWith('.ts') && !full.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function sources() {
  const files = [];
  for (const dir of SOURCE_DIRS) walk(path.join(root, dir), files);
  return files;
}

function outputFor(file) {
  return path.join(dist, path.relative(root, file)).replace(/\.ts$/, '.js');
}

function buildWithTsc() {
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  return result.status === 0;
}

function loadSwc() {
  try {
    return require(require.resolve('@swc/core', { paths: [root] }));
  } catch {
    return null;
  }
}

function buildWithSwc(swc, files, since) {
  const options = {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: true,
  };
  let built = 0;
  for (const file of files) {
    const out = outputFor(file);
    if (mtime(file) <= since && mtime(out) >= mtime(file)) continue;
    const result = swc.transformFileSync(file, { ...options, filename: file, sourceFileName: path.relative(path.dirname(out), file) });
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${result.code}\n//# sourceMappingURL=${path.basename(out)}.map\n`);
    if (result.map) fs.writeFileSync(`${out}.map`, result.map);
    built += 1;
  }
  return built;
}

function main() {
  const forceTsc = process.argv.includes('--tsc');
  const files = sources();
  const stamp = mtime(stampFile);
  const newest = Math.max(...files.map(mtime), ...CONFIG_FILES.map((f) => mtime(path.join(root, f))));
  const stale = forceTsc || stamp === 0 || newest > stamp || !fs.existsSync(path.join(dist, 'src', 'server.js'));
  if (!stale) return;

  const started = Date.now();
  const swc = forceTsc ? null : loadSwc();
  let how;
  if (swc) {
    // A changed config invalidates every output; otherwise only files newer than the last build.
    const configChanged = CONFIG_FILES.some((f) => mtime(path.join(root, f)) > stamp);
    const count = buildWithSwc(swc, files, configChanged ? 0 : stamp);
    how = `swc, ${count} file(s)`;
  } else {
    if (!buildWithTsc()) process.exit(1);
    how = 'tsc';
  }
  fs.mkdirSync(dist, { recursive: true });
  fs.writeFileSync(stampFile, `${new Date(started).toISOString()}\n`);
  // The stamp is the time the build began: a file saved during the build is seen as changed next time.
  fs.utimesSync(stampFile, started / 1000, started / 1000);
  process.stderr.write(`Built dist/ (${how}) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

main();
