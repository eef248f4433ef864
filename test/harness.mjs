// Shared set-up for the browser tests: the repository's dev server on a free
// port and headless Chromium driven by playwright-core.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const screenshotDir = path.join(root, 'test-results', 'screenshots');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const chromiumArgs = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// startServer runs bin/devserver (built by `make test`) and returns its base URL.
export async function startServer() {
  const bin = path.join(root, 'bin', 'devserver');
  if (!existsSync(bin)) throw new Error('bin/devserver is missing: run the tests through `make test`');
  const proc = spawn(bin, ['-addr', '127.0.0.1:0', '-root', root], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  for await (const chunk of proc.stdout) {
    out += chunk;
    const m = out.match(/on (http:\/\/[^/\s]+)/);
    if (m) return { url: m[1], close: () => proc.kill() };
  }
  throw new Error('devserver exited: ' + out);
}

export async function launch(options = {}) {
  return chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs, ...options });
}

// openPage opens the blank test page, which has imported the wrapper as
// globalThis.localconv. Console errors and page errors are collected.
export async function openPage(context, base, pagePath = '/test/pages/blank.html') {
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e));
  page.on('console', (m) => {
    if (m.type() === 'error') page.errors.push(new Error(m.text()));
  });
  await page.goto(base + pagePath);
  await page.waitForFunction(() => document.title === 'ready' || document.title === 'localconv demo');
  return page;
}

export function screenshotPath(name) {
  mkdirSync(screenshotDir, { recursive: true });
  return path.join(screenshotDir, name + '.png');
}

let counter = 0;
// uniqueName gives each test its own account or database.
export const uniqueName = (prefix = 'acc') => `${prefix}${process.pid}x${Date.now()}x${counter++}`;
