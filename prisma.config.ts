import { defineConfig } from 'prisma/config';
import { providerOf } from 'django-session-bridge';

// `generate` never connects, so a placeholder keeps it (and `npm install`) working without a database.
const url = process.env.DATABASE_URL ?? 'postgresql://localhost:5432/placeholder';

// Studio and `prisma db pull` use the schema of the database DATABASE_URL names.
export default defineConfig({
  schema: `prisma/${providerOf(url) ?? 'postgresql'}/schema.prisma`,
  datasource: { url },
});
