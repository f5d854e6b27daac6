// The reference pages as a partner uses them, in Debian's headless Chromium driven by playwright-core:
//
// - Swagger UI at /docs lists every family tag in order, has the filter box, keeps the authorisation
//   across a reload and opens an operation from its deep link;
// - "Try it out" → Execute on EVERY operation, with the values Swagger UI pre-fills, in the order the
//   docs list them, on the fresh server this script is given: each answers 2xx. An operation with
//   several named request examples is executed once per example; `DELETE /sandbox/apps/me` runs
//   authorised as the app `POST /sandbox/apps` just created (the demo app cannot be disabled);
// - Redoc at /redoc renders the same document;
// - the time Swagger UI takes to render every operation, printed (measured, not asserted).
//
//   node tests/browser/docs.mjs http://127.0.0.1:PORT        (screenshots in target/browser/)
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

/** Every operation in the order Swagger UI lists them: by tag in the document's order, then path order. */
function operationsInDocsOrder() {
  const ops = [];
  for (const { name } of spec.tags) {
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (op.tags?.[0] === name) ops.push({ path, method, op });
      }
    }
  }
  return ops;
}

/** The named request-body examples of an operation, or `[null]` for its single example. */
function bodyExamples(op) {
  const media = Object.values(op.requestBody?.content || {})[0];
  return media?.examples ? Object.keys(media.examples) : [null];
}

/** An operation's block in Swagger UI, found by method and path (its DOM id escapes tag names). */
const opBlock = (page, method, path) =>
  page.locator(`.opblock.opblock-${method}`).filter({ has: page.locator(`.opblock-summary-path[data-path="${path}"]`) }).first();

const flags = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];

/** Authorises Swagger UI with an apikey (logging out of the one before). */
async function authorize(page, key) {
  await page.click('.auth-wrapper button.authorize');
  const modal = page.locator('.modal-ux');
  await modal.waitFor();
  const logout = modal.locator('button:has-text("Logout")');
  if (await logout.count()) await logout.first().click();
  await modal.locator('input').first().fill(key);
  await modal.locator('button.authorize').first().click();
  await modal.locator('button.btn-done, button.close-modal').first().click();
}

/** "Try it out" → Execute on one operation (once per named example); returns the answers. */
async function execute(page, { path, method, op }) {
  const block = opBlock(page, method, path);
  await block.scrollIntoViewIfNeeded();
  if (!(await block.locator('.opblock-body').count())) await block.locator('.opblock-summary').first().click();
  const tryOut = block.locator('button.try-out__btn');
  if ((await tryOut.innerText()).trim() === 'Try it out') await tryOut.click();
  const answers = [];
  for (const example of bodyExamples(op)) {
    if (example) await block.locator('.opblock-section-request-body select.examples-select-element').first().selectOption(example);
    await block.locator('button.execute').click();
    const status = block.locator('.live-responses-table .response .response-col_status').first();
    await status.waitFor({ timeout: 15_000 });
    const code = (await status.innerText()).trim();
    const text = await block.locator('.live-responses-table .response-col_description pre').first().innerText();
    answers.push({ example, code, text });
    // The next example's answer replaces this one: clear it so that the wait above sees the new one.
    const clear = block.locator('button.btn-clear');
    if (await clear.count()) await clear.first().click();
  }
  // Closed again: every open operation (its editors, its answer) slows each later render of the page.
  await block.locator('.opblock-summary').first().click();
  await block.locator('.opblock-body').waitFor({ state: 'detached', timeout: 15_000 }).catch(() => {});
  return answers;
}

async function renderTime(context) {
  const page = await context.newPage();
  const started = Date.now();
  await page.goto(`${base}/docs`, { waitUntil: 'commit' });
  const count = Object.values(spec.paths).reduce((n, item) => n + Object.keys(item).length, 0);
  await page.waitForFunction((n) => document.querySelectorAll('.opblock').length >= n, count, { timeout: 60_000, polling: 10 });
  const ms = Date.now() - started;
  await page.close();
  return { ms, count };
}

