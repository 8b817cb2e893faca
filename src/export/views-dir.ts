import { existsSync } from 'node:fs';
import path from 'node:path';

/** views/ from src/export (ts tools) or dist/src/export (built), for pages rendered outside a request. */
export const VIEWS = [path.resolve(__dirname, '../../views'), path.resolve(__dirname, '../../../views')].find((dir) => existsSync(dir))!;
