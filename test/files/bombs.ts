import { crc32, deflateRawSync, deflateSync } from 'node:zlib';
import { docxOf } from '../portfolio/planning/cv-fixtures';

/**
 * Files built to hurt a parser, as an attacker would send them: small on the wire, huge when read.
 * Deflate compresses long runs about a thousandfold, so each is a few hundred KB at most.
 */

interface Entry {
  name: string;
  data: Buffer;
  /** The uncompressed size the headers claim (a liar claims a small one). */
  claimedSize?: number;
}

/** A deflated zip whose headers say what `claimedSize` says (the truth unless told otherwise). */
export function deflatedZipOf(entries: Entry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const packed = deflateRawSync(entry.data, { level: 9 });
    const crc = crc32(entry.data);
    const size = entry.claimedSize ?? entry.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, packed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

/** The parts of a real .docx (content types, relationships), with a document.xml of our choosing. */
function docxParts(): Array<{ name: string; data: Buffer }> {
  const honest = docxOf(['placeholder']);
  // Read the stored zip from the fixture back into parts: names and contents are plain text.
  const parts: Array<{ name: string; data: Buffer }> = [];
  let at = 0;
  while (honest.readUInt32LE(at) === 0x04034b50) {
    const size = honest.readUInt32LE(at + 18);
    const nameLength = honest.readUInt16LE(at + 26);
    const name = honest.subarray(at + 30, at + 30 + nameLength).toString('utf8');
    parts.push({ name, data: honest.subarray(at + 30 + nameLength, at + 30 + nameLength + size) });
    at += 30 + nameLength + size;
  }
  return parts.filter((p) => p.name !== 'word/document.xml');
}

/** One paragraph of `megabytes` MB of text: a document.xml that is 40 MB unpacked and ~40 KB packed. */
function hugeDocumentXml(megabytes: number): Buffer {
  const head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>';
  const tail = '</w:t></w:r></w:p></w:body></w:document>';
  return Buffer.concat([Buffer.from(head), Buffer.alloc(megabytes * 1024 * 1024, 'a'), Buffer.from(tail)]);
}

/** A .docx whose document.xml unpacks to 40 MB, and whose zip headers say so. */
export function docxBomb(megabytes = 40): Buffer {
  return deflatedZipOf([...docxParts(), { name: 'word/document.xml', data: hugeDocumentXml(megabytes) }]);
}

/** The same bomb, with headers that claim document.xml is 2 KB: only the worker's limits can stop it. */
export function lyingDocxBomb(megabytes = 40): Buffer {
  return deflatedZipOf([...docxParts(), { name: 'word/document.xml', data: hugeDocumentXml(megabytes), claimedSize: 2048 }]);
}

/** A one-page PDF whose content stream inflates to `megabytes` MB of drawing operators. */
export function pdfBomb(megabytes = 100): Buffer {
  const unit = Buffer.from('0 0 m 1 1 l S\n');
  const raw = Buffer.alloc(megabytes * 1024 * 1024);
  for (let at = 0; at < raw.length; at += unit.length) unit.copy(raw, at);
  const stream = deflateSync(raw, { level: 9 });
  const objects: Buffer[] = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
    Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
    Buffer.from('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>'),
    Buffer.concat([Buffer.from(`<< /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`), stream, Buffer.from('\nendstream')]),
  ];
  const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n')];
  const offsets: number[] = [];
  let length = chunks[0].length;
  objects.forEach((body, i) => {
    offsets.push(length);
    const obj = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), body, Buffer.from('\nendobj\n')]);
    chunks.push(obj);
    length += obj.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  chunks.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`));
  return Buffer.concat(chunks);
}