const userDataDir = mkdtempSync(join(tmpdir(), 'sandbank-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath, headless: true, args: flags, viewport: { width: 1280, height: 1600 },
});
let failed = false;
const page = context.pages()[0] || (await context.newPage());
try {
  const { ms, count } = await renderTime(context);
  console.log(`Swagger UI rendered all ${count} operations in ${ms} ms (first load, cold cache)`);

  await page.goto(`${base}/docs`, { waitUntil: 'load' });
  await page.waitForSelector('.opblock-tag', { timeout: 30_000 });

  // Every family tag is listed, in the document's order.
  const shown = await page.$$eval('.opblock-tag', (els) => els.map((e) => e.getAttribute('data-tag')));
  const wanted = spec.tags.map((t) => t.name);
  if (JSON.stringify(shown) !== JSON.stringify(wanted)) throw new Error(`tags on /docs: ${shown.join(', ')}; document: ${wanted.join(', ')}`);
  console.log(`ok: ${wanted.length} tags listed in order: ${wanted.join(', ')}`);

  // The filter box narrows the list.
  await page.fill('.operation-filter-input', 'Auto Loan');
  await page.waitForFunction(() => document.querySelectorAll('.opblock-tag').length === 1);
  await page.fill('.operation-filter-input', '');
  await page.waitForFunction((n) => document.querySelectorAll('.opblock-tag').length === n, wanted.length);
  console.log('ok: the filter box narrows the operations');

  // Authorisation outlives a reload (persistAuthorization).
  await authorize(page, apikey);
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('.opblock-tag');
  if (!(await page.locator('.auth-wrapper button.authorize.locked').count())) throw new Error('the authorisation did not survive a reload');
  console.log('ok: authorised with the demo apikey, still authorised after a reload');

  // Opening an operation writes its deep link; a fresh page at that link opens the operation.
  const pan = opBlock(page, 'post', '/api/v0/panValidation');
  await pan.locator('.opblock-summary').first().click();
  await pan.locator('.opblock-body').waitFor();
  const link = page.url();
  if (!link.includes('#/')) throw new Error(`no deep link in the address: ${link}`);
  await page.goto('about:blank');
  await page.goto(link, { waitUntil: 'load' });
  await opBlock(page, 'post', '/api/v0/panValidation').locator('.opblock-body').waitFor({ timeout: 15_000 });
  console.log(`ok: the deep link ${link.slice(base.length)} opens its operation`);

  // Every operation, as pre-filled, in docs order — on the demo app's clock frozen where the clock
  // operation's own example freezes it, as the docs' walk-through does: on a running clock, pending
  // objects (a collect waiting for its payer) settle on their own while the page is worked through.
  const clockExample = spec.components.schemas.ClockRequest.example;
  const frozen = await fetch(`${base}/sandbox/clock`, {
    method: 'POST', headers: { apikey, 'content-type': 'application/json' }, body: JSON.stringify(clockExample),
  });
  if (!frozen.ok) throw new Error(`freezing the clock answered ${frozen.status}`);
  let created = null;
  let executed = 0;
  for (const target of operationsInDocsOrder()) {
    const label = `${target.method.toUpperCase()} ${target.path} (${target.op.operationId})`;
    const asCreated = target.op.operationId === 'disableApp' && created;
    if (asCreated) await authorize(page, created);
    const answers = await execute(page, target);
    if (asCreated) await authorize(page, apikey);
    for (const { example, code, text } of answers) {
      executed += 1;
      const what = example ? `${label} [${example}]` : label;
      if (!/^2\d\d$/.test(code)) {
        await opBlock(page, target.method, target.path).screenshot({ path: join(shots, `${target.op.operationId}.png`) }).catch(() => {});
        throw new Error(`${what} answered ${code}: ${text.slice(0, 500)}`);
      }
      if (target.op.operationId === 'createApp') created = JSON.parse(text).apikey;
      console.log(`ok: ${what} → ${code}`);
    }
  }
  console.log(`ok: all ${executed} executions answered 2xx`);

  // Redoc renders the same document.
  await page.goto(`${base}/redoc`, { waitUntil: 'load' });
  await page.waitForSelector('[data-section-id^="operation/"]', { timeout: 60_000 });
  const sections = await page.$$eval('[data-section-id^="operation/"]', (els) => els.length);
  const total = Object.values(spec.paths).reduce((n, item) => n + Object.keys(item).length, 0);
  if (sections < total) throw new Error(`Redoc shows ${sections} of ${total} operations`);
  console.log(`ok: Redoc at /redoc shows all ${total} operations`);
} catch (err) {
  failed = true;
  console.error(`FAIL: ${err.message}`);
} finally {
  await page.screenshot({ path: join(shots, 'docs.png'), fullPage: false }).catch(() => {});
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
console.log(`screenshots in ${shots}`);
process.exit(failed ? 1 : 0);
