/** Export: the whole portfolio to read, as PDF, website and Leap2A; assessor links; the submission to ALT. */
export { exportRouter } from './routes';
export { canOnExport, type ExportAction } from './policy';
export { bookOf, bookEvidence, type Book } from './book';
export { assessorRouter } from './assessor.routes';
export { altStanding, altRecordsOf, type AltRecord } from './submission.service';
export { createExportWorker, startExportWorker, type ExportWorker } from './export.job';
export { registerDocumentSource, type DocumentSource } from './documents';
export type { BookArea, BookEvidence, BookExample } from './book';
export { submissionRecordsIn, STAGE_LABELS as SUBMISSION_STAGE_LABELS, type SubmissionRecord, type SubmissionStage } from './submission-record';
