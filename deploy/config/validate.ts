// Checks a parsed collect.config.yaml against schemas/project.schema.json.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
// Imported, not read from disk: the bundled CLI carries it, wherever its chunks are.
import projectSchema from '../../schemas/project.schema.json' with { type: 'json' };

export interface SchemaProblem {
  /** Keys from the document root to the offending value. */
  path: string[];
  message: string;
  /** Point at the key (an unknown option) rather than at the value. */
  atKey?: boolean;
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: true });
    compiled = ajv.compile(projectSchema);
  }
  return compiled;
}

export function validateProjectConfig(value: unknown): SchemaProblem[] {
  const validate = validator();
  if (validate(value)) return [];
  const errors = validate.errors ?? [];
  // A name that breaks `propertyNames` comes as two errors: the rule it broke (with `propertyName` set) and the name itself.
  const nameRules = new Map(errors.filter((e) => e.propertyName !== undefined).map((e) => [`${e.instancePath}/${e.propertyName}`, e]));
  return errors.filter((e) => e.propertyName === undefined).map((e) => describe(e, nameRules));
}

function describe(error: ErrorObject, nameRules: ReadonlyMap<string, ErrorObject>): SchemaProblem {
  const path = error.instancePath === '' ? [] : error.instancePath.slice(1).split('/').map(unescapePointer);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'propertyNames': {
      const name = String(params.propertyName);
      const rule = nameRules.get(`${error.instancePath}/${name}`);
      const pattern = (rule?.params as { pattern?: string } | undefined)?.pattern;
      return { path: [...path, name], message: `"${name}" is not a valid name${pattern ? ` (must match ${pattern})` : ''}`, atKey: true };
    }
    case 'additionalProperties':
      return {
        path: [...path, String(params.additionalProperty)],
        message: `unknown option "${String(params.additionalProperty)}"`,
        atKey: true,
      };
    case 'required':
      return { path, message: `missing required option "${String(params.missingProperty)}"` };
    case 'enum':
      return { path, message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    default:
      return { path, message: error.message ?? 'is not valid' };
  }
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
