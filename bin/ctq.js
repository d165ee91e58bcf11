#!/usr/bin/env node
import '../dist/ctq.js';
