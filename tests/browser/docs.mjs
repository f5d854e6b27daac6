// Swagger UI at /docs, as a partner uses it, in Debian's headless Chromium driven by playwright-core:
// every family tag of /openapi.json is listed; Authorize with the demo apikey; "Try it out" → Execute on
// PAN validation and on the composite payment; each answers 200 with the expected body. Screenshots go to target/browser/.
//
//   node tests/browser/docs.mjs http://127.0.0.1:PORT
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';

const base = (process.argv[2] || process.env.SANDBANK_URL || '').replace(/\/$/, '');
if (!base) throw new Error('usage: node docs.mjs BASE_URL');
const apikey = process.env.APIKEY || 'sandbank-demo-key';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const shots = join(root, 'target', 'browser');
mkdirSync(shots, { recursive: true });
const executablePath = process.env.CHROMIUM || execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();

const spec = await (await fetch(`${base}/openapi.json`)).json();

/** An operation's block in Swagger UI, found by method and path (its DOM id escapes tag names). */
const opBlock = (page, method, path) =>
  page.locator(`.opblock.opblock-${method}`).filter({ has: page.locator(`.opblock-summary-path[data-path="${path}"]`) }).first();

function operations() {
  const ops = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) ops.push({ path, method, op, tag: op.tags?.[0] });
  }
  return ops;
}

function pick() {
  const ops = operations();
  const find = (path) => ops.find((o) => o.path === path) || (() => { throw new Error(`no ${path} in the spec`); })();
  return [
    { ...find('/api/v0/panValidation'), expect: (b) => b.status === 1 && b.data?.PAN === 'ABCPE1234F' && b.data?.FirstName === 'Rahul' },
    // The composite payment's example is an IMPS to a fixture beneficiary: paid at once, with a 12-digit RRN.
    { ...find('/api/v1/composite-payment'), expect: (b) => b.ActCode === '0' && b.Response === 'Transaction Successful' && /^[0-9]{12}$/.test(b.BankRRN) },
  ];
}

/** Values for parameters the spec gives no example of, as the catalogue uses them. */
const KNOWN = { 'x-priority': '0100', merchantId: '400000', subMerchantId: '400000', terminalId: '5411', ifsc: 'ICIC0000004' };

/** An example value for a parameter, from the spec (else the catalogue's demo value). */
function exampleFor(param) {
  const s = param.schema || {};
  return param.example ?? s.example ?? s.default ?? s.enum?.[0] ?? KNOWN[param.name];
}

const flags = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];
const userDataDir = mkdtempSync(join(tmpdir(), 'sandbank-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath, headless: true, args: flags, viewport: { width: 1280, height: 1600 },
});
let failed = false;
const page = context.pages()[0] || (await context.newPage());
try {
  await page.goto(`${base}/docs`, { waitUntil: 'load' });
  await page.waitForSelector('.opblock-tag', { timeout: 30_000 });

  // Every family tag is listed.
  const shown = await page.$$eval('.opblock-tag', (els) => els.map((e) => e.getAttribute('data-tag')));
  const wanted = (spec.tags || []).map((t) => t.name);
  const missing = wanted.filter((t) => !shown.includes(t));
  if (missing.length) throw new Error(`tags missing from /docs: ${missing.join(', ')} (shown: ${shown.join(', ')})`);
  console.log(`ok: ${wanted.length} tags listed: ${wanted.join(', ')}`);

  // Authorize with the demo apikey.
  await page.click('.auth-wrapper button.authorize');
  const modal = page.locator('.modal-ux');
  await modal.locator('input').first().fill(apikey);
  await modal.locator('button.authorize').first().click();
  await modal.locator('button.btn-done, button.close-modal').first().click();
  console.log('ok: authorized with the demo apikey');

  for (const target of pick()) {
    const block = opBlock(page, target.method, target.path);
    await block.scrollIntoViewIfNeeded();
    await block.locator('.opblock-summary').first().click();
    await block.locator('button.try-out__btn').click();
    for (const param of target.op.parameters || []) {
      const input = block.locator(`tr[data-param-name="${param.name}"] input`).first();
      if (!(await input.count())) continue;
      const value = target.params?.[param.name] ?? exampleFor(param);
      if (value !== undefined && !(await input.inputValue())) await input.fill(String(value));
    }
    await block.locator('button.execute').click();
    const status = block.locator('.live-responses-table .response .response-col_status').first();
    await status.waitFor({ timeout: 15_000 });
    const code = (await status.innerText()).trim();
    const text = await block.locator('.live-responses-table .response-col_description pre.microlight, .live-responses-table .response-col_description pre').first().innerText();
    let body;
    try { body = JSON.parse(text); } catch { body = text; }
    await block.screenshot({ path: join(shots, `${target.op.operationId}.png`) });
    if (code !== '200' || !target.expect(body)) {
      throw new Error(`${target.method.toUpperCase()} ${target.path}: got ${code} ${text.slice(0, 500)}`);
    }
    console.log(`ok: ${target.method.toUpperCase()} ${target.path} → 200 ${text.replace(/\s+/g, ' ').slice(0, 120)}`);
  }
} catch (err) {
  failed = true;
  console.error(`FAIL: ${err.message}`);
} finally {
  await page.screenshot({ path: join(shots, 'docs.png'), fullPage: true }).catch(() => {});
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
console.log(`screenshots in ${shots}`);
process.exit(failed ? 1 : 0);
