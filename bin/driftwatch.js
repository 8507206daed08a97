#!/usr/bin/env node
// The driftwatch command: runs the compiled CLI (npm install builds it into dist/).
import { runFromProcess } from '../dist/cli/bin.js'

await runFromProcess()
