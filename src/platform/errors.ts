/** Errors a person can act on: an HTTP status, a stable code and, for forms, a message per field. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export class ValidationError extends AppError {
  constructor(fields: Record<string, string>, message = 'Formularen indeholder fejl. Ret de markerede felter.') {
    super(400, 'validation', message, fields);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Du har ikke adgang til at gøre dette.') {
    super(403, 'forbidden', message);
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Siden findes ikke.') {
    super(404, 'not_found', message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, fields: Record<string, string> = {}) {
    super(409, 'conflict', message, fields);
  }
}
