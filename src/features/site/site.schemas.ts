import { z } from 'zod';
import { roundTo } from '../../shared/rounding.ts';
import { accentContrast, MIN_ACCENT_CONTRAST, parseHex } from './colour.ts';

export const brandingInput = z.object({
  name: z.string().trim().min(1, 'admin.branding.giveName').max(60, 'admin.branding.nameTooLong'),
  accent: z
    .string()
    .trim()
    .toLowerCase()
    .superRefine((value, ctx) => {
      if (parseHex(value) === null) {
        ctx.addIssue({ code: 'custom', message: 'admin.branding.hex' });
      } else if (accentContrast(value) < MIN_ACCENT_CONTRAST) {
        ctx.addIssue({ code: 'custom', message: 'admin.branding.tooLight', params: { contrast: roundTo(accentContrast(value), 1), minimum: MIN_ACCENT_CONTRAST } });
      }
    }),
  removeLogo: z.enum(['on']).optional(),
});

export type BrandingInput = z.infer<typeof brandingInput>;
