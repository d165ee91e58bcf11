#!/usr/bin/env node
import '../dist/ctq-emulator.js';
