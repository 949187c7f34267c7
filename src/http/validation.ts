import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { FastifyError, FastifyRequest } from 'fastify';
import { ValidationError } from '../shared/errors.ts';
import { FormErrors, type Shape } from '../shared/form.ts';
import { asList, isDoc } from '../shared/input.ts';

// Ajv checks each API request against its route schema's types and lengths. Presence is
// left out of that check (the `required` lists are stripped): each feature's form reader
// says which field is missing in words of its own, and lists the whole form in the tree.

const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false, useDefaults: false, removeAdditional: false });

type Json = Record<string, unknown>;

/** A copy of the schema without `required`, at any depth. */
export function withoutRequired(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutRequired);
  if (!isDoc(schema)) return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) if (k !== 'required') out[k] = withoutRequired(v);
  return out;
}

export function compileValidator({ schema }: { schema: unknown }): ValidateFunction {
  return ajv.compile(withoutRequired(schema) as object);
}

function objectVariant(schema: unknown): Json | undefined {
  if (!isDoc(schema)) return undefined;
  if (schema.type === 'object' && isDoc(schema.properties)) return schema;
  const variants = Array.isArray(schema.anyOf) ? schema.anyOf : [];
  return variants.map(objectVariant).find((v) => v !== undefined);
}

function listItem(schema: unknown): unknown {
  if (!isDoc(schema)) return undefined;
  if (schema.type === 'array') return schema.items;
  const variants = Array.isArray(schema.anyOf) ? schema.anyOf : [];
  return variants.map(listItem).find((v) => v !== undefined);
}

/** The form's shape from its schema, with as many list entries as were sent. */
export function shapeOf(schema: unknown, value: unknown): Shape {
  const item = listItem(schema);
  if (item !== undefined) return (asList(value) ?? []).map((v) => shapeOf(item, v));
  const obj = objectVariant(schema);
  if (!obj) return null;
  const shape: Record<string, Shape> = {};
  const sent = isDoc(value) ? value : {};
  for (const [k, s] of Object.entries(obj.properties as Json)) shape[k] = shapeOf(s, sent[k]);
  return shape;
}

/** The one key whose value is the form (`paymentintent`, `payment_execution`...), if the body has one. */
function formKey(bodySchema: Json): string | undefined {
  const keys = Object.keys((bodySchema.properties as Json | undefined) ?? {});
  return keys.length === 1 && objectVariant((bodySchema.properties as Json)[keys[0]]) ? keys[0] : undefined;
}

const keyFor = (e: ErrorObject) => (e.keyword === 'maxLength' || e.keyword === 'maxItems' ? 'common.too_long' : 'common.invalid');

/**
 * Ajv reports every branch of a failed anyOf (a value may be text or a number; a list an
 * array or an object with numeric keys). Keep what the sent value meant: the branches of
 * its type, or, when its type fits none, one error on the value itself.
 */
export function meaningfulErrors(all: ErrorObject[]): ErrorObject[] {
  const dropped: string[] = [];
  const wrongType: ErrorObject[] = [];
  for (const a of all.filter((e) => e.keyword === 'anyOf')) {
    const branchOf = (e: ErrorObject) => (e.schemaPath.startsWith(`${a.schemaPath}/`) ? e.schemaPath.slice(a.schemaPath.length + 1).split('/')[0] : undefined);
    const branches = new Set(all.map(branchOf).filter((b): b is string => b !== undefined));
    const mistyped = new Set(all.filter((e) => e.keyword === 'type' && e.instancePath === a.instancePath && e.schemaPath === `${a.schemaPath}/${branchOf(e)}/type`).map(branchOf));
    for (const b of mistyped) dropped.push(`${a.schemaPath}/${b}/`);
    if ([...branches].every((b) => mistyped.has(b))) wrongType.push(a);
  }
  const kept = (e: ErrorObject) => !dropped.some((d) => e.schemaPath.startsWith(d));
  return [...all.filter((e) => e.keyword !== 'anyOf' && kept(e)), ...wrongType.filter(kept)];
}

/** A Fastify validation error as the API's 400 tree over the route's form. */
export function validationFailure(error: FastifyError, request: FastifyRequest): ValidationError {
  const errors = new FormErrors();
  const schema = request.routeOptions.schema as Json | undefined;
  if ((error as { validationContext?: string }).validationContext !== 'body' || !isDoc(schema?.body)) {
    errors.global('common.bad_request');
    return new ValidationError(errors.toTree({}));
  }
  const key = formKey(schema.body);
  const body = isDoc(request.body) ? request.body : {};
  const byPath = new Map<string, ErrorObject>();
  for (const e of meaningfulErrors((error.validation ?? []) as ErrorObject[])) {
    // One message a field: "too long" says more than "not valid".
    if (!byPath.has(e.instancePath) || keyFor(e) === 'common.too_long') byPath.set(e.instancePath, e);
  }
  for (const [instancePath, e] of byPath) {
    const path = instancePath.split('/').slice(1).map((p) => (/^\d+$/.test(p) ? Number(p) : p.replaceAll('~1', '/').replaceAll('~0', '~')));
    if (key && path[0] === key) path.shift();
    if (path.length === 0) errors.global('common.bad_request');
    else errors.add(path, keyFor(e));
  }
  const formSchema = key ? (schema.body.properties as Json)[key] : schema.body;
  return new ValidationError(errors.toTree(shapeOf(formSchema, key ? body[key] : body)));
}
