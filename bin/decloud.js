#!/usr/bin/env -S node --max-semi-space-size=64
// The young generation is sized for a node under load (many short-lived objects per tx); see localnet.ts.
import "../dist/cli/main.js";
