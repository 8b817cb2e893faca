export * from '../../../src/practice/platform/keys';
