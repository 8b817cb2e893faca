/** A simple, cheap highlight: which CV lines mention an area's keywords (from the framework file) or the name the candidate gave it. */

// Words that say nothing about one area in particular: in a learning technologist's CV they are everywhere.
const STOP_WORDS = new Set(
  'a an and are as at be beyond by different for from in into is it of on or own the their this to use using with your you learning technology technologies technological area areas specialist second work working'.split(' '),
);

/** Cuts common English endings so "deployment" finds "deployed" and "assessment" finds "assessing". */
export function stem(word: string): string {
  const w = word.toLowerCase();
  for (const suffix of ['ments', 'ment', 'ations', 'ation', 'ions', 'ion', 'ities', 'ity', 'ies', 'ing', 'ers', 'er', 'ed', 'es', 's']) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 4) return w.slice(0, -suffix.length);
  }
  return w;
}

export function areaKeywords(area: { title: string; keywords?: string[]; chosenName?: string }): string[] {
  // An area's formal title ("An understanding of the constraints…") is rarely how a CV puts it; its keywords are.
  const source = [...(area.keywords ?? []), area.chosenName ?? ''].join(' ').trim() || area.title;
  const words = source
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 4 && !STOP_WORDS.has(w));
  return [...new Set(words.map(stem))];
}

export interface CvLine {
  parts: Array<{ text: string; mark: boolean }>;
  mentions: boolean;
}

/** Splits each CV line into marked and unmarked parts; templates escape every part. */
export function highlightCv(cvText: string, stems: string[]): CvLine[] {
  if (!cvText) return [];
  return cvText.split('\n').map((line) => {
    const parts: CvLine['parts'] = [];
    let mentions = false;
    for (const token of line.split(/(\s+)/)) {
      const word = token.toLowerCase().replace(/[^a-z0-9]/g, '');
      const mark = word.length >= 4 && stems.some((s) => word.startsWith(s));
      mentions ||= mark;
      const last = parts[parts.length - 1];
      if (last && last.mark === mark) last.text += token;
      else parts.push({ text: token, mark });
    }
    return { parts, mentions };
  });
}
