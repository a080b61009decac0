// Runs a Python script on MicroPython's WebAssembly port under Node, for tests/test_wasm.py.
//   node wasm_run.mjs PACKAGE_DIR HOST_DIR SCRIPT [HEAP_MIB]
// PACKAGE_DIR: an installed @micropython/micropython-webassembly-pyscript. HOST_DIR is copied into
// the port's in-memory file system as /w, which becomes the working directory; then SCRIPT runs.
// Every line the script prints comes out on stdout tagged "1" (its stdout) or "2" (its stderr),
// in order; an exception out of the script ends with a "2@@fatal ..." line and exit status 1.
import fs from "fs";
import path from "path";
import { pathToFileURL } from "url";

const [pkg, hostDir, script, heapMiB] = process.argv.slice(2);
const { loadMicroPython } = await import(pathToFileURL(path.join(pkg, "micropython.mjs")).href);
const write = (tag) => (line) => process.stdout.write(tag + line + "\n");
const mp = await loadMicroPython({
  url: path.join(pkg, "micropython.wasm"),  // 1.20 looks for it in the working directory otherwise
  stdout: write("1"),
  stderr: write("2"),
  // HEAP_MIB: 1.20's port cannot collect garbage under Node (its GC needs emscripten's asyncify,
  // not compiled in: "Please compile your program with async support"), so the test gives it a
  // heap big enough never to need a collection.
  ...(heapMiB ? { heapsize: Number(heapMiB) * 1024 * 1024 } : {}),
});

function copy(src, dst) {
  mp.FS.mkdirTree(dst);
  for (const name of fs.readdirSync(src)) {
    const s = path.join(src, name), d = dst + "/" + name;
    if (fs.statSync(s).isDirectory()) copy(s, d);
    else mp.FS.writeFile(d, fs.readFileSync(s));
  }
}
copy(hostDir, "/w");
const epoch = Math.floor(Date.now() / 1000);
const code = "import os\nos.chdir('/w')\nEPOCH_FROM_HOST = " + epoch + "\n" +
  fs.readFileSync(script, "utf8");
try {
  mp.runPython(code);
} catch (e) {
  write("2")("@@fatal " + String(e).split("\n").join(" | "));
  process.exitCode = 1;
}
