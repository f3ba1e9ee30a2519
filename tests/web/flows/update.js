// update.js - the directorate officer's quarterly update in the browser: a
// value accepted (then seen by pmif and on the scorecard), refused with
// pmifd's sentence next to the field and nothing saved, a keying-error
// warning shown and then confirmed, and another directorate's measure
// refused.  What was saved is always checked with the real pmif.
'use strict';
const assert = require('node:assert');
const {check, env, USERS, pmif, pmifJson, cliSentence, includesText} = require('../lib/harness');
const {go, submitAndWait, firstHop, checkCsp, examine} = require('../lib/pages');
const {rowWith} = require('./member');

const P = env.period;
const CODE = 'FSM-UPTAKE';
const FOREIGN = 'SICKNESS-DAYS';

// saved(who, code): the borough value pmif has for code in P (or null)
async function saved(code) {
  const r = await pmifJson('olivia', ['value', 'get', code, '--period', P, '--locality', 'borough']);
  const v = r.values.find((x) => x.value.locality === 'borough');
  return v ? {value: v.value.value, note: v.value.note, revision: v.value.revision, by: v.value.submitted_by} : null;
}

// fill(page, form, fields): set each named field of the form (a selector)
async function fill(page, form, fields) {
  const missing = await page.evaluate((form, fields) => {
    const f = document.querySelector(form);
    if (!f) return [`no ${form}`];
    const out = [];
    for (const [name, value] of Object.entries(fields)) {
      const el = f.querySelector(`[name="${name}"]`);
      if (!el) { out.push(`no field ${name} in ${form}`); continue; }
      el.value = value;
      el.dispatchEvent(new Event('input', {bubbles: true}));
    }
    return out;
  }, form, fields);
  assert.deepStrictEqual(missing, []);
}

// save(page, form): press the form's own (first) button
async function save(page, form) {
  return submitAndWait(page, () => page.click(`${form} button`));
}

async function statusText(page) {
  return page.$$eval('[role=status]', (els) => els.map((e) => e.textContent).join(' '));
}

async function updatePage(page) {
  const res = await go(page, `/update?period=${P}`);
  assert.strictEqual(res.status(), 200, `/update answered ${res.status()}`);
  return res;
}

// theForms(page, owned): owned maps CAF's measure ids to their records
async function theForms(page, owned) {
  await check(`update: GET /update?period=${P} lists one value form per measure CAF owns, with every field`, async () => {
    checkCsp(await updatePage(page));
    const forms = await page.$$eval('form[action="/update/value"]', (fs) => fs.map((f) => ({
      id: f.id, method: f.getAttribute('method'),
      fields: ['measure', 'period', 'locality', 'value', 'numerator', 'denominator', 'note', 'csrf']
        .filter((n) => f.querySelector(`[name="${n}"]`)),
      button: (f.querySelector('button') || {}).textContent})));
    const ids = forms.map((f) => f.id.replace(/^value-/, ''));
    assert.ok(ids.includes(CODE), `no form value-${CODE} (forms: ${ids.join(', ')})`);
    assert.ok(!ids.includes(FOREIGN), `a form for ${FOREIGN}, which CAF does not own`);
    const foreign = ids.filter((id) => !owned[id]);
    assert.deepStrictEqual(foreign, [], 'forms for measures CAF does not own');
    for (const f of forms) {
      // a locality field at least for a measure reported by locality
      const code = f.id.replace(/^value-/, '');
      const want = ['measure', 'period', 'locality', 'value', 'numerator', 'denominator', 'note', 'csrf']
        .filter((n) => n !== 'locality' || owned[code].by_locality || f.fields.includes('locality'));
      assert.strictEqual(f.method.toLowerCase(), 'post');
      assert.deepStrictEqual(f.fields, want, `${f.id}'s fields`);
      assert.strictEqual((f.button || '').trim(), 'Save', `${f.id}'s button`);
    }
  });
  await check('update: forms for commentary, intervention progress and risk reassessment', async () => {
    for (const a of ['/update/commentary', '/update/intervention', '/update/risk'])
      assert.ok(await page.$(`form[method=post][action="${a}"]`), `no form posting to ${a}`);
    for (const n of ['objective', 'period', 'text', 'csrf'])
      assert.ok(await page.$(`form[action="/update/commentary"] [name="${n}"]`), `the commentary form has no ${n}`);
  });
  await examine(page, 'update', {user: USERS.olivia.user, role: USERS.olivia.role});
}

