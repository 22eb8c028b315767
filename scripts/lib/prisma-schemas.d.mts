// Types for prisma-schemas.mjs.
export type SchemaProvider = 'sqlite' | 'postgresql';

export declare const PROJECT_ROOT: string;
export declare const PROVIDERS: readonly SchemaProvider[];
export declare const MODELS_PATH: string;
export declare function providerDir(provider: SchemaProvider): string;
export declare function schemaPathOf(provider: SchemaProvider): string;
export declare function migrationsDirOf(provider: SchemaProvider): string;
export declare function renderSchema(provider: SchemaProvider, modelsText: string): string;
export declare function renderSchemas(): Promise<{ provider: SchemaProvider; path: string; content: string }[]>;
