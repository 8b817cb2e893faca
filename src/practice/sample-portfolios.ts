/**
 * What the practice course's sample candidates have written, so every page has something to show: Amara well on
 * her way (areas written, an example with evidence, comments, one area approved, one needing more work, her
 * contextual statement waiting for review), Rhys just begun, Mei not yet started. Invented people at an invented university; the text
 * is original, written for this practice course.
 */

/** Where a sample section is left: as written, sent for review, or reviewed by the mentor. */
export type SampleState = 'draft' | 'ready_for_review' | 'meets_criterion' | 'needs_more_work';

export interface SampleEvidence {
  kind: 'link' | 'file';
  title: string;
  description: string;
  tags: string[];
  date: string;
  /** A link's address. */
  url?: string;
  /** A file's lines: a one-page PDF made when the course is seeded. */
  lines?: string[];
  filename?: string;
}

export interface SampleExample {
  title: string;
  tags: { role: string; project: string; year: string };
  description: string;
  reflection: string;
  evidence: SampleEvidence[];
}

export interface SampleComment {
  /** The mentor writes it; the candidate's reply, if any, follows in the same thread. */
  mentor: string;
  reply?: string;
}

export interface SampleSection {
  areaId: string;
  body: string;
  examples?: SampleExample[];
  comments?: SampleComment[];
  state: SampleState;
  /** The mentor's feedback with a review (required for "needs more work"). */
  feedback?: string;
}

export interface SamplePortfolio {
  personId: string;
  pathway: string;
  specialist: string[];
  sections: SampleSection[];
}

const p = (...paragraphs: string[]) => paragraphs.map((t) => `<p>${t}</p>`).join('');
const list = (...items: string[]) => `<ul>${items.map((t) => `<li>${t}</li>`).join('')}</ul>`;

