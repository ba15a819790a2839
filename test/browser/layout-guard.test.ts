import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ideaInput } from '../../src/features/ideas/ideas.schemas.ts';
import { accessibilityViolations, asSignedIn, useBrowserAndApp } from '../helpers/browser.ts';
import { actorFor, createChallenge } from '../helpers/challenges.ts';
import { approveIdea } from '../helpers/curation.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { challengeInJudging } from '../helpers/judging.ts';
import { createUser } from '../helpers/users.ts';

const WIDTHS = [390, 1280] as const;

/** What the page is wider than its window by (0 when it fits), and axe's serious and critical findings. */
async function problemsAt(page: import('playwright-core').Page, width: number): Promise<string[]> {
  const problems: string[] = [];
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 0) problems.push(`${width} px: scrolls sideways by ${overflow} px`);
  // A table that scrolls inside its wrap is reached by keyboard too (public/js/page.js).
  const unreachable = await page.evaluate(() => [...document.querySelectorAll('.table-wrap')].filter((wrap) => wrap.scrollWidth > wrap.clientWidth && wrap.getAttribute('tabindex') !== '0').length);
  if (unreachable > 0) problems.push(`${width} px: ${unreachable} table(s) scroll sideways out of the keyboard's reach`);
  const serious = await accessibilityViolations(page, { impact: ['serious', 'critical'] });
  problems.push(...serious.map((violation) => `${width} px: ${violation}`));
  return problems;
}

