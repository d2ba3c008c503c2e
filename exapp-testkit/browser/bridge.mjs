// Drives one headless Chromium page for org.harpjava.exapp.testkit.Browser: one JSON command per line on stdin,
// one JSON answer per line on stdout ({"id":n,"ok":true,"value":...} or {"id":n,"ok":false,"error":"..."}).
// The tests' logic stays in Java; this only forwards to playwright-core.
import { chromium } from 'playwright-core';
import { createInterface } from 'node:readline';

// Without the background-networking flags Chromium keeps dialling Google's hosts, which a closed network refuses.
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

let browser, context, page;
const problems = []; // uncaught exceptions, console errors and failed requests of the page, in order

const ops = {
  // {executable, args, username, password}: a fresh browser (Playwright gives it an empty profile) and one page.
  async launch(c) {
    browser = await chromium.launch({ executablePath: c.executable, headless: true, args: [...FLAGS, ...(c.args || [])] });
    context = await browser.newContext(c.username ? { httpCredentials: { username: c.username, password: c.password } } : {});
    page = await context.newPage();
    page.on('pageerror', (e) => problems.push('uncaught: ' + e.message));
    page.on('console', (m) => { if (m.type() === 'error') problems.push('console: ' + m.text() + ' (' + m.location().url + ')'); });
    page.on('response', (r) => { if (r.status() >= 400) problems.push('HTTP ' + r.status() + ' for ' + r.request().method() + ' ' + r.url()); });
    page.on('dialog', (d) => { problems.push('dialog: ' + d.message()); d.dismiss(); });
    return browser.version();
  },
  async goto(c) { return (await page.goto(c.url, { waitUntil: 'load' }))?.status() ?? 0; },
  async reload() { return (await page.reload({ waitUntil: 'load' }))?.status() ?? 0; },
  async click(c) { await page.click(c.selector, { timeout: c.timeout }); },
  async dblclick(c) { await page.dblclick(c.selector, { timeout: c.timeout }); },
  async fill(c) { await page.fill(c.selector, c.value, { timeout: c.timeout }); },
  async press(c) { await page.press(c.selector, c.key, { timeout: c.timeout }); },
  async setInputFiles(c) { await page.setInputFiles(c.selector, c.files, { timeout: c.timeout }); },
  // A JavaScript expression evaluated in the page; its JSON value (a promise is awaited).
  async eval(c) { return page.evaluate(c.expression); },
  // Waits until the expression is truthy in the page; its value.
  async waitFor(c) {
    const handle = await page.waitForFunction(c.expression, undefined, { timeout: c.timeout, polling: 'raf' });
    return handle.jsonValue();
  },
  async problems() { return problems.splice(0); },
  async close() {
    if (browser) await browser.close();
    browser = undefined;
  },
};

const lines = createInterface({ input: process.stdin });
let queue = Promise.resolve();
lines.on('line', (line) => {
  queue = queue.then(async () => {
    const c = JSON.parse(line);
    let answer;
    try {
      if (!ops[c.op]) throw new Error('unknown command ' + c.op);
      const value = await ops[c.op](c);
      answer = { id: c.id, ok: true, value: value === undefined ? null : value };
    } catch (e) {
      answer = { id: c.id, ok: false, error: String(e && e.message || e) };
    }
    process.stdout.write(JSON.stringify(answer) + '\n');
  });
});
lines.on('close', () => { queue.then(() => ops.close()).finally(() => process.exit(0)); });
