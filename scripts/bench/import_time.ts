// Prints how long one dynamic import of the module given as argument takes in
// a fresh Deno process, in ms: `IMPORT 12.3`.
const specifier = Deno.args[0];
if (specifier === undefined) throw new TypeError("usage: import_time.ts <module specifier>");
const start = performance.now();
await import(specifier);
console.log(`IMPORT ${performance.now() - start}`);
