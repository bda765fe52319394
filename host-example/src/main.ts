#!/usr/bin/env node
/** Entry point of `npm start` (`node host-example/dist/main.js serve`) and of the CLI. */
import 'reflect-metadata';
import { buildCli } from './cli';
import { reportCliError } from './cli/exit-codes';

buildCli()
  .parseAsync(process.argv)
  .catch((e: unknown) => {
    process.exitCode = reportCliError(e, process.stderr);
  });
