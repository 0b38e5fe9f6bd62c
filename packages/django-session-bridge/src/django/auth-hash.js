import { saltedHmac } from "./crypto.js";
const KEY_SALT = 'django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash';
/** AbstractBaseUser.get_session_auth_hash (sha256), or the Django 3.1/3.2 legacy variant (sha1). */
export function sessionAuthHash(password, secret, algorithm = 'sha256') {
    return saltedHmac(KEY_SALT, password, secret, algorithm).toString('hex');
}
//# sourceMappingURL=auth-hash.js.map