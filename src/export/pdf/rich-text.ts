import { Parser } from 'htmlparser2';

/**
 * Sanitised rich text (the editor's few tags) as blocks of styled runs for the PDF: the tags are
 * read as structure, the text is drawn as text. Nothing in it is ever passed to the PDF as markup.
 */
export interface Run {
  text: string;
  bold: boolean;
  italic: boolean;
  link: string | null;
}

export interface Block {
  kind: 'p' | 'h3' | 'h4' | 'li' | 'quote';
  bullet: string; // "•" or "3." for list items
  depth: number;
  runs: Run[];
}

const BLOCKS: Record<string, Block['kind']> = { p: 'p', h3: 'h3', h4: 'h4', li: 'li', blockquote: 'quote' };
const SAFE_LINK = /^(https?:|mailto:)/i;

export function blocksOf(html: string): Block[] {
  const blocks: Block[] = [];
  const lists: Array<{ ordered: boolean; n: number }> = [];
  let bold = 0;
  let italic = 0;
  let link: string | null = null;
  let quote = 0;
  let current: Block | null = null;
  const open = (kind: Block['kind']) => {
    const list = lists[lists.length - 1];
    const bullet = kind === 'li' && list ? (list.ordered ? `${++list.n}.` : '•') : '';
    current = { kind: quote && kind === 'p' ? 'quote' : kind, bullet, depth: Math.max(0, lists.length - 1), runs: [] };
    blocks.push(current);
  };
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name === 'strong' || name === 'b') bold++;
        else if (name === 'em' || name === 'i') italic++;
        else if (name === 'a') link = attrs.href && SAFE_LINK.test(attrs.href) ? attrs.href : null;
        else if (name === 'ul' || name === 'ol') lists.push({ ordered: name === 'ol', n: 0 });
        else if (name === 'blockquote') quote++;
        else if (name === 'br') current?.runs.push({ text: '\n', bold: false, italic: false, link: null });
        if (BLOCKS[name] && name !== 'blockquote') open(BLOCKS[name]);
      },
      ontext(text) {
        const clean = text.replace(/\s+/g, ' ');
        if (!clean.trim() && !current) return;
        if (!current) open(quote ? 'quote' : 'p');
        current!.runs.push({ text: clean, bold: bold > 0, italic: italic > 0, link });
      },
      onclosetag(name) {
        if (name === 'strong' || name === 'b') bold = Math.max(0, bold - 1);
        else if (name === 'em' || name === 'i') italic = Math.max(0, italic - 1);
        else if (name === 'a') link = null;
        else if (name === 'ul' || name === 'ol') lists.pop();
        else if (name === 'blockquote') quote = Math.max(0, quote - 1);
        if (BLOCKS[name]) current = null;
      },
    },
    { decodeEntities: true },
  );
  parser.write(html ?? '');
  parser.end();
  return blocks
    .map((b) => ({ ...b, runs: trimRuns(b.runs) }))
    .filter((b) => b.runs.some((r) => r.text.trim()));
}

/** Joins neighbouring runs of one style (the parser hands text over in pieces), then trims the ends. */
function trimRuns(runs: Run[]): Run[] {
  const out: Run[] = [];
  for (const r of runs) {
    const prev = out[out.length - 1];
    if (!r.text.length) continue;
    if (prev && prev.bold === r.bold && prev.italic === r.italic && prev.link === r.link) out[out.length - 1] = { ...prev, text: prev.text + r.text };
    else out.push(r);
  }
  if (out.length) out[0] = { ...out[0], text: out[0].text.replace(/^ +/, '') };
  if (out.length) out[out.length - 1] = { ...out[out.length - 1], text: out[out.length - 1].text.replace(/ +$/, '') };
  return out;
}
