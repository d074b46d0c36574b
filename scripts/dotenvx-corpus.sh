#!/usr/bin/env bash
# Records how dotenvx itself parses each file of the .env corpus, as golden JSON beside it
# (src/test/resources/dotenv-corpus/NAME.env -> NAME.json), so DotenvCorpusTest can compare our
# parser with the reference implementation without npm. Run it after adding a corpus file and
# commit the JSON it writes.
#
# dotenvx is installed with npm into a temporary folder and called as a library:
# parse(text, {processEnv: {}}), so nothing of this shell's environment leaks in (our parser
# never looks at the environment either). Beware: dotenvx runs $(...) as a shell command; the
# corpus only ever holds harmless ones (echo), which is how the golden files show that it did.
#
# Environment: DOTENVX_VERSION (default 2.38.2).
set -euo pipefail
cd "$(dirname "$0")/.."

DOTENVX_VERSION=${DOTENVX_VERSION:-2.38.2}
corpus=$PWD/src/test/resources/dotenv-corpus
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

command -v npm >/dev/null 2>&1 || { echo "dotenvx-corpus: npm is needed (apt-get install nodejs npm)" >&2; exit 1; }
(cd "$work" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund "@dotenvx/dotenvx@$DOTENVX_VERSION" >/dev/null)

cat >"$work/golden.js" <<'EOF'
const fs = require('fs');
const path = require('path');
const { parse } = require('@dotenvx/dotenvx');
const corpus = process.argv[2];
for (const name of fs.readdirSync(corpus).filter(n => n.endsWith('.env')).sort()) {
  const text = fs.readFileSync(path.join(corpus, name), 'utf8');
  const parsed = parse(text, { processEnv: {} });
  const golden = path.join(corpus, name.replace(/\.env$/, '.json'));
  fs.writeFileSync(golden, JSON.stringify(parsed, null, 2) + '\n');
  console.log(`${name}: ${Object.keys(parsed).length} keys`);
}
EOF
(cd "$work" && node golden.js "$corpus")
echo "dotenvx-corpus: golden files written by @dotenvx/dotenvx@$DOTENVX_VERSION"
