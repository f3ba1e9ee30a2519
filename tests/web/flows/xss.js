// xss.js - markup fed through every text field (a value's note,
// commentary, intervention progress, a risk's mitigation, the sign-in user
// name, a refused form's kept input, a query parameter) is stored as typed
// and comes back as text: it never runs and never becomes markup.  The
// pages are looked at with the CSP switched off (setBypassCSP), so that
// escaping alone has to hold: an injected script would run, set
// window.__pmifXss and open a dialog, which the page records.
'use strict';
const assert = require('node:assert');
const {check, env, USERS, pmifJson, httpGet} = require('../lib/harness');
const {openPage, go, submitAndWait, firstHop} = require('../lib/pages');
const {fill, save, updatePage} = require('./update');
const {signIn} = require('./signin');

const P = env.period;
const CODE = 'FSM-UPTAKE';
const PAYLOAD = `x"'><script>window.__pmifXss=1;alert('pmif-xss-script')</script>` +
                `<img src=x onerror="window.__pmifXss=2;alert('pmif-xss-img')"> ` +
                `' onfocus='window.__pmifXss=3' autofocus ' " onmouseover="window.__pmifXss=4" x="`;
const RAW = ['<script>window.__pmifXss', '<img src=x onerror', "' onfocus='window", '" onmouseover="window'];

// injected(page): what the payload would have made of the page if it were
// not escaped; [] when nothing
async function injected(page) {
  const found = await page.evaluate(() => {
    const out = [];
    if (window.__pmifXss !== undefined) out.push(`window.__pmifXss = ${window.__pmifXss}`);
    if (document.querySelector('script')) out.push('a <script> element');
    if (document.querySelector('img[src="x"]')) out.push('an <img src=x>');
    for (const el of document.querySelectorAll('*'))
      for (const a of el.attributes)
        if (/^on/i.test(a.name)) out.push(`${a.name}= on <${el.tagName.toLowerCase()}>`);
    return out;
  });
  return [...found, ...page.seen.dialogs.map((d) => `dialog ${d}`)];
}

// shown(page): the payload is on the page as text or as a field's value
function shown(page) {
  return page.evaluate((p) => document.body.textContent.includes(p) ||
    [...document.querySelectorAll('input, textarea')].some((e) => e.value === p), PAYLOAD);
}

// form(page, action, pick): the selector of a form posting to action (the
// first, or the one whose field objective is pick)
async function formFor(page, action, pick) {
  const id = await page.evaluate((action, pick) => {
    const forms = [...document.querySelectorAll(`form[action="${action}"]`)];
    const f = forms.find((x) => !pick || (x.querySelector('[name=objective]') || {}).value === pick) || null;
    if (!f) return null;
    f.setAttribute('data-xss-test', 'yes');
    return true;
  }, action, pick);
  assert.ok(id, `no form posting to ${action}${pick ? ` for ${pick}` : ''}`);
  return `form[action="${action}"][data-xss-test=yes]`;
}

// textFields(page, sel): the names of the form's free-text fields
function textFields(page, sel) {
  return page.$eval(sel, (f) => [...f.querySelectorAll('textarea, input')]
    .filter((e) => e.tagName === 'TEXTAREA' || ['text', ''].includes(e.getAttribute('type') || ''))
    .filter((e) => !['period', 'objective', 'measure', 'locality', 'intervention', 'risk', 'id', 'value', 'numerator',
                     'denominator', 'likelihood', 'impact', 'status'].includes(e.name))
    .map((e) => e.name));
}

// through(page, what, action, pick, extra): fill every text field of the
// form with the payload, save, and expect a 303 (saved)
async function through(page, what, action, pick, extra) {
  let hidden = {};
  await check(`XSS: the payload is accepted as ${what} (303)`, async () => {
    await updatePage(page);
    const sel = await formFor(page, action, pick);
    const names = await textFields(page, sel);
    assert.ok(names.length, `the ${what} form has no text field`);
    const fields = {};
    for (const n of names) fields[n] = PAYLOAD;
    Object.assign(fields, extra || {});
    await fill(page, sel, fields);
    hidden = await page.$eval(sel, (f) => Object.fromEntries([...f.querySelectorAll('input[type=hidden], select')]
      .map((e) => [e.name, e.value])));
    const res = await save(page, sel);
    assert.strictEqual(firstHop(res).status(), 303, `the POST answered ${firstHop(res).status()}`);
  });
  return hidden;
}

