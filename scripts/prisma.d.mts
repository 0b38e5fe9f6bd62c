export function nativeSchemaEngine(): string | null;
