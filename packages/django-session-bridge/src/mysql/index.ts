// MySQL's and MariaDB's pieces: they load `mariadb`.
export { createMariaDbDatabase } from '../databases/mariadb.ts';
export type { MariaDbDatabase } from '../databases/mariadb.ts';
