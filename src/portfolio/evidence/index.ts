/** The evidence library: the only file other capabilities import from. */
export { evidenceRouter } from './evidence.routes';
export type { EvidenceDeps } from './evidence.routes';
export { canReadEvidence, canChangeEvidence, addEvidenceReadRule } from './policy';
export type { EvidenceReadRule, Asker as EvidenceAsker } from './policy';
export { evidencePickers } from './picker';
export type { EvidencePicker } from './picker';
export { addNoteEvidence, findEvidence, evidenceOfPerson } from './evidence.service';
export { addFileEvidence, addLinkEvidence, receiveFile } from './evidence.service';
export type { UsedIn } from './usage';
export { sectionHref } from './paths';
export { listEvidenceByIds, openEvidenceFile } from './evidence.service';
export type { EvidenceDoc } from './evidence.model';
export { openFile as openStoredFile, storeFile, removeFile as removeStoredFile, storedFileLength } from './file-store';
export { attachmentHeader } from './attachment';
