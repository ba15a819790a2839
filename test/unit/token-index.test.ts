import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { excerpt, highlight, type Hit, stem, TokenIndex, tokenize } from '../../src/shared/token-index.ts';

type Meta = { sealed: boolean };
const open: Meta = { sealed: false };
const sealed: Meta = { sealed: true };
const visible = (meta: Meta) => !meta.sealed;

function indexOf(docs: Array<[id: string, title: string, text?: string, meta?: Meta]>): TokenIndex<Meta> {
  const index = new TokenIndex<Meta>();
  for (const [id, title, text, meta] of docs) index.add(id, { title, text }, meta ?? open);
  return index;
}

const ids = (hits: Array<Hit<Meta>>) => hits.map((hit) => hit.id);
const joined = (segments: Array<{ text: string }>) => segments.map((segment) => segment.text).join('');
const marked = (segments: Array<{ text: string; match: boolean }>) => segments.filter((s) => s.match).map((s) => s.text);

/** Every hit of a search, page by page, as the ideas list will fetch them. */
function allPages(index: TokenIndex<Meta>, query: string, limit: number, filter?: (meta: Meta) => boolean) {
  const pages: Array<Array<Hit<Meta>>> = [];
  let after: { score: number; id: string } | undefined;
  for (;;) {
    const page = index.search(query, { limit, after, filter });
    pages.push(page.hits);
    if (!page.next) return pages;
    assert.ok(pages.length < 10_000, 'pagination terminates');
    after = page.next;
  }
}

