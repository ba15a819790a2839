/**
 * Text search and duplicate hints ("is yours one of these?") over a challenge's ideas.
 *
 * The embedded database has no text index and scans on every query that is not by _id
 * (../shared/docs/database.md), so the ideas feature keeps one of these indexes in memory per
 * challenge, built on first use and kept current by its own writes and events. This module is
 * pure: no I/O, no database, no HTTP; callers decide what goes in and who may see what comes out.
 */

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

/**
 * Words too frequent to tell ideas apart. Matched after normalisation and before stemming.
 * Kept short on purpose: every word dropped here can never be searched for.
 */
const STOP_WORDS = new Set([
  'the',
  'a',
  'an',
  'and',
  'or',
  'of',
  'to',
  'in',
  'for',
  'on',
  'with',
  'is',
  'are',
  'be',
  'it',
  'this',
  'that',
  'we',
  'our',
  'you',
  'your',
  'as',
  'at',
  'by',
  'from',
  'can',
  'should',
  'would',
  'could',
  'will',
  'not',
  'no',
  'but',
  'if',
  'so',
  'than',
  'then',
  'there',
  'their',
  'they',
  'i',
  'my',
  'me',
  'was',
  'were',
  'been',
  'has',
  'have',
  'had',
  'do',
  'does',
  'its',
  'into',
  'these',
  'those',
  'them',
  'us',
  'how',
  'what',
  'which',
  'who',
  'might',
  'may',
  'also',
  'very',
  'just',
]);

/** Letters that NFKD leaves whole but people type both ways ("Straße" / "strasse"). */
const FOLDS: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };
const FOLDABLE = /[ßæœøłđðþı]/g;

/**
 * A run of letters, digits and combining marks in the original text. Marks belong to the run so
 * a decomposed "e\u0301" stays inside its word; normalisation then removes them.
 */
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const MARKS = /\p{M}+/gu;
const NOT_ALPHANUMERIC = /[^\p{L}\p{N}]+/u;
const PLAIN_ASCII = /^[a-z0-9]+$/;

/**
 * Appends the tokens of one word of the original text (usually one; NFKD can split a word: "½"
 * becomes "1⁄2"). tokenize(), highlight() and excerpt() all go through here, so a highlighted
 * word is exactly a word the index would match.
 */
function tokensOfWord(word: string, tokens: string[] = []): string[] {
  const lower = word.toLowerCase();
  // Most words are plain ASCII: skip the Unicode work for them (index builds tokenize a lot).
  if (PLAIN_ASCII.test(lower)) keepToken(lower, tokens);
  else {
    const plain = lower
      .normalize('NFKD')
      .replace(MARKS, '')
      .replace(FOLDABLE, (letter) => FOLDS[letter] ?? letter);
    for (const piece of plain.split(NOT_ALPHANUMERIC)) keepToken(piece, tokens);
  }
  return tokens;
}

function keepToken(piece: string, tokens: string[]): void {
  if (piece.length >= 2 && !STOP_WORDS.has(piece)) tokens.push(stem(piece));
}

/**
 * Normalised words of `text`, in order, repeats kept (they count as term frequency):
 *
 * 1. words are runs of letters and digits (anything else separates them, including apostrophes
 *    and hyphens: "e-mail" gives "mail", "customer's" gives "customer");
 * 2. lower case, Unicode NFKD with combining marks removed ("Café" → "cafe", "Ｅｘｐｏｒｔ" →
 *    "export", "ﬁle" → "file"), and a few letters NFKD keeps whole folded ("ß" → "ss");
 * 3. tokens shorter than 2 characters and English stop words are dropped;
 * 4. the rest go through {@link stem}.
 *
 * Scripts without spaces between words (Chinese, Japanese) come out as one token per run; that
 * is a known limit, acceptable for a mostly-European audience.
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.matchAll(WORD)) tokensOfWord(match[0], tokens);
  return tokens;
}

const VOWEL = /[aeiouy]/;
const LETTERS = /^[a-z]+$/;
/** A doubled final consonant left by "running", "planned"; not l, s, z ("filled", "passed"). */
const DOUBLED = /([^aeiouylsz])\1$/;

