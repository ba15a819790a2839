import { message } from '../../i18n/i18n.ts';
import type { Actor } from '../../shared/actor.ts';
import { Forbidden, Invalid, NotFound } from '../../shared/errors.ts';
import type { EventBus } from '../../shared/events.ts';
import { deleteFile, openFile, sniffUpload, storeFile, type UploadedFile } from '../../uploads/index.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { accentShades } from './colour.ts';
import { SiteBranding } from './site.model.ts';
import { canManageBranding } from './site.policy.ts';
import type { BrandingInput } from './site.schemas.ts';

const ID = 'branding';

export type Branding = { name: string; accent: string; logoFileId: string | null; version: number };

/** Until an admin chooses otherwise: the product's own name and colour (app.css's --color-primary). */
export const DEFAULT_BRANDING: Branding = { name: 'Cocreate', accent: '#3b3bb3', logoFileId: null, version: 0 };

/**
 * The site's name, logo and accent colour, which every page and email uses: kept in memory, read
 * from the database on first use, reloaded after a save here and, for another process's save,
 * through the change log (`refresh`, `reset`), like the other read models.
 */
export function createBranding(deps: { events: EventBus }) {
  let loading: Promise<Branding> | undefined;

  function load(): Promise<Branding> {
    loading ??= SiteBranding.findById(ID)
      .lean()
      .then((doc) => (doc ? { name: doc.name, accent: doc.accent, logoFileId: doc.logoFileId ?? null, version: doc.version } : DEFAULT_BRANDING));
    loading.catch(() => {
      loading = undefined;
    });
    return loading;
  }

  async function storeLogo(actor: Actor, file: UploadedFile): Promise<string> {
    const type = await sniffUpload(file.buffer, file.originalname, { field: 'logo' });
    if (type.kind !== 'image') throw new Invalid({ logo: message('admin.branding.notImage') });
    return (await storeFile({ buffer: file.buffer, filename: file.originalname, mime: type.mime, ownerId: actor.id, purpose: 'site-logo' })).fileId;
  }

  return {
    /** What the pages show: the name, the logo's id and the accent, with a version for cache-busting. */
    current: load,

    /** The stylesheet that puts the accent in place of the default one. */
    async themeCss(): Promise<string> {
      const { primary, dark, soft } = accentShades((await load()).accent);
      return `:root { --color-primary: ${primary}; --color-primary-dark: ${dark}; --color-primary-soft: ${soft}; }\n`;
    },

    async logo() {
      const { logoFileId } = await load();
      if (!logoFileId) throw new NotFound(message('admin.branding.noLogo'));
      return openFile(logoFileId);
    },

    async update(actor: Actor, input: BrandingInput, logo?: UploadedFile): Promise<void> {
      if (!canManageBranding(actor)) throw new Forbidden(message('admin.branding.forbidden'));
      const before = await load();
      // The new logo is stored before the settings refer to it; the old one is deleted after.
      const logoFileId = logo ? await storeLogo(actor, logo) : input.removeLogo ? null : before.logoFileId;
      await SiteBranding.updateOne({ _id: ID }, { $set: { name: input.name, accent: input.accent, logoFileId }, $inc: { version: 1 } }, { upsert: true });
      loading = undefined;
      if (before.logoFileId && before.logoFileId !== logoFileId) await deleteFile(before.logoFileId);
      const after = await load();
      await recordAudit(actor, {
        action: 'settings.branding',
        targetType: 'settings',
        targetId: ID,
        before: { name: before.name, accent: before.accent, logo: Boolean(before.logoFileId) },
        after: { name: after.name, accent: after.accent, logo: Boolean(after.logoFileId) },
      });
      deps.events.emit('site.branding_changed', {});
    },

    /** Another process saved: read it again now. */
    async refresh(): Promise<void> {
      loading = undefined;
      await load();
    },

    /** Forgets what it holds: the next use reads the database. */
    reset(): void {
      loading = undefined;
    },
  };
}

export type BrandingService = ReturnType<typeof createBranding>;
