// The service's JSON Schemas (shared_schema/json/, generated from the pydantic models) in
// ajv, so a test fails when a payload the extension builds would be refused.
import { readdirSync, readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const DIR = new URL('../../../shared_schema/json/', import.meta.url);

export function loadSchemas() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const byName = {};
  for (const file of readdirSync(DIR).filter((name) => name.endsWith('.schema.json'))) {
    const schema = JSON.parse(readFileSync(new URL(file, DIR), 'utf8'));
    ajv.addSchema(schema);
    byName[file.replace('.schema.json', '')] = schema.$id;
  }
  return {
    names: Object.keys(byName),
    /** Throws with ajv's errors when `value` is not a valid `name`. */
    check(name, value) {
      const validate = ajv.getSchema(byName[name]);
      if (!validate) throw new Error(`no schema ${name}`);
      if (!validate(value)) throw new Error(`${name} invalid: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value)}`);
      return true;
    },
  };
}