/**
 * A light English suffix stemmer, so "export", "exports", "exported", "exporting" meet. Rules
 * apply to lower-case a–z words of 4 letters or more (shorter words, words with digits and
 * other scripts are left alone, which keeps "bus", "gas", "is", "3ds" sane), in this order:
 *
 * 1. plurals and third person: "-ies" → "-y" when 5+ letters ("policies" → "policy", but "ties"
 *    → "tie"); otherwise a final "s" goes unless the word ends in "ss", "us" or "is" ("class",
 *    "status", "analysis" stay);
 * 2. then "-ing" or "-ed" goes when at least 3 letters with a vowel remain ("exporting" →
 *    "export"; "thing", "string", "need", "used" stay; "-eed" is never cut, so "speed" stays),
 *    and a doubled final consonant is undoubled ("running" → "run", "planned" → "plan", but
 *    "adding" → "add", "filled" → "fill");
 * 3. otherwise a final silent "e" goes ("share" → "shar"), which is what lets "share",
 *    "shares", "shared" and "sharing" meet, and "boxes" → "boxe" → "box", "buses" → "bus".
 *
 * It is deliberately not Porter: fewer rules, fewer surprises. Known misses ("use" / "using",
 * "agree" / "agreed") cost a hint now and then; over-stemming would merge unrelated words,
 * which is worse for duplicate hints.
 */
export function stem(word: string): string {
  if (word.length < 4 || !LETTERS.test(word)) return word;
  let w = word;
  if (w.length >= 5 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);

  const suffix = w.endsWith('ing') ? 'ing' : w.endsWith('ed') && !w.endsWith('eed') ? 'ed' : null;
  const base = suffix ? w.slice(0, -suffix.length) : '';
  if (suffix && base.length >= 3 && VOWEL.test(base)) {
    return base.length > 3 && DOUBLED.test(base) ? base.slice(0, -1) : base;
  }
  return w.length >= 4 && w.endsWith('e') ? w.slice(0, -1) : w;
}

// ---------------------------------------------------------------------------------------------
// Index
// ---------------------------------------------------------------------------------------------

export type IndexedFields = { title: string; text?: string };
export type Hit<Meta> = { id: string; score: number; meta: Meta };
/** The last hit of a page: the next page starts strictly after it in (score desc, id asc). */
export type Cursor = { score: number; id: string };
export type HitFilter<Meta> = (meta: Meta, id: string) => boolean;

/**
 * Scoring is BM25F-lite: one bag of words per document in which a title word counts
 * TITLE_WEIGHT times a body word, scored with BM25 (k1 = 1.2, b = 0.75), the usual search-engine
 * formula: rare words weigh more (IDF), repeating a word helps with diminishing returns, and long
 * texts do not win merely by being long. We prefer it to TF-IDF cosine because a long body
 * would dilute a cosine even when the title is an exact duplicate.
 */
const TITLE_WEIGHT = 3;
const K1 = 1.2;
const B = 0.75;
/**
 * A hint needs the shared words to carry some information, not just a high share: typing "App"
 * in a challenge about apps matches every idea perfectly yet says nothing. So the IDFs of the
 * words a document shares with the title must add up to at least the IDF of a word used by a
 * tenth of the documents (by 2 of them in a small challenge). IDF sums are information under
 * independence: one word used by 10% or two each used by ~30% pass; "app" in 30% alone does not.
 */
const EVIDENCE_SHARE = 0.1;
const EVIDENCE_MIN_DOCS = 2;
/** Share of the best possible score a document needs to be offered as a possible duplicate. */
const DEFAULT_MIN_SIMILARITY = 0.3;

/**
 * The documents holding one token and the token's weighted frequency in each. Parallel arrays
 * rather than a Map: a 10,000-idea challenge has about a million postings, and with arrays the
 * whole index took 27 MB instead of 43 MB (ideas of ~100 words). Documents stay in ascending
 * `seq` order (they are appended as added), so membership is a binary search.
 */
type Posting<Meta> = { token: string; docs: Array<Doc<Meta>>; weights: number[] };
type Doc<Meta> = {
  id: string;
  /** Order of addition; what postings are sorted by. */
  seq: number;
  meta: Meta;
  /** Sum of the weighted term frequencies: BM25's document length. */
  length: number;
  /** The postings that list this document, so removal needs no re-tokenising. */
  postings: Array<Posting<Meta>>;
};
type QueryTerm<Meta> = { idf: number; posting: Posting<Meta> | undefined };
/**
 * Every document matching a query, best first (score desc, id asc), as the index stood at
 * `version`: a page of results is then a walk from its cursor, not a pass over every candidate.
 */
