/**
 * Spec tests the engine fails on purpose, each with why. The spec test asserts this list is exact:
 * a new failure fails the suite, and so does a listed test that now passes (so the list only shrinks).
 * Refusals here are deliberate: the engine answers with an error instead of silently differing.
 */
const REFUSED_CAPPED = 'refused: capped collections are not supported by the embedded database';
const REFUSED_TIMESERIES = 'refused: time series collections are not supported by the embedded database';
const REFUSED_SESSIONS = 'refused: $listLocalSessions (the engine keeps no session list)';
const DRIVER_BYPASS = 'the Node driver 6 sends bypassDocumentValidation only when it is true';
const DRIVER_PARTIAL = 'the Node driver 6 sets partialResult even when no operation succeeded';
const DRIVER_NULL_ID = 'the Node driver 6 replaces a null _id with a new ObjectId before sending it';

export const KNOWN_FAILURES: Record<string, string> = {
  'utf-valid-pass/collectionData-createOptions.json :: collection is created with the correct options': REFUSED_CAPPED,
  'utf-valid-pass/poc-crud.json :: Aggregate with $listLocalSessions': REFUSED_SESSIONS,
  'crud-unified/db-aggregate-rawdata.json :: Aggregate with rawData option on less than 8.2.0 - ignore argument': REFUSED_SESSIONS,
  'crud-unified/db-aggregate.json :: Aggregate with $listLocalSessions': REFUSED_SESSIONS,
  'crud-unified/db-aggregate.json :: Aggregate with $listLocalSessions and allowDiskUse': REFUSED_SESSIONS,
  'crud-unified/bypassDocumentValidation.json :: Aggregate with $out passes bypassDocumentValidation: false': DRIVER_BYPASS,
  'crud-unified/bypassDocumentValidation.json :: BulkWrite passes bypassDocumentValidation: false': DRIVER_BYPASS,
  'crud-unified/bypassDocumentValidation.json :: FindOneAndReplace passes bypassDocumentValidation: false': DRIVER_BYPASS,
  'crud-unified/bypassDocumentValidation.json :: FindOneAndUpdate passes bypassDocumentValidation: false': DRIVER_BYPASS,
  'crud-unified/bypassDocumentValidation.json :: InsertMany passes bypassDocumentValidation: false': DRIVER_BYPASS,
  'crud-unified/client-bulkWrite-partialResults.json :: partialResult is unset when first operation fails during an ordered bulk write (verbose)': DRIVER_PARTIAL,
  'crud-unified/client-bulkWrite-partialResults.json :: partialResult is unset when first operation fails during an ordered bulk write (summary)': DRIVER_PARTIAL,
  'crud-unified/client-bulkWrite-partialResults.json :: partialResult is unset when all operations fail during an unordered bulk write': DRIVER_PARTIAL,
  'crud-unified/create-null-ids.json :: inserting _id with type null via insertOne': DRIVER_NULL_ID,
  'crud-unified/create-null-ids.json :: inserting _id with type null via insertMany': DRIVER_NULL_ID,
  'crud-unified/create-null-ids.json :: inserting _id with type null via bulkWrite': DRIVER_NULL_ID,
  'crud-unified/create-null-ids.json :: inserting _id with type null via clientBulkWrite': DRIVER_NULL_ID,
  'collection-management/modifyCollection-errorResponse.json :: modifyCollection prepareUnique violations are accessible': 'refused: collMod prepareUnique is not supported by the embedded database',
  'collection-management/timeseries-collection.json :: createCollection with all options': REFUSED_TIMESERIES,
  'collection-management/timeseries-collection.json :: insertMany with duplicate ids': REFUSED_TIMESERIES,
  'collection-management/timeseries-collection.json :: createCollection with bucketing options': REFUSED_TIMESERIES,
};
