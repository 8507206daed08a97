#!/usr/bin/env node
// The driftwatch command: runs the bundled CLI (npm install builds it into dist-bundle/).
import { runFromProcess } from '../dist-bundle/bin.js'

await runFromProcess()
