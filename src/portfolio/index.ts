/** The portfolio capability: what other capabilities (mentoring, gradebook, export) may use. */
export { portfolioRouter, type PortfolioDeps } from './routes';
export { portfolioBodies, textTooLong, BODY_LIMIT, TEXT_TOO_LONG } from './body-limit';
export { frameworks, getFramework, loadFrameworks, areasFor, areasOf, namesOf, openSlots, wordAdviceFor, wordRange, type AreaChoices, type Framework, type FrameworkArea, type PortfolioArea } from './framework';
export { ALT_KINDS, ALT_OUTCOMES } from './models';
export { Portfolio, Section, SectionRevision, SECTION_STATES, type SectionState, type PortfolioDoc, type SectionDoc } from './models';
export { computeProgress, type Progress } from './progress';
export {
  applyTransition,
  canTransition,
  onSectionStateChanged,
  TRANSITIONS,
  STATE_LABELS,
  type StateActor,
  type SectionStateChange,
} from './section-states';
export { onApprovedSectionEdited, type ApprovedSectionEdit } from './approval-edits';
export { can, allowPortfolio, type PortfolioAction, type PortfolioRule } from './policy';
export { setPlaceGate, type PlaceGate } from './place-gate';
export { setWriteLock, writeLockGuard, type WriteLock } from './write-lock';
export { movePortfolio, deletePortfolio, type MoveResult, type PortfolioOwner } from './transfer';
export { setSectionFeedbackSource, type SectionFeedback, type SectionFeedbackSource } from './section-feedback';
export { findPortfolio, findPortfolioById, loadPortfolio } from './portfolio.service';
export { onPortfolioReshaped, migrateToLatest } from './migration';
export { courseScheme, type CourseScheme } from './course-scheme';
export { progressOf } from './presenter';
export { sanitiseRichText, textToHtml, htmlToText } from './rich-text';
export { findEvidence, addEvidenceReadRule, canChangeEvidence, evidenceOfPerson } from './evidence';
export { listEvidenceByIds, openEvidenceFile, openStoredFile, storeFile, removeStoredFile, storedFileLength, attachmentHeader, type EvidenceDoc } from './evidence';
export { wordCount } from './rich-text';
export { progressOfPortfolios } from './progress-of';
export { progressPresenter } from './presenter';
export { setProfileCvSource, type ProfileCvSource } from './planning';
/** For the practice VLE's sample portfolios: written through the same services as a candidate's own pages. */
export { openOrCreatePortfolio } from './portfolio.service';
export { saveBody, addExample, requestReview, type ExampleInput, type SectionTarget } from './section.service';
export { addFileEvidence, addLinkEvidence, receiveFile } from './evidence';
