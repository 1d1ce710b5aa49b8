/** An error answered to the client with an AWS error code, in the service's own protocol. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}

/** Shorthands for the errors most services share. */
export const validationError = (message: string) => new AwsError('ValidationException', message);
export const invalidParameter = (message: string) => new AwsError('InvalidParameterException', message);
