import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentDisposition, extensionOf, sanitizeFilename } from '../../src/uploads/filenames.ts';
import { megabytes } from '../../src/uploads/upload-middleware.ts';

describe('sanitising the name a file is stored under', () => {
  it('keeps an ordinary name as it is', () => {
    assert.equal(sanitizeFilename('Q3 plan.pdf', 'pdf'), 'Q3 plan.pdf');
    assert.equal(sanitizeFilename('Résumé – Ånne.pdf', 'pdf'), 'Résumé – Ånne.pdf');
  });

  it('gives the name the extension of the type the content was found to be', () => {
    assert.equal(sanitizeFilename('photo.png', 'jpg'), 'photo.jpg');
    assert.equal(sanitizeFilename('photo.JPEG', 'jpg'), 'photo.jpg');
    assert.equal(sanitizeFilename('invoice.pdf.exe', 'pdf'), 'invoice.pdf.pdf');
    assert.equal(sanitizeFilename('README', 'txt'), 'README.txt');
    assert.equal(sanitizeFilename('Version 2.1', 'zip'), 'Version 2.1.zip', 'a number after a dot is not an extension');
  });

  it('drops the path, whichever separator the client used', () => {
    assert.equal(sanitizeFilename('../../etc/passwd', 'txt'), 'passwd.txt');
    assert.equal(sanitizeFilename('C:\\Users\\ann\\Desktop\\plan.pdf', 'pdf'), 'plan.pdf');
    assert.equal(sanitizeFilename('/', 'png'), 'file.png');
  });

  it('removes control characters, bidi overrides and zero-width characters', () => {
    assert.equal(sanitizeFilename('evil\u202Egnp.exe', 'png'), 'evilgnp.png');
    assert.equal(sanitizeFilename('line\r\nbreak\0.txt', 'txt'), 'linebreak.txt');
    assert.equal(sanitizeFilename('zero\u200Bwidth.md', 'md'), 'zerowidth.md');
  });

  it('never makes a hidden file, an empty name or a Windows device name', () => {
    assert.equal(sanitizeFilename('.htaccess', 'txt'), 'htaccess.txt');
    assert.equal(sanitizeFilename('...', 'pdf'), 'file.pdf');
    assert.equal(sanitizeFilename('   .pdf', 'pdf'), 'pdf.pdf', 'like any leading dot, not an extension');
    assert.equal(sanitizeFilename('', 'zip'), 'file.zip');
    assert.equal(sanitizeFilename('CON.txt', 'txt'), 'CON_.txt');
    assert.equal(sanitizeFilename('what?"<x>|*:.csv', 'csv'), 'what___x____.csv');
  });

  it('limits the length to 100 characters before the extension, without splitting a character', () => {
    const long = sanitizeFilename(`${'a'.repeat(300)}.pdf`, 'pdf');
    assert.equal(long, `${'a'.repeat(100)}.pdf`);
    assert.equal(sanitizeFilename(`${'🙂'.repeat(150)}.png`, 'png'), `${'🙂'.repeat(100)}.png`);
  });

  it('reads the extension from the name for the text types only after cleaning it', () => {
    assert.equal(extensionOf('NOTES.MD'), 'md');
    assert.equal(extensionOf('notes.md\u0000'), 'md');
    assert.equal(extensionOf('archive'), '');
  });
});

describe('the Content-Disposition of a download', () => {
  it('carries the UTF-8 name encoded per RFC 5987 and a plain ASCII fallback', () => {
    assert.equal(contentDisposition('attachment', "Ann's résumé (final)*.pdf"), `attachment; filename="Ann's r_sum_ (final)*.pdf"; filename*=UTF-8''Ann%27s%20r%C3%A9sum%C3%A9%20%28final%29%2A.pdf`);
    assert.equal(contentDisposition('inline', 'cover.png'), `inline; filename="cover.png"; filename*=UTF-8''cover.png`);
  });

  it('cannot be broken out of by quotes, backslashes or percent signs in a name', () => {
    assert.equal(contentDisposition('attachment', 'a"b\\c%41.txt'), `attachment; filename="a_b_c_41.txt"; filename*=UTF-8''a%22b%5Cc%2541.txt`);
  });
});

describe('limits as people read them', () => {
  it('names a size in MB', () => {
    assert.equal(megabytes(10 * 1024 * 1024), '10 MB');
    assert.equal(megabytes(1.5 * 1024 * 1024), '1.5 MB');
    assert.equal(megabytes(512 * 1024), '0.5 MB');
  });
});
