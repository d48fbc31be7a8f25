/** The collectors or the project config ask for something the generator cannot express safely. */
export class GenerateError extends Error {
  override readonly name = 'GenerateError';
  constructor(
    message: string,
    /** The collector at fault, when there is one. */
    readonly collector?: string,
  ) {
    super(collector ? `collector "${collector}": ${message}` : message);
  }
}