type Ranking<Meta> = { version: number; docs: Array<Doc<Meta>>; scores: Float64Array };
/**
 * Rankings kept, by query. A common word's ranking holds every document that has it (10,000
 * ideas: about 160 kB), so the bound keeps them all to a few MB.
 */
const MAX_RANKINGS = 32;
type KnownTerm<Meta> = { idf: number; posting: Posting<Meta> };

/**
 * An inverted index from token to the documents containing it with their weighted term
 * frequency. `Meta` is whatever callers need back with a hit (and to filter on) without another
 * lookup: e.g. the idea's status and whether it is sealed.
 */
export class TokenIndex<Meta> {
  readonly #docs = new Map<string, Doc<Meta>>();
  readonly #postings = new Map<string, Posting<Meta>>();
  #totalLength = 0;
  #nextSeq = 0;
  /** Moved by every change of a document's words (not of its meta): what scores depend on. */
  #version = 0;
  readonly #rankings = new Map<string, Ranking<Meta>>();

  get size(): number {
    return this.#docs.size;
  }

  has(id: string): boolean {
    return this.#docs.has(id);
  }

  /** The meta a document was indexed with, or undefined when it is not indexed. */
  meta(id: string): Meta | undefined {
    return this.#docs.get(id)?.meta;
  }