async function accepted(page) {
  const before = await saved(CODE);
  const want = Math.round((before.value + 0.3) * 10) / 10;
  await check(`update: ${CODE} = ${want} is saved: 303 to /update?period=${P}&saved=${CODE}#value-${CODE}, "Saved ${CODE} for ${P}." in role=status`, async () => {
    await updatePage(page);
    const form = `form#value-${CODE}`;
    await fill(page, form, {locality: '', value: String(want), numerator: '', denominator: '', note: 'entered in the browser test'});
    const res = await save(page, form);
    const hop = firstHop(res);
    assert.strictEqual(hop.status(), 303, `the POST answered ${hop.status()}`);
    assert.strictEqual(hop.headers().location, `/update?period=${P}&saved=${CODE}#value-${CODE}`);
    includesText(await statusText(page), `Saved ${CODE} for ${P}.`, 'the status');
  });
  await check(`update: pmif value get shows ${want}, entered by olivia`, async () => {
    const now = await saved(CODE);
    assert.deepStrictEqual([now.value, now.by, now.revision], [want, 'olivia', before.revision + 1]);
  });
  await check(`update: the scorecard page shows ${want} for ${CODE}`, async () => {
    await go(page, `/scorecard?period=${P}&committee=FAMILIES-OSC`);
    includesText(await rowWith(page, CODE), want.toFixed(1), `${CODE}'s row`);
  });
}

async function refused(page) {
  const cli = await pmif('olivia', ['value', 'set', CODE, P, '150']);
  const sentence = cliSentence(cli.err);
  const before = await saved(CODE);
  await check(`update: ${CODE} = 150 is refused: 422, the input kept, pmifd's sentence ("${sentence}") in #err-${CODE} next to the field`, async () => {
    assert.strictEqual(cli.code, 7, `pmif value set ... 150 exited ${cli.code}`);
    await updatePage(page);
    const form = `form#value-${CODE}`;
    await fill(page, form, {value: '150', note: 'kept after a refusal'});
    const res = await save(page, form);
    assert.strictEqual(res.status(), 422, `the POST answered ${res.status()}`);
    const err = await page.$eval(`p.field-error[role=alert]#err-${CODE}`, (e) => e.textContent).catch(() => '');
    includesText(err, sentence, 'the field error');
    const inForm = await page.$eval(`form#value-${CODE}`, (f, code) => Boolean(f.querySelector(`#err-${code}`)), CODE);
    assert.ok(inForm, `#err-${CODE} is not in the measure's own form`);
    const input = await page.$eval(`form#value-${CODE} [name=value]`, (e) => ({
      value: e.value, invalid: e.getAttribute('aria-invalid'), describedby: e.getAttribute('aria-describedby') || ''}));
    assert.strictEqual(input.value, '150', 'the value typed is not kept');
    assert.strictEqual(input.invalid, 'true', 'the value field is not aria-invalid="true"');
    assert.ok(input.describedby.split(/\s+/).includes(`err-${CODE}`), `aria-describedby is "${input.describedby}"`);
    const note = await page.$eval(`form#value-${CODE} [name=note]`, (e) => e.value);
    assert.strictEqual(note, 'kept after a refusal', 'the note typed is not kept');
  });
  await examine(page, 'update-refused', {user: USERS.olivia.user, role: USERS.olivia.role});
  await check('update: nothing was saved by the refused value (pmif value get)', async () => {
    assert.deepStrictEqual(await saved(CODE), before);
  });
}

