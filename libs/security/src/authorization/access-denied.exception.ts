import { ProblemException } from '../errors/problem.exception';

/** 403: the caller is known but may not do this. */
export class AccessDeniedException extends ProblemException {
  constructor(detail = 'You are not allowed to perform this action.') {
    super(403, 'forbidden', 'Forbidden', detail);
  }
}
