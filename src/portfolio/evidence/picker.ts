import { EvidenceDoc } from './evidence.model';
import { KIND_LABELS } from './evidence.presenter';
import { listEvidence, Owner } from './evidence.service';

/** The locals views/portfolio/evidence/picker.ejs needs for one example on a section page. */
export interface EvidencePicker {
  headingLevel?: number;
  sectionId: string;
  exampleId: string;
  exampleTitle: string;
  returnTo: string;
  attached: Array<{ id: string; title: string; kindLabel: string }>;
  available: Array<{ id: string; title: string; kindLabel: string }>;
}

interface ExampleRef {
  _id: unknown;
  title?: string | null;
  evidenceIds?: unknown[] | null;
}

const brief = (item: EvidenceDoc) => ({ id: String(item._id), title: item.title, kindLabel: KIND_LABELS[item.kind as keyof typeof KIND_LABELS] });

/**
 * One picker per example of a section, from one read of the candidate's library. Ids on an example
 * that are not in this candidate's library (deleted, or never theirs) are not shown.
 */
export async function evidencePickers(owner: Owner, section: { _id: unknown; examples: ExampleRef[] }, returnTo: string, headingLevel = 3): Promise<Record<string, EvidencePicker>> {
  const library = await listEvidence(owner);
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
      attached: [...linked].filter((id) => byId.has(id)).map((id) => brief(byId.get(id)!)),
      available: library.filter((item) => !linked.has(String(item._id))).map(brief),
    };
  }
  return pickers;
}
