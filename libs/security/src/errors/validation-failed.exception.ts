import { ProblemException } from './problem.exception';

/** One rejected field of a 400 answer. */
export interface FieldError {
  field: string;
  message: string;
}

/** 400 with one `errors` entry per rejected field. */
export class ValidationFailedException extends ProblemException {
  constructor(readonly errors: FieldError[]) {
    super(400, 'validation-failed', 'Validation failed', 'The request did not pass validation.', {
      errors,
    });
  }
}
