import { message, type Text } from '../../i18n/i18n.ts';
import { Router, type Request, type Response } from 'express';
import { Forbidden, Invalid } from '../../shared/errors.ts';
import { sendStoredFile, uploadedFiles, uploadMiddleware, type UploadRoute } from '../../uploads/index.ts';
import { actorOf, requireSignIn } from '../../web/auth.ts';
import { redirectWithNotice } from '../../web/flash.ts';
import { parseInput } from '../../web/validate.ts';
import type { BrandingService } from './branding.ts';
import { MIN_ACCENT_CONTRAST } from './colour.ts';
import { canManageBranding } from './site.policy.ts';
import { brandingInput } from './site.schemas.ts';

/** The branding form's logo: parsed ahead of the CSRF check (see `mountUploads`). */
export const siteUploads: UploadRoute = {
  paths: ['/admin/branding'],
  parse: uploadMiddleware({ field: 'logo', maxFiles: 1, maxFileBytes: 1024 * 1024 }),
};

export function siteRoutes({ branding }: { branding: BrandingService }): Router {
  const router = Router();

  async function renderForm(req: Request, res: Response, options: { errors?: Record<string, Text>; values?: Record<string, unknown> } = {}) {
    if (!canManageBranding(actorOf(req))) throw new Forbidden();
    const current = await branding.current();
    res.render('admin/branding', {
      title: message('admin.branding.title'),
      current,
      values: options.values ?? { name: current.name, accent: current.accent },
      minContrast: MIN_ACCENT_CONTRAST,
      errors: options.errors ?? {},
      errorSummary: options.errors ? message('admin.branding.notSaved') : undefined,
    });
  }

  router.get('/admin/branding', requireSignIn, (req, res) => renderForm(req, res));

  router.post('/admin/branding', requireSignIn, async (req, res) => {
    try {
      await branding.update(actorOf(req), parseInput(brandingInput, req.body), uploadedFiles(req)[0]);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      res.status(400);
      return renderForm(req, res, { errors: error.fieldTexts, values: req.body as Record<string, unknown> });
    }
    await redirectWithNotice(req, res, '/admin/branding', 'success', message('admin.branding.saved'));
  });

  // Public: every page's header shows the logo, signed in or not. The version in the address changes with each save.
  router.get('/site/logo', async (_req, res) => {
    await sendStoredFile(res, await branding.logo(), { inlineImages: true, maxAgeSeconds: 86_400 });
  });

  router.get('/site/theme.css', async (_req, res) => {
    res
      .type('text/css')
      .set('Cache-Control', 'public, max-age=86400')
      .send(await branding.themeCss());
  });

  return router;
}
