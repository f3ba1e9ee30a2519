// pages.js - looking at one page of pmif-web the way the contract and a
// person would: the page shell every page shares, no inline script or
// style, axe-core's WCAG 2.2 AA rules, the keyboard, and screenshots at
// desktop and phone width (non-blank, no sideways scroll on a phone).
'use strict';
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const png = require('./png');
const {env, norm, check} = require('./harness');

const CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; " +
            "frame-ancestors 'none'; base-uri 'none'";
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const DESKTOP = {width: 1280, height: 900};
// Not isMobile: puppeteer reloads the page when isMobile changes, and the
// reload of a POST's answer would post the form again.  A desktop window
// 390 px wide lays the page out at 390 px; shell() checks the viewport
// meta a phone needs for the same.
const PHONE = {width: 390, height: 844, deviceScaleFactor: 1};

// what every page looked like, for the closing table
const looks = [];

// openPage(context, opts): a page whose dialogs (alert/confirm: only an
// injected script would open one), console errors and uncaught errors are
// recorded on page.seen.  opts.bypassCSP: the XSS checks switch the CSP
// off, so that escaping alone has to keep the page safe.
async function openPage(context, opts) {
  const page = await context.newPage();
  page.seen = {dialogs: [], console: [], errors: []};
  page.on('dialog', async (d) => {
    page.seen.dialogs.push(`${d.type()}: ${d.message()}`);
    await d.dismiss().catch(() => {});
  });
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // a page answered 401/403/404/409/422 on purpose, and the favicon the
    // browser asks for on its own (pmif-web serves none), are not errors
    const at = (m.location() && m.location().url) || '';
    if (/^Failed to load resource/.test(m.text()) && (at === page.url() || /\/favicon\.ico$/.test(at))) return;
    page.seen.console.push(`${m.text()}${at ? ` (${at})` : ''}`);
  });
  page.on('pageerror', (e) => page.seen.errors.push(String(e.message || e)));
  if (opts && opts.bypassCSP) await page.setBypassCSP(true);
  await page.setViewport(DESKTOP);
  page.setDefaultTimeout(30000);
  return page;
}

// go(page, url): navigate; resolves the final response (after redirects)
async function go(page, url) {
  const res = await page.goto(url.startsWith('http') ? url : env.web + url, {waitUntil: 'load'});
  assert.ok(res, `no response for ${url}`);
  return res;
}

// submitAndWait(page, fn): run fn (a click or a key press that submits a
// form) and resolve the navigation's final response
async function submitAndWait(page, fn) {
  const [res] = await Promise.all([page.waitForNavigation({waitUntil: 'load'}), fn()]);
  assert.ok(res, 'the form did not navigate');
  return res;
}

// firstHop(res): the first response of a redirect chain (the POST's own
// answer: 303 and its Location), or res itself when there was none
function firstHop(res) {
  const chain = res.request().redirectChain();
  return chain.length ? chain[0].response() : res;
}

function checkCsp(res) {
  const got = res.headers()['content-security-policy'];
  assert.strictEqual(norm(got), CSP, `Content-Security-Policy of ${res.url()}`);
}

