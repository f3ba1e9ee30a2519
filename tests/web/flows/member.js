// member.js - every page a member reads, with its content checked against
// what the real pmif says for the same report (pmif --json, and the rows
// of pmif's own HTML report: pmif-web draws through the same renderer), and
// its CSV, JSON and PDF downloads.
'use strict';
const assert = require('node:assert');
const path = require('node:path');
const {check, env, USERS, pmif, pmifJson, httpGet, norm, includesText} = require('../lib/harness');
const {go, checkCsp, examine, focused} = require('../lib/pages');

const RAG_WORD = {rag_red: 'Red', rag_amber: 'Amber', rag_green: 'Green', rag_grey: 'Grey', rag_no_data: 'No data'};

// rows(page, scope): every table row under scope, its cells' text joined
// by " | "
function rows(page, scope) {
  return page.evaluate((scope) => [...document.querySelectorAll(`${scope} tr`)]
    .map((tr) => [...tr.cells].map((c) => c.textContent.replace(/\s+/g, ' ').trim()).join(' | '))
    .filter((t) => t.replace(/[ |]/g, '')), scope);
}

// cliRows(browser, name, args): the table rows of pmif's own HTML report
async function cliRows(browser, name, args) {
  const file = path.join(env.tmp, `cli-${name}.html`);
  const r = await pmif('member', [...args, '--format', 'html', '-o', file]);
  assert.strictEqual(r.code, 0, `pmif ${args.join(' ')} --format html: ${r.err}`);
  const p = await browser.newPage();
  try {
    await p.goto(`file://${file}`);
    return await rows(p, 'body');
  } finally {
    await p.close();
  }
}

// sameRows: every row of pmif's report is a row of the page
async function sameRows(browser, page, name, args) {
  const want = await cliRows(browser, name, args);
  assert.ok(want.length > 0, `pmif's ${name} report has no table rows`);
  const got = new Set(await rows(page, 'main'));
  const missing = want.filter((r) => !got.has(r));
  assert.deepStrictEqual(missing.slice(0, 3), [],
                         `${missing.length} of ${want.length} rows of pmif's report are not on the page, e.g. ${missing.slice(0, 3).join(' | ')}`);
}

// rowWith(page, id): the text of the first table row naming id
async function rowWith(page, id) {
  const all = await rows(page, 'main');
  return all.find((r) => r.includes(id)) || '';
}

function measuresOf(card) {
  return card.objectives.flatMap((o) => o.measures);
}

const FORMATS = [
  ['csv', /^text\/csv/, (b) => assert.ok(/^[^\n]*,[^\n]*\n/.test(b.toString('utf8')), 'the CSV has no header line')],
  ['json', /^application\/json/, (b) => JSON.parse(b.toString('utf8'))],
  ['pdf', /^application\/pdf/, (b) => assert.strictEqual(b.subarray(0, 5).toString('latin1'), '%PDF-', 'not a PDF')],
];

// downloads(page, name, json): each of the page's CSV, JSON and PDF links
// answers 200 with its content type, as an attachment; the JSON is the
// same report pmif --json gives
async function downloads(page, name, json) {
  await check(`${name}: the CSV, JSON and PDF links answer with text/csv, application/json and application/pdf attachments`, async () => {
    const cookies = await page.cookies();
    for (const [fmt, type, body] of FORMATS) {
      const href = await page.$$eval(`a[href*="format=${fmt}"]`, (as) => as.map((a) => a.href)[0]).catch(() => null);
      assert.ok(href, `no link to format=${fmt}`);
      const r = await httpGet(href, cookies);
      assert.strictEqual(r.status, 200, `${href} answered ${r.status}`);
      assert.match(r.headers.get('content-type') || '', type, `${fmt} content type`);
      assert.match(r.headers.get('content-disposition') || '', /^attachment/, `${fmt} Content-Disposition`);
      body(r.body);
      if (fmt === 'json' && json) {
        const got = JSON.parse(r.body.toString('utf8'));
        assert.strictEqual(got.title, json.title, 'the JSON download is not the report pmif --json gives');
      }
    }
  });
}

