// Reads a .env file with one npm reader and writes what it read as JSON, {version, values}:
//   node read.js NODE_MODULES PACKAGE FILE OUT
// The package is required by its path, so the pinned install is the one read with, never a
// global one. dotenvx gets an empty processEnv: nothing of this environment can fill a reference
// it expands, so an expanded value shows as a difference. Its log lines go to the console, the
// result to OUT.
'use strict';
const fs = require('fs');
const path = require('path');

const [modules, name, file, out] = process.argv.slice(2);
const dir = path.join(modules, name);
const reader = require(dir);
const text = fs.readFileSync(file, 'utf8');
const values = name === '@dotenvx/dotenvx' ? reader.parse(text, { processEnv: {} }) : reader.parse(text);
const version = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
fs.writeFileSync(out, JSON.stringify({ version, values }));
