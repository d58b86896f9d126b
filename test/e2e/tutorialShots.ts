// The screenshots of docs/tutorial.md, each the picture of one step of
// test/e2e/tutorial.test.ts (the step's name is the image's name).
export const TUTORIAL_SHOTS = ['01-race-warning', '02-panic', '03-step-back', '04-timeline', '05-fixed'] as const;
export type TutorialShot = (typeof TUTORIAL_SHOTS)[number];