// one(browser, page, spec): visit, status and CSP, content, downloads, and
// the checks every page gets
async function one(browser, page, spec) {
  let json = null;
  await check(`${spec.name}: GET ${spec.url} answers 200 with the CSP, and shows the report pmif gives`, async () => {
    json = spec.cli ? await pmifJson('member', spec.cli) : null;
    const res = await go(page, spec.url);
    assert.strictEqual(res.status(), 200, `${spec.url} answered ${res.status()}`);
    checkCsp(res);
    await spec.content(page, json);
  });
  if (spec.cli) await check(`${spec.name}: a filter form (GET) whose fields are all labelled`, async () => {
    const bad = await page.evaluate(() => {
      const f = document.querySelector('main form[method=get], main form:not([method])');
      if (!f) return ['no GET filter form in main'];
      return [...f.querySelectorAll('input:not([type=hidden]):not([type=submit]), select')]
        .filter((i) => !(i.labels && i.labels.length) && !i.getAttribute('aria-label'))
        .map((i) => `field ${i.name} has no label`);
    });
    assert.deepStrictEqual(bad, []);
  });
  if (spec.cli) await downloads(page, spec.name, json);
  await examine(page, spec.name, {user: USERS.member.user, role: USERS.member.role});
}

function specs(browser, period) {
  const P = env.period;
  return [
    {name: 'home', url: '/', content: async (page) => {
      const text = await page.$eval('main', (m) => m.textContent);
      includesText(text, period, 'the latest open period on the home page');
      // what needs attention: the council's scorecard for that period
      const card = await pmifJson('member', ['report', 'scorecard', '--period', period]);
      for (const [n, word] of [[card.red, 'Red'], [card.amber, 'Amber'], [card.no_data, 'No data']])
        includesText(text, `${n} ${word}`, 'what needs attention');
      const links = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
      for (const p of ['/scorecard', '/exceptions', '/completeness', '/locality', '/risks', '/pack'])
        assert.ok(links.some((h) => h === p || h.startsWith(`${p}?`)), `no link to ${p} on the home page`);
    }},
    {name: 'scorecard', url: `/scorecard?period=${P}&committee=FAMILIES-OSC`,
     cli: ['report', 'scorecard', '--period', P, '--committee', 'FAMILIES-OSC'], content: async (page, card) => {
       for (const m of measuresOf(card)) {
         const row = await rowWith(page, m.measure_id);
         assert.ok(row, `no row for ${m.measure_id}`);
         includesText(row, RAG_WORD[m.rag], `the RAG word in ${m.measure_id}'s row`);
       }
       await sameRows(browser, page, 'scorecard', ['report', 'scorecard', '--period', P, '--committee', 'FAMILIES-OSC']);
     }},
    {name: 'exceptions', url: `/exceptions?period=${P}&committee=FAMILIES-OSC`,
     cli: ['report', 'exceptions', '--period', P, '--committee', 'FAMILIES-OSC'], content: async (page, ex) => {
       assert.ok(ex.exceptions.length > 0, 'pmif finds no exception to compare with');
       for (const m of ex.exceptions) assert.ok(await rowWith(page, m.measure_id), `no row for ${m.measure_id}`);
       await sameRows(browser, page, 'exceptions', ['report', 'exceptions', '--period', P, '--committee', 'FAMILIES-OSC']);
     }},
    {name: 'completeness', url: `/completeness?period=${P}`, cli: ['report', 'completeness', '--period', P],
     content: async (page, co) => {
       const text = await page.$eval('main', (m) => m.textContent);
       for (const d of co.directorates) includesText(text, d.name, 'a directorate');
       await sameRows(browser, page, 'completeness', ['report', 'completeness', '--period', P]);
     }},
    {name: 'locality', url: `/locality?measure=FSM-UPTAKE&period=${P}`,
     cli: ['report', 'locality', 'FSM-UPTAKE', '--period', P], content: async (page, lo) => {
       const all = await rows(page, 'main');
       for (const l of lo.localities) {
         const row = all.find((r) => r.includes(norm(l.name)));
         assert.ok(row, `no row for ${l.name}`);
         includesText(row, l.comparison_label, `${l.locality}'s comparison`);
       }
       await sameRows(browser, page, 'locality', ['report', 'locality', 'FSM-UPTAKE', '--period', P]);
     }},
    {name: 'risks', url: `/risks?period=${P}`, cli: ['report', 'risks', '--period', P],
     content: async (page, rk) => {
       await sameRows(browser, page, 'risks', ['report', 'risks', '--period', P]);
     }},
    {name: 'measure', url: `/measure/FSM-UPTAKE?period=${P}`, cli: ['report', 'trend', 'FSM-UPTAKE', '--period', P],
     content: async (page, tr) => {
       const text = await page.$eval('main', (m) => m.textContent);
       includesText(text, tr.measure.title, 'the measure title');
       includesText(text, tr.spc.summary, 'the SPC summary');
       assert.ok(await page.$('main svg'), 'no SVG chart');
       for (const p of tr.points.slice(-4)) includesText(text, p.period, 'a period of the history');
     }},
    {name: 'pack', url: `/pack?committee=FAMILIES-OSC&period=${P}`,
     cli: ['report', 'pack', '--committee', 'FAMILIES-OSC', '--period', P], content: async (page, pk) => {
       const text = await page.$eval('main', (m) => m.textContent);
       includesText(text, pk.committee_name, 'the committee');
       for (const o of pk.objectives) {
         if (o.commentary) includesText(text, o.commentary, `${o.objective_id}'s commentary`);
         for (const r of o.risks) includesText(text, r.risk_id, 'a risk');
       }
       await sameRows(browser, page, 'pack', ['report', 'pack', '--committee', 'FAMILIES-OSC', '--period', P]);
     }},
    {name: 'cabinet', url: `/pack?committee=cabinet&period=${P}`,
     cli: ['report', 'pack', '--committee', 'CABINET', '--period', P], content: async (page, pk) => {
       assert.ok(pk.cabinet, 'pmif says the CABINET pack is not the Cabinet report');
       const text = await page.$eval('main', (m) => m.textContent);
       includesText(text, pk.title, 'the Cabinet report title');
       await sameRows(browser, page, 'cabinet', ['report', 'pack', '--committee', 'CABINET', '--period', P]);
     }},
  ];
}

