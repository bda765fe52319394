// Another host process on the same PostgreSQL: writes rules through the built @plugboard/rules
// (run `npm run build` first), one command per stdin line, answering "done <command>".
const { createInterface } = require('node:readline');
const { HandlerModuleRegistry, LoggerHandler, RuleStore } = require('@plugboard/rules');

async function main() {
  const registry = new HandlerModuleRegistry({ modules: [new LoggerHandler(() => undefined)] });
  const store = await RuleStore.open(process.argv[2], { registry });
  console.log('ready');
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, arg] = line.split(' ');
    if (command === 'create') await store.create({ name: arg, events: ['UserLogin'], handlerModule: 'Logger', action: 'log', options: { message: arg } });
    else if (command === 'disable') await store.setActive(Number(arg), false);
    else break;
    console.log(`done ${line}`);
  }
  await store.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
