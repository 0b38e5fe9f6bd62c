// The library's 503: the service answers it with its own page (middleware/errors.ts).
export { DjangoAuthUnavailableError as DatabaseUnavailableError } from 'django-session-bridge';
