/** The evidence library: the only file other capabilities import from. */
export { evidenceRouter } from './evidence.routes';
export type { EvidenceDeps } from './evidence.routes';
export { canReadEvidence, canChangeEvidence, addEvidenceReadRule } from './policy';
export type { EvidenceReadRule, Asker as EvidenceAsker } from './policy';
export { evidencePickers } from './picker';
export type { EvidencePicker } from './picker';
export { addNoteEvidence, findEvidence, evidenceOfPerson } from './evidence.service';
export type { UsedIn } from './usage';
export { sectionHref } from './paths';
