import type { Request } from 'express';
import type multer from 'multer';

/**
 * A multer storage engine that hands each file's stream to `receive` (which stores it as it arrives)
 * instead of buffering it, and removes what `receive` stored if multer later aborts the request.
 */
export function streamingStorage<Stored>(
  receive: (file: { originalname: string; stream: NodeJS.ReadableStream }) => Promise<Stored>,
  discard: (stored: Stored) => Promise<void>,
): multer.StorageEngine {
  return {
    _handleFile(_req, file, callback) {
      receive(file as unknown as { originalname: string; stream: NodeJS.ReadableStream }).then(
        (stored) => callback(null, { stored } as Partial<Express.Multer.File>),
        (err: Error) => callback(err),
      );
    },
    _removeFile(_req, file, callback) {
      const stored = (file as unknown as { stored?: Stored }).stored;
      if (stored === undefined) return callback(null);
      discard(stored).then(() => callback(null), (err: Error) => callback(err));
    },
  };
}

/** What `receive` returned for the request's single file, if one was sent. */
export function storedFileOf<Stored>(req: Request): Stored | undefined {
  return (req.file as unknown as { stored?: Stored } | undefined)?.stored;
}