// shell(page, who): the page shell of the contract; who = {user, role}
// for a signed-in page, null for the sign-in page
async function shell(page, who) {
  const problems = await page.evaluate((who) => {
    const p = [];
    const text = (el) => (el ? el.textContent.replace(/\s+/g, ' ').trim() : '');
    if (document.documentElement.getAttribute('lang') !== 'en') p.push('<html> has no lang="en"');
    const vp = document.querySelector('meta[name=viewport]');
    if (!vp || !/width=device-width/.test(vp.content)) p.push('no <meta name="viewport" content="width=device-width">: a phone would lay the page out 980 px wide');
    const focusable = document.querySelector('a[href], button, input:not([type=hidden]), select, textarea');
    if (!focusable || focusable.tagName !== 'A' || focusable.getAttribute('href') !== '#main' ||
        !/skip to content/i.test(text(focusable)))
      p.push(`the first focusable element is not a "Skip to content" link to #main (${focusable && focusable.outerHTML.slice(0, 80)})`);
    if (!document.querySelector('main#main')) p.push('no <main id="main">');
    const header = document.querySelector('header');
    if (!header) p.push('no <header>');
    else if (!/PMIF|Performance/i.test(text(header))) p.push(`the header does not name the site: "${text(header).slice(0, 80)}"`);
    if (who) {
      if (!header || !text(header).includes(who.user)) p.push(`the header does not name ${who.user}`);
      if (!header || !text(header).toLowerCase().includes(who.role)) p.push(`the header does not say the role ${who.role}`);
      if (!document.querySelector('nav[aria-label="Main"]')) p.push('no <nav aria-label="Main">');
      const out = document.querySelector('form[method="post"][action="/logout"]');
      if (!out) p.push('no sign-out form posting to /logout');
      else {
        const csrf = out.querySelector('input[type=hidden][name=csrf]');
        if (!csrf || csrf.value.length < 16) p.push('the sign-out form has no csrf token');
        const b = out.querySelector('button');
        if (!b || text(b) !== 'Sign out') p.push('the sign-out form has no "Sign out" button');
      }
    }
    const sheets = [...document.querySelectorAll('link[rel~=stylesheet]')].map((l) => l.getAttribute('href'));
    if (sheets.length !== 1 || sheets[0] !== '/static/pmif.css') p.push(`stylesheets are ${JSON.stringify(sheets)}, not ["/static/pmif.css"]`);
    if (document.querySelector('script')) p.push('the page has a <script>');
    if (document.querySelector('style')) p.push('the page has a <style> element');
    if (document.querySelector('[style]')) p.push(`inline style attribute on ${document.querySelector('[style]').tagName}`);
    for (const el of document.querySelectorAll('*'))
      for (const a of el.attributes)
        if (/^on/i.test(a.name)) p.push(`event handler attribute ${a.name} on ${el.tagName}`);
    return p;
  }, who);
  assert.deepStrictEqual(problems, [], problems.join('; '));
}

// noErrors(page): nothing went wrong in the page: no console error (a CSP
// violation is one), no uncaught error, no dialog
function noErrors(page) {
  const s = page.seen;
  const all = [...s.console.map((m) => `console: ${m}`), ...s.errors.map((m) => `error: ${m}`),
               ...s.dialogs.map((m) => `dialog ${m}`)];
  assert.deepStrictEqual(all, [], all.join('; '));
}

// axe(page): run axe-core in the page (evaluated over the DevTools
// protocol, which the page's CSP does not govern, so the page is checked
// under its real CSP); resolves {violations, passes}
async function axe(page) {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
    return {passes: r.passes.length,
            violations: r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
                                                  targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 6)}))};
  }, AXE_TAGS);
}

