// MySQL's and MariaDB's pieces: they load `mariadb`.
export { createMariaDbDatabase } from "../databases/mariadb.js";
//# sourceMappingURL=index.js.map