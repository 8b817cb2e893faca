/**
 * What a teacher meets in their own VLE after adding CMALT Portfolio, in that VLE's words, so the pathway picker
 * promises only what the VLE will show. Sources, and what is unverified, are in docs/decisions.md (“Real VLEs: Moodle, Canvas, Brightspace, Blackboard”).
 */
export type VleFamily = 'moodle' | 'canvas' | 'brightspace' | 'blackboard' | 'other';

/** tool_platform.product_family_code as each VLE sends it (Brightspace: desire2learn; Learn: BlackboardLearn). */
export function vleFamilyOf(productFamilyCode: unknown): VleFamily {
  const code = typeof productFamilyCode === 'string' ? productFamilyCode.toLowerCase() : '';
  if (code === 'moodle') return 'moodle';
  if (code === 'canvas') return 'canvas';
  if (code === 'desire2learn' || code === 'd2l' || code === 'brightspace') return 'brightspace';
  if (code.startsWith('blackboard')) return 'blackboard';
  return 'other';
}

/** The parts of the deep-linked content item a VLE may name its grade column after. */
export interface LinkedItem {
  title: string;
  lineItem: { label: string };
}

export interface GradeColumnWords {
  /** The VLE's name, or null when the family is not one we know. */
  vle: string | null;
  /** Whether the VLE names the column after the activity (Moodle) rather than the label the tool asks for. */
  afterActivity: boolean;
  /** Where the column is, and what makes it, in the VLE's words. */
  where: string;
  /** What the teacher does in the VLE after choosing, when it asks for a step (Moodle's activity form). */
  then?: string;
}

const WORDS: Record<VleFamily, GradeColumnWords> = {
  // Measured in Moodle 4.5.6 (issue 14): the grade item is named after the activity, which Moodle fills in from the
  // content item's title; "Grader report" and "Save and return to course" are Moodle's own strings.
  moodle: {
    vle: 'Moodle',
    afterActivity: true,
    where: 'Moodle names the grade column after the activity, so it is called by the activity’s name (below, for each pathway) in Grades › Grader report. Renaming the activity renames the column.',
    then: 'Moodle then shows the activity’s settings, filled in: choose Save and return to course.',
  },
  // canvas-lms deep_linking_modules.rb (validate_line_item!): a content item's lineItem.label becomes the title of
  // the assignment Canvas creates, and the assignment is the Gradebook column.
  canvas: {
    vle: 'Canvas',
    afterActivity: false,
    where: 'Canvas creates an assignment with this name (below, for each pathway), and it is that assignment’s column in the Gradebook.',
  },
  // Brightspace documents that a line item sent with the link creates a grade item; that it takes the label is
  // the LTI specification's rule, not checked in Brightspace (unverified).
  brightspace: {
    vle: 'Brightspace',
    afterActivity: false,
    where: 'Brightspace creates a grade item with this name (below, for each pathway) in Grades.',
  },
  // Anthology: a line item's label is the "Name of the column, visible in the Gradebook"; that a deep-linked item's
  // column takes it was not checked in Learn (unverified).
  blackboard: {
    vle: 'Blackboard',
    afterActivity: false,
    where: 'Blackboard creates a Gradebook column with this name (below, for each pathway).',
  },
  other: {
    vle: null,
    afterActivity: false,
    where: 'Your VLE should give the grade column this name (below, for each pathway); some VLEs (Moodle) name it after the activity instead.',
  },
};

export const gradeColumnWords = (family: VleFamily): GradeColumnWords => WORDS[family];

/** The name the grade column will have in this VLE for this content item. */
export function gradeColumnName(family: VleFamily, item: LinkedItem): string {
  return WORDS[family].afterActivity ? item.title : item.lineItem.label;
}
