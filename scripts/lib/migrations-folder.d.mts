// Types for migrations-folder.mjs.
import type { MigrationList } from '@prisma/schema-engine-wasm';

export declare const MIGRATION_FILE: 'migration.sql';
export declare function lockFileContent(provider: string): string;
export declare function readMigrationsList(dir: string): Promise<MigrationList>;
export declare function ensureLockFile(dir: string, provider: string): Promise<boolean>;
export declare function migrationFolderName(name: string, now?: Date): string;
