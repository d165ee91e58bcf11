import type { BuildOptions } from 'esbuild';

export declare const SDK: string[];
export declare function bundleOptions(external: readonly string[]): BuildOptions;
