import path from 'node:path';
import express from 'express';
import { createLocalBus, type ClusterBus } from './cluster/bus.ts';
import { createChangeLog, type ChangeLog } from './cluster/change-log.ts';
import { syncReadModelsAcrossProcesses } from './cluster/read-model-sync.ts';
import { createOutbox, type Outbox } from './cluster/outbox.ts';
import type { ServingConfig } from './config.ts';
import { DEMO_PASSWORD, DEMO_USERS } from './db/seed.ts';
import { accountsRoutes, accountUploads } from './features/accounts/accounts.routes.ts';
import { createAccounts } from './features/accounts/accounts.service.ts';
import { adminUsersRoutes } from './features/accounts/admin-users.routes.ts';
import { createAdminUsers } from './features/accounts/admin-users.service.ts';
import { createPassport } from './features/accounts/passport.ts';
import { createUserCache } from './features/accounts/user-cache.ts';
import { createOidcStrategies } from './features/accounts/oidc-strategies.ts';
import { createSignInSettings } from './features/accounts/sign-in-settings.ts';
import { createSso } from './features/accounts/sso.service.ts';
import { ssoRoutes } from './features/accounts/sso.routes.ts';
import { createPrivacy } from './features/privacy/privacy.service.ts';
import { privacyRoutes } from './features/privacy/privacy.routes.ts';
import { auditRoutes } from './features/audit/audit.routes.ts';
import { createChallengeCatalog } from './features/challenges/challenge-catalog.ts';
import { challengesRoutes, challengeUploads } from './features/challenges/challenges.routes.ts';
import { createChallenges } from './features/challenges/challenges.service.ts';
import { createUserDirectory } from './features/accounts/user-directory.ts';
import { createIdeaBoard } from './features/ideas/idea-board.ts';
import { createIdeaNews } from './features/ideas/idea-news.ts';
import { ideaUploads, ideasRoutes } from './features/ideas/ideas.routes.ts';
import { createIdeas } from './features/ideas/ideas.service.ts';
import { searchRoutes } from './features/search/search.routes.ts';
import { createBranding } from './features/site/branding.ts';
import { siteRoutes, siteUploads } from './features/site/site.routes.ts';
import { votesRoutes } from './features/community/votes.routes.ts';
import { createVotes } from './features/community/votes.service.ts';
import { comparisonsRoutes } from './features/community/comparisons.routes.ts';
import { createComparisons } from './features/community/comparisons.service.ts';
import { followsRoutes } from './features/community/follows.routes.ts';
import { commentsRoutes } from './features/community/comments.routes.ts';
import { createComments } from './features/community/comments.service.ts';
import { reportsRoutes } from './features/community/reports.routes.ts';
import { createReports } from './features/community/reports.service.ts';
import { questionsRoutes } from './features/community/questions.routes.ts';
import { createQuestions } from './features/community/questions.service.ts';
import { createFollows } from './features/community/follows.service.ts';
import { notificationsRoutes } from './features/notifications/notifications.routes.ts';
import { createNotifications } from './features/notifications/notifications.service.ts';
import { notifyOnDomainEvents } from './features/notifications/subscribers.ts';
import { homeRoutes } from './features/home/home.routes.ts';
import { createHome } from './features/home/home.service.ts';
import { createCannedResponses } from './features/curation/canned-responses.ts';
import { createClaims } from './features/curation/claims.ts';
import { createScreening } from './features/curation/screening.service.ts';
import { screeningRoutes } from './features/curation/screening.routes.ts';
import { createModeration } from './features/curation/moderation.service.ts';
import { moderationRoutes } from './features/curation/moderation.routes.ts';
import { createShortlist } from './features/curation/shortlist.service.ts';
import { shortlistRoutes } from './features/curation/shortlist.routes.ts';
import { createMerges } from './features/curation/merges.service.ts';
import { mergesRoutes } from './features/curation/merges.routes.ts';
import { createJudging } from './features/judging/judging.service.ts';
import { createScorecards } from './features/judging/scorecards.service.ts';
import { judgingRoutes } from './features/judging/judging.routes.ts';
import { createResults } from './features/judging/results.service.ts';
import { createPulls } from './features/judging/pulls.service.ts';
import { createBacklogs } from './features/backlogs/backlogs.service.ts';
import { createItemCatalog } from './features/backlogs/item-catalog.ts';
import { createBacklogItems } from './features/backlogs/items.service.ts';
import { createApiTokens } from './features/backlogs/api-tokens.ts';
import { apiTokensRoutes } from './features/backlogs/api-tokens.routes.ts';
import { backlogApiRoutes } from './features/backlogs/api.routes.ts';
import { createDispatcher } from './features/webhooks/dispatcher.ts';
import { createPayloads } from './features/webhooks/payloads.ts';
import { createWebhooks } from './features/webhooks/webhooks.service.ts';
import { createSubscriptions } from './features/webhooks/subscriptions.ts';
import { webhooksRoutes } from './features/webhooks/webhooks.routes.ts';
import { notifyOnBacklogEvents } from './features/backlogs/subscribers.ts';
import { createBacklogPages } from './features/backlogs/backlog-pages.ts';
import { backlogsRoutes } from './features/backlogs/backlogs.routes.ts';
import { createReview } from './features/backlogs/review.service.ts';
import { createAppeals } from './features/judging/appeals.service.ts';
import { appealsRoutes } from './features/judging/appeals.routes.ts';
import { createWinners } from './features/judging/winners.service.ts';
import { winnersRoutes } from './features/judging/winners.routes.ts';
import { createExports } from './features/exports/exports.service.ts';
import { exportsRoutes } from './features/exports/exports.routes.ts';
import { createDimensions } from './features/insights/dimensions.ts';
import { createInsights } from './features/insights/insights.service.ts';
import { insightsRoutes, visitorHook } from './features/insights/insights.routes.ts';
import { createRecorder } from './features/insights/recorder.ts';
import { createAcrossInsights } from './features/insights/across.service.ts';
import { recordInsightsOnDomainEvents } from './features/insights/subscribers.ts';
import { trackIndividualActivity } from './features/insights/individual-activity.ts';
import { createIndividual } from './features/insights/individual.service.ts';
import { individualRoutes } from './features/insights/individual.routes.ts';
import { withSenderName, type Mailer } from './mail/mailer.ts';
import { outboxRoutes } from './mail/outbox.routes.ts';
import { EventBus } from './shared/events.ts';
import type { Logger } from './shared/logger.ts';
import { errorHandler, notFound } from './web/error-handler.ts';
import { exposeFlash } from './web/flash.ts';
import { exposeKeptInput } from './web/kept-input.ts';
import { refuseDeepBodies } from './web/body-depth.ts';
import { createDrain } from './web/drain.ts';
import { healthRoutes } from './web/health.ts';
import { pageLocals } from './web/locals.ts';
import { requestLocale } from './web/locale.ts';
import { requestLog } from './web/request-log.ts';
import { sendPagesAsStrings } from './web/send-page.ts';
import { apiRateLimit, authRateLimits, DEFAULT_RATE_LIMITS, type RateLimitSettings, type RateLimitStoreFactory } from './web/rate-limits.ts';
import { mountUploads } from './uploads/index.ts';
import { csrfProtection, securityHeaders } from './web/security.ts';
import { endSessionsOf, sessionMiddleware } from './web/session.ts';
import { createViewEngine, VIEWS_DIR } from './web/views.ts';

