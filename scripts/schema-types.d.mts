export function readDjangoTypes(schema: string): string;
