import type { ExtensionClass } from './extension';

/**
 * What the extension manager needs of the host's inversify `Container`, written out rather than
 * imported: inversify ships separate CommonJS and ESM type declarations, and a class type from
 * one is not assignable to the other, so naming `Container` here made an ESM host's container
 * a type error. Any inversify 7 `Container`, from either build, fits this shape.
 *
 * @example
 * ```ts
 * const container = new Container();
 * new ExtensionManager({ bus, container }); // an inversify Container is an ExtensionContainer
 * ```
 */
export interface ExtensionContainer {
  isBound(id: ExtensionClass): boolean;
  bind(id: ExtensionClass): { toSelf(): { inSingletonScope(): unknown } };
  get<T>(id: ExtensionClass): T;
  unbind(id: ExtensionClass): unknown;
}

/** A service an extension may ask for by `inject`: a class, or a string or symbol token (inversify's ServiceIdentifier). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- abstract classes are service identifiers too
export type ServiceId = string | symbol | (abstract new (...args: never[]) => unknown) | Function;