async function storedAsTyped(ids) {
  await check('XSS: pmif reads the note, commentary, intervention text and mitigation back exactly as typed', async () => {
    const got = [];
    const v = await pmifJson('olivia', ['value', 'get', CODE, '--period', P, '--locality', 'borough']);
    got.push(['note', v.values[0].value.note]);
    const pack = await pmifJson('olivia', ['report', 'pack', '--committee', 'FAMILIES-OSC', '--period', P]);
    const po1 = pack.objectives.find((o) => o.objective_id === 'PO1');
    got.push(['commentary', po1.commentary]);
    const iv = pack.objectives.flatMap((o) => o.interventions).find((i) => i.intervention_id === ids.intervention);
    got.push(['intervention', iv ? iv.text : `no ${ids.intervention} in the pack`]);
    const risks = await pmifJson('olivia', ['risk', 'list', '--period', P]);
    const rk = JSON.stringify(risks).includes(JSON.stringify(PAYLOAD).slice(1, -1));
    got.push(['mitigation', rk ? PAYLOAD : `no risk in pmif risk list has the payload (${ids.risk})`]);
    assert.deepStrictEqual(got.filter(([, t]) => t !== PAYLOAD), []);
  });
}

// look(xpage, name, url, mustShow): the page does not run the payload, has
// no markup from it, shows it as text (when mustShow), and its raw HTML
// carries it escaped
async function look(xpage, name, url, mustShow) {
  await check(`XSS: ${name} (${url}) shows the payload as text; it does not run or make markup`, async () => {
    const res = await go(xpage, url);
    if (mustShow) assert.strictEqual(res.status(), 200, `${url} answered ${res.status()}`);
    assert.deepStrictEqual(await injected(xpage), []);
    if (mustShow) assert.ok(await shown(xpage), 'the payload is not on the page');
    const raw = (await httpGet(xpage.url(), await xpage.cookies())).body.toString('utf8');
    const bare = RAW.filter((r) => raw.includes(r));
    assert.deepStrictEqual(bare, [], 'the raw HTML carries the payload unescaped');
    if (mustShow) assert.ok(raw.includes('&lt;script&gt;'), 'the raw HTML does not carry the payload escaped');
  });
}

async function signInName(browser) {
  await check('XSS: the payload as a sign-in user name is refused (401) and never runs or makes markup', async () => {
    const ctx = await browser.createBrowserContext();
    const page = await openPage(ctx, {bypassCSP: true});
    try {
      const res = await signIn(page, env.web, PAYLOAD, 'no password');
      assert.strictEqual(res.status(), 401, `answered ${res.status()}`);
      assert.deepStrictEqual(await injected(page), []);
    } finally {
      await ctx.close();
    }
  });
}

// run(browser, olivia): olivia is signed in (CSP as served); the pages are
// then looked at again in a page of her session with the CSP off
async function run(browser, olivia) {
  const tr = await pmifJson('olivia', ['report', 'trend', CODE, '--period', P]);
  const calm = Math.round(tr.spc.mean * 10) / 10;
  await through(olivia, "a value's note", '/update/value', null, {value: String(calm), locality: '', numerator: '', denominator: ''});
  await through(olivia, 'commentary', '/update/commentary', 'PO1');
  const iv = await through(olivia, 'intervention progress', '/update/intervention');
  const rk = await through(olivia, "a risk's reassessment", '/update/risk');
  await storedAsTyped({intervention: iv.intervention || iv.id, risk: rk.risk || rk.id});

  const xpage = await openPage(olivia.browserContext(), {bypassCSP: true});
  await look(xpage, 'the update page', `/update?period=${P}`, true);
  await look(xpage, 'the scorecard', `/scorecard?period=${P}&committee=FAMILIES-OSC`, true);
  await look(xpage, 'the measure page (its revisions carry the note)', `/measure/${CODE}?period=${P}`, true);
  await look(xpage, 'the Families pack', `/pack?committee=FAMILIES-OSC&period=${P}`, true);
  await look(xpage, 'the Cabinet pack', `/pack?committee=cabinet&period=${P}`, false);
  await look(xpage, 'a query parameter', `/scorecard?period=${P}&committee=${encodeURIComponent(PAYLOAD)}`, false);
  await check('XSS: a refused form keeps the payload typed as a note, escaped (422)', async () => {
    await updatePage(xpage);
    await fill(xpage, `form#value-${CODE}`, {value: '150', note: PAYLOAD});
    const res = await save(xpage, `form#value-${CODE}`);
    assert.strictEqual(res.status(), 422);
    assert.deepStrictEqual(await injected(xpage), []);
    assert.strictEqual(await xpage.$eval(`form#value-${CODE} [name=note]`, (e) => e.value), PAYLOAD);
  });
  await xpage.close();
  await signInName(browser);
}

module.exports = {run, PAYLOAD, injected};
