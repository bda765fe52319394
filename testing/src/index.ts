/**
 * @plugboard/testing — unit-test an extension against a host's hook catalogue.
 * This file is the package's whole public API.
 */
export { testExtension } from './test-extension';
export type { ExtensionHarness, TestExtensionOptions } from './test-extension';