export type AppDeps = {
  config: ServingConfig;
  logger: Logger;
  mailer: Mailer;
  events?: EventBus;
  rateLimits?: Partial<RateLimitSettings>;
  rateLimitStore?: RateLimitStoreFactory;
  /** Tells other app processes what changed (Redis when REDIS_URL is set). */
  clusterBus?: ClusterBus;
  /** The database's record of changes, which every process tails (its own by default). */
  changeLog?: ChangeLog;
  /** Where notifications, webhooks, insights and the activity index are consumed from: the database's outbox by default. */
  outbox?: (events: EventBus) => Outbox;
};

const PUBLIC_DIR = path.join(VIEWS_DIR, '..', 'public');

const BODY_LIMIT = '100kb';

/** Builds the web application. Expects the database to be connected; starts nothing itself. */
export function createApp(deps: AppDeps) {
  const { config, logger } = deps;
  const events = deps.events ?? new EventBus(logger, config.outboxStall);
  const outbox = deps.outbox?.(events) ?? createOutbox({ events, logger, startDelayMs: config.outboxStartDelayMs, intentGraceMs: config.outboxIntentGraceMs });
  const branding = createBranding({ events });
  const mailer = withSenderName(deps.mailer, async () => (await branding.current()).name);
  const https = config.publicUrl.startsWith('https://');

  const users = createUserCache(events);
  const accounts = createAccounts({ mailer, events, publicUrl: config.publicUrl, passwordHashCost: config.passwordHashCost, defaultLocale: config.defaultLocale, endSessionsOf });
  const adminUsers = createAdminUsers({ events, endSessionsOf });
  const passport = createPassport(accounts, users);
  const sso = createSso({ accounts, events, providers: config.oidcProviders });
  const oidc = createOidcStrategies({ providers: config.oidcProviders, passport, sso, publicUrl: config.publicUrl, logger });
  const signInSettings = createSignInSettings({ ssoConfigured: config.oidcProviders.length > 0 });
  const catalog = createChallengeCatalog();
  const privacy = createPrivacy({ events, logger, endSessionsOf, refreshChallenge: (id) => catalog.refresh(id) });
  const challenges = createChallenges({ events, catalog });
  const directory = createUserDirectory(events);
  const board = createIdeaBoard();
  const ideas = createIdeas({ events, challenges, board, directory, mailer, publicUrl: config.publicUrl, defaultLocale: config.defaultLocale });
  const votes = createVotes({ ideas, events, logger });
  const follows = createFollows({ challenges, ideas, events });
  const comparisons = createComparisons({ challenges, ideas, board, events });
  const comments = createComments({ ideas, directory, events });
  const reports = createReports({ ideas, events });
  const questions = createQuestions({ challenges, directory, events });
  const canned = createCannedResponses();
  const screening = createScreening({ events, challenges, ideas, board, directory, claims: createClaims({ board }), canned });
  const moderation = createModeration({ events, ideas, screening, directory });
  const shortlist = createShortlist({ challenges, ideas, board, comparisons, events, directory, phaseEvents: outbox.consumer('phases') });
  const merges = createMerges({ challenges, lifecycle: ideas.lifecycle, events, directory, comments });
  const notifications = createNotifications({
    events,
    mailer,
    users,
    news: createIdeaNews({ board, catalog }),
    publicUrl: config.publicUrl,
    secret: config.sessionSecret,
    defaultLocale: config.defaultLocale,
  });
  const judging = createJudging({ events, challenges, catalog, board, directory, notifications, phaseEvents: outbox.consumer('phases') });
  const scorecards = createScorecards({ events, challenges, judging, lifecycle: ideas.lifecycle, directory });
  const results = createResults({ challenges, judging, board, comparisons, directory });
  const pulls = createPulls({ challenges, judging, results });
  const insightsRecorder = createRecorder({ catalog, dimensions: createDimensions(events, users.counted) });
  recordInsightsOnDomainEvents({ events: outbox.consumer('insights'), recorder: insightsRecorder });
  const insights = createInsights({ challenges, board, directory, judging, results, recorder: insightsRecorder });
  const backlogs = createBacklogs(events);
  const itemCatalog = createItemCatalog();
  const backlogItems = createBacklogItems({ events, challenges, challengeCatalog: catalog, lifecycle: ideas.lifecycle, backlogs, catalog: itemCatalog, results });
  const apiTokens = createApiTokens({ backlogs });
  const webhookPayloads = createPayloads({ challenges: catalog, items: itemCatalog, publicUrl: config.publicUrl });
  const webhookSubscriptions = createSubscriptions();
  const webhookDispatcher = createDispatcher({ events: outbox.consumer('webhooks'), subscriptions: webhookSubscriptions, payloads: webhookPayloads, allowedHosts: config.webhookAllowedHosts, logger });
  const webhooks = createWebhooks({ events, dispatcher: webhookDispatcher, subscriptions: webhookSubscriptions, allowedHosts: config.webhookAllowedHosts });
  const backlogPages = createBacklogPages({ challenges, challengeCatalog: catalog, board, backlogs, items: itemCatalog, directory });
  const review = createReview({ challenges, board, backlogs, items: backlogItems, results, comparisons, comments, notifications });
  const appeals = createAppeals({ challenges, judging, directory, notifications });
  const winners = createWinners({
    events,
    phaseEvents: outbox.consumer('phases'),
    challenges,
    catalog,
    judging,
    lifecycle: ideas.lifecycle,
    directory,
    ranking: (actor, challengeId) => results.ranking(actor, challengeId),
    rankingOf: (challenge) => results.rankingOf(challenge),
  });
  const exports = createExports({ challenges, board, directory, results, judging, items: itemCatalog, publicUrl: config.publicUrl });
  notifyOnDomainEvents({ events: outbox.consumer('notifications'), notifications, follows, catalog, users, board });
  notifyOnBacklogEvents({ events: outbox.consumer('notifications'), notifications, follows, items: itemCatalog, catalog, users });
  trackIndividualActivity(outbox.consumer('activity'));
  const individual = createIndividual({ catalog, items: itemCatalog, judgesAuthorBlind: (actor, userId) => judging.judgesAuthorBlind(actor, userId), authoredIdeaIds: ideas.authoredIdeaIds });
  const readModelSync = syncReadModelsAcrossProcesses(deps.clusterBus ?? createLocalBus(), deps.changeLog ?? createChangeLog({ logger }), events, {
    catalog,
    board,
    users,
    directory,
    notifications,
    follows,
    comparisons,
    items: itemCatalog,
    backlogs,
    judging,
    site: branding,
    webhooks: webhookSubscriptions,
  });
  const limits = authRateLimits({ ...DEFAULT_RATE_LIMITS, ...deps.rateLimits }, deps.rateLimitStore);

  const drain = createDrain();
  const app = express();
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  // No ETag on what routes send: Express hashes every page it sends for one, and a page seldom comes
  // back unchanged (a signed-in page carries its CSRF token; counts move). Static files keep theirs.
  app.set('etag', false);
  // Templates are compiled once everywhere; in development an edited one is picked up on the next reload.
  const views = createViewEngine({ watch: config.env === 'development' ? VIEWS_DIR : undefined, onChange: () => Object.assign(app, { cache: Object.create(null) as object }) });
  app.engine('hbs', views.engine);
  app.set('view engine', 'hbs');
  app.set('views', VIEWS_DIR);
  app.set('view cache', true);
  sendPagesAsStrings(app);

  app.use(requestLog(logger));
  app.use(drain.closeConnections);
  app.use(healthRoutes({ isDraining: drain.isDraining }));
  app.use(...securityHeaders({ https }));
  // Only asset paths reach the file system: a page request costs no stat() and no 404 error.
  for (const dir of ['css', 'img', 'js']) {
    app.use(`/${dir}`, express.static(path.join(PUBLIC_DIR, dir), { maxAge: config.env === 'production' ? '1d' : 0, index: false }));
  }
  // Every page's header and title, and error pages too, show the site's name (from memory).
  app.use(async (_req, res, next) => {
    res.locals.site = await branding.current();
    next();
  });
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT }));
  app.use(express.json({ limit: BODY_LIMIT }));
  app.use(refuseDeepBodies);
  const session = sessionMiddleware({ secret: config.sessionSecret });
  app.use(session);
  app.use(passport.initialize());
  app.use(passport.session());
  app.use(requestLocale(config.defaultLocale));
  mountUploads(app, [ideaUploads, challengeUploads, siteUploads, accountUploads]);
  app.use(...csrfProtection({ secret: config.sessionSecret, https }));
  app.use(exposeFlash({ secret: config.sessionSecret }));
  app.use(exposeKeptInput);
  app.use(pageLocals);
  // The nav's unread count and curator/judge links: from memory, no scan of the challenges per request.
  app.use(async (req, res, next) => {
    if (!req.user) {
      res.locals.unreadCount = 0;
      res.locals.curatesAny = false;
      res.locals.judgesAny = false;
      return next();
    }
    const [unread, team] = await Promise.all([notifications.unreadCount(req.user), catalog.teamRolesOf(req.user.id)]);
    res.locals.unreadCount = unread;
    res.locals.curatesAny = team.curates;
    res.locals.judgesAny = team.judges;
    next();
  });

  // Before the routers of every other page, and on its own path, so a search is not matched against all their routes first.
  app.use('/search', searchRoutes({ challenges, ideas, votes }));
  app.use(homeRoutes({ challenges, home: createHome({ challenges, ideas, notifications, screening, judging, backlogs, items: itemCatalog, winners }) }));
  const demo = config.env === 'development' ? { password: DEMO_PASSWORD, accounts: DEMO_USERS.map((user) => ({ ...user, roles: user.roles.join(', ') })) } : undefined;
  app.use(
    accountsRoutes({
      accounts,
      passport,
      limits,
      demo,
      signInOptions: { providers: sso.providers, passwordSignIn: signInSettings.passwordSignIn, endSessionUrl: oidc.endSessionUrl },
    }),
  );
  app.use(privacyRoutes({ privacy }));
  app.use(ssoRoutes({ sso, strategies: oidc, passport, settings: signInSettings, limits, logger }));
  app.use(
    '/challenges',
    challengesRoutes({
      challenges,
      follows,
      questions,
      winners,
      ideas: {
        list: async (actor, challenge, options) => votes.withBallots(actor, challenge, await ideas.challengeIdeas(actor, challenge, options)),
        count: ideas.ideaCount,
        participated: ideas.participatedChallengeIds,
      },
      visited: visitorHook(insights, (error) => logger.error({ err: error }, 'counting a visitor failed')),
    }),
  );
  app.use(ideasRoutes({ ideas, challenges, directory, votes, follows, comparisons, comments, merges, blindFor: judging.blindFor, backlog: backlogPages }));
  app.use(siteRoutes({ branding }));
  app.use(votesRoutes({ votes }));
  app.use(comparisonsRoutes({ comparisons }));
  app.use(followsRoutes({ follows }));
  app.use(commentsRoutes({ comments }));
  app.use(reportsRoutes({ reports }));
  app.use(questionsRoutes({ questions }));
  app.use(screeningRoutes({ screening, canned }));
  app.use(moderationRoutes({ moderation }));
  app.use(shortlistRoutes({ shortlist }));
  app.use(mergesRoutes({ merges }));
  app.use(judgingRoutes({ judging, scorecards, results, pulls }));
  app.use(backlogsRoutes({ backlogs, items: backlogItems, pages: backlogPages, review }));
  app.use(appealsRoutes({ appeals }));
  app.use(winnersRoutes({ winners }));
  app.use(exportsRoutes({ exports }));
  app.use(insightsRoutes({ insights, across: createAcrossInsights({ catalog, items: itemCatalog }) }));
  app.use(individualRoutes({ individual }));
  app.use(notificationsRoutes({ notifications, secret: config.sessionSecret }));
  app.use('/admin/users', adminUsersRoutes({ adminUsers, judgesAuthorBlind: (actor, userId) => judging.judgesAuthorBlind(actor, userId) }));
  app.use('/admin/audit', auditRoutes());
  app.use('/admin/webhooks', webhooksRoutes({ webhooks }));
  app.use(apiTokensRoutes({ tokens: apiTokens }));
  app.use(backlogApiRoutes({ tokens: apiTokens, items: backlogItems, catalog: itemCatalog, publicUrl: config.publicUrl, limiter: apiRateLimit(deps.rateLimitStore) }));
  if (config.env !== 'production' && !config.smtpUrl) app.use(outboxRoutes(mailer));

  app.use(notFound);
  app.use(errorHandler(logger));

  return {
    app,
    events,
    services: {
      accounts,
      sso,
      signInSettings,
      privacy,
      adminUsers,
      challenges,
      ideas,
      votes,
      follows,
      comparisons,
      notifications,
      comments,
      reports,
      questions,
      screening,
      moderation,
      merges,
      shortlist,
      judging,
      scorecards,
      results,
      pulls,
      appeals,
      winners,
      insights,
      backlogs,
      backlogItems,
      webhooks,
      apiTokens,
      individual,
    },
    readModels: { catalog, board, users, follows, items: itemCatalog, webhooks: webhookSubscriptions },
    /** Started by the caller (server.ts, tests) before the read models load; it starts nothing by itself. */
    readModelSync,
    /** Started by the caller (server.ts, tests) once it serves; stopped at shutdown. */
    outbox,
    web: { session, drain },
  };
}
