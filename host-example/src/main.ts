#!/usr/bin/env node
/** Entry point of `npm start` (`node host-example/dist/main.js serve`) and of the CLI. */
import 'reflect-metadata';
import { buildCli } from './cli';

buildCli()
  .parseAsync(process.argv)
  .catch((e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
