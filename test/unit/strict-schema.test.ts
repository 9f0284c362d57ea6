import Ajv2020 from 'ajv/dist/2020';
import { z } from 'zod';
import { judgementSchema } from '../../core/dataset/judge-prompt';
import { strictModeProblems, strictSchemaOf, type JsonSchema } from '../../core/policy/strict-schema';
import { doctorTurnSchema, finalTurnSchema, MAX_DIFFERENTIAL, parseTurn } from '../../core/policy/turn';

/** The schemas sent with `strict: true`: inside the strict subset, and no looser than zod on structure. */
describe('strict structured-output schemas', () => {
  const turn = strictSchemaOf(doctorTurnSchema);
  const final = strictSchemaOf(finalTurnSchema);

  it('are accepted by the strict-mode rules, where the plain zod JSON schema is not', () => {
    for (const schema of [turn, final, strictSchemaOf(judgementSchema)]) expect(strictModeProblems(schema)).toEqual([]);
    const plain = z.toJSONSchema(doctorTurnSchema, { io: 'input' }) as JsonSchema;
    expect(strictModeProblems(plain)).toEqual(
      expect.arrayContaining([
        '(root): keyword "$schema" is not supported in strict mode',
        '(root): additionalProperties must be false',
        '/properties/action: keyword "oneOf" is not supported in strict mode',
        '/properties/reasoning: keyword "minLength" is not supported in strict mode',
        '/properties/differential/items/properties/likelihood: keyword "maximum" is not supported in strict mode',
      ]),
    );
    expect(strictModeProblems({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false })).toEqual([
      '(root): property "a" must be required',
    ]);
  });

  it('refuses a schema with an optional property (strict mode has none)', () => {
    expect(() => strictSchemaOf(z.object({ a: z.string(), b: z.string().optional() }))).toThrow(/optional properties b/);
  });

  const valid = {
    reasoning: 'chest pain with ST elevation',
    differential: [{ diagnosis: 'myocardial infarction', likelihood: 0.7 }],
    action: { type: 'order_tests', tests: ['troponin'], rationale: 'confirm' },
  };

  it('compile as JSON Schema 2020-12 with no unknown keyword, and refuse what zod refuses on structure', () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    const check = ajv.compile(turn);
    const checkFinal = ajv.compile(final);
    expect(check(valid)).toBe(true);
    expect(checkFinal({ ...valid, action: { type: 'final_diagnosis', diagnosis: 'STEMI' } })).toBe(true);
    // Extra keys are refused by the schema (strict endpoints never produce them); zod drops them.
    expect(check({ ...valid, extra: 1 })).toBe(false);
    expect(parseTurn(JSON.stringify({ ...valid, extra: 1 }), false)).toHaveProperty('turn');
    const structural = [
      { reasoning: valid.reasoning, differential: valid.differential },
      { ...valid, action: { type: 'order_tests', tests: ['troponin'] } },
      { ...valid, action: { type: 'admit', tests: ['troponin'], rationale: 'r' } },
      { ...valid, differential: [{ diagnosis: 'mi', likelihood: '0.7' }] },
    ];
    for (const reply of structural) {
      expect(check(reply)).toBe(false);
      expect(parseTurn(JSON.stringify(reply), false)).toHaveProperty('problems');
    }
    expect(checkFinal(valid)).toBe(false);
    expect(parseTurn(JSON.stringify(valid), true)).toHaveProperty('problems');
  });

  it('leave the bounds to zod: a reply out of bounds passes the schema and is still refused', () => {
    const check = new Ajv2020({ strict: true }).compile(turn);
    const outOfBounds = [
      { ...valid, reasoning: '' },
      { ...valid, differential: [] },
      {
        ...valid,
        differential: Array.from({ length: MAX_DIFFERENTIAL + 1 }, (_, i) => ({ diagnosis: `d${i}`, likelihood: 0.1 })),
      },
      { ...valid, differential: [{ diagnosis: 'mi', likelihood: 150 }] },
      { ...valid, action: { type: 'order_tests', tests: [], rationale: 'r' } },
    ];
    for (const reply of outOfBounds) {
      expect(check(reply)).toBe(true);
      expect(parseTurn(JSON.stringify(reply), false)).toHaveProperty('problems');
    }
    expect(parseTurn(JSON.stringify(valid), false)).toHaveProperty('turn');
  });
});
