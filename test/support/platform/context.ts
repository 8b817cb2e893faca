export * from '../../../src/practice/platform/context';
