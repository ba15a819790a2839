import { admin } from '../../i18n/catalogue/admin.ts';
import { message } from '../../i18n/i18n.ts';
import { Router } from 'express';
import { z } from 'zod';
import { Forbidden } from '../../shared/errors.ts';
import { actorOf, requireSignIn } from '../../web/auth.ts';
import { parseInput } from '../../web/validate.ts';
import { canViewAuditLog } from '../accounts/accounts.policy.ts';
import { listAudit } from './audit.service.ts';

/** The kinds of record the catalogue names (`admin.audit.targetType`); another shows as its code. */
const NAMED_TARGETS = new Set(Object.keys(admin.en.audit.targetType));

const auditQuery = z.object({
  after: z
    .string()
    .regex(/^[0-9a-f]{24}$/)
    .optional()
    .catch(undefined),
  target: z
    .string()
    .regex(/^[0-9a-f]{24}$/)
    .optional()
    .catch(undefined),
});

export function auditRoutes(): Router {
  const router = Router();
  router.get('/', requireSignIn, async (req, res) => {
    if (!canViewAuditLog(actorOf(req))) throw new Forbidden();
    const { after, target } = parseInput(auditQuery, req.query);
    const page = await listAudit({ after, targetId: target });
    const entries = page.entries.map((entry) => ({ ...entry, targetName: NAMED_TARGETS.has(entry.targetType) ? message(`admin.audit.targetType.${entry.targetType}`) : entry.targetType }));
    res.render('admin/audit', { title: message('admin.audit.title'), target, ...page, entries });
  });
  return router;
}
