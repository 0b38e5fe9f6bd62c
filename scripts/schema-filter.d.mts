export function keepDjangoModels(schema: string, userTable?: string): string;
