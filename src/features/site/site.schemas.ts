import { z } from 'zod';
import { accentContrast, MIN_ACCENT_CONTRAST, parseHex } from './colour.ts';

export const brandingInput = z.object({
  name: z.string().trim().min(1, 'Give the site a name.').max(60, 'Names are at most 60 characters.'),
  accent: z
    .string()
    .trim()
    .toLowerCase()
    .superRefine((value, ctx) => {
      if (parseHex(value) === null) {
        ctx.addIssue({ code: 'custom', message: 'Write the colour as # and six hexadecimal digits, like #3b3bb3.' });
      } else if (accentContrast(value) < MIN_ACCENT_CONTRAST) {
        ctx.addIssue({
          code: 'custom',
          message: `This colour is too light for white text and for links: its contrast is ${accentContrast(value).toFixed(1)}:1 and at least ${MIN_ACCENT_CONTRAST}:1 is needed. Choose a darker shade.`,
        });
      }
    }),
  removeLogo: z.enum(['on']).optional(),
});

export type BrandingInput = z.infer<typeof brandingInput>;
