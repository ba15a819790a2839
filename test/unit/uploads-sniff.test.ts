import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import { Invalid } from '../../src/shared/errors.ts';
import { sniffUpload } from '../../src/uploads/sniff.ts';
import { ELF, JPEG, PDF, PE, TINY_PNG } from '../helpers/files.ts';

/** A ZIP archive with stored (uncompressed) entries: enough for the content sniffer to look inside. */
function zip(entries: Array<[name: string, content: string]>): Buffer {
  const parts: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const data = Buffer.from(content);
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    parts.push(local, nameBytes, data);
    directory.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const centralDirectory = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, centralDirectory, end]);
}

async function refusal(buffer: Buffer, name: string): Promise<Invalid> {
  try {
    await sniffUpload(buffer, name, { field: 'attachments' });
  } catch (error) {
    assert.ok(error instanceof Invalid, `expected Invalid, got ${String(error)}`);
    assert.equal(error.status, 400);
    return error;
  }
  assert.fail(`${name} was accepted`);
}

describe('sniffing an upload by its content', () => {
  it('accepts a real PNG as an image, whatever it is called and whatever the client claims', async () => {
    assert.equal(TINY_PNG.length, 67);
    assert.equal(crc32(TINY_PNG.subarray(12, 29)), TINY_PNG.readUInt32BE(29), 'the IHDR checksum of the fixture is right');
    assert.deepEqual(await sniffUpload(TINY_PNG, 'pixel.png'), { mime: 'image/png', extension: 'png', kind: 'image' });
    assert.deepEqual(await sniffUpload(TINY_PNG, 'pixel.pdf'), { mime: 'image/png', extension: 'png', kind: 'image' });
    assert.equal((await sniffUpload(JPEG, 'photo.png')).mime, 'image/jpeg');
  });

  it('accepts a PDF as a document', async () => {
    assert.deepEqual(await sniffUpload(PDF, 'plan.pdf'), { mime: 'application/pdf', extension: 'pdf', kind: 'document' });
  });

  it('tells Office and OpenDocument files from plain ZIP archives by what is inside', async () => {
    const docx = zip([
      ['[Content_Types].xml', '<Types><Override ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'],
      ['word/document.xml', '<w:document/>'],
    ]);
    assert.deepEqual(await sniffUpload(docx, 'proposal.docx'), {
      mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      extension: 'docx',
      kind: 'document',
    });
    const odt = zip([
      ['mimetype', 'application/vnd.oasis.opendocument.text'],
      ['content.xml', '<office:document-content/>'],
    ]);
    assert.equal((await sniffUpload(odt, 'notes.odt')).extension, 'odt');
    assert.deepEqual(await sniffUpload(zip([['readme.txt', 'hello']]), 'bundle.zip'), { mime: 'application/zip', extension: 'zip', kind: 'archive' });
  });

  it('refuses an executable renamed .png, naming the file', async () => {
    const elf = await refusal(ELF, 'photo.png');
    assert.match(elf.message, /“photo\.png” is not a type of file we accept/);
    assert.equal(elf.fields.attachments, elf.message);
    assert.match((await refusal(PE, 'invoice.pdf')).message, /“invoice\.pdf”/);
  });

  it('refuses a Java archive even though it is a ZIP', async () => {
    await refusal(
      zip([
        ['META-INF/MANIFEST.MF', 'Manifest-Version: 1.0\n'],
        ['Main.class', 'cafebabe'],
      ]),
      'tool.zip',
    );
  });

  it('refuses SVG outright, with or without an XML prolog, under any name', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>';
    assert.match((await refusal(Buffer.from(svg), 'x.png')).message, /“x\.png”/);
    await refusal(Buffer.from(svg), 'x.txt');
    await refusal(Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${svg}`), 'x.svg');
    await refusal(Buffer.from(`# Notes\n\nSee the logo: ${svg}\n`), 'notes.md');
  });

  it('refuses HTML, even named as text', async () => {
    await refusal(Buffer.from('<!DOCTYPE html><html><body><p>hi</p></body></html>'), 'page.html');
    await refusal(Buffer.from('  <html><script>steal()</script></html>'), 'page.txt');
    await refusal(Buffer.from('name,comment\nann,<script>steal()</script>\n'), 'data.csv');
  });

  it('accepts UTF-8 text as .txt, .md or .csv, chosen by the name once the content has passed', async () => {
    const notes = Buffer.from('# Meeting notes\n\n- Café at 10 — bring the “plan” 🙂\n');
    assert.deepEqual(await sniffUpload(notes, 'notes.md'), { mime: 'text/markdown', extension: 'md', kind: 'text' });
    assert.equal((await sniffUpload(notes, 'NOTES.TXT')).mime, 'text/plain');
    assert.equal((await sniffUpload(Buffer.from('a,b\r\n1,2\r\n'), 'data.csv')).mime, 'text/csv');
    assert.equal((await sniffUpload(Buffer.from('\ufeffwith a byte order mark\n'), 'bom.txt')).mime, 'text/plain');
  });

  it('refuses text under any other name, since text has no signature to vouch for it', async () => {
    await refusal(Buffer.from('just words'), 'words.png');
    await refusal(Buffer.from('#!/bin/sh\nrm -rf ~\n'), 'install.sh');
    await refusal(Buffer.from('just words'), 'no-extension');
  });

  it('refuses "text" with NUL bytes, control characters or invalid UTF-8, saying why', async () => {
    assert.match((await refusal(Buffer.from('abc\0def'), 'notes.txt')).message, /“notes\.txt” is not UTF-8 text/);
    await refusal(Buffer.from('h\0e\0l\0l\0o\0'), 'utf16.txt');
    await refusal(Buffer.from('colour \x1b[31mred\x1b[0m'), 'ansi.txt');
    await refusal(Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'latin1.csv'); // "café" in Latin-1
  });

  it('refuses an empty file and anything it does not know', async () => {
    assert.match((await refusal(Buffer.alloc(0), 'empty.pdf')).message, /“empty\.pdf” is empty/);
    await refusal(Buffer.from([0x00, 0x01, 0x02, 0x03, 0xff, 0xfe]), 'mystery.bin');
  });

  it('keeps names in messages short and free of control characters', async () => {
    const error = await refusal(ELF, `../../etc/\u202Egnp.exe${'x'.repeat(200)}`);
    assert.doesNotMatch(error.message, /\u202E|\.\.\//);
    assert.ok(error.message.length < 400);
  });
});
