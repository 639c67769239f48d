// Helpers over the JSON Schemas of a model's `apis` (seed 003 §4.1.2): example bodies for the prediction editor,
// file fields for uploads, and the CSV mapping rule of batch services (seed 003 "映射关系示例", R-B5).
import type { ApiSpec, JsonSchema } from '../api/types';

export function parseApis(apis?: string): ApiSpec[] {
  if (!apis) return [];
  try {
    const parsed = JSON.parse(apis);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

function typeOf(schema?: JsonSchema): string {
  const type = schema?.type;
  return (Array.isArray(type) ? type[0] : type) ?? (schema?.properties ? 'object' : 'string');
}

/** An example value for a schema: defaults and enums first, then minimum, then a placeholder of the type. */
export function exampleOf(schema: JsonSchema | undefined, depth = 0): unknown {
  if (!schema || depth > 8) return null;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum?.length) return schema.enum[0];
  switch (typeOf(schema)) {
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const [name, child] of Object.entries(schema.properties ?? {})) result[name] = exampleOf(child, depth + 1);
      return result;
    }
    case 'array': {
      const items = Array.isArray(schema.items) ? schema.items[0] : schema.items;
      return [exampleOf(items, depth + 1)];
    }
    case 'number': return schema.minimum ?? 0.0;
    case 'integer': return schema.minimum ?? 0;
    case 'boolean': return false;
    case 'file': return null;
    default: return '';
  }
}

/** Top-level fields of type "file" in a request schema (multipart uploads). */
export function fileFields(schema?: JsonSchema): string[] {
  return Object.entries(schema?.properties ?? {}).filter(([, s]) => typeOf(s) === 'file').map(([n]) => n);
}

/**
 * The CSV mapping rule the server generates (Batch/BatchMapping.Generate): a copy of the request schema in which
 * each leaf of type string/number/integer/boolean gets an `index`, numbered from 0 in schema order (seed 003
 * "映射关系示例": input_1…input_4 → columns 0–3). The user may edit it before deploying.
 */
export function csvMapping(schema: JsonSchema | undefined): JsonSchema | undefined {
  if (!schema) return undefined;
  const rule = structuredClone(schema);
  let next = 0;
  const annotate = (node: JsonSchema | undefined) => {
    if (!node || typeof node !== 'object') return;
    const type = Array.isArray(node.type) ? node.type[0] : node.type;
    if (type && ['string', 'number', 'integer', 'boolean'].includes(type)) {
      node.index = next++;
      return;
    }
    for (const child of Object.values(node.properties ?? {})) annotate(child);
    if (Array.isArray(node.items)) node.items.forEach(annotate);
    else annotate(node.items);
  };
  annotate(rule);
  return rule;
}

export const imageExtensions = ['png', 'jpg', 'jpeg', 'bmp', 'gif', 'webp', 'tif', 'tiff'];
export const maxUploadBytes = 8 * 1024 * 1024;
