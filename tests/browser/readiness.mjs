// The readiness page as a person opens it, in Debian's headless Chromium driven by playwright-core: a
// new app runs a partner flow over HTTP (some items proven, one payment re-sent under a new UNIQUEID
// after a timeout, the rest left) and drills two callback receivers on loopback — first one built on
// the Node `verify` of docs/readiness.md (taken from the page itself, so the documented snippet is
// the tested one), which passes every case, then a naive one, which fails the duplicate and the
// tampered callback — then its report's `html` link (view token, no apikey) is opened. The rendered
// page must show the same grades as the JSON report: a section and a progress bar per family (the
// callback receiver's included), each item's state, the verdict. Saves target/browser/readiness.png
// (the whole page), readiness-overview.png (the per-family view a person sees first),
// readiness-cash-management.png, readiness-callbacks.png, readiness.json and readiness.junit.xml
// (for the JUnit parser check in CI).
//
//   node tests/browser/readiness.mjs http://127.0.0.1:PORT
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';

const base = (process.argv[2] || process.env.SANDBANK_URL || '').replace(/\/$/, '');
if (!base) throw new Error('usage: node readiness.mjs BASE_URL');
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const out = join(root, 'target', 'browser');
mkdirSync(out, { recursive: true });
const executablePath = process.env.CHROMIUM || execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();

async function call(method, path, { apikey, body, headers = {} } = {}) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(apikey ? { apikey } : {}), ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let json;
  try { json = JSON.parse(text); } catch { json = text; }
  return { status: response.status, json, text };
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

const identity = { AGGRID: 'SANDAGGR1', CORPID: 'SANDCORP1', USERID: 'SANDUSER1', URN: 'SANDURN0001' };
const payment = (UNIQUEID, AMOUNT) => ({
  ...identity, AGGRNAME: 'SANDBANK', UNIQUEID, AMOUNT, DEBITACC: '000405000001', CREDITACC: '000405009999',
  IFSC: 'ICIC0000004', CURRENCY: 'INR', TXNTYPE: 'TPA', PAYEENAME: 'Ravi Kumar', REMARKS: 'Invoice 42', WORKFLOW_REQD: 'N',
});

/** The partner flow: returns the app's key. */
async function flow() {
  const created = await call('POST', '/sandbox/apps', { body: { name: 'browser readiness', plan: 'premium' } });
  expect(created.status === 201, `app creation: ${created.text}`);
  const { apikey } = created.json;
  const post = (path, body, headers) => call('POST', path, { apikey, body, headers });
  await post('/sandbox/clock', { freeze: '2026-04-01T10:00:00+05:30' });
  const paid = await post('/api/Corporate/CIB/v1/Transaction', payment('BR-1', '100.00'));
  expect(paid.json.STATUS === 'SUCCESS', `payment: ${paid.text}`);
  await post('/api/Corporate/CIB/v1/Transaction', payment('BR-1', '100.00'));
  await post('/api/Corporate/CIB/v1/Transaction', payment('BR-2', '100.51'));
  const timedOut = await post('/api/Corporate/CIB/v1/Transaction', payment('BR-3', '250.96'));
  expect(timedOut.status === 504, `timeout: ${timedOut.text}`);
  await post('/api/Corporate/CIB/v1/Transaction', payment('BR-4', '250.96'));
  await post('/api/v0/panValidation', { pan: 'ABCPE1234F' }, { 'x-sandbox-scenario': 'rate-limited:5' });
  await post('/sandbox/clock', { advance: 'PT5S' });
  await post('/api/v0/panValidation', { pan: 'ABCPE1234F' });
  return apikey;
}

/** The Node `verify` docs/readiness.md shows, loaded from the page's ```javascript block. */
async function documentedVerify() {
  const page = readFileSync(join(root, 'docs', 'readiness.md'), 'utf8');
  const block = page.match(/```javascript\n([\s\S]*?)```/);
  expect(block && block[1].includes('export function verify'), 'docs/readiness.md shows the Node verify');
  const dir = mkdtempSync(join(tmpdir(), 'sandbank-verify-'));
  writeFileSync(join(dir, 'verify.mjs'), block[1]);
  const { verify } = await import(join(dir, 'verify.mjs'));
  rmSync(dir, { recursive: true, force: true });
  return verify;
}

/** A receiver on loopback: `decide(headers, body)` gives each answer's status. Resolves to its URL. */
function receiver(decide) {
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      response.writeHead(decide(request.headers, Buffer.concat(chunks))).end();
    });
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => {
    server.unref();
    done(`http://127.0.0.1:${server.address().port}/callbacks`);
  }));
}

/** Drills a correct receiver (the documented verify, dedupe, 400 on bad JSON), then a naive one. */
async function drills(apikey) {
  const verify = await documentedVerify();
  const { callbackSecret } = (await call('GET', '/sandbox/apps/me', { apikey })).json;
  const parses = (body) => { try { JSON.parse(body); return true; } catch { return false; } };
  const processed = new Set();
  const correct = await receiver((headers, body) => {
    if (!verify(headers['x-sandbank-signature'] ?? '', body, callbackSecret)) return 401;
    if (processed.has(headers['x-sandbank-delivery'])) return 200;
    if (!parses(body)) return 400;
    processed.add(headers['x-sandbank-delivery']);
    return 200;
  });
  const drill = (url) => call('POST', '/sandbox/callbacks/drill', { apikey, body: { url } });
  const good = await drill(correct);
  expect(good.status === 200 && good.json.passed === true, `the documented verify: ${good.text}`);
  const seen = new Set();
  const naive = await receiver((headers, body) => {
    if (!parses(body)) return 400;
    if (seen.has(headers['x-sandbank-delivery'])) return 500;
    seen.add(headers['x-sandbank-delivery']);
    return 200;
  });
  const bad = await drill(naive);
  const failed = bad.json.cases.filter((c) => !c.passed).map((c) => c.case).join(' ');
  expect(failed === 'duplicate tampered', `the naive receiver failed: ${failed}`);
  console.log('ok: the documented Node verify passes every drill case; a naive receiver fails two');
}

