export type UnsatisfiableReason =
  /** minLength above maxLength. */
  | 'length_range'
  /** No character is allowed at all. */
  | 'empty_alphabet'
  /** A required set has no allowed character left in it. */
  | 'required_class_not_allowed'
  /** More required characters than maxLength leaves room for. */
  | 'too_many_required'
  /** No arrangement keeps runs of one character short enough. */
  | 'max_consecutive'
  /** Generated passwords never matched the page's `pattern` within the attempt budget. */
  | 'pattern';

/**
 * The site's constraints, as we read them, cannot all hold. Permanent: retrying the same
 * policy cannot help, so the activity layer should fail without retry (stable `name`).
 */
export class PasswordPolicyUnsatisfiable extends Error {
  override readonly name = 'PasswordPolicyUnsatisfiable';

  constructor(
    readonly reason: UnsatisfiableReason,
    message: string,
  ) {
    super(message);
  }
}
