// Schemas as plain data: one declaration validates a value (validate.ts), gives it its type
// (Infer) and describes it (the API document). Declare one `as const satisfies ObjectSchema` so
// that its literal types reach Infer. Our own rather than TypeBox and ajv: upstream's error
// details are marshmallow's, coercions included, which ajv's errors would have to be turned into.

interface Base<T> {
  description?: string;
  nullable?: boolean;
  /** The value given when the field is missing. */
  default?: T;
  example?: unknown;
  /** What the value must be, in words, where its type alone does not say it (messages about files). */
  expect?: string;
}

export interface StringSchema extends Base<string> {
  type: 'string';
  minLength?: number;
  maxLength?: number;
  enum?: readonly string[];
  /** `enum` matched whatever the case, the value lowered (upstream's config writes `log_level: INFO`). */
  anyCase?: boolean;
  format?: 'uuid' | 'email';
  pattern?: RegExp;
}
export interface IntegerSchema extends Base<number> {
  type: 'integer';
  minimum?: number;
  maximum?: number;
}
export interface NumberSchema extends Base<number> {
  type: 'number';
  minimum?: number;
}
export interface BooleanSchema extends Base<boolean> {
  type: 'boolean';
}
export interface ArraySchema extends Base<readonly unknown[]> {
  type: 'array';
  items: Schema;
  maxItems?: number;
}
export interface ObjectSchema extends Base<Readonly<Record<string, unknown>>> {
  type: 'object';
  properties: Readonly<Record<string, Schema>>;
  required?: readonly string[];
  /** `[]`, `""`, `0` and `false` count as `{}`, as upstream's schemas take any falsy value (not null). */
  falsyIsEmpty?: boolean;
}
/** Any keys, each value of one schema: the configuration's mappings of names. */
export interface MapSchema extends Base<Readonly<Record<string, unknown>>> {
  type: 'map';
  values: Schema;
}
export type Schema = StringSchema | IntegerSchema | NumberSchema | BooleanSchema | ArraySchema | ObjectSchema | MapSchema;

type Simplify<T> = {[K in keyof T]: T[K]} & {};

type ValueOf<S> = S extends {type: 'string'; enum: readonly (infer E)[]}
  ? E
  : S extends {type: 'string'}
    ? string
    : S extends {type: 'integer' | 'number'}
      ? number
      : S extends {type: 'boolean'}
        ? boolean
        : S extends {type: 'array'; items: infer I}
          ? Infer<I>[]
          : S extends {type: 'object'; properties: infer P}
            ? string extends keyof P
              ? Record<string, unknown>
              : Fields<P, S extends {required: readonly (infer R)[]} ? R : never, 'validated'>
            : S extends {type: 'map'; values: infer V}
              ? Record<string, Infer<V>>
              : never;

type InputOf<S> = S extends {type: 'array'; items: infer I}
  ? Input<I>[]
  : S extends {type: 'object'; properties: infer P}
    ? string extends keyof P
      ? Record<string, unknown>
      : Fields<P, S extends {required: readonly (infer R)[]} ? R : never, 'input'>
    : S extends {type: 'map'; values: infer V}
      ? Record<string, Input<V>>
      : ValueOf<S>;

/** The keys a value always has: the required ones, and once validated those with a default. */
type Present<P, R, Side> = {
  [K in keyof P]: K extends R ? K : Side extends 'validated' ? (P[K] extends {default: unknown} ? K : never) : never;
}[keyof P];

type Fields<P, R, Side> = Simplify<
  {[K in Present<P, R, Side>]: Side extends 'validated' ? Infer<P[K]> : Input<P[K]>} & {
    [K in Exclude<keyof P, Present<P, R, Side>>]?: Side extends 'validated' ? Infer<P[K]> : Input<P[K]>;
  }
>;

/** The type of a value once validated: defaults filled, unknown fields dropped. */
export type Infer<S> = S extends {nullable: true} ? ValueOf<S> | null : ValueOf<S>;

/** The type of a value a client sends: fields with a default may be left out. */
export type Input<S> = S extends {nullable: true} ? InputOf<S> | null : InputOf<S>;