const apikey = await flow();
await drills(apikey);
const report = (await call('GET', '/sandbox/readiness', { apikey })).json;
writeFileSync(join(out, 'readiness.json'), JSON.stringify(report, null, 2));
const junit = await call('GET', '/sandbox/readiness?format=junit', { apikey });
writeFileSync(join(out, 'readiness.junit.xml'), junit.text);
const bare = await call('GET', '/sandbox/readiness.html');
expect(bare.status === 401, `the page without a token answered ${bare.status}`);

const flags = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];
const userDataDir = mkdtempSync(join(tmpdir(), 'sandbank-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath, headless: true, args: flags, viewport: { width: 1100, height: 900 },
});
let failed = false;
const page = context.pages()[0] || (await context.newPage());
try {
  const response = await page.goto(`${base}${report.html}`, { waitUntil: 'load' });
  expect(response.status() === 200, `the page answered ${response.status()}`);
  await page.screenshot({ path: join(out, 'readiness.png'), fullPage: true });
  // What a person sees first: the verdict and the per-family progress view.
  await page.screenshot({ path: join(out, 'readiness-overview.png') });

  // One section per family, in the report's order, with the report's counts.
  const sections = await page.$$eval('section.family', (els) => els.map((e) => ({
    family: e.dataset.family, total: +e.dataset.total, proven: +e.dataset.proven,
    notYet: +e.dataset.notYet, doneWrong: +e.dataset.doneWrong,
    items: [...e.querySelectorAll('li.item')].map((li) => ({ id: li.dataset.item, state: li.dataset.state })),
  })));
  expect(sections.length === report.families.length, `${sections.length} sections for ${report.families.length} families`);
  report.families.forEach((family, i) => {
    const shown = sections[i];
    expect(shown.family === family.family, `section ${i} is ${shown.family}, not ${family.family}`);
    for (const key of ['total', 'proven', 'notYet', 'doneWrong']) {
      expect(shown[key] === family.summary[key], `${family.family} ${key}: page ${shown[key]}, report ${family.summary[key]}`);
    }
    const want = family.items.map((it) => `${it.id}=${it.state}`).join(' ');
    const got = shown.items.map((it) => `${it.id}=${it.state}`).join(' ');
    expect(want === got, `${family.family} items differ:\n page   ${got}\n report ${want}`);
  });
  console.log(`ok: ${sections.length} family sections with the report's grades`);

  // What a person sees: the verdict, the done-wrong item, a green bar where something is proven.
  const verdict = (await page.locator('.verdict').innerText()).trim();
  expect(verdict === 'Not ready yet', `verdict: ${verdict}`);
  const wrong = page.locator('section.family[data-family="cash-management"] li.item[data-state="doneWrong"]');
  expect((await wrong.count()) === 1, `${await wrong.count()} done-wrong cash-management items shown`);
  const wrongText = await wrong.innerText();
  expect(/BR-3 timed out; the same payment went again as BR-4/.test(wrongText), `done-wrong text: ${wrongText}`);
  expect(await wrong.isVisible(), 'the done-wrong item is not visible');
  await page.locator('section.family[data-family="cash-management"]').screenshot({ path: join(out, 'readiness-cash-management.png') });
  // The callback receiver's section: the two cases the naive receiver failed, done wrong, with why.
  const receiverSection = page.locator('section.family[data-family="callbacks"]');
  const receiverWrong = await receiverSection.locator('li.item[data-state="doneWrong"]').evaluateAll(
    (items) => items.map((li) => li.dataset.item).join(' '));
  expect(receiverWrong === 'callback-drill-duplicate callback-drill-tampered', `callback receiver done wrong: ${receiverWrong}`);
  const duplicateText = await receiverSection.locator('li.item[data-item="callback-drill-duplicate"]').innerText();
  expect(/200 then 500/.test(duplicateText), `the duplicate item says what the receiver answered: ${duplicateText}`);
  await receiverSection.screenshot({ path: join(out, 'readiness-callbacks.png') });
  for (const family of report.families) {
    const bar = page.locator(`section.family[data-family="${family.family}"] .bar .proven`);
    const width = (await bar.boundingBox())?.width ?? 0;
    expect((width > 0) === (family.summary.proven > 0), `${family.family}: proven bar ${width}px for ${family.summary.proven} proven`);
  }
  const rows = await page.locator('table.overview tr').count();
  expect(rows === report.families.length, `${rows} overview rows`);
  console.log(`ok: verdict "${verdict}", the done-wrong payment and receiver items, progress bars drawn; screenshot ${join(out, 'readiness.png')}`);
} catch (err) {
  failed = true;
  console.error(`FAIL: ${err.message}`);
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
