// The platform's code lives in src/practice/platform (the practice VLE runs it too); tests reach it here.
export * from '../../../src/practice/platform';