/** A small deterministic PRNG (mulberry32), so the large test is the same on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('tokenize', () => {
  it('ignores case, accents and character width, so "Café exports" meets "cafe export"', () => {
    assert.deepEqual(tokenize('Café exports'), tokenize('cafe export'));
    assert.deepEqual(tokenize('CAFE\u0301 ＥＸＰＯＲＴ'), tokenize('cafe export'), 'decomposed accent and full-width letters');
    assert.deepEqual(tokenize('Straße'), tokenize('strasse'));
    assert.deepEqual(tokenize('Réservation naïve, Ångström'), tokenize('reservation naive angstrom'), 'accents inside words too');
    const index = indexOf([
      ['a', 'Café exports'],
      ['b', 'Bakery imports'],
    ]);
    assert.deepEqual(ids(index.search('cafe export', { limit: 10 }).hits), ['a']);
  });

  it('drops stop words, one-letter words and punctuation', () => {
    assert.deepEqual(tokenize('The idea: a bus for all of us, and I would board it!'), ['idea', 'bus', 'all', 'board']);
    assert.deepEqual(tokenize('the of and is it'), []);
    assert.deepEqual(tokenize("customer's e-mail"), ['customer', 'mail']);
  });

  it('stems so that word forms meet, without mangling short words', () => {
    for (const form of ['exports', 'exported', 'exporting', 'Export']) assert.deepEqual(tokenize(form), ['export'], form);
    for (const form of ['shares', 'shared', 'sharing']) assert.equal(stem(form), stem('share'), form);
    assert.equal(stem('policies'), 'policy');
    assert.equal(stem('boxes'), stem('box'));
    assert.equal(stem('buses'), 'bus');
    assert.equal(stem('running'), 'run');
    for (const word of ['bus', 'is', 'status', 'class', 'analysis', 'thing', 'string', 'speed', 'add']) {
      assert.equal(stem(word), word, `${word} is left alone`);
    }
    assert.equal(stem('3ds'), '3ds', 'words with digits are not stemmed');
  });
});

describe('TokenIndex.similar: "is yours one of these?"', () => {
  const catalogue: Array<[string, string, string]> = [
    ['csv', 'Export the monthly report to CSV', 'Finance wants the numbers in a spreadsheet.'],
    ['pdf', 'Monthly report as PDF', 'A printable version of the report.'],
    ['import', 'Import contacts from CSV', 'Upload a spreadsheet of contacts.'],
    ['news', 'Monthly newsletter for customers', 'Tell customers what changed.'],
    ['dark', 'Dark mode for the mobile app', 'Easier on the eyes at night.'],
    ['parking', 'Reserve parking spots in the app', 'Book a spot before you arrive.'],
  ];

  it('finds a near-duplicate title and ranks it first', () => {
    const index = indexOf(catalogue);
    const hits = index.similar('Exporting monthly reports as CSV files', { limit: 3 });
    assert.equal(hits[0]?.id, 'csv');
    assert.ok(!ids(hits).includes('dark') && !ids(hits).includes('parking'), 'unrelated ideas are not offered');
    for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1]!.score >= hits[i]!.score, 'best first');
  });

  it('weighs a shared word in the title more than the same word in the body', () => {
    const index = indexOf([
      ['title', 'Solar panels on the warehouse roof', 'Cut the energy bill.'],
      ['body', 'Cut the energy bill', 'For example with solar panels on the warehouse roof.'],
      ...Array.from({ length: 10 }, (_, i): [string, string, string] => [`other${i}`, `Unrelated idea number ${i}`, 'Nothing here.']),
    ]);
    assert.deepEqual(ids(index.similar('Solar panels for the warehouse', { limit: 5 })), ['title', 'body']);
  });

  it('does not suggest anything on one common shared word', () => {
    const index = indexOf(Array.from({ length: 20 }, (_, i): [string, string] => [`app${i}`, `App idea ${['alpha', 'bravo', 'charlie', 'delta', 'echo'][i % 5]}${i}`]));
    assert.deepEqual(index.similar('App', { limit: 5 }), [], 'the common word alone');
    assert.deepEqual(index.similar('The app for lunch menus', { limit: 5 }), [], 'the common word plus unknown ones');
    assert.deepEqual(index.similar('app idea', { limit: 5 }), [], 'several common words');
    assert.deepEqual(ids(index.similar('App idea bravo6', { limit: 5 })), ['app6'], 'but one distinctive shared word is enough');
  });

  it('does not offer an idea that shares only a small part of the title', () => {
    const index = indexOf([['one-word', 'Phone repair workshop'], ['most', 'Solar phone chargers'], ...Array.from({ length: 10 }, (_, i): [string, string] => [`other${i}`, `Canteen menu ${i}`])]);
    assert.deepEqual(ids(index.similar('Solar powered phone chargers in the lobby', { limit: 5 })), ['most']);
    assert.deepEqual(ids(index.similar('Solar powered phone chargers in the lobby', { limit: 5, minScore: 0.05 })), ['most', 'one-word'], 'unless the caller lowers the bar');
  });

  it('offers nothing for an empty or stop-word-only title, or an empty index', () => {
    const index = indexOf(catalogue);
    assert.deepEqual(index.similar('', { limit: 5 }), []);
    assert.deepEqual(index.similar('the and of it', { limit: 5 }), []);
    assert.deepEqual(new TokenIndex<Meta>().similar('Export monthly report', { limit: 5 }), []);
  });

  it('never suggests the idea being edited', () => {
    const index = indexOf(catalogue);
    const hits = index.similar('Export the monthly report to CSV', { limit: 5, exclude: 'csv' });
    assert.ok(!ids(hits).includes('csv'));
    assert.ok(hits.length > 0, 'the others are still offered');
  });

  it('never shows a filtered-out idea, and filtering does not shrink the list when others qualify', () => {
    const index = indexOf([
      ['a1', 'Bike racks at every office', '', sealed],
      ['a2', 'Bike racks at the office', '', open],
      ['a3', 'More bike racks at offices', '', sealed],
      ['a4', 'Bike racks for the office garage', '', open],
      ['a5', 'Office bike racks with chargers', '', open],
      ['a6', 'Covered bike racks near the office', '', open],
      ...Array.from({ length: 10 }, (_, i): [string, string, string, Meta] => [`z${i}`, `Canteen menu ${i}`, '', open]),
    ]);
    const unfiltered = index.similar('Bike racks at the office', { limit: 3 });
    assert.ok(
      ids(unfiltered).some((id) => id === 'a1' || id === 'a3'),
      'the sealed ones would rank',
    );
    const hits = index.similar('Bike racks at the office', { limit: 3, filter: visible });
    assert.equal(hits.length, 3, 'still a full list');
    assert.ok(hits.every((hit) => !hit.meta.sealed));
    assert.equal(hits[0]?.id, 'a2');
    const all = index.similar('Bike racks at the office', { limit: 10, filter: (meta, id) => visible(meta) && id !== 'a2' });
    assert.deepEqual(ids(all).sort(), ['a4', 'a5', 'a6'], 'the filter also receives the id');
  });
});

describe('TokenIndex: keeping the index current', () => {
  it('forgets a removed idea', () => {
    const index = indexOf([
      ['a', 'Rainwater tanks on the roof'],
      ['b', 'Green roof garden'],
    ]);
    assert.equal(index.remove('a'), true);
    assert.equal(index.remove('a'), false, 'removing twice is harmless');
    assert.equal(index.size, 1);
    assert.equal(index.has('a'), false);
    assert.deepEqual(index.search('rainwater', { limit: 5 }).hits, []);
    assert.deepEqual(ids(index.search('roof', { limit: 5 }).hits), ['b']);
    assert.deepEqual(index.similar('Rainwater tanks', { limit: 5 }), []);
  });

  it('replaces text and meta on update, and adds an idea it did not have', () => {
    const index = indexOf([['a', 'Rainwater tanks', 'On the roof']]);
    index.update('a', { title: 'Solar panels', text: 'On the car park' }, sealed);
    assert.equal(index.size, 1);
    assert.deepEqual(index.search('rainwater', { limit: 5 }).hits, [], 'old words are gone');
    assert.deepEqual(index.search('roof', { limit: 5 }).hits, []);
    assert.deepEqual(
      index.search('solar car park', { limit: 5 }).hits.map((hit) => [hit.id, hit.meta]),
      [['a', sealed]],
    );
    index.update('b', { title: 'Rainwater tanks' }, open);
    assert.deepEqual(ids(index.search('rainwater', { limit: 5 }).hits), ['b']);
  });

  it('scores exactly like a freshly built index after removals and updates', () => {
    const final: Array<[string, string, string]> = [
      ['a', 'Rainwater tanks on the roof', 'Collect rain for the garden and the toilets.'],
      ['c', 'Roof garden with rain sensors', 'Plants that need little water.'],
      ['d', 'Water fountains', 'Refill bottles instead of buying water.'],
      ['e', 'Rain covers for bike racks', 'Keep the saddles dry when it rains.'],
    ];
    const edited = indexOf([
      ['a', 'Rainwater tanks on the roof', 'Collect rain for the garden and the toilets.'],
      ['b', 'Rain alerts by text message', 'Warn staff before rain so they bring an umbrella.'],
      ['c', 'A roof garden', 'Herbs for the canteen.'],
      ['d', 'Water fountains', 'Refill bottles instead of buying water.'],
      ['e', 'Rain covers for bike racks', 'Keep the saddles dry when it rains.'],
    ]);
    edited.remove('b');
    edited.update('c', { title: 'Roof garden with rain sensors', text: 'Plants that need little water.' }, open);
    const fresh = indexOf(final);
    for (const query of ['rain', 'water', 'roof garden', 'rain bike']) {
      assert.deepEqual(edited.search(query, { limit: 10 }), fresh.search(query, { limit: 10 }), query);
    }
    assert.deepEqual(edited.similar('Rain water tanks for the roof garden', { limit: 10, minScore: 0 }), fresh.similar('Rain water tanks for the roof garden', { limit: 10, minScore: 0 }));
  });

  it('answers a query asked again after each kind of change as a freshly built index does', () => {
    const docs: Array<[string, string, string, Meta]> = [
      ['a', 'Rain sensors for the garden', 'Water only when it is dry.', open],
      ['b', 'Rain alerts', 'A text message before rain.', open],
      ['c', 'Rainy day bike covers', 'Keep the rain off the saddles.', sealed],
    ];
    const index = indexOf(docs);
    const asked = () => ({ all: allPages(index, 'rain', 1), visible: allPages(index, 'rain', 1, visible) });
    const fresh = () => {
      const rebuilt = indexOf(docs);
      return { all: allPages(rebuilt, 'rain', 1), visible: allPages(rebuilt, 'rain', 1, visible) };
    };
    assert.deepEqual(asked(), fresh());
    docs.push(['d', 'Rain barrels', 'Rain, rain and more rain for the plants.', open]);
    index.add('d', { title: 'Rain barrels', text: 'Rain, rain and more rain for the plants.' }, open);
    assert.deepEqual(asked(), fresh(), 'after an idea was added');
    docs.splice(1, 1);
    index.remove('b');
    assert.deepEqual(asked(), fresh(), 'after an idea was removed');
    docs[0] = ['a', 'Rain sensors', 'Water only when it is dry.', open];
    index.update('a', { title: 'Rain sensors', text: 'Water only when it is dry.' }, open);
    assert.deepEqual(asked(), fresh(), 'after an idea was edited');
    docs[1] = ['c', 'Rainy day bike covers', 'Keep the rain off the saddles.', open];
    index.update('c', { title: 'Rainy day bike covers', text: 'Keep the rain off the saddles.' }, open);
    assert.deepEqual(asked(), fresh(), 'after only its meta changed, through update');
    docs[1] = ['c', 'Rainy day bike covers', 'Keep the rain off the saddles.', sealed];
    index.setMeta('c', sealed);
    assert.deepEqual(asked(), fresh(), 'after only its meta changed, through setMeta');
  });

  it('gives the same scores and order for an update whose words did not change, with the new meta', () => {
    const index = indexOf([
      ['a', 'Rain sensors', 'For the garden.'],
      ['b', 'Rain alerts', 'By text message.'],
    ]);
    const before = index.search('rain', { limit: 5 });
    index.update('a', { title: 'Rain sensors', text: 'For the garden.' }, sealed);
    const after = index.search('rain', { limit: 5 });
    assert.deepEqual(
      after.hits.map((hit) => [hit.id, hit.score]),
      before.hits.map((hit) => [hit.id, hit.score]),
    );
    assert.equal(after.hits.find((hit) => hit.id === 'a')?.meta, sealed);
    assert.deepEqual(ids(index.search('rain', { limit: 5, filter: visible }).hits), ['b']);
    assert.deepEqual(ids(index.search('sensors', { limit: 5, filter: visible }).hits), []);
  });

  it('changes meta alone with setMeta, and refuses to add an id twice', () => {
    const index = indexOf([['a', 'Rainwater tanks']]);
    assert.equal(index.setMeta('a', sealed), true);
    assert.equal(index.setMeta('missing', sealed), false);
    assert.deepEqual(index.search('rainwater', { limit: 5, filter: visible }).hits, []);
    assert.throws(() => index.add('a', { title: 'Again' }, open), /already indexed/);
  });
});

describe('TokenIndex.search', () => {
  const index = indexOf([
    ['both', 'Export reports to CSV'],
    ['export-only', 'Export reports to PDF'],
    ['csv-only', 'Import contacts from CSV'],
    ['body', 'Finance dashboard', 'It should export a CSV every month.'],
  ]);

  it('requires every query word (AND)', () => {
    assert.deepEqual(ids(index.search('CSV exports', { limit: 10 }).hits).sort(), ['body', 'both']);
    assert.deepEqual(ids(index.search('export', { limit: 10 }).hits).sort(), ['body', 'both', 'export-only']);
    assert.deepEqual(index.search('export spreadsheet', { limit: 10 }).hits, [], 'a word nobody used matches nothing');
  });

  it('ranks a match in the title above a match in the body', () => {
    assert.deepEqual(ids(index.search('export csv', { limit: 10 }).hits), ['both', 'body']);
  });

  it('finds nothing for an empty or stop-word-only query', () => {
    assert.deepEqual(index.search('', { limit: 10 }), { hits: [], next: null });
    assert.deepEqual(index.search('the of', { limit: 10 }), { hits: [], next: null });
  });

  it('rejects a limit that is not a positive integer', () => {
    assert.throws(() => index.search('export', { limit: 0 }), RangeError);
    assert.throws(() => index.similar('export', { limit: 1.5 }), RangeError);
  });

  it('pages by (score, id) so every hit appears exactly once, ties ordered by id', () => {
    const docs: Array<[string, string, string?, Meta?]> = [];
    // 23 identical documents tie on score; others score differently; some do not match at all.
    for (let i = 0; i < 23; i++) docs.push([`tie-${String(i).padStart(2, '0')}`, 'Shared bikes for staff']);
    for (let i = 0; i < 9; i++) docs.push([`var-${i}`, 'Bikes', `${'bikes '.repeat(i)} and a longer body about commuting`]);
    for (let i = 0; i < 5; i++) docs.push([`miss-${i}`, 'Car sharing']);
    for (let i = 0; i < 4; i++) docs.push([`sealed-${i}`, 'Shared bikes for staff', '', sealed]);
    const shuffle = random(7);
    const many = indexOf(
      docs
        .map((doc) => [shuffle(), doc] as const)
        .sort((a, b) => a[0] - b[0])
        .map(([, doc]) => doc),
    );

    const everything = many.search('bike', { limit: 1000 }).hits;
    assert.equal(everything.length, 23 + 9 + 4);
    for (let i = 1; i < everything.length; i++) {
      const [a, b] = [everything[i - 1]!, everything[i]!];
      assert.ok(a.score > b.score || (a.score === b.score && a.id < b.id), `${a.id} before ${b.id}`);
    }

    for (const limit of [1, 4, 7, 36, 50]) {
      const pages = allPages(many, 'bike', limit);
      assert.deepEqual(pages.flat(), everything, `limit ${limit}: same hits, same order, once each`);
      assert.ok(
        pages.slice(0, -1).every((page) => page.length === limit),
        'only the last page is short',
      );
    }

    const visiblePages = allPages(many, 'bike', 5, visible);
    assert.deepEqual(ids(visiblePages.flat()), ids(everything.filter((hit) => !hit.meta.sealed)));
    assert.ok(
      visiblePages.slice(0, -1).every((page) => page.length === 5),
      'hidden hits never take a place on a page',
    );
  });
});

describe('highlight and excerpt', () => {
  it('marks "Exporting" for the query "export" and gives back the text exactly', () => {
    const text = 'Exporting is slow.\nWe export by hand; see "exports" — 🚀 café';
    const segments = highlight(text, 'export');
    assert.equal(joined(segments), text);
    assert.deepEqual(marked(segments), ['Exporting', 'export', 'exports']);
    assert.ok(segments.every((segment) => segment.text.length > 0));
  });

  it('matches through accents and case, both ways', () => {
    assert.deepEqual(marked(highlight('Café and CAFE\u0301 and cafe', 'cafés')), ['Café', 'CAFE\u0301', 'cafe']);
    assert.deepEqual(marked(highlight('A cafe here', 'Café')), ['cafe']);
  });

  it('marks nothing, and returns the text as one piece, for a query without searchable words', () => {
    assert.deepEqual(highlight('The export of it', 'the of'), [{ text: 'The export of it', match: false }]);
    assert.deepEqual(highlight('', 'export'), []);
    assert.deepEqual(marked(highlight('The export of it', 'the of export')), ['export'], 'stop words are never marked');
  });

  it('cuts a window around the first match, at spaces, with ellipses where text was cut', () => {
    const before = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. ';
    const after = ' Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip.';
    // Lengthening the words before the match a letter at a time makes the raw cut fall inside words.
    for (let shift = 0; shift < 12; shift++) {
      const lead = `Our te${'a'.repeat(shift)}m would like to`;
      const text = `${before.repeat(3)}${lead} export the monthly figures.${after.repeat(3)}`;
      const segments = excerpt(text, 'exporting', 60);
      const shown = joined(segments);
      assert.deepEqual(marked(segments), ['export']);
      assert.ok(shown.startsWith('…') && shown.endsWith('…'), shown);
      const inner = shown.slice(1, -1);
      assert.ok(inner.length <= 60, `${inner.length} characters`);
      assert.ok(inner.length >= 40, `the room is used: ${inner}`);
      assert.ok(text.includes(inner), 'a real passage of the text');
      for (const word of inner.split(' ')) assert.ok(text.split(/\s+/).includes(word), `"${word}" is a whole word in "${shown}"`);
    }
  });

  it('starts at the beginning when the match is early or absent, and shows short texts whole', () => {
    const text = 'Export the figures every month, then send them to finance and to the board for review.';
    const early = joined(excerpt(text, 'export', 40));
    assert.ok(!early.startsWith('…') && early.endsWith('…'), early);
    const none = excerpt(text, 'spreadsheet', 40);
    assert.deepEqual(marked(none), []);
    assert.ok(joined(none).startsWith('Export the figures'));
    assert.deepEqual(
      excerpt('Export\n\n  now', 'export', 40),
      [
        { text: 'Export', match: true },
        { text: ' now', match: false },
      ],
      'whitespace collapsed',
    );
    assert.deepEqual(excerpt('', 'export', 40), []);
  });

  it('ends at the end without a trailing ellipsis when the match is late', () => {
    const text = `${'words before the match '.repeat(10)}and finally the export`;
    const shown = joined(excerpt(text, 'export', 40));
    assert.ok(shown.startsWith('…') && shown.endsWith('the export'), shown);
  });
});

describe('TokenIndex at the size of a large challenge', () => {
  it('answers correctly over 10,000 ideas', () => {
    const next = random(42);
    const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vo', 'zi', 'pe', 'gu', 'sha', 'tor', 'bel', 'dan', 'fin', 'rix'];
    const vocabulary = Array.from({ length: 3000 }, (_, i) => {
      let word = '';
      for (let n = i + 1; n > 0; n = Math.floor(n / syllables.length)) word += syllables[n % syllables.length];
      return `${word}x`; // a final x keeps the stemmer from merging generated words
    });
    // Zipf-like: low ranks are common words, high ranks are rare ones.
    const pick = () => vocabulary[Math.floor(vocabulary.length * next() ** 3)]!;
    const sentence = (length: number) => Array.from({ length }, pick).join(' ');

    const docs = new Map<string, { title: string; text: string; meta: Meta }>();
    const index = new TokenIndex<Meta>();
    for (let i = 0; i < 10_000; i++) {
      const doc = { title: sentence(4 + Math.floor(next() * 6)), text: sentence(20 + Math.floor(next() * 150)), meta: { sealed: next() < 0.2 } };
      const id = `idea-${String(i).padStart(5, '0')}`;
      docs.set(id, doc);
      index.add(id, doc, doc.meta);
    }
    const planted: Array<[string, string, Meta]> = [
      ['planted', 'Hydroponic lettuce towers in the staff canteen', open],
      ['planted-sealed', 'Hydroponic lettuce towers for the canteen', sealed],
    ];
    for (const [id, title, meta] of planted) {
      const doc = { title, text: sentence(80), meta };
      docs.set(id, doc);
      index.add(id, doc, meta);
    }
    assert.equal(index.size, 10_002);

    // The expected answers, found the slow way: every document's tokens against the query's.
    const tokensOf = new Map([...docs].map(([id, doc]) => [id, new Set(tokenize(`${doc.title} ${doc.text}`))]));
    const brute = (query: string, filter?: (meta: Meta) => boolean) => {
      const wanted = tokenize(query);
      return [...docs]
        .filter(([id, doc]) => (!filter || filter(doc.meta)) && wanted.every((token) => tokensOf.get(id)!.has(token)))
        .map(([id]) => id)
        .sort();
    };
    for (const query of [vocabulary[0]!, `${vocabulary[1]} ${vocabulary[2]}`, `${vocabulary[5]} ${vocabulary[40]} ${vocabulary[300]}`, vocabulary[2500]!]) {
      const expected = brute(query);
      assert.ok(expected.length > 0, `"${query}" matches something`);
      const firstPage = index.search(query, { limit: 20 });
      assert.equal(firstPage.hits.length, Math.min(20, expected.length));
      assert.deepEqual(ids(allPages(index, query, 100).flat()).sort(), expected, `"${query}": every match, once`);
      assert.deepEqual(ids(allPages(index, query, 100, visible).flat()).sort(), brute(query, visible), `"${query}" with a filter`);
    }

    const hints = index.similar('Hydroponic lettuce towers in our canteen', { limit: 5, filter: visible });
    assert.equal(hints[0]?.id, 'planted');
    assert.ok(!ids(hints).includes('planted-sealed'));
    assert.deepEqual(index.similar(vocabulary[0]!, { limit: 5 }), [], 'the most common word gives no hint');

    const removed = new Set([...docs.keys()].filter((_, i) => i % 10 === 3));
    for (const id of removed) index.remove(id);
    assert.equal(index.size, 10_002 - removed.size);
    const remaining = brute(vocabulary[1]!).filter((id) => !removed.has(id));
    assert.deepEqual(ids(allPages(index, vocabulary[1]!, 100).flat()).sort(), remaining, 'removed ideas are gone, the rest all still found');
  });
});
