// Bench only: load the app bundles given as `<port>=<bundle path>` arguments into this one Node process, each
// serving on its own port, to measure what running the apps as separate processes costs. Bundles read PORT when
// they load, and each finishes loading (top-level await) before the next one starts.
import { pathToFileURL } from 'node:url';

for (const argument of process.argv.slice(2)) {
  const [port, bundle] = argument.split(/=(.*)/s);
  process.env.PORT = port;
  await import(pathToFileURL(bundle).href);
}
