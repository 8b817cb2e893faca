import { presentBrief, type EvidenceBrief } from './evidence.presenter';
import { formatBytes, listEvidence, Owner, storageUse } from './evidence.service';
import { ACCEPT_ATTRIBUTE } from './file-types';

/** The locals views/portfolio/evidence/picker.ejs needs for one example on a section page. */
export interface EvidencePicker {
  headingLevel?: number;
  sectionId: string;
  exampleId: string;
  exampleTitle: string;
  returnTo: string;
  attached: EvidenceBrief[];
  available: EvidenceBrief[];
  /** The "add new evidence" forms beside the example, with the upload limit and the room left. */
  upload?: UploadAllowance;
  /** The picker of the "Add an example" form: it works once the draft example has been saved. */
  draft?: boolean;
}

export interface UploadAllowance {
  limitText: string;
  limitBytes: number;
  accept: string;
  storageText: string;
  full: boolean;
}

interface ExampleRef {
  _id: unknown;
  title?: string | null;
  evidenceIds?: unknown[] | null;
}

/**
 * One picker per example of a section, from one read of the candidate's library. Ids on an example
 * that are not in this candidate's library (deleted, or never theirs) are not shown.
 */
export async function evidencePickers(
  owner: Owner,
  section: { _id: unknown; examples: ExampleRef[] },
  returnTo: string,
  headingLevel = 3,
  limits?: { fileBytes: number; quotaBytes: number },
): Promise<Record<string, EvidencePicker>> {
  const [library, storage] = await Promise.all([listEvidence(owner), limits ? storageUse(owner, limits.quotaBytes) : null]);
  const upload: UploadAllowance | undefined = limits && storage
    ? {
      limitText: formatBytes(limits.fileBytes),
      limitBytes: limits.fileBytes,
      accept: ACCEPT_ATTRIBUTE,
      storageText: `${formatBytes(storage.usedBytes)} of ${formatBytes(storage.quotaBytes)} used`,
      full: storage.full,
    }
    : undefined;
  const byId = new Map(library.map((item) => [String(item._id), item]));
  const pickers: Record<string, EvidencePicker> = {};
  for (const example of section.examples) {
    const linked = new Set((example.evidenceIds ?? []).map(String));
    pickers[String(example._id)] = {
      headingLevel,
      sectionId: String(section._id),
      exampleId: String(example._id),
      exampleTitle: example.title ?? '',
      returnTo,
      attached: [...linked].filter((id) => byId.has(id)).map((id) => presentBrief(byId.get(id)!)),
      available: library.filter((item) => !linked.has(String(item._id))).map(presentBrief),
      upload,
    };
  }
  if (limits) {
    // Keyed 'new': the draft example's id is only known in the page, which fills it in once the draft is saved.
    pickers.new = { headingLevel: headingLevel + 1, sectionId: String(section._id), exampleId: '', exampleTitle: '', returnTo, attached: [], available: library.map(presentBrief), upload, draft: true };
  }
  return pickers;
}
