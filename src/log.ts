import pino, { Logger } from 'pino';

/**
 * One logger. JSON in production, readable in development. Secrets and portfolio text never reach it:
 * the redact list catches the usual carriers in case a caller logs a request by mistake.
 */
export function createLogger(options: { level: string; pretty: boolean }): Logger {
  return pino({
    level: options.level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        'req.query.ltik',
        '*.ltik',
        '*.id_token',
        '*.password',
        '*.token',
        '*.secret',
        '*.privateKey',
      ],
      censor: '[redacted]',
    },
    transport: options.pretty && prettyAvailable() ? { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss' } } : undefined,
  });
}

function prettyAvailable(): boolean {
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false; // production installs leave dev dependencies out
  }
}

/** A logger for tests and tools that should stay quiet unless LOG_LEVEL says otherwise. */
export const quietLogger = (): Logger => pino({ level: process.env.LOG_LEVEL ?? 'silent' });