  /** Adds a document; an id already present is a caller bug (use update), so it throws. */
  add(id: string, fields: IndexedFields, meta: Meta): void {
    if (this.#docs.has(id)) throw new Error(`TokenIndex: "${id}" is already indexed; use update()`);
    this.#insert(id, weightsOf(fields), meta);
  }

  #insert(id: string, weights: Map<string, number>, meta: Meta): void {
    this.#version++;
    const doc: Doc<Meta> = { id, seq: this.#nextSeq++, meta, length: 0, postings: [] };
    for (const [token, weight] of weights) {
      let posting = this.#postings.get(token);
      if (!posting) this.#postings.set(token, (posting = { token, docs: [], weights: [] }));
      posting.docs.push(doc);
      posting.weights.push(weight);
      doc.postings.push(posting);
      doc.length += weight;
    }
    this.#docs.set(id, doc);
    this.#totalLength += doc.length;
  }

  /** Removes a document; returns whether it was there. */
  remove(id: string): boolean {
    const doc = this.#docs.get(id);
    if (!doc) return false;
    this.#version++;
    // Splicing costs a copy of the posting list; edits of the text are rare next to reads, so reads win.
    for (const posting of doc.postings) {
      const at = positionIn(posting, doc);
      posting.docs.splice(at, 1);
      posting.weights.splice(at, 1);
      if (posting.docs.length === 0) this.#postings.delete(posting.token);
    }
    this.#docs.delete(id);
    this.#totalLength -= doc.length;
    return true;
  }

  /**
   * Replaces a document's text and meta, adding it if absent (so replaying events is safe). Words
   * that did not change (most updates: a vote, a status, a report) only replace the meta: the
   * document keeps its place in every posting, and scores and rankings stay as they are.
   */
  update(id: string, fields: IndexedFields, meta: Meta): void {
    const weights = weightsOf(fields);
    const doc = this.#docs.get(id);
    if (doc && sameWeights(doc, weights)) {
      doc.meta = meta;
      return;
    }
    this.remove(id);
    this.#insert(id, weights, meta);
  }

  /** Replaces only the meta (a status or visibility change) without re-tokenising. */
  setMeta(id: string, meta: Meta): boolean {
    const doc = this.#docs.get(id);
    if (doc) doc.meta = meta;
    return doc !== undefined;
  }

  /**
   * "Is yours one of these?": documents sharing telling words with a title being typed, best
   * first. The score is the BM25F score as a share of the best score the title's words could
   * reach (each word's IDF × (k1 + 1)), so it lies in [0, 1) whatever the collection's size, and
   * a typed word no document contains lowers it (it is evidence of a different idea). A document
   * is offered when its share reaches the minimum similarity and the words it shares carry enough
   * evidence (see EVIDENCE_SHARE). `filter` runs before `limit`, so hidden documents never take
   * a place. `minScore` overrides DEFAULT_MIN_SIMILARITY.
   */
  similar(title: string, options: { limit: number; exclude?: string; filter?: HitFilter<Meta>; minScore?: number }): Array<Hit<Meta>> {
    const top = new TopHits<Meta>(positiveLimit(options.limit));
    const terms = this.#queryTerms(title);
    const minScore = options.minScore ?? DEFAULT_MIN_SIMILARITY;
    const ceiling = terms.reduce((sum, term) => sum + term.idf * (K1 + 1), 0);
    const minEvidence = Math.max(0, this.#idf(Math.max(EVIDENCE_MIN_DOCS, EVIDENCE_SHARE * this.#docs.size)));

    // A document found only under the most common words, whose IDFs add up to less than the
    // evidence needed, cannot qualify: those postings are not walked, so "app" does not make
    // every idea a candidate. They still count towards the score of the candidates.
    const known = terms.filter(isKnown).sort((a, b) => a.idf - b.idf);
    let skipped = 0;
    let walkFrom = 0;
    while (walkFrom < known.length && skipped + known[walkFrom]!.idf < minEvidence) skipped += known[walkFrom++]!.idf;
    const common = known.slice(0, walkFrom);

    // Term at a time: one pass along each walked posting, no binary searches, since a long title
    // of mid-frequency words can make thousands of candidates.
    const found = new Map<Doc<Meta>, { score: number; evidence: number }>();
    for (const { idf, posting } of known.slice(walkFrom)) {
      posting.docs.forEach((doc, i) => {
        let match = found.get(doc);
        if (!match) found.set(doc, (match = { score: 0, evidence: 0 }));
        match.score += this.#termScore(idf, posting.weights[i]!, doc);
        match.evidence += idf;
      });
    }
    for (const [doc, match] of found) {
      if (doc.id === options.exclude) continue;
      for (const { idf, posting } of common) {
        const at = positionIn(posting, doc);
        if (at === -1) continue;
        match.score += this.#termScore(idf, posting.weights[at]!, doc);
        match.evidence += idf;
      }
      if (match.evidence < minEvidence) continue;
      const score = roundScore(match.score / ceiling);
      if (score < minScore || !top.wouldKeep(score, doc.id)) continue;
      if (options.filter && !options.filter(doc.meta, doc.id)) continue;
      top.add({ id: doc.id, score, meta: doc.meta });
    }
    return top.best();
  }

  /**
   * Documents containing every token of the query (AND), by BM25F score then id, one page at a
   * time: pass the previous page's `next` as `after`. Pages are exact while the index does not
   * change; an edit between two pages moves scores, as it would in any ranked list. A query with
   * no searchable token (empty, only stop words) finds nothing: callers show their usual list.
   */
  search(query: string, options: { limit: number; after?: Cursor; filter?: HitFilter<Meta> }): { hits: Array<Hit<Meta>>; next: Cursor | null } {
    const limit = positiveLimit(options.limit);
    const queried = this.#queryTerms(query);
    const terms = queried.filter(isKnown);
    if (terms.length === 0 || terms.length < queried.length) return { hits: [], next: null };
    const { docs, scores } = this.#ranking(terms);
    const { after, filter } = options;
    // One more than a page, to know whether another page follows.
    const hits: Array<Hit<Meta>> = [];
    for (let i = after ? firstAfter(docs, scores, after) : 0; i < docs.length && hits.length <= limit; i++) {
      const doc = docs[i]!;
      if (filter && !filter(doc.meta, doc.id)) continue;
      hits.push({ id: doc.id, score: scores[i]!, meta: doc.meta });
    }
    const more = hits.length > limit;
    if (more) hits.length = limit;
    const last = hits.at(-1);
    return { hits, next: more && last ? { score: last.score, id: last.id } : null };
  }

  /**
   * Every document containing all the terms, ranked, kept until the words change: pages of a
   * common word then cost a walk of one page instead of scoring its thousands of documents again
   * (a member's search for a word in 1,250 of 10,000 ideas scored them all on every request).
   * Keyed by the terms in the query's order, the order their scores are added in.
   */
  #ranking(terms: Array<KnownTerm<Meta>>): Ranking<Meta> {
    const key = terms.map((term) => term.posting.token).join(' ');
    const kept = this.#rankings.get(key);
    if (kept?.version === this.#version) return kept;
    // Walk the rarest token's documents and look each up in the others, rarest first so misses
    // end early: the work is bounded by the smallest posting list, not the collection.
    const [rarest, ...others] = [...terms].sort((a, b) => a.posting.docs.length - b.posting.docs.length) as [KnownTerm<Meta>, ...Array<KnownTerm<Meta>>];
    const { docs, weights } = rarest.posting;
    const matched: Array<Doc<Meta>> = [];
    const raw: number[] = [];
    candidates: for (let i = 0; i < docs.length; i++) {
      const doc = docs[i]!;
      let score = this.#termScore(rarest.idf, weights[i]!, doc);
      for (let t = 0; t < others.length; t++) {
        const { idf, posting } = others[t]!;
        const at = positionIn(posting, doc);
        if (at === -1) continue candidates;
        score += this.#termScore(idf, posting.weights[at]!, doc);
      }
      matched.push(doc);
      raw.push(roundScore(score));
    }
    const order = Array.from(matched.keys()).sort((a, b) => compareHits(raw[a]!, matched[a]!.id, raw[b]!, matched[b]!.id));
    const ranking: Ranking<Meta> = { version: this.#version, docs: order.map((i) => matched[i]!), scores: Float64Array.from(order, (i) => raw[i]!) };
    this.#rankings.delete(key);
    if (this.#rankings.size >= MAX_RANKINGS) this.#rankings.delete(this.#rankings.keys().next().value!);
    this.#rankings.set(key, ranking);
    return ranking;
  }

  /** The query's distinct tokens with their IDF and postings (undefined: no document has it). */
  #queryTerms(query: string): Array<QueryTerm<Meta>> {
    return [...new Set(tokenize(query))].map((token) => {
      const posting = this.#postings.get(token);
      return { idf: this.#idf(posting?.docs.length ?? 0), posting };
    });
  }

  /** BM25's IDF for a word in `df` documents, in the form that stays positive up to df = N. */
  #idf(df: number): number {
    return Math.log(1 + (this.#docs.size - df + 0.5) / (df + 0.5));
  }

  /** One query word's share of a document's BM25 score, for its weighted frequency `tf`. */
  #termScore(idf: number, tf: number, doc: Doc<Meta>): number {
    const averageLength = this.#totalLength / this.#docs.size || 1;
    return (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * doc.length) / averageLength));
  }
}

/** A document's weighted term frequencies: a title word counts TITLE_WEIGHT times a body word. */
function weightsOf(fields: IndexedFields): Map<string, number> {
  const weights = new Map<string, number>();
  for (const token of tokenize(fields.title)) weights.set(token, (weights.get(token) ?? 0) + TITLE_WEIGHT);
  for (const token of tokenize(fields.text ?? '')) weights.set(token, (weights.get(token) ?? 0) + 1);
  return weights;
}

/** Whether the document is indexed under exactly these tokens with these weights. */
function sameWeights<Meta>(doc: Doc<Meta>, weights: Map<string, number>): boolean {
  if (doc.postings.length !== weights.size) return false;
  for (const posting of doc.postings) {
    if (posting.weights[positionIn(posting, doc)] !== weights.get(posting.token)) return false;
  }
  return true;
}

/** Where a ranking's walk starts after `cursor`: the first document that comes after it (binary search). */
function firstAfter<Meta>(docs: ReadonlyArray<Doc<Meta>>, scores: Float64Array, cursor: Cursor): number {
  let low = 0;
  let high = docs.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareHits(scores[middle]!, docs[middle]!.id, cursor.score, cursor.id) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function isKnown<Meta>(term: QueryTerm<Meta>): term is KnownTerm<Meta> {
  return term.posting !== undefined;
}

/** Where the document sits in the posting (binary search on `seq`), or -1. */
function positionIn<Meta>(posting: Posting<Meta>, doc: Doc<Meta>): number {
  let low = 0;
  let high = posting.docs.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const seq = posting.docs[middle]!.seq;
    if (seq === doc.seq) return middle;
    if (seq < doc.seq) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/**
 * Scores are rounded so a cursor survives a trip through a URL as a short number, and so two
 * documents that differ only by float noise tie and are ordered by id.
 */
function roundScore(score: number): number {
  return Math.round(score * 1e6) / 1e6;
}

function positiveLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`TokenIndex: limit must be a positive integer, not ${limit}`);
  return limit;
}

/** Negative when (scoreA, idA) comes first: higher score, then smaller id (code-unit order). */
function compareHits(scoreA: number, idA: string, scoreB: number, idB: string): number {
  if (scoreA !== scoreB) return scoreB - scoreA;
  return idA < idB ? -1 : idA > idB ? 1 : 0;
}

/**
 * The best `capacity` hits seen so far, kept sorted. Pages are small, so a sorted array with
 * binary insertion beats sorting every match when a common word matches thousands.
 */
class TopHits<Meta> {
  readonly #hits: Array<Hit<Meta>> = [];
  readonly capacity: number;
  constructor(capacity: number) {
    this.capacity = capacity;
  }

  wouldKeep(score: number, id: string): boolean {
    const worst = this.#hits[this.capacity - 1];
    return !worst || compareHits(score, id, worst.score, worst.id) < 0;
  }

  add(hit: Hit<Meta>): void {
    let low = 0;
    let high = this.#hits.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const other = this.#hits[middle] as Hit<Meta>;
      if (compareHits(other.score, other.id, hit.score, hit.id) < 0) low = middle + 1;
      else high = middle;
    }
    this.#hits.splice(low, 0, hit);
    if (this.#hits.length > this.capacity) this.#hits.pop();
  }

  best(): Array<Hit<Meta>> {
    return [...this.#hits];
  }
}

// ---------------------------------------------------------------------------------------------
// Highlighting
// ---------------------------------------------------------------------------------------------

/**
 * A piece of the original text; `match` marks a word whose token is one of the query's. Returned
 * as data, not HTML, so templates escape every piece and wrap matches in <mark> themselves.
 */
export type Segment = { text: string; match: boolean };

/**
 * The text cut into alternating plain and matching pieces; joining every `text` gives back the
 * original exactly. Matching goes through the same normalisation as the index, so "Exporting"
 * is marked for the query "export".
 */
export function highlight(text: string, query: string): Segment[] {
  const wanted = new Set(tokenize(query));
  const segments: Segment[] = [];
  let done = 0;
  if (wanted.size > 0) {
    for (const match of text.matchAll(WORD)) {
      if (!tokensOfWord(match[0]).some((token) => wanted.has(token))) continue;
      if (match.index > done) segments.push({ text: text.slice(done, match.index), match: false });
      segments.push({ text: match[0], match: true });
      done = match.index + match[0].length;
    }
  }
  if (done < text.length) segments.push({ text: text.slice(done), match: false });
  return segments;
}

const ELLIPSIS = '…';

/**
 * A short passage for a results list: whitespace collapsed (line breaks would not survive a list
 * anyway), then at most `maxLength` characters of it around the first matching word (or from the
 * start when nothing matches), cut at spaces where possible, with "…" on each side that was cut
 * (the ellipses are not counted in `maxLength`). Highlighted like highlight().
 */
export function excerpt(text: string, query: string, maxLength: number): Segment[] {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (maxLength < 1 || flat.length === 0) return [];
  if (flat.length <= maxLength) return highlight(flat, query);

  let matchStart = 0;
  let matchEnd = 0;
  for (const segment of highlight(flat, query)) {
    if (segment.match) {
      matchEnd = matchStart + segment.text.length;
      break;
    }
    matchStart += segment.text.length;
  }
  if (matchEnd === 0) matchStart = 0;

  // A third of the room before the match: enough to see where the sentence goes, more after.
  const lead = Math.max(0, Math.floor((maxLength - (matchEnd - matchStart)) / 3));
  let start = Math.min(Math.max(0, matchStart - lead), flat.length - maxLength);
  if (start > 0 && flat[start - 1] !== ' ') {
    const space = flat.indexOf(' ', start);
    if (space !== -1 && space < matchStart) start = space + 1;
  }
  let end = Math.min(flat.length, start + maxLength);
  if (end < flat.length && flat[end] !== ' ') {
    const space = flat.lastIndexOf(' ', end);
    if (space > start && space >= matchEnd) end = space;
  }
  // Never split a surrogate pair when a cut had to fall inside a word.
  if (isLowSurrogate(flat.charCodeAt(start))) start += 1;
  if (isLowSurrogate(flat.charCodeAt(end))) end -= 1;

  const window = flat.slice(start, end).trim();
  return highlight(`${start > 0 ? ELLIPSIS : ''}${window}${end < flat.length ? ELLIPSIS : ''}`, query);
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
