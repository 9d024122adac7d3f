// What every bench script shares: its command-line options and the median it reports.
const argv = process.argv.slice(2);

/** `--name value` from the command line, or the fallback. */
export const option = (name, fallback) => {
  const at = argv.indexOf(`--${name}`);
  return at === -1 ? fallback : argv[at + 1];
};

/** `--name` given at all. */
export const flag = (name) => argv.includes(`--${name}`);

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