describe('browser: every page type fits a phone and a laptop, for the role that uses it', () => {
  const suite = useBrowserAndApp();

  it('never scrolls sideways at 390 or 1,280 px and has no serious or critical axe violation', async () => {
    const { services } = suite.app;
    const admin = await createUser({ roles: ['staff', 'admin'], name: 'Avery Admin' });
    const copilot = await createUser({ name: 'Corin Copilot' });
    const member = await createUser({ name: 'Mina Member' });
    const judged = await challengeInJudging(suite.app, { ideas: 2, judges: 1, form: { title: 'Invoices at a glance' } });
    const judge = judged.judges[0]!;

    // A challenge in curation: one idea waits for screening, one is shortlisted and in a backlog.
    const { id: curatedId, staff } = await createChallenge(suite.app, { phase: 'open', form: { title: 'Stories worth telling', copilots: copilot.email } });
    const submit = async (title: string) => {
      const body = ideaForm({ title });
      return (await services.ideas.createIdea(actorFor(member), curatedId, ideaInput.parse(body), body)).ideaId;
    };
    const waitingId = await submit('A story wall in the lobby');
    const shortlistedId = await submit('Customer of the month');
    await approveIdea(suite.app, staff, curatedId, shortlistedId);
    await services.challenges.movePhase(staff, curatedId, 'curation', 'test setup');
    await services.shortlist.add(staff, curatedId, shortlistedId, 'A strong one');
    const adminActor = actorFor(admin, ['staff', 'admin']);
    const { item } = await services.backlogItems.promote(adminActor, shortlistedId, 'product');
    // An open challenge where the member's idea was edited once (its revisions page).
    const { id: openId } = await createChallenge(suite.app, { phase: 'open', form: { title: 'Quieter offices' } });
    const firstDraft = ideaForm({ title: 'Phone booths' });
    const { ideaId: editedId } = await services.ideas.createIdea(actorFor(member), openId, ideaInput.parse(firstDraft), firstDraft);
    const secondDraft = ideaForm({ title: 'Phone booths on every floor' });
    await services.ideas.updateIdea(actorFor(member), editedId, ideaInput.parse(secondDraft), secondDraft);
    const { id: webhookId } = await services.webhooks.create(adminActor, { url: 'https://93.184.215.14/hook', events: ['idea.status_changed'] });

    async function endJudging() {
      const criteria = [
        { score: 4, comment: 'Clear and cheap to try' },
        { score: 3, comment: 'Needs the billing team' },
      ];
      await services.scorecards.save(actorFor(judge, ['staff']), judged.id, judged.ideaIds[0]!, { criteria, comment: 'A good start', privateNote: '', submit: true });
      await services.challenges.movePhase(judged.staff, judged.id, 'decided', 'Judging is done');
    }

    const pages: Array<{ as: typeof member | null; paths: string[]; before?: () => Promise<void> }> = [
      { as: null, paths: ['/', '/sign-in', '/sign-up', '/challenges', `/challenges/${judged.id}`, '/forgot-password', '/forgot-password/sent', '/check-your-email', '/reset-password?token=x'] },
      {
        as: member,
        paths: [
          '/',
          '/challenges',
          `/ideas/${shortlistedId}`,
          '/my/ideas',
          '/notifications',
          '/account',
          '/account/notifications',
          '/account/password',
          '/account/email',
          '/account/data',
          '/account/delete',
          '/search?q=story',
          '/my/activity',
          `/challenges/${openId}/ideas/new`,
          `/ideas/${editedId}/edit`,
          `/ideas/${editedId}/revisions`,
          `/challenges/${openId}/compare`,
        ],
      },
      {
        as: copilot,
        paths: [
          '/curation',
          `/challenges/${curatedId}/curation`,
          `/challenges/${curatedId}/curation/ideas/${waitingId}`,
          `/challenges/${curatedId}/shortlist`,
          `/challenges/${curatedId}/curation/reports`,
          `/challenges/${curatedId}/curation/compare?left=${waitingId}&right=${shortlistedId}`,
          `/challenges/${curatedId}/curation/responses`,
        ],
      },
      { as: judge, paths: ['/', '/judging', `/challenges/${judged.id}/judging`, `/challenges/${judged.id}/judging/ideas/${judged.ideaIds[0]}`] },
      {
        as: admin,
        paths: [
          '/',
          `/challenges/${curatedId}`,
          '/challenges/new',
          `/challenges/${curatedId}/edit`,
          `/challenges/${judged.id}/judging/setup`,
          `/challenges/${judged.id}/judging/results`,
          `/challenges/${judged.id}/judging/winners`,
          `/challenges/${judged.id}/judging/appeals`,
          `/people/${member.id}`,
          `/challenges/${curatedId}/insights`,
          '/insights',
          '/backlogs',
          '/backlogs/product',
          '/backlogs/product/tokens',
          `/backlog-items/${item.id}`,
          `/challenges/${curatedId}/review`,
          `/challenges/${curatedId}/outcomes`,
          '/admin/users',
          `/admin/users/${member.id}`,
          `/admin/users/${member.id}/erase`,
          '/admin/audit',
          '/admin/webhooks',
          `/admin/webhooks/${webhookId}`,
          '/admin/branding',
          '/admin/sign-in',
        ],
      },
      // Last, once judging is over (the judging pages above are seen during it): the judges' feedback, as its author reads it.
      { as: judged.authors[0]!, paths: [`/ideas/${judged.ideaIds[0]}/feedback`], before: endJudging },
    ];

    const problems: string[] = [];
    for (const { as, paths, before } of pages) {
      await before?.();
      await asSignedIn(suite.browser, suite.app.url, as, async (page) => {
        for (const path of paths) {
          await page.setViewportSize({ width: WIDTHS[0], height: 800 });
          const response = await page.goto(path);
          // Every problem is collected, so one run names them all.
          if (response?.status() !== 200) {
            problems.push(`${path} as ${as?.name ?? 'a visitor'}: status ${response?.status()}`);
            continue;
          }
          // One load, each width by resizing: the layout is CSS alone (no script reads the window's width).
          for (const width of WIDTHS) {
            if (width !== WIDTHS[0]) await page.setViewportSize({ width, height: 800 });
            problems.push(...(await problemsAt(page, width)).map((problem) => `${path} as ${as?.name ?? 'a visitor'} at ${problem}`));
          }
        }
      });
    }
    assert.deepEqual(problems, []);
  });
});
