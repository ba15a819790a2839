/**
 * File names come from the client and end up in headers, pages and other people's download
 * folders: keep the readable part, drop everything that could mislead or break something.
 */

const MAX_BASE_LENGTH = 100; // code points, before the extension
// Controls, format characters (bidi overrides that turn "gnp.exe" into "exe.png", zero-width
// characters) and line or paragraph separators.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
// Characters Windows refuses in names; harmless here, but the file is meant to be saved.
const RESERVED = /[<>:"|?*]/g;
const WINDOWS_DEVICE = /^(?:con|prn|aux|nul|com\d|lpt\d)$/i;
// An extension has a letter: "Version 2.1" keeps its ".1".
const LAST_EXTENSION = /\.((?=\p{N}*\p{L})[\p{L}\p{N}]{1,10})$/u;

function lastSegment(name: string): string {
  const segments = name.split(/[/\\]/);
  return segments[segments.length - 1] ?? '';
}

function clean(name: string): string {
  return lastSegment(name.normalize('NFC').replace(INVISIBLE, ''))
    .replace(RESERVED, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '');
}

function truncate(text: string, length: number): string {
  const codePoints = Array.from(text);
  return codePoints.length <= length ? text : codePoints.slice(0, length).join('').trimEnd();
}

/** The lower-cased extension of the name the client sent ('' when it has none). */
export function extensionOf(name: string): string {
  return clean(name).match(LAST_EXTENSION)?.[1]?.toLowerCase() ?? '';
}

/**
 * The name a file is stored and offered under: the last path segment of what the client sent,
 * without control or invisible characters, at most 100 characters before the extension, and with
 * the extension of the type its content was found to be (so `photo.png` holding a JPEG becomes
 * `photo.jpg`, and `report.pdf.exe` holding a PDF becomes `report.pdf.pdf`, never `.exe`).
 */
export function sanitizeFilename(originalName: string, extension: string): string {
  const name = clean(originalName);
  const withoutExtension = name.replace(LAST_EXTENSION, '');
  let base = truncate(withoutExtension.replace(/[\s.]+$/, ''), MAX_BASE_LENGTH).replace(/[\s.]+$/, '');
  if (base === '') base = 'file';
  if (WINDOWS_DEVICE.test(base)) base = `${base}_`;
  return `${base}.${extension}`;
}

/** The client's name, made safe to quote in a message (templates escape it; this keeps it short and visible). */
export function displayFilename(originalName: string): string {
  const name = truncate(clean(originalName), 80);
  return name === '' ? 'The file' : name;
}

// RFC 5987: encodeURIComponent leaves ' ( ) * unescaped, but they are not attr-chars.
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `Content-Disposition` with the UTF-8 name (RFC 6266 `filename*`) and a plain ASCII fallback for
 * old clients, in which quotes, backslashes and percent signs (decoded by some browsers) are replaced.
 */
export function contentDisposition(disposition: 'inline' | 'attachment', filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encodeRfc5987(filename)}`;
}