// latestOpen(): the latest open period, as pmif lists them
async function latestOpen() {
  const list = await pmifJson('member', ['period', 'list']);
  const open = list.periods.filter((p) => p.state === 'open').map((p) => p.id).sort();
  assert.ok(open.length, 'pmif lists no open period');
  return open[open.length - 1];
}

// run(browser, page): page is signed in as the member
async function run(browser, page) {
  const period = await latestOpen();
  for (const spec of specs(browser, period)) await one(browser, page, spec);
  await check('keyboard: on the scorecard, Tab starts at the skip link and every focused element shows its focus', async () => {
    await go(page, `/scorecard?period=${env.period}&committee=FAMILIES-OSC`);
    const seen = [];
    for (let i = 0; i < 15; i++) {
      await page.keyboard.press('Tab');
      seen.push(await focused(page));
    }
    assert.strictEqual(seen[0].href, '#main', `the first Tab reaches ${JSON.stringify(seen[0])}`);
    const hidden = seen.filter((f) => !f.visible).map((f) => `${f.tag} "${f.text || f.name || f.href}" (${f.style})`);
    assert.deepStrictEqual(hidden, [], `focus cannot be seen on ${hidden.join(', ')}`);
  });
  await check('keyboard: Enter on the skip link moves to the main content', async () => {
    await go(page, `/scorecard?period=${env.period}&committee=FAMILIES-OSC`);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await new Promise((r) => setTimeout(r, 100));
    assert.strictEqual(new URL(page.url()).hash, '#main');
  });
}

module.exports = {run, rows, rowWith, measuresOf, latestOpen, RAG_WORD};
