import { describe, expect, it } from 'vitest';
import { csvMapping, exampleOf, fileFields, parseApis } from '../schema';

// The predict-analysis request schema of the Iris samples (samples/build_samples.py) and seed 003's mapping example.
const iris = {
  type: 'object',
  properties: {
    data: {
      type: 'object',
      properties: {
        req_data: {
          type: 'array',
          items: [{ type: 'object', properties: { sepal_length: { type: 'number' }, sepal_width: { type: 'number' }, petal_length: { type: 'number' }, petal_width: { type: 'number' } } }],
        },
      },
    },
  },
};

describe('csvMapping', () => {
  it('numbers the leaves in schema order from 0, as the server generates it', () => {
    const rule = csvMapping(iris)!;
    const row = (rule.properties!.data.properties!.req_data.items as typeof iris[])[0].properties as unknown as Record<string, { index: number }>;
    expect([row.sepal_length.index, row.sepal_width.index, row.petal_length.index, row.petal_width.index]).toEqual([0, 1, 2, 3]);
  });

  it('maps the seed example input_1…input_4 to columns 0–3 and keeps the other keywords', () => {
    const seed = { type: 'object', required: ['input_1'], properties: { input_1: { type: 'number' }, input_2: { type: 'integer' }, input_3: { type: 'string' }, input_4: { type: 'boolean' } } };
    const rule = csvMapping(seed)!;
    expect(rule.required).toEqual(['input_1']);
    expect(Object.values(rule.properties!).map(p => p.index)).toEqual([0, 1, 2, 3]);
    expect(seed.properties.input_1).not.toHaveProperty('index');
  });

  it('gives file fields no index', () => {
    const rule = csvMapping({ type: 'object', properties: { images: { type: 'file' } } })!;
    expect(rule.properties!.images.index).toBeUndefined();
  });
});

describe('exampleOf', () => {
  it('builds a request body of the schema shape for the prediction editor', () => {
    expect(exampleOf(iris)).toEqual({ data: { req_data: [{ sepal_length: 0, sepal_width: 0, petal_length: 0, petal_width: 0 }] } });
  });

  it('prefers defaults, enums and minimums', () => {
    expect(exampleOf({ type: 'object', properties: { a: { type: 'string', default: 'x' }, b: { type: 'string', enum: ['y'] }, c: { type: 'integer', minimum: 3 } } }))
      .toEqual({ a: 'x', b: 'y', c: 3 });
  });
});

describe('fileFields and parseApis', () => {
  it('finds the multipart file fields of a request schema', () => {
    expect(fileFields({ type: 'object', properties: { images: { type: 'file' }, name: { type: 'string' } } })).toEqual(['images']);
    expect(fileFields(iris)).toEqual([]);
  });

  it('reads the apis JSON string of the model details, and nothing from malformed text', () => {
    expect(parseApis('[{"url":"/","method":"post"}]')).toEqual([{ url: '/', method: 'post' }]);
    expect(parseApis('{not json')).toEqual([]);
    expect(parseApis(undefined)).toEqual([]);
  });
});
