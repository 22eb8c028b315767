// The error vocabulary of the API. Services throw AppError; the GraphQL and REST transports
// turn it into the same code, message and details. This table is the only place that maps a
// code to an HTTP status.

export const HTTP_STATUS_BY_CODE = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  /** Downstream use of a credential whose last test did not pass (or that was never tested since its last change). */
  CREDENTIAL_NOT_VERIFIED: 409,
  /** Downstream use of a credential whose stored secret the key ring cannot decrypt; rotate repairs it. */
  SECRET_UNREADABLE: 409,
  /** Downstream use of a deleted credential (its secret is destroyed). */
  CREDENTIAL_DELETED: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  VERIFICATION_FAILED: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  /** The mail server refused or failed a downstream IMAP/SMTP session; details say how. */
  MAIL_SERVER_ERROR: 502,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof HTTP_STATUS_BY_CODE;

export interface FieldProblem {
  field: string;
  message: string;
}

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Field problems for VALIDATION_FAILED, the test result for VERIFICATION_FAILED. */
    readonly details?: unknown,
    /** Seconds, for RATE_LIMITED (sent as Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  get httpStatus(): number {
    return HTTP_STATUS_BY_CODE[this.code];
  }
}

export const validationFailed = (problems: FieldProblem[]) =>
  new AppError(
    'VALIDATION_FAILED',
    `Invalid input: ${problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ')}`,
    problems,
  );

export const notFound = (what = 'The requested object') => new AppError('NOT_FOUND', `${what} was not found.`);

/** True when an error means the database cannot be reached (as opposed to a bad query). */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const { code, kind, message } = current as { code?: unknown; kind?: unknown; message?: unknown };
    if (typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|P1001|P1002|P1017|57P01|57P03|08\d{3})$/.test(code)) return true;
    if (typeof kind === 'string' && /DatabaseNotReachable|ConnectionClosed|SocketTimeout|DatabaseDoesNotExist|TooManyConnections/.test(kind)) return true;
    if (typeof message === 'string' && /Connection terminated|connect ECONNREFUSED|Can't reach database|database system is shutting down|the database system is starting up/i.test(message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Normalises anything thrown into an AppError that is safe to show a caller. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (isDatabaseUnavailable(error)) return new AppError('UNAVAILABLE', 'The database is unreachable; try again shortly.');
  return new AppError('INTERNAL', 'An unexpected error occurred. It has been logged.');
}
