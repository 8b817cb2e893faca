/** The CPD record: the only file other capabilities and boot/app import from. */
export { cpdRouter, type CpdDeps } from './routes';
export { cpdReviewerRouter } from './periods.routes';
export { loadMandatoryTraining, MandatoryTrainingError, type MandatoryTraining } from './mandatory.service';
export { startReminderWorker, sweepReminders, type ReminderWorker } from './reminders.job';
export { profileFor } from './review.service';
export { reviewDocumentSource, REVIEW_DOCUMENT } from './review-document.service';
