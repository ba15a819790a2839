import { fileTypeFromBuffer } from 'file-type';
import { Invalid } from '../shared/errors.ts';
import { displayFilename, extensionOf } from './filenames.ts';
import { message } from '../i18n/i18n.ts';

export type UploadKind = 'image' | 'document' | 'archive' | 'text';
export type SniffedType = { mime: string; extension: string; kind: UploadKind };

/**
 * Every type we accept, keyed by the extension `file-type` reports for the content (or, for text,
 * by the extension our own check settles on). Anything else is refused, whatever its name says.
 */
const ACCEPTED: Record<string, SniffedType> = {};
const accept = (kind: UploadKind, extension: string, mime: string) => {
  ACCEPTED[extension] = { mime, extension, kind };
};
accept('image', 'png', 'image/png');
accept('image', 'jpg', 'image/jpeg');
accept('image', 'gif', 'image/gif');
accept('image', 'webp', 'image/webp');
accept('document', 'pdf', 'application/pdf');
accept('document', 'docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
accept('document', 'xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
accept('document', 'pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation');
accept('document', 'odt', 'application/vnd.oasis.opendocument.text');
accept('document', 'ods', 'application/vnd.oasis.opendocument.spreadsheet');
accept('document', 'odp', 'application/vnd.oasis.opendocument.presentation');
accept('archive', 'zip', 'application/zip');
accept('text', 'txt', 'text/plain');
accept('text', 'md', 'text/markdown');
accept('text', 'csv', 'text/csv');

// An animated PNG is still a PNG to every browser.
const SAME_AS: Record<string, string> = { apng: 'png' };
const TEXT_EXTENSIONS = new Set(['txt', 'md', 'csv']);
const BY_MIME = new Map(Object.values(ACCEPTED).map((type) => [type.mime, type]));

/** The accepted type with this MIME type, or undefined: what is stored is always one of these. */
export function acceptedType(mime: string): SniffedType | undefined {
  return BY_MIME.get(mime);
}

// Text that is really a web page or an image with script: refused even as .txt, because it would be
// dangerous wherever it is later opened as what it is. (A Markdown note quoting a <script> tag is
// refused too; it can be attached inside a ZIP.)
const MARKUP_START = /^\s*<(?:\?xml|!doctype|html|head|body|svg|script|iframe|style|meta|title)\b/i;
const MARKUP_ANYWHERE = /<(?:script|svg|html|iframe|object|embed)\b/i;
// C0 controls other than tab, line feed, vertical tab, form feed and carriage return; and DEL.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000E-\u001F\u007F]/;

type TextVerdict = 'text' | 'markup' | 'not-text';

function textVerdict(buffer: Buffer): TextVerdict {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    return 'not-text';
  }
  if (CONTROL_CHARACTERS.test(text)) return 'not-text';
  if (MARKUP_START.test(text) || MARKUP_ANYWHERE.test(text)) return 'markup';
  return 'text';
}

/**
 * What the file really is, from its bytes: the client's MIME type and the name's extension never
 * decide. Only text, which has no magic number, uses the name, to choose between .txt, .md and
 * .csv once the bytes have passed as UTF-8 text. Throws `Invalid` (400) naming the file otherwise.
 */
export async function sniffUpload(buffer: Buffer, originalName: string, options: { field?: string } = {}): Promise<SniffedType> {
  const field = options.field ?? 'file';
  const name = displayFilename(originalName);
  const refuse = (key: string) => {
    const refusal = message(`ideaChecks.upload.${key}`, { name });
    return new Invalid({ [field]: refusal }, refusal);
  };

  if (buffer.length === 0) throw refuse('empty');

  let detected: string | undefined;
  try {
    detected = (await fileTypeFromBuffer(buffer))?.ext;
  } catch {
    detected = undefined; // a damaged container: treated like unknown bytes
  }

  if (detected !== undefined) {
    const type = ACCEPTED[SAME_AS[detected] ?? detected];
    if (type && type.kind !== 'text') return type;
    throw refuse('notAccepted');
  }

  const extension = extensionOf(originalName);
  const verdict = textVerdict(buffer);
  if (verdict === 'text' && TEXT_EXTENSIONS.has(extension)) return ACCEPTED[extension]!;
  if (verdict === 'not-text' && TEXT_EXTENSIONS.has(extension)) {
    throw refuse('notUtf8');
  }
  if (verdict === 'markup') throw refuse('markup');
  throw refuse('notAccepted');
}
