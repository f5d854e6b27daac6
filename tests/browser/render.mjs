// Swagger UI's time to render every operation of /openapi.json in headless Chromium: from navigation
// start until every operation's block is in the DOM. Median of RUNS (default 5) fresh page loads.
//
//   node tests/browser/render.mjs http://127.0.0.1:PORT
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';

const base = (process.argv[2] || process.env.SANDBANK_URL || '').replace(/\/$/, '');
if (!base) throw new Error('usage: node render.mjs BASE_URL');
const runs = Number(process.env.RUNS || 5);
const executablePath = process.env.CHROMIUM || execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
const spec = await (await fetch(`${base}/openapi.json`)).json();
const operations = Object.values(spec.paths).reduce((n, item) => n + Object.keys(item).length, 0);

const userDataDir = mkdtempSync(join(tmpdir(), 'sandbank-render-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath, headless: true, viewport: { width: 1280, height: 1600 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
const times = [];
try {
  for (let i = 0; i < runs; i++) {
    const page = await context.newPage();
    await page.route('**/*', (route) => route.continue());
    const started = Date.now();
    await page.goto(`${base}/docs`, { waitUntil: 'commit' });
    await page.waitForFunction((n) => document.querySelectorAll('.opblock').length >= n, operations, { timeout: 60_000, polling: 10 });
    times.push(Date.now() - started);
    await page.close();
  }
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
times.sort((a, b) => a - b);
console.log(`Swagger UI rendered ${operations} operations in ${times[Math.floor(times.length / 2)]} ms (median of ${runs}: ${times.join(', ')} ms)`);
