// harness.js - what every browser check shares: the TAP-like results, the
// environment test_browser.sh hands over, Chromium itself, the real pmif
// CLI (to learn what pmifd says and to check what was saved), and plain
// HTTP with a browser's cookie (for downloads and raw bodies).
'use strict';
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const {execFile} = require('node:child_process');

const results = {passed: 0, failed: 0, started: Date.now(), timings: []};

// check(name, fn): run one check; an exception (assert or otherwise) is a
// failure with its message, and the run goes on.
async function check(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.passed++;
    console.log(`ok - ${name}`);
  } catch (err) {
    results.failed++;
    const msg = (err && err.message ? err.message : String(err)).split('\n').slice(0, 12);
    console.log(`not ok - ${name}`);
    for (const line of msg) console.log(`#   ${line}`);
  }
  results.timings.push([name, Date.now() - t0]);
}

function summary() {
  const secs = ((Date.now() - results.started) / 1000).toFixed(1);
  const slow = results.timings.slice().sort((a, b) => b[1] - a[1]).slice(0, 5);
  console.log(`# browser checks took ${secs} s; slowest: ` +
              slow.map(([n, ms]) => `${n} ${(ms / 1000).toFixed(1)} s`).join('; '));
  console.log(`${results.passed} passed, ${results.failed} failed`);
  return results.failed === 0 ? 0 : 1;
}

function need(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run this through tests/web/test_browser.sh`);
  return v;
}

const env = {
  web: need('PMIF_WEB_URL'),            // http://127.0.0.1:PORT (normal sessions)
  webShort: need('PMIF_WEB_SHORT_URL'), // a second pmif-web whose pmifd has a 3 s idle
  shortIdle: Number(process.env.PMIF_WEB_SHORT_IDLE || 3),
  tmp: need('PMIF_WEB_TMP'),            // the test's temp dir (config-WHO dirs inside)
  shots: need('PMIF_WEB_SHOTS'),        // where screenshots go
  pmif: need('PMIF_EXE'),
  fp: need('PMIF_FP'),
  server: need('PMIF_SERVER'),
  chromium: process.env.PMIF_CHROMIUM || '/usr/bin/chromium',
  period: '2022-23-Q4',
};

const USERS = {
  admin: {user: 'admin', password: 'demo admin password', role: 'admin'},
  olivia: {user: 'olivia', password: 'officer password 1', role: 'directorate'},
  member: {user: 'cllr.khan', password: 'councillor password 1', role: 'member'},
};

// pmif(who, args, input): run the real pmif as WHO (their own config dir,
// as tests/e2e/lib.sh's `as`); resolves {code, out, err}.
function pmif(who, args, input) {
  return new Promise((resolve) => {
    const child = execFile(env.pmif, ['--server-key', env.fp, ...args], {
      env: {...process.env, PMIF_SERVER: env.server,
            XDG_CONFIG_HOME: path.join(env.tmp, `config-${who}`)},
      timeout: 60000, maxBuffer: 64 * 1024 * 1024,
    }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({code, out: stdout, err: stderr});
    });
    if (input !== undefined) child.stdin.end(input);
  });
}

// pmifJson(who, args): pmif --json ARGS, parsed; throws when pmif fails
async function pmifJson(who, args) {
  const r = await pmif(who, ['--json', ...args]);
  if (r.code !== 0) throw new Error(`pmif ${args.join(' ')} failed (exit ${r.code}): ${r.err}`);
  return JSON.parse(r.out);
}

// cliSentence(stderr): pmif's error sentence without "pmif: " and the field
// name it puts in front ("value: ", "note: "), i.e. pmifd's own words
function cliSentence(stderr) {
  const line = stderr.split('\n').find((l) => l.startsWith('pmif: ') && !l.startsWith('pmif: warning')) || '';
  return line.replace(/^pmif: /, '').replace(/^[a-z_]+: /, '').trim();
}

// httpGet(url, cookies): a plain GET carrying the browser's cookies
// (page.cookies() objects); resolves {status, headers, body (Buffer)}
async function httpGet(url, cookies, extraHeaders) {
  const cookie = (cookies || []).map((c) => `${c.name}=${c.value}`).join('; ');
  const res = await fetch(url, {redirect: 'manual',
                                headers: {...(cookie ? {cookie} : {}), ...(extraHeaders || {})}});
  const body = Buffer.from(await res.arrayBuffer());
  return {status: res.status, headers: res.headers, body};
}

// waitForWeb(url): pmif-web answers GET /login
async function waitForWeb(url) {
  const until = Date.now() + 20000;
  let last = '';
  while (Date.now() < until) {
    try {
      const r = await fetch(`${url}/login`, {redirect: 'manual'});
      if (r.status === 200) return;
      last = `status ${r.status}`;
    } catch (err) {
      last = err.message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`pmif-web at ${url} did not answer GET /login (${last})`);
}

async function launch() {
  const puppeteer = require('puppeteer-core');
  const profile = fs.mkdtempSync(path.join(env.tmp, 'chromium-'));
  return puppeteer.launch({
    executablePath: env.chromium,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--hide-scrollbars', `--user-data-dir=${profile}`],
    protocolTimeout: 120000,
  });
}

function norm(s) {
  return String(s || '').replace(/\s+/g, ' ').trim();
}

function includesText(haystack, needle, what) {
  assert.ok(norm(haystack).toLowerCase().includes(norm(needle).toLowerCase()),
            `${what}: "${norm(needle)}" not found in "${norm(haystack).slice(0, 300)}"`);
}

module.exports = {check, summary, env, USERS, pmif, pmifJson, cliSentence, httpGet, waitForWeb,
                  launch, norm, includesText, results};