async function keying(page) {
  const before = await saved(CODE);
  const wild = Math.round(before.value) / 10;
  let warning = '';
  await check(`update: ${CODE} = ${wild} (a keying error) is not saved at once: 409, the warning in role=alert, a "Confirm and save" button`, async () => {
    await updatePage(page);
    const form = `form#value-${CODE}`;
    await fill(page, form, {value: String(wild), note: 'a keying error, confirmed'});
    const res = await save(page, form);
    assert.strictEqual(res.status(), 409, `the POST answered ${res.status()}`);
    warning = await page.$$eval('[role=alert]', (els) => els.map((e) => e.textContent).join(' '));
    includesText(warning, String(wild), 'the warning');
    const b = await page.$eval('button[name=confirm][value="1"]', (e) => e.textContent).catch(() => '');
    assert.strictEqual(b.trim(), 'Confirm and save');
    assert.deepStrictEqual(await saved(CODE), before, 'the value was saved before it was confirmed');
  });
  await examine(page, 'update-warning', {user: USERS.olivia.user, role: USERS.olivia.role});
  await check(`update: "Confirm and save" saves ${wild} (303, Saved ... in role=status; pmif value get agrees)`, async () => {
    const res = await submitAndWait(page, () => page.click('button[name=confirm][value="1"]'));
    assert.strictEqual(firstHop(res).status(), 303);
    includesText(await statusText(page), `Saved ${CODE} for ${P}.`, 'the status');
    const now = await saved(CODE);
    assert.deepStrictEqual([now.value, now.note, now.revision], [wild, 'a keying error, confirmed', before.revision + 1]);
  });
  await check("update: the warning shown is pmifd's, word for word as pmif prints it", async () => {
    const r = await pmif('olivia', ['value', 'set', CODE, P, String(wild), '--note', 'a keying error, confirmed']);
    const w = r.err.split('\n').filter((l) => l.startsWith('pmif: warning: ')).map((l) => l.slice(15));
    assert.ok(w.length, `pmif gave no warning for ${wild}: ${r.err}`);
    for (const s of w) includesText(warning, s, 'the warning');
  });
}

async function foreign(page) {
  const cli = await pmif('olivia', ['value', 'set', FOREIGN, P, '2.9']);
  const sentence = cliSentence(cli.err);
  const before = await pmifJson('olivia', ['value', 'get', FOREIGN, '--period', P]);
  await check(`update: olivia posting ${FOREIGN} (another directorate's) is refused: 403 and pmifd's sentence ("${sentence}")`, async () => {
    assert.strictEqual(cli.code, 5, `pmif value set ${FOREIGN} exited ${cli.code}`);
    await updatePage(page);
    await fill(page, `form#value-${CODE}`, {measure: FOREIGN, value: '2.9', note: 'not mine'});
    const res = await save(page, `form#value-${CODE}`);
    assert.strictEqual(res.status(), 403);
    includesText(await page.$eval('main', (m) => m.textContent), sentence, 'the refusal');
    assert.deepStrictEqual(await pmifJson('olivia', ['value', 'get', FOREIGN, '--period', P]), before, 'something was saved');
  });
  await examine(page, 'update-forbidden', {user: USERS.olivia.user, role: USERS.olivia.role});
}

// run(page): page is signed in as olivia (directorate CAF)
async function run(page) {
  const list = await pmifJson('olivia', ['measure', 'list', '--directorate', 'CAF']);
  const owned = Object.fromEntries((list.records || []).map((r) => [r.measure.id, r.measure]));
  await theForms(page, owned);
  await accepted(page);
  await refused(page);
  await keying(page);
  await foreign(page);
}

module.exports = {run, fill, save, saved, statusText, updatePage};