const AMARA: SamplePortfolio = {
  personId: 'practice-amara',
  pathway: 'cmalt',
  specialist: ['Digital accessibility'],
  sections: [
    {
      areaId: 'contextual',
      state: 'ready_for_review',
      body:
        p(
          'I am a learning technologist in the Digital Education team at Harbourside University, a university of about 14,000 students with a large number of part-time and mature learners studying health, education and business. I joined the team three years ago after six years as a further education lecturer in business studies, where I became the person colleagues asked when the VLE misbehaved.',
          'Our team of seven sits within Library and Learning Services. We look after the VLE, lecture capture, the online assessment tools and the plagiarism detection service, and we run the staff development programme for teaching with technology. My own portfolio of work is split between three faculties: I am the first point of contact for academic staff in the School of Health Sciences and the School of Education, and I share the Business School with a colleague.',
        ) +
        list(
          '<strong>Day to day</strong>: one-to-one support for lecturers, building and reviewing module sites, and troubleshooting assessment set-ups before deadlines.',
          '<strong>Projects</strong>: I led the accessibility review of our VLE templates in 2024 and I am part of the group choosing our next lecture capture service.',
          '<strong>Teaching</strong>: I teach two sessions on the Postgraduate Certificate in Academic Practice, on designing online activities and on accessible documents.',
        ) +
        p(
          'I do not set institutional policy, but I write the guidance that turns policy into practice, and I bring what I hear from staff and students to the Digital Education steering group, which meets each term. I am taking CMALT to reflect on how my teaching background shapes the way I support colleagues, and to have my practice recognised by peers outside my own institution.',
        ),
    },
    {
      areaId: '1a',
      state: 'draft',
      comments: [
        {
          mentor:
            'This reads well. Could you say a little more about what you would do differently next time? Assessors like to see the judgement you made when the evidence was mixed.',
          reply: 'Good point, thank you. I will add a paragraph on the students who preferred the old recordings, and why we kept both options for a term.',
        },
      ],
      body:
        p(
          'Much of my work involves helping colleagues weigh up whether a technology is worth the effort it will take, for them and for their students. I try to start from the teaching problem rather than the tool, and to be honest about the costs that are easy to miss: the time to learn it, the accessibility of what it produces, and what happens when it fails on the day.',
          'In 2024 the School of Health Sciences asked for lecture capture in its small seminar rooms, where rooms are booked by the hour and there is no technician. Recording every session with our existing ceiling cameras would have been the obvious answer, but the rooms are used for discussion, and students told us they talk less when a camera is on. Instead I proposed a pilot comparing three approaches over one term: full recording, audio-only recording that lecturers could switch on, and short summary videos recorded by the lecturer afterwards.',
          'I set out the constraints of each for the module teams in a one-page comparison: set-up time, storage, captioning, how each works for a student who is deaf or who cannot attend, and what each asks of the lecturer. The summary videos were the cheapest and the most accessible, because lecturers could caption a five-minute script easily, but they depended on lecturers finding twenty minutes after each session. By the end of the term two of the five teams had stopped making them.',
          'The evidence was mixed, and I recommended keeping audio recording as the default with summary videos as an option, rather than the single answer the school had hoped for. That recommendation was accepted, and the school now budgets a small amount of administrative time for captioning.',
        ),
      examples: [
        {
          title: 'Lecture capture pilot in small seminar rooms',
          tags: { role: 'Learning technologist', project: 'Seminar capture pilot', year: '2024' },
          description:
            'A one-term pilot with five module teams in the School of Health Sciences comparing full recording, switchable audio recording and lecturer-recorded summary videos. I designed the comparison, ran the staff briefings and wrote the evaluation.',
          reflection:
            'I learned to present a recommendation that included the parts that did not work. My first draft of the evaluation played down the drop-off in summary videos; a colleague pointed out that the school would find out anyway, and the final version was more useful for being candid.',
          evidence: [
            {
              kind: 'link',
              title: 'W3C guidance on captions and transcripts',
              description: 'The guidance I used to set the captioning standard for the pilot’s recordings.',
              tags: ['accessibility', 'lecture capture'],
              date: '2024-02-12',
              url: 'https://www.w3.org/WAI/media/av/',
            },
            {
              kind: 'file',
              title: 'Seminar capture pilot: evaluation summary',
              description: 'The one-page summary I presented to the school’s learning and teaching committee.',
              tags: ['evaluation', 'lecture capture'],
              date: '2024-07-03',
              filename: 'seminar-capture-pilot-summary.pdf',
              lines: [
                'Seminar capture pilot: evaluation summary (sample)',
                'School of Health Sciences, spring term 2024. Five module teams, 212 students.',
                'Full recording: used in 41 of 60 sessions; students spoke less when the camera was on.',
                'Switchable audio: used in 52 of 60 sessions; 78% of surveyed students found it useful.',
                'Summary videos: made for 34 of 60 sessions; captioned within a day; two teams stopped.',
                'Recommendation: switchable audio by default; summary videos as an option, with',
                'administrative time set aside for captioning.',
                'This file is sample evidence in the practice course of CMALT Portfolio.',
              ],
            },
          ],
        },
      ],
    },
    {
      areaId: '2b',
      state: 'needs_more_work',
      feedback:
        'You describe the learners well in general terms, but this area asks how you found out about them and what you changed as a result. Please add a specific example: the survey you mention would be a good one, with what it told you and what you did next.',
      body: p(
        'The students I support indirectly are varied. Many in the School of Health Sciences are mature students who work shifts in clinical placements, so they study in short bursts, often on their phones, and often late at night. Students in the School of Education are mostly training teachers who spend long periods in schools, away from campus. Both groups value being able to find everything for a week in one place, and both are quickly frustrated by a module site laid out differently from the last one.',
        'I keep these students in mind when I build templates and advise lecturers. For example, I encourage short weekly pages rather than long folders of files, and I check that pages work on a small screen. I also talk to student representatives each term about what gets in their way.',
      ),
    },
    {
      areaId: '4',
      state: 'meets_criterion',
      feedback:
        'A strong section. The working group shows collaboration that shaped the outcome rather than consultation after the fact, and the take-up without a mandate is good evidence of impact. The student’s screen reader walkthrough is exactly the kind of detail assessors remember.',
      body:
        p(
          'Most of what I achieve depends on other people: the lecturers who change their teaching, the colleagues in IT who run the systems, and the students who tell us what is not working. I have learned that how I communicate matters as much as what I know.',
          'When we reviewed our VLE templates for accessibility, I could have written a new template and asked everyone to use it. Instead I formed a small working group of two lecturers from each faculty, a student from the Disabled Students’ Network and a colleague from the Disability Advisory Service. We met four times over a term. The student’s walkthrough of a module site with a screen reader changed the group’s priorities more than any guidance I could have written: headings and link text moved to the top of the list, above colour and layout.',
        ) +
        list(
          'I wrote up each meeting as a short post on our staff blog, so colleagues outside the group could follow and comment.',
          'I shared draft templates with the faculty learning and teaching leads before launch, and changed the assessment page after their feedback.',
          'I ran six drop-in sessions in the first month after launch, at times chosen to suit staff on placement visits.',
        ) +
        p(
          'The new templates are now used on 70% of modules, without a mandate. I think the working group is why: the people who would be asked to change were part of deciding what the change was.',
        ),
    },
    {
      areaId: 'specialist-1',
      state: 'draft',
      body: p(
        'Digital accessibility has become the thread running through most of my work. It started with a practical problem: a student on a nursing module could not use the scanned reading list because none of the documents could be read by her screen reader. Fixing that one list took an afternoon; making sure it did not happen again has taken three years.',
        'I now run our accessible documents training, review module templates against WCAG 2.2 AA, and advise on accessibility when the university buys new systems. I am still learning, particularly about cognitive accessibility, which our checks tend to miss.',
      ),
    },
  ],
};

const RHYS: SamplePortfolio = {
  personId: 'practice-rhys',
  pathway: 'cmalt',
  specialist: ['Simulation in nursing education'],
  sections: [
    {
      areaId: 'contextual',
      state: 'draft',
      body: p(
        'I am a lecturer in adult nursing at Harbourside University, and for the past two years I have also been the school’s VLE champion: the colleague others come to for help with online quizzes, the simulation suite’s booking pages and the clinical skills videos. I teach on the first and second years of the BSc Nursing programme.',
      ),
    },
  ],
};

/** Mei Lin Chen has not started: her first launch shows the page for choosing a pathway. */
export const SAMPLE_PORTFOLIOS: SamplePortfolio[] = [AMARA, RHYS];
