// Types for schema-engine.mjs (plain JS so the scripts run without a build).
import type { SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm';

export type { SchemaEngine };

/** The database the engine works on; SQLite may be ':memory:' for a scratch database. */
export type EngineTarget = { provider: 'sqlite'; filePath: string } | { provider: 'postgresql'; url: string };

export interface EngineSessionOptions {
  target: EngineTarget;
  /** A Prisma schema whose datasource names the target's provider. */
  schema: { path: string; content: string };
  /** Receives the engine's warnings, errors and "Applying `name`" lines. */
  log?: (message: string) => void;
}

export interface EngineSessionStats {
  /** Migration scripts that failed and were undone whole (the database is as before them). */
  failedScriptsRolledBack: number;
}

export declare class SchemaEngineError extends Error {}

export declare const NO_FILTERS: SchemaFilter;

export declare function loadSchemaEngineModule(): Promise<typeof import('@prisma/schema-engine-wasm')>;

export declare function engineErrorMessage(error: unknown): string;

export declare function withSchemaEngine<T>(options: EngineSessionOptions, work: (engine: SchemaEngine, stats: EngineSessionStats) => Promise<T>): Promise<T>;
