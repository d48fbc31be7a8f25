// Types of the generated validator (runtime/spec/collector.validate.mjs).
import type { ValidateFunction } from 'ajv';

declare const validate: ValidateFunction;
export { validate };
export default validate;
