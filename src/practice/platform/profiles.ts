/**
 * How each real VLE behaves where it matters to the tool, as its own documentation (or a measured install)
 * says. The test platform reads only these fields, so a new VLE is one more entry here, not new code.
 * Sources, and what is unverified, are in docs/decisions.md (“Real VLEs: Moodle, Canvas, Brightspace, Blackboard”).
 */
export type GradingProgress = 'FullyGraded' | 'Pending' | 'PendingManual' | 'Failed' | 'NotReady';

export interface VleProfile {
  /** The key tests use. */
  id: 'generic' | 'moodle' | 'canvas' | 'brightspace' | 'blackboard';
  /** tool_platform.product_family_code, as the VLE sends it. */
  productFamilyCode: string;
  /** Which gradingProgress values keep scoreGiven; any other blanks the grade (Moodle: only FullyGraded). */
  keepsScoreWhen: readonly GradingProgress[];
  /** Launch roles (short names or URIs) for each kind of teacher. */
  teacherRoles: { editing: string[]; nonEditing: string[] };
  /** The roles NRPS reports for each kind of teacher (Moodle reports a non-editing teacher as Learner). */
  rosterRoles: { editing: string[]; nonEditing: string[] };
  /** Whether the course page grows the tool's frame on lti.frameResize. */
  frameResize: boolean;
  /** Whether the login initiation offers LTI platform storage, and in which frame. */
  platformStorage?: '_parent' | 'post_message_forwarding';
  /** What the VLE calls a line item that deep linking asked for: Moodle names it after the activity. */
  lineItemLabel: 'as-requested' | 'activity-title';
}

const KEEPS_ANY: readonly GradingProgress[] = ['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady'];
const INSTRUCTOR = ['Instructor'];

export const PROFILES: Record<VleProfile['id'], VleProfile> = {
  // The platform as it was before profiles: keeps every score, honours frameResize, no storage.
  generic: {
    id: 'generic',
    productFamilyCode: 'cmalt-test-vle',
    keepsScoreWhen: KEEPS_ANY,
    teacherRoles: { editing: INSTRUCTOR, nonEditing: ['Instructor#TeachingAssistant'] },
    rosterRoles: { editing: INSTRUCTOR, nonEditing: ['Instructor#TeachingAssistant'] },
    frameResize: true,
    lineItemLabel: 'as-requested',
  },
  // Moodle 4.5: mod/lti/service/gradebookservices scores.php nulls scoreGiven unless FullyGraded; launches send
  // Instructor for editing and non-editing teachers; NRPS listed the non-editing teacher as Learner (measured).
  moodle: {
    id: 'moodle',
    productFamilyCode: 'moodle',
    keepsScoreWhen: ['FullyGraded'],
    teacherRoles: { editing: INSTRUCTOR, nonEditing: INSTRUCTOR },
    rosterRoles: { editing: INSTRUCTOR, nonEditing: ['Learner'] },
    frameResize: false,
    lineItemLabel: 'activity-title',
  },
  // Canvas Score API: "Values of NotReady, Failed, and Pending will cause the scoreGiven to be ignored."
  // A TA launches as Instructor + Instructor#TeachingAssistant; platform storage in a sibling frame.
  canvas: {
    id: 'canvas',
    productFamilyCode: 'canvas',
    keepsScoreWhen: ['FullyGraded', 'PendingManual'],
    teacherRoles: { editing: INSTRUCTOR, nonEditing: ['Instructor', 'Instructor#TeachingAssistant'] },
    rosterRoles: { editing: INSTRUCTOR, nonEditing: ['Instructor', 'Instructor#TeachingAssistant'] },
    frameResize: true,
    platformStorage: 'post_message_forwarding',
    lineItemLabel: 'as-requested',
  },
  // Brightspace: roles follow the institution's role mapping (unverified default: TA as TeachingAssistant);
  // score handling by gradingProgress is undocumented, so modelled as strictly as Moodle (unverified).
  brightspace: {
    id: 'brightspace',
    productFamilyCode: 'desire2learn',
    keepsScoreWhen: ['FullyGraded'],
    teacherRoles: { editing: INSTRUCTOR, nonEditing: ['TeachingAssistant'] },
    rosterRoles: { editing: INSTRUCTOR, nonEditing: ['TeachingAssistant'] },
    frameResize: true,
    platformStorage: '_parent',
    lineItemLabel: 'as-requested',
  },
  // Blackboard Learn: course role Teaching Assistant as TeachingAssistant (unverified); score handling by
  // gradingProgress undocumented, modelled strictly (unverified); platform storage not relied on.
  blackboard: {
    id: 'blackboard',
    productFamilyCode: 'BlackboardLearn',
    keepsScoreWhen: ['FullyGraded'],
    teacherRoles: { editing: INSTRUCTOR, nonEditing: ['TeachingAssistant'] },
    rosterRoles: { editing: INSTRUCTOR, nonEditing: ['TeachingAssistant'] },
    frameResize: true,
    lineItemLabel: 'as-requested',
  },
};

/** The four real VLEs, for describe.each. */
export const REAL_VLES: VleProfile[] = [PROFILES.moodle, PROFILES.canvas, PROFILES.brightspace, PROFILES.blackboard];
