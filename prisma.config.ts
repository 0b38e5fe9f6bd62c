import { defineConfig } from 'prisma/config';

// `generate` never connects, so a placeholder keeps it (and `npm install`) working without a database.
const url = process.env.DATABASE_URL ?? 'postgresql://localhost:5432/placeholder';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  datasource: { url },
});