// shoot(page, name): screenshots at 1280 and 390 px into env.shots; each
// must be drawn, and at 390 px the document must not scroll sideways
async function shoot(page, name) {
  fs.mkdirSync(env.shots, {recursive: true});
  const look = {name};
  for (const [label, vp] of [['1280', DESKTOP], ['390', PHONE]]) {
    await page.setViewport(vp);
    await new Promise((r) => setTimeout(r, 50));
    const file = path.join(env.shots, `${name}-${label}.png`);
    const buf = Buffer.from(await page.screenshot({path: file, fullPage: true}));
    const info = png.look(buf);
    look[label] = info;
    if (label === '390') {
      look.scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      look.wide = await page.evaluate(() => {
        // what sticks out, to say so when it fails
        const out = [];
        for (const el of document.body.querySelectorAll('*')) {
          const r = el.getBoundingClientRect();
          if (r.right > document.documentElement.clientWidth + 1) {
            let p = el.parentElement, clipped = false;
            for (; p && p !== document.body; p = p.parentElement)
              if (/(auto|scroll|hidden)/.test(getComputedStyle(p).overflowX)) clipped = true;
            if (!clipped) out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : ''} to ${Math.round(r.right)}px`);
          }
        }
        return out.slice(0, 5);
      });
    }
  }
  await page.setViewport(DESKTOP);
  looks.push(look);
  const bad = [];
  for (const label of ['1280', '390'])
    if (!png.drawn(look[label]))
      bad.push(`${name}-${label}.png looks blank (${look[label].colours} colours, ${(100 * look[label].ink).toFixed(2)}% ink)`);
  if (look.scrollWidth > PHONE.width + 1)
    bad.push(`at 390 px the page is ${look.scrollWidth} px wide: ${look.wide.join(', ')}`);
  assert.deepStrictEqual(bad, [], bad.join('; '));
  return look;
}

// focused(page): the focused element, and whether its focus can be seen
// (a computed outline or a box-shadow)
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return {tag: 'body', visible: false};
    const cs = getComputedStyle(el);
    const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
    const shadow = cs.boxShadow && cs.boxShadow !== 'none';
    return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'), type: el.getAttribute('type'),
            href: el.getAttribute('href'), text: el.textContent.replace(/\s+/g, ' ').trim().slice(0, 40),
            visible: Boolean(outline || shadow),
            style: `outline ${cs.outlineStyle} ${cs.outlineWidth}; box-shadow ${cs.boxShadow}`};
  });
}

// examine(page, name, who): the checks every page gets, each its own line:
// the shell, nothing went wrong, axe, screenshots (the page must already
// be loaded)
async function examine(page, name, who) {
  await check(`${name}: the page shell (lang, viewport, skip link, header, nav, sign-out, one stylesheet, no inline script or style)`,
              () => shell(page, who));
  await check(`${name}: axe-core finds no WCAG 2.2 AA violation, at 1280 px nor at 390 px`, async () => {
    const found = [];
    looks.axe = looks.axe || {};
    for (const [label, vp] of [['1280', DESKTOP], ['390', PHONE]]) {
      await page.setViewport(vp);
      const r = await axe(page);
      looks.axe[`${name}@${label}`] = r;
      for (const v of r.violations) found.push(`${label} px: ${v.id} (${v.impact}) at ${v.targets.join(', ')}: ${v.help}`);
    }
    await page.setViewport(DESKTOP);
    assert.deepStrictEqual(found, []);
  });
  await check(`${name}: keyboard: every element Tab reaches (up to 30) shows its focus`, async () => {
    await page.evaluate(() => {
      if (document.activeElement) document.activeElement.blur();
      window.scrollTo(0, 0);
    });
    const hidden = [];
    let reached = 0;
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      if (f.tag === 'body') break;
      reached++;
      if (!f.visible) hidden.push(`${f.tag} "${f.text || f.name || f.href || f.id}" (${f.style})`);
    }
    assert.ok(reached > 0, 'Tab reaches nothing');
    assert.deepStrictEqual(hidden, [], `focus cannot be seen on ${hidden.join(', ')}`);
  });
  await check(`${name}: screenshots at 1280 and 390 px are drawn; no sideways scroll at 390 px`, () => shoot(page, name));
  await check(`${name}: no console error, uncaught error or dialog`, () => noErrors(page));
}

// report(): what each page looked like, for the log (and the closing note)
function report() {
  console.log('# page                    axe 1280/390 px (violations/rules passed)  1280 px (size, colours, ink)  390 px (size, colours, ink, page width)');
  for (const l of looks) {
    const ax = ['1280', '390'].map((w) => {
      const a = looks.axe && looks.axe[`${l.name}@${w}`];
      return a ? `${a.violations.length}/${a.passes}` : '-';
    }).join(' ');
    const d = l['1280'], p = l['390'];
    console.log(`# ${l.name.padEnd(24)} ${ax.padEnd(42)} ${d ? `${d.width}x${d.height} ${d.colours} ${(100 * d.ink).toFixed(1)}%` : '-'}`.padEnd(99) +
                ` ${p ? `${p.width}x${p.height} ${p.colours} ${(100 * p.ink).toFixed(1)}% ${l.scrollWidth}px` : '-'}`);
  }
}

module.exports = {CSP, openPage, go, submitAndWait, firstHop, checkCsp, shell, noErrors, axe, shoot, focused,
                  examine, report, DESKTOP, PHONE};
